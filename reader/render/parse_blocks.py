"""Markdown blocks: headings, paragraphs, lists, quotes, code, rules and table rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+•◦▪‣])\s+(.*)$")
_BULLET_CHARS = "-*+•◦▪‣"
_NUMBER = re.compile(r"^(\s*)(\d{1,9})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")


class Block(NamedTuple):
    kind: str
    """h1…h6, p, quote, item, code, rule."""
    text: str
    level: int = 0
    """Nesting for list items and quotes."""
    marker: str = ""
    """The bullet or number of a list item."""
    start: int = 0
    """Offset in the body where the block's source starts."""
    end: int = 0
    """Offset in the body where the block's source ends."""


def blocks(body: str) -> Iterator[Block]:
    """The Markdown blocks of `body`, in order; tolerant of anything."""
    paragraph: list[str] = []
    kind, level, marker = "p", 0, ""
    fence: str | None = None
    p_start = p_end = 0
    here = 0  # offset of `raw` in the body

    def flush() -> Iterator[Block]:
        nonlocal paragraph
        if paragraph:
            yield Block(kind, " ".join(paragraph), level, marker, p_start, p_end)
            paragraph = []

    for full in body.splitlines(keepends=True):
        raw = full.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start, end = here, here + len(raw)
        here += len(full)
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            else:
                yield Block("code", raw.expandtabs(4), 0, "", start, end)
            continue
        line = raw.strip()
        if not line:
            yield from flush()
            kind, level, marker = "p", 0, ""
            continue
        first = line[0]
        if first == "#" and (m := _HEADING.match(line)):
            yield from flush()
            yield Block(f"h{len(m.group(1))}", m.group(2), 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in "`~" and (m := _FENCE.match(raw)):
            yield from flush()
            fence = m.group(1)
            continue
        if first in "-*_" and _RULE.match(raw):
            yield from flush()
            yield Block("rule", "")
            kind, level, marker = "p", 0, ""
            continue
        if first == ">" and (m := _QUOTE.match(raw)):
            inner = m.group(1).strip()
            depth = 1
            while inner.startswith(">"):
                inner = inner[1:].strip()
                depth += 1
            if kind != "quote" or depth != level or not inner:
                yield from flush()
            kind, level, marker = "quote", depth, ""
            if inner:
                if not paragraph:
                    p_start = start
                p_end = end
                paragraph.append(_unbreak(inner))
            continue
        if first == "|":
            yield from flush()
            yield Block("row", line, 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in _BULLET_CHARS and (m := _BULLET.match(raw)):
            yield from flush()
            kind, level, marker = "item", _indent_level(m.group(1)), "•"
            p_start, p_end = start, end
            paragraph.append(_unbreak(m.group(3).strip()))
            continue
        if first.isdigit() and (m := _NUMBER.match(raw)):
            yield from flush()
            kind, level, marker = "item", _indent_level(m.group(1)), m.group(2) + "."
            p_start, p_end = start, end
            paragraph.append(_unbreak(m.group(3).strip()))
            continue
        if not paragraph:
            p_start = start
        p_end = end
        paragraph.append(_unbreak(line))
    yield from flush()


def _unbreak(line: str) -> str:
    """A line without the backslash of a Markdown hard break (`line\\` then newline):
    the reading view wraps paragraphs itself."""
    if line.endswith("\\") and not line.endswith("\\\\"):
        return line[:-1].rstrip()
    return line


def _indent_level(spaces: str) -> int:
    return min(len(spaces.expandtabs(4)) // 2, 6)

