"""Inline Markdown: emphasis, code, links and images, as styled runs."""

from __future__ import annotations

import re

from reader.render.lines import BOLD, CODE, ITALIC, LINK, MARK, URL, Span
from reader.render.parse_blocks import label_key

_INLINE_START = re.compile(r"[*_`\[<!\\]")
_DEST = r"(?:[^()\s]|\([^()\s]*\))"
"""A link destination's character: no space, parentheses only balanced, one deep."""
_TITLE = r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?"
_LABEL = r"(?:[^\[\]]|\[[^\[\]]*\])"
"""A link text's or alt text's character: brackets only balanced, one deep."""
_INLINE = re.compile(
    r"(?=[`*_!\[<\\])"  # only try the alternatives where one can start
    r"(?:(?P<ticks>`+)(?P<code>[^`\n](?:.*?[^`\n])??)(?P=ticks)(?!`)"
    r"|\*\*\*(?P<bi1>[^\s*](?:.*?[^\s*])??)\*\*\*(?!\*)"
    r"|(?<![\w\\])___(?P<bi2>[^\s_](?:.*?[^\s_])??)___(?!\w)"
    r"|\*\*(?P<b1>\S(?:.*?\S)??)\*\*"
    r"|(?<![\w\\])__(?P<b2>\S(?:.*?\S)??)__(?!\w)"
    r"|(?<![\w*\\])\*(?P<i1>[^\s*](?:[^*]*?[^\s*\\])?)\*(?![\w*])"
    r"|(?<![\w\\])_(?P<i2>[^\s_](?:[^_]*?[^\s_\\])?)_(?!\w)"
    r"|\[!\[(?P<lalt>" + _LABEL + r"*)\]\(" + _DEST + r"*" + _TITLE + r"\)\]\((?P<lhref>" + _DEST
    + r"+)" + _TITLE + r"\)"
    r"|!\[(?P<alt>" + _LABEL + r"*)\]\((?P<src>" + _DEST + r"*)" + _TITLE + r"\)"
    r"|\[(?P<text>" + _LABEL + r"*)\]\((?P<href>" + _DEST + r"+)" + _TITLE + r"\)"
    r"|!\[(?P<ralt>" + _LABEL + r"*)\]\[(?P<rimage>[^\]\n]*)\]"
    r"|\[(?P<rtext>[^\]\n]+)\]\[(?P<rlabel>[^\]\n]*)\]"
    r"|\[(?P<short>[^\]\n]+)\](?![\[(:])"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>|~\"'$%&,/:;=?@^]))"
)


def inline(text: str, flags: int = 0, links: dict[str, int] | None = None,
           refs: dict[str, str] | None = None) -> list[Span]:
    """Split a paragraph into runs: emphasis, code, links and images.

    A link shows its text; with `links` (URL → number, shared by a whole
    article) the text is followed by a `[n]` reference and the URL is listed
    once at the end, as terminal browsers do, instead of breaking the
    sentence; without, the URL follows in brackets. An image shows as its alt
    text (or "image") and is numbered like a link (a linked image by its link).
    `refs` holds the article's reference definitions (`references`) for
    `[text][label]` and `[label]` links.
    """
    if _INLINE_START.search(text) is None:
        return [(text, flags)]
    spans: list[Span] = []
    position = 0
    for m in _INLINE.finditer(text):
        group = m.lastgroup
        if m.start() > position:
            spans.append((text[position:m.start()], flags))
        position = m.end()
        if group == "code":
            code = m.group("code")
            if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
                code = code[1:-1]
            spans.append((code, flags | CODE))
        elif group in ("bi1", "bi2"):
            spans.extend(inline(m.group(group), flags | BOLD | ITALIC, links, refs))
        elif group in ("b1", "b2"):
            spans.extend(inline(m.group(group), flags | BOLD, links, refs))
        elif group in ("i1", "i2"):
            spans.extend(inline(m.group(group), flags | ITALIC, links, refs))
        elif group == "lhref":
            _image(spans, m.group("lalt"), m.group("lhref"), flags, links)
        elif group == "src":
            _image(spans, m.group("alt"), m.group("src"), flags, links)
        elif group == "href":
            label = m.group("text")
            slashes = len(label) - len(label.rstrip("\\"))
            if slashes % 2:  # markdownify's <br> at the end of a link's text: a line break
                _link(spans, label[:-1].rstrip(), m.group("href"), flags, links, refs)
                spans.append(("\n", flags))
            else:
                _link(spans, label, m.group("href"), flags, links, refs)
        elif group == "rimage":
            alt = m.group("ralt")
            href = refs.get(label_key(m.group("rimage") or alt)) if refs else None
            if href is None:
                spans.append((m.group(0), flags))
            else:
                _image(spans, alt, href, flags, links)
        elif group == "rlabel":
            label = m.group("rlabel") or m.group("rtext")
            href = refs.get(label_key(label)) if refs else None
            if href is None:
                spans.append(("[", flags))
                spans.extend(inline(m.group("rtext"), flags, links, refs))
                spans.append(("][" + m.group("rlabel") + "]", flags))
            else:
                _link(spans, m.group("rtext"), href, flags, links, refs)
        elif group == "short":
            label = m.group("short")
            href = refs.get(label_key(label)) if refs else None
            if href is None:  # brackets, not a link
                spans.append(("[", flags))
                spans.extend(inline(label, flags, links, refs))
                spans.append(("]", flags))
            else:
                _link(spans, label, href, flags, links, refs)
        elif group == "auto":
            spans.append((m.group("auto"), flags | LINK))
        elif group == "escaped":
            spans.append((m.group("escaped"), flags))
    if position < len(text):
        spans.append((text[position:], flags))
    return spans


def _number(href: str, flags: int, links: dict[str, int]) -> Span:
    return f"[{links.setdefault(href, len(links) + 1)}]", flags | URL | MARK


def _link(spans: list[Span], label: str, href: str, flags: int,
          links: dict[str, int] | None, refs: dict[str, str] | None) -> None:
    spans.extend(inline(label, flags | LINK, links, refs))
    if href == label or not href:
        return
    if links is not None:
        spans.append(_number(href, flags, links))
    else:
        spans.extend(((" (", flags | URL), (href, flags | URL), (")", flags | URL)))


def _image(spans: list[Span], alt: str, href: str, flags: int,
           links: dict[str, int] | None) -> None:
    alt = " ".join(alt.split())
    # The alt text is the article's; "image" is the renderer's word for a missing one.
    spans.append((alt, flags | LINK) if alt else ("image", flags | LINK | MARK))
    if not href:
        return
    if links is not None:
        spans.append(_number(href, flags, links))
    else:
        spans.extend(((" (", flags | URL), (href, flags | URL), (")", flags | URL)))
