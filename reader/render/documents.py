"""A laid-out article with the way back from display lines to body offsets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from reader.render.cells import visible
from reader.render.compose import layout_blocks
from reader.render.lines import MARK, plain
from reader.render.parse_blocks import Block, blocks

_HIDDEN_SOURCE = re.compile(
    r"[*_`]*(?:!\[[^\]\n]*\]\([^)\s]*[^)\n]*\)"  # an image shown as [image: alt]
    r"|\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\))"  # a link's URL, shown as [n]
)


class Document:
    """An article body laid out, with the way back from display lines to body offsets.

    Search hits, highlights and the selection are body offsets (what the store
    and `reader.anchoring` use); the display drops Markdown markers, joins
    source lines and adds bullets. Each block's display text is aligned with
    its source the first time it is needed (one short greedy pass per block),
    so a 100,000-word article costs nothing more to open.
    """

    WINDOW = 512
    """How far ahead in the source a display character is looked for."""

    def __init__(self, body: str, width: int) -> None:
        shown = visible(body)
        self.body = body
        """The body as stored: the offsets' reference."""
        self.blocks: list[Block] = []
        """Blocks with text, in order; `Line.para` indexes this list."""
        found: dict[str, int] = {}
        self.lines = layout_blocks(blocks(shown), width, self.blocks, found)
        """The display lines."""
        self.links = list(found)
        """The article's link targets; link `[n]` is `links[n - 1]`."""
        if len(shown) != len(body):
            self.blocks = [b._replace(start=_unshift(body, b.start), end=_unshift(body, b.end))
                           for b in self.blocks]
        self._starts = [b.start for b in self.blocks]
        self._first_line: list[int] = [0] * len(self.blocks)
        seen = -1
        for index, line in enumerate(self.lines):
            if line.para > seen:
                self._first_line[line.para] = index
                seen = line.para
        self._maps: dict[int, list[int]] = {}

    # -- alignment ------------------------------------------------------------

    def _lines_of(self, para: int) -> range:
        first = self._first_line[para]
        last = first
        while last + 1 < len(self.lines) and self.lines[last + 1].para == para:
            last += 1
        return range(first, last + 1)

    def _display(self, para: int) -> tuple[str, list[bool]]:
        """The block's display text and, per character, whether the source has it."""
        chars: list[str] = []
        real: list[bool] = []
        for index in self._lines_of(para):
            line = self.lines[index]
            while len(chars) < line.start:
                chars.append(" ")
                real.append(True)
            skip = line.lead
            for text, flags in line.spans:
                if skip >= len(text):
                    skip -= len(text)
                    continue
                text, skip = text[skip:], 0
                chars.extend(text)
                real.extend([not flags & MARK] * len(text))
        return "".join(chars), real

    def offsets(self, para: int) -> list[int]:
        """Body offset of each display character of block `para`, plus its end."""
        found = self._maps.get(para)
        if found is not None:
            return found
        block = self.blocks[para]
        text, real = self._display(para)
        body, p, end = self.body, block.start, block.end
        if body[p:end] == text:
            found = list(range(p, end + 1))
        else:
            found = []
            window = self.WINDOW
            hidden = False
            for char, source in zip(text, real, strict=True):
                if not source:
                    found.append(p)
                    hidden = True
                    continue
                if hidden:
                    # What the display replaced (an image, a link's URL) is
                    # skipped whole, or its letters would be matched instead.
                    hidden = False
                    skipped = _HIDDEN_SOURCE.match(body, p, end)
                    if skipped:
                        p = skipped.end()
                if char == " ":
                    found.append(p)
                    while p < end and body[p].isspace():
                        p += 1
                else:
                    q = body.find(char, p, min(end, p + window))
                    if q < 0:
                        found.append(p)
                    else:
                        found.append(q)
                        p = q + 1
            found.append(max(p, min(end, found[-1] + 1 if found else end)))
        self._maps[para] = found
        return found

    # -- questions --------------------------------------------------------------

    def text_of(self, index: int) -> str:
        """Line `index`'s text without its prefix."""
        return plain(self.lines[index])[self.lines[index].lead:]

    def span_of(self, index: int) -> tuple[int, int] | None:
        """The body range line `index` shows; None for a line without text."""
        line = self.lines[index]
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        start = offsets[min(line.start, len(offsets) - 1)]
        end = offsets[min(line.start + n, len(offsets) - 1)]
        if n and line.start + n - 1 < len(offsets):
            end = max(end, offsets[line.start + n - 1] + 1)
        return start, max(start, end)

    def to_body(self, index: int, column: int) -> int | None:
        """The body offset at `column` (characters after the prefix) of line `index`."""
        line = self.lines[index]
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        column = max(0, min(column, max(0, n - 1) if n else 0))
        return offsets[min(line.start + column, len(offsets) - 1)]

    def to_display(self, offset: int) -> tuple[int, int] | None:
        """(line index, column) showing body `offset` (the next text when it is hidden)."""
        if not self.blocks:
            return None
        para = bisect_right(self._starts, offset) - 1
        if para < 0:
            para = 0
        elif offset >= self.blocks[para].end and para + 1 < len(self.blocks):
            para += 1
        offsets = self.offsets(para)
        at = bisect_left(offsets, offset, 0, len(offsets) - 1)
        lines = self._lines_of(para)
        best = lines[0]
        for index in lines:
            if self.lines[index].start <= at:
                best = index
        column = at - self.lines[best].start
        return best, max(0, min(column, len(self.text_of(best))))

    def columns(self, index: int, spans: Iterable[tuple[int, int]]
                ) -> list[tuple[int, int, int]]:
        """Body spans seen on line `index`: (first column, end column, span index)."""
        line = self.lines[index]
        if line.para < 0:
            return []
        span = self.span_of(index)
        if span is None:
            return []
        lo, hi = span
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        a, b = line.start, min(line.start + n, len(offsets) - 1)
        out = []
        for number, (start, end) in enumerate(spans):
            if end <= lo or start >= hi or end <= start:
                continue
            c0 = bisect_left(offsets, start, a, b) - a
            c1 = bisect_left(offsets, end, a, b) - a
            if end > offsets[b - 1] if b > a else False:
                c1 = n
            if c1 > c0:
                out.append((c0, c1, number))
        return out


def _unshift(body: str, offset: int) -> int:
    """An offset into `visible(body)` (bidi controls dropped) as an offset into `body`."""
    kept = 0
    for index, char in enumerate(body):
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            continue
        if kept == offset:
            return index
        kept += 1
    return len(body)



def document(body: str, width: int) -> Document:
    """`layout` with the way back to body offsets (search marks, highlights, selection)."""
    return Document(body, width)

