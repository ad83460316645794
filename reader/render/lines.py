"""Display lines: styled runs of plain text with their style names and offsets."""

from __future__ import annotations

from typing import NamedTuple

# Inline flags, combined with `|`.
BOLD = 1
ITALIC = 2
CODE = 4
LINK = 8
URL = 16
MARK = 32
"""Decoration the renderer adds: bullets, numbers, quote bars."""

Span = tuple[str, int]
"""A run of text and its inline flags."""


class Line(NamedTuple):
    """One display line: the block it belongs to and its styled runs."""

    block: str
    """title, meta, tags, h1…h6, p, quote, item, code, rule or blank."""
    spans: tuple[Span, ...]
    """Text runs; the first may be indentation or a marker."""
    width: int
    """Cell width of the line's text."""
    para: int = -1
    """The body block the line shows (an index into `Document.blocks`); -1: none."""
    start: int = 0
    """Where the line's text starts in its block's display text."""
    lead: int = 0
    """Characters of prefix (indentation, bullet, quote bar) before the text."""


BLANK = Line("blank", (), 0)


def plain(line: Line) -> str:
    """The text of a line, as the terminal shows it (for tests and copying)."""
    return "".join(text for text, _ in line.spans)
