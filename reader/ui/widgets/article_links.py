"""Links in a laid-out article: the `[n]` marks the renderer puts after a link's text,
found again on a line (the link under the cursor) and across the lines (each link's
text, for the list of links). Plain functions over `render.Line`s: no widget."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader import render

LINK_MARK = re.compile(r"\[(\d{1,6})\]")
"""A link's number as the renderer shows it after the link's text and in the list."""


def link_on(line: render.Line, count: int) -> int | None:
    """The number `n` (1…`count`) of the first `[n]` link mark on `line`, if any."""
    for text, flags in line.spans:
        if flags & render.MARK:
            found = LINK_MARK.fullmatch(text.strip())
            if found is not None and 1 <= int(found.group(1)) <= count:
                return int(found.group(1))
    return None


def link_texts(lines: Iterable[render.Line], count: int) -> list[str]:
    """Each of `count` links' text as laid out (the runs drawn as a link before its `[n]`,
    across lines), in link order; '' for a link whose text was not found."""
    texts = [""] * count
    words: list[str] = []
    for line in lines:
        line_words: list[str] = []
        for text, flags in line.spans:
            if flags & render.LINK and not flags & render.MARK:
                line_words.append(text)
                continue
            found = LINK_MARK.fullmatch(text.strip()) if flags & render.URL else None
            if found is not None and 0 < int(found.group(1)) <= count:
                number = int(found.group(1))
                label = " ".join(" ".join([*words, "".join(line_words)]).split())
                if not texts[number - 1]:
                    texts[number - 1] = label
            words, line_words = [], []
        if line_words:
            words.append("".join(line_words))
        elif words:
            words = []
    return texts
