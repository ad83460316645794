"""Inline Markdown: emphasis, code, links and images, as styled runs."""

from __future__ import annotations

import re

from reader.render.lines import BOLD, CODE, ITALIC, LINK, MARK, URL, Span

_INLINE_START = re.compile(r"[*_`\[<!\\]")
_INLINE = re.compile(
    r"(?=[`*_!\[<\\])"  # only try the alternatives where one can start
    r"(?:`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<b1>\S(?:.*?\S)??)\*\*"
    r"|(?<![\w\\])__(?P<b2>\S(?:.*?\S)??)__(?!\w)"
    r"|(?<![\w*\\])\*(?P<i1>[^\s*](?:[^*]*?[^\s*\\])?)\*(?![\w*])"
    r"|(?<![\w\\])_(?P<i2>[^\s_](?:[^_]*?[^\s_\\])?)_(?!\w)"
    r"|!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)[^)\n]*\)"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<href>[^)\s]+)(?:\s+\"[^\"\n]*\")?\)"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>|]))"
)


def inline(text: str, flags: int = 0, links: dict[str, int] | None = None) -> list[Span]:
    """Split a paragraph into runs: emphasis, code, links.

    A link shows its text; with `links` (URL → number, shared by a whole
    article) the text is followed by a `[n]` reference and the URL is listed
    once at the end, as terminal browsers do, instead of breaking the
    sentence; without, the URL follows in brackets.
    """
    if _INLINE_START.search(text) is None:
        return [(text, flags)]
    spans: list[Span] = []
    position = 0
    for m in _INLINE.finditer(text):
        if m.start() > position:
            spans.append((text[position:m.start()], flags))
        position = m.end()
        group = m.lastgroup
        if group == "code":
            spans.append((m.group("code"), flags | CODE))
        elif group in ("b1", "b2"):
            spans.extend(inline(m.group(group), flags | BOLD, links))
        elif group in ("i1", "i2"):
            spans.extend(inline(m.group(group), flags | ITALIC, links))
        elif group == "src":
            alt = m.group("alt").strip()
            spans.append((f"[image: {alt}]" if alt else "[image]", flags | MARK))
        elif group == "href":
            label, href = m.group("text"), m.group("href")
            spans.extend(inline(label, flags | LINK, links))
            if href != label and links is not None:
                number = links.setdefault(href, len(links) + 1)
                spans.append((f"[{number}]", flags | URL | MARK))
            elif href != label:
                spans.append((" (", flags | URL))
                spans.append((href, flags | URL))
                spans.append((")", flags | URL))
        elif group == "auto":
            spans.append((m.group("auto"), flags | LINK))
        elif group == "escaped":
            spans.append((m.group("escaped"), flags))
    if position < len(text):
        spans.append((text[position:], flags))
    return spans

