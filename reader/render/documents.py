"""A laid-out article with the way back from display lines to body offsets.

The layout is lazy: opening an article lays out its first screens
(`Document.FIRST` lines), and the rest follows as lines are asked for, so that
a 10 MB article opens as fast as a short one. `Document.lines` is a sequence
whose length is an estimate until the layout is complete.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from reader.render.cells import DROPPED, visible
from reader.render.compose import Composer, tables
from reader.render.lines import BLANK, MARK, Line, plain
from reader.render.parse_blocks import Block, blocks, references

_DEST = r"(?:[^()\s]|\([^()\s]*\))"
_TITLE = r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?"
_HIDDEN_SOURCE = re.compile(
    r"[*_`]*(?:\[?!?\[\]\(" + _DEST + r"*" + _TITLE + r"\)"  # an image or link without text
    r"|(?:\]\(" + _DEST + r"*" + _TITLE + r"\))+"  # a link's (or image's) URL, shown as [n]
    r"|\]\[[^\]\n]*\]"  # a reference link's label
    r"|\])"  # a shortcut reference link's bracket
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
    FIRST = 600
    """Lines laid out when the document is made: a few screens."""
    STEP = 400
    """Lines laid out beyond the one asked for, when the layout has to go further."""
    MAPS = 256
    """Blocks whose offsets are kept aligned (a few screens' worth, many times over)."""
    EAGER = 1 << 18
    """Text left after the first lines below which the layout is finished at once (a
    few tens of milliseconds): only long articles have an estimated length."""

    def __init__(self, body: str, width: int) -> None:
        shown = visible(body)
        self.body = body
        """The body as stored: the offsets' reference."""
        self.width = max(8, width)
        self.blocks: list[Block] = []
        """Blocks laid out so far, in order; `Line.para` indexes this list."""
        self._lines: list[Line] = []
        self._starts: list[int] = []
        self._first_line: list[int] = []
        self._maps: OrderedDict[int, list[int]] = OrderedDict()
        """Offsets of the blocks aligned lately (at most `MAPS`: reading through a 10 MB
        article must not keep a number per character of it)."""
        self._found: dict[str, int] = {}
        self._composer = Composer(self.width, self._found, references(shown))
        self._source: Iterator[Block | list[Block]] = tables(blocks(shown))
        self._size = len(shown)
        self._reached = 0
        """How far into the shown text the layout has gone."""
        self._dropped = _dropped(body) if len(shown) != len(body) else None
        self.complete = False
        """Whether every line is laid out."""
        self.lines = Lines(self)
        """The display lines, laid out as they are read."""
        self._grow(self.FIRST)
        self._near_end()

    # -- the lazy layout ---------------------------------------------------------

    def _grow(self, count: int) -> None:
        """Lay out until there are `count` lines, or all of them."""
        lines, composer = self._lines, self._composer
        while len(lines) < count and not self.complete:
            group = next(self._source, None)
            before = len(lines)
            if group is None:
                lines.extend(composer.end())
                self.complete = True
                self._source = iter(())
                break
            if isinstance(group, list):
                paras = [self._place(row) for row in group]
                lines.extend(composer.table(group, paras))
                self._reached = group[-1].end
            else:
                para = self._place(group) if group.kind != "rule" else -1
                lines.extend(composer.block(group, para))
                self._reached = max(self._reached, group.end)
            first = self._first_line
            for index in range(before, len(lines)):
                para = lines[index].para
                if para >= 0 and first[para] < 0:
                    first[para] = index

    def _place(self, block: Block) -> int:
        if self._dropped is not None:
            start = _unshift(self._dropped, block.start, True)
            block = block._replace(start=start,
                                   end=max(start, _unshift(self._dropped, block.end, False)))
        self.blocks.append(block)
        self._starts.append(block.start)
        self._first_line.append(-1)
        return len(self.blocks) - 1

    def ensure(self, index: int) -> None:
        """Lay out at least through line `index` (and some way beyond); near the end, to
        the end, so that the length is exact before a reader reaches it."""
        if index >= len(self._lines) and not self.complete:
            self._grow(index + self.STEP)
            self._near_end()

    def _near_end(self) -> None:
        if not self.complete and self._size - self._reached <= self.EAGER:
            self.finish()

    def advance(self, seconds: float = 0.01) -> bool:
        """Lay out more for about `seconds` (for a view's idle time, so that a far jump
        later finds its lines made); whether the layout is complete."""
        deadline = time.perf_counter() + seconds
        while not self.complete and time.perf_counter() < deadline:
            self._grow(len(self._lines) + 100)
        self._near_end()
        return self.complete

    def finish(self) -> None:
        """Lay out every line."""
        while not self.complete:
            self._grow(len(self._lines) + 4096)

    def estimate(self) -> int:
        """The number of lines: exact once `complete`, else an estimate from the lines
        laid out so far and the text left (always more than those laid out)."""
        laid = len(self._lines)
        if self.complete:
            return laid
        left = self._size - self._reached
        per_line = self._reached / laid if laid and self._reached else 60.0
        # A little over: a view sized on an estimate made earlier can then still scroll
        # to a line laid out since (the layout ends exactly, well before the end).
        return laid + 1 + int(left / max(per_line, 1.0) * 1.05)

    def view(self, head: Sequence[Line] = ()) -> Lines:
        """The display lines after `head` (an article's header), laid out as read."""
        return Lines(self, head)

    @property
    def links(self) -> list[str]:
        """The article's link targets; link `[n]` is `links[n - 1]` (lays out all)."""
        self.finish()
        return list(self._found)

    def to_line(self, offset: int) -> None:
        """Lay out at least through the block holding body `offset`."""
        while not self.complete and (not self.blocks or self.blocks[-1].end <= offset):
            self._grow(len(self._lines) + self.STEP)
        self._near_end()

    # -- alignment ------------------------------------------------------------

    def _lines_of(self, para: int) -> range:
        first = self._first_line[para]
        last = first
        lines = self._lines
        while last + 1 < len(lines) and lines[last + 1].para == para:
            last += 1
        return range(first, last + 1)

    def _display(self, para: int) -> tuple[str, list[bool]]:
        """The block's display text and, per character, whether the source has it."""
        chars: list[str] = []
        real: list[bool] = []
        for index in self._lines_of(para):
            line = self._lines[index]
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
            self._maps.move_to_end(para)
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
        if len(self._maps) > self.MAPS:
            self._maps.popitem(last=False)
        return found

    # -- questions --------------------------------------------------------------

    def text_of(self, index: int) -> str:
        """Line `index`'s text without its prefix."""
        line = self._line(index)
        return plain(line)[line.lead:]

    def _line(self, index: int) -> Line:
        self.ensure(index)
        return self._lines[index] if 0 <= index < len(self._lines) else BLANK

    def span_of(self, index: int) -> tuple[int, int] | None:
        """The body range line `index` shows; None for a line without text."""
        line = self._line(index)
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        start = offsets[min(line.start, len(offsets) - 1)]
        end = offsets[min(line.start + n, len(offsets) - 1)]
        if n and line.start + n - 1 < len(offsets):
            end = max(end, min(offsets[line.start + n - 1] + 1, self.blocks[line.para].end))
        return start, max(start, end)

    def to_body(self, index: int, column: int) -> int | None:
        """The body offset at `column` (characters after the prefix) of line `index`."""
        line = self._line(index)
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        column = max(0, min(column, max(0, n - 1) if n else 0))
        return offsets[min(line.start + column, len(offsets) - 1)]

    def to_display(self, offset: int) -> tuple[int, int] | None:
        """(line index, column) showing body `offset` (the next text when it is hidden)."""
        self.to_line(offset)
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
            if self._lines[index].start <= at:
                best = index
        column = at - self._lines[best].start
        return best, max(0, min(column, len(self.text_of(best))))

    def columns(self, index: int, spans: Iterable[tuple[int, int]]
                ) -> list[tuple[int, int, int]]:
        """Body spans seen on line `index`: (first column, end column, span index)."""
        line = self._line(index)
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


def _dropped(body: str) -> list[int]:
    """For each character `visible` drops from `body`, in order, the offset in the shown
    text where it would have been."""
    return [m.start() - n for n, m in enumerate(DROPPED.finditer(body))]


def _unshift(dropped: list[int], offset: int, start: bool) -> int:
    """An offset into `visible(body)` as an offset into `body`; a start goes past the
    dropped characters before it, an end stays before them."""
    if start:
        return offset + bisect_right(dropped, offset)
    return offset + bisect_left(dropped, offset)


class Lines(Sequence[Line]):
    """A document's display lines (after a header), laid out as they are read.

    Its length is the document's `estimate` until the layout is complete; a line past
    the real end, below a length once reported, reads as blank (a view may hold an
    estimate made before the layout ended). Iterating lays out everything.
    """

    def __init__(self, doc: Document, head: Sequence[Line] = ()) -> None:
        self.doc = doc
        self.head = list(head)
        self._promised = 0
        """The longest length reported: indexes below it never fail."""

    def __len__(self) -> int:
        size = len(self.head) + self.doc.estimate()
        self._promised = max(self._promised, size)
        return size

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            if index.stop is not None and index.stop >= 0 and (index.start or 0) >= 0:
                self.doc.ensure(index.stop - len(self.head))
            return [self[i] for i in range(*index.indices(len(self)))]
        head = len(self.head)
        if index < 0:
            self.doc.finish()
            index += len(self)
            if index < 0:
                raise IndexError(index)
        if index < head:
            return self.head[index]
        self.doc.ensure(index - head)
        lines = self.doc._lines
        if index - head < len(lines):
            return lines[index - head]
        if index < max(self._promised, len(self)):
            return BLANK
        raise IndexError(index)

    def __iter__(self) -> Iterator[Line]:
        self.doc.finish()
        yield from self.head
        yield from self.doc._lines

    def __bool__(self) -> bool:
        return bool(self.head) or bool(self.doc._lines)



def document(body: str, width: int) -> Document:
    """`layout` with the way back to body offsets (search marks, highlights, selection)."""
    return Document(body, width)

