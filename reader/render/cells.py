"""Terminal cells and terminal safety: how wide text is, and text made safe to show."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reader import controls


@lru_cache(maxsize=4096)
def _wide_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


_BEYOND_ONE_CELL = re.compile("[^\x00-\u02ff]")
"""Characters from U+0300 on: combining marks and wide characters are among them;
everything before takes one cell (controls are made visible first)."""


def one_cell_each(text: str) -> bool:
    """Whether every character of `text` takes one cell (ASCII, Latin with accents)."""
    return text.isascii() or _BEYOND_ONE_CELL.search(text) is None


def cell_width(text: str) -> int:
    """Terminal cells `text` takes (wide East Asian characters count two)."""
    return len(text) if one_cell_each(text) else _wide_width(text)


def char_width(char: str) -> int:
    """Terminal cells one character takes."""
    if char < "\u0300":
        return 1
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


# What is never shown and why (and why this differs from the import): `reader.controls`.
_CONTROLS = re.compile(f"[{controls.SHOWN_AS_SYMBOLS}{controls.DROPPED}]")
DROPPED = re.compile(f"[{controls.DROPPED}]")
"""What `visible` removes: bidi overrides and isolates, and soft hyphens."""
SOFT_HYPHEN = controls.SOFT_HYPHEN
_VISIBLE: dict[int, int | None] = {c: 0x2400 + c for c in range(0x20)}  # ␀ … ␟
_VISIBLE[0x7F] = 0x2421  # ␡
_VISIBLE |= {c: 0xFFFD for c in controls.code_points(controls.C1)}
_VISIBLE |= {c: None for c in controls.code_points(controls.DROPPED)}
del _VISIBLE[0x0A]  # newlines stay; they separate lines and blocks
_VISIBLE[0x09] = 0x20  # a tab is drawn as a space


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` safe for the terminal: control characters shown as symbols (␛), bidi
    overrides and soft hyphens dropped.

    The importer already removes these; this is the interface's own guarantee,
    whatever the library file holds.
    """
    if one_line and "\n" in text:
        text = text.replace("\n", " ")
    if _CONTROLS.search(text) is None and "\t" not in text:
        return text
    return text.translate(_VISIBLE)


def without_soft_hyphens(text: str) -> str:
    """`text` without soft hyphens (U+00AD): what a reader sees and searches for
    (`lo\xadqua\xadcious` is `loquacious`)."""
    return text.replace(SOFT_HYPHEN, "") if SOFT_HYPHEN in text else text
