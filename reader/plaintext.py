"""An article's Markdown body as plain text, for the search index and its snippets.

What a person reads, not how it is written: link and image text kept, their
addresses dropped (`[the report](https://…)` → `the report`, a bare or
angle-bracketed address → nothing), emphasis, code, heading, quote, list and
table markup removed, backslash escapes resolved, HTML tags dropped. Words in
addresses are therefore never search hits.

`url_spans` gives where, in the Markdown itself, the addresses are, so that
marks in the reading view skip them the same way.

A handful of regular-expression passes, each skipped when its trigger
character is absent: this runs for every indexed article.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\((?:<[^>\n]*>|[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:|mailto:)[^>\s]*>")
_BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'\]\)]+|\bwww\.[^\s<>\"'\]\)]+")
_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,200}>")
_LINE_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t>]*|[-*+][ \t]+|\d{1,9}[.)][ \t]+)", re.M)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$|^[ \t]*\|?[ \t]*:?-{2,}.*$", re.M)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)")
_SINGLE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"[ \t]{2,}")


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body: no markup, no addresses, no soft hyphens
    (invisible where a line does not break there; snippets would show them)."""
    text = markdown.replace("\u00ad", "") if "\u00ad" in markdown else markdown
    if "](" in text or "][" in text:
        if "![" in text:
            text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
        # A linked image leaves `[alt](…)` once its inner image is gone.
        if "](" in text:
            text = _LINK.sub(r"\1", text)
        if "][" in text:
            text = _REF_LINK.sub(r"\1", text)
    if "]:" in text:
        text = _REF_DEF.sub("", text)
    if "://" in text or "www." in text or "<" in text:
        if "<" in text:
            text = _AUTOLINK.sub("", text)
            text = _TAG.sub(" ", text)
        text = _BARE_URL.sub("", text)
    text = _LINE_MARK.sub("", text)
    if "--" in text or "**" in text or "__" in text:
        text = _RULE.sub("", text)
    if "*" in text or "`" in text or "~~" in text or "__" in text:
        text = _EMPHASIS.sub("", text)
    if "_" in text:
        text = _SINGLE_UNDERSCORE.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "|" in text:
        text = text.replace("|", " ")
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text


_URL_IN_MARKDOWN = re.compile(
    r"\]\((?:<[^>\n]*>|[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)"  # a link's or image's target
    r"|^[ \t]{0,3}\[[^\]\n]+\]:.*$"  # a reference definition
    r"|<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:|mailto:)[^>\s]*>"  # <https://…>
    r"|\b(?:https?|ftp)://[^\s<>\"'\]\)]+|\bwww\.[^\s<>\"'\]\)]+",  # a bare address
    re.M,
)


def url_spans(markdown: str) -> list[tuple[int, int]]:
    """Where the addresses are in a Markdown text, as sorted (start, end) offsets."""
    if "](" not in markdown and "]:" not in markdown and "://" not in markdown \
            and "www." not in markdown:
        return []
    return [m.span() for m in _URL_IN_MARKDOWN.finditer(markdown)]
