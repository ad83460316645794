"""The reading view's cursor and selection, as a plain object (no widget, no terminal).

The view lays an article out as header lines, a blank line, then the body's
display lines (`render.Document`). The caret is a line of that layout and a
column on it; the selection is a span of the body (`sentences.Selection`)
whose moving end follows the caret. Everything here is arithmetic on the
layout: the view scrolls, redraws and posts messages around it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader import render, sentences


def clamp(value: int, low: int, high: int) -> int:
    """`value` within `low`..`high`."""
    return max(low, min(value, high))


@dataclass
class Caret:
    """Where the cursor is in a laid-out article, and what is selected."""

    line: int = 0
    """The line under the cursor: an index into the view's lines, header first
    (-1 until the view has placed it)."""
    column: int = 0
    """The caret's column on that line (characters after the line's prefix)."""
    selection: sentences.Selection | None = None
    """The selected body span, its moving end at the caret."""
    doc: render.Document | None = None
    """The article's body as laid out (None for the welcome text or nothing)."""
    top: int = 0
    """The index of the first body line (after the header and a blank line)."""

    @property
    def offset(self) -> int | None:
        """The body offset under the cursor (the next text below a heading or blank line;
        the body's first text from the header)."""
        doc = self.doc
        if doc is None or not doc.lines:
            return None
        if self.line < self.top:
            first = first_text(doc, 0)
            return doc.to_body(first, 0) if first >= 0 else None
        index = self.line - self.top
        for line in range(index, len(doc.lines)):
            if doc.lines[line].para >= 0:
                return doc.to_body(line, self.column if line == index else 0)
        return None

    def place(self, offset: int) -> bool:
        """Put the cursor on body `offset`; False when it has no place in the layout."""
        if self.doc is None:
            return False
        place = self.doc.to_display(offset)
        if place is None:
            return False
        self.line, self.column = place[0] + self.top, place[1]
        return True

    def move_lines(self, lines: int, line_count: int) -> None:
        """Move `lines` down (up when negative) within `line_count` lines; a selection's
        moving end follows."""
        self.line = clamp(self.line + lines, 0, line_count - 1)
        if self.selection is not None:
            self.head_to_cursor()

    def head_to_cursor(self) -> None:
        """Move the selection's moving end to the cursor (a blank line: the next text)."""
        doc, selection = self.doc, self.selection
        if doc is None or selection is None:
            return
        line = self.line - self.top
        if line < 0:
            offset = 0
        elif line >= len(doc.lines) or doc.lines[line].para < 0:
            span = nearest_span(doc, line)
            offset = span if span is not None else selection.head
        else:
            offset = doc.to_body(line, self.column) or 0
            if selection.side == "end" and offset >= selection.anchor_end:
                offset = line_end(doc, line, offset)
        self.selection = sentences.move_head(selection, offset)

    def toggle_selection(self) -> bool:
        """`v`: select the sentence under the cursor, or drop the selection; False when
        there is nothing to select."""
        if self.selection is not None:
            self.selection = None
            return True
        offset = self.offset
        if offset is None or self.doc is None:
            return False
        self.selection = sentences.start_selection(self.doc.body, offset)
        return True

    def extend(self, motion: str) -> int | None:
        """Extend the selection by `motion` (`word`, `sentence_back`, `char`, …); without a
        selection, `char` starts one and the others only move the caret. Returns the body
        offset the caret goes to (None: it stays); raises LookupError when the motion has
        nothing to do here (the key then goes to the next binding)."""
        doc = self.doc
        if doc is None:
            raise LookupError(motion)
        if self.selection is None:
            offset = self.offset
            if offset is None or motion == "word_back":
                raise LookupError(motion)
            if motion.startswith("char"):
                self.selection = sentences.selection_between(
                    offset, min(len(doc.body), offset + 1))
                return None
            unit = motion.removesuffix("_back")
            if motion.endswith("_back"):
                return sentences.prev_start(doc.body, offset, unit)  # type: ignore[arg-type]
            return sentences.next_start(doc.body, offset, unit)  # type: ignore[arg-type]
        self.selection = sentences.extend(doc.body, self.selection, motion)
        head = self.selection.head
        return max(0, head - 1) if self.selection.side == "end" else head

    def start_line_selection(self) -> bool:
        """Shift+up/down without a selection: select the character under the caret first;
        False when there is no text."""
        if self.selection is not None:
            return True
        offset = self.offset
        if offset is None:
            return False
        self.selection = sentences.selection_between(offset, offset + 1)
        return True

    def target(self, hits: list[tuple[int, int]]) -> tuple[int, int] | None:
        """What a highlight key takes: the selection, else the search hit under the
        caret, else the sentence there."""
        if self.selection is not None:
            return self.selection.span
        offset = self.offset
        if offset is None or self.doc is None:
            return None
        for start, end in hits:
            if start <= offset < end:
                return start, end
        return sentences.sentence_at(self.doc.body, offset)


def first_text(doc: render.Document, start: int) -> int:
    """The first line from `start` that holds body text (-1 when none does)."""
    for index in range(start, len(doc.lines)):
        if doc.lines[index].para >= 0:
            return index
    return -1


def nearest_span(doc: render.Document, line: int) -> int | None:
    """The body offset at the start of the next line with text (for blank lines)."""
    following = first_text(doc, max(0, line))
    if following < 0:
        return len(doc.body)
    return doc.to_body(following, 0)


def line_end(doc: render.Document, line: int, offset: int) -> int:
    """One past the character at `offset` on `line` (the selection then includes it)."""
    span = doc.span_of(line)
    if span is None:
        return offset
    return min(span[1], offset + 1)
