"""The reading view's caret and selection as a plain object: no app, no terminal."""

from __future__ import annotations

import pytest

from reader import render
from reader.ui.widgets.caret import Caret

BODY = ("First sentence here. Second one follows.\n\n"
        "A new paragraph starts. It has two sentences.")
TOP = 3
"""Header lines before the body (as the view has: title, meta, blank)."""


def caret(width: int = 30) -> Caret:
    return Caret(line=TOP, column=0, doc=render.document(BODY, width), top=TOP)


def test_the_offset_under_the_cursor_follows_line_and_column() -> None:
    c = caret()
    assert c.offset == 0
    c.column = 6
    assert BODY[c.offset:].startswith("sentence")
    c.line = 0  # in the header: the body's first text
    assert c.offset == 0


def test_placing_the_caret_on_an_offset_and_reading_it_back() -> None:
    c = caret()
    target = BODY.index("paragraph")
    assert c.place(target)
    assert c.line >= TOP and c.offset == target


def test_a_blank_line_reads_as_the_next_text() -> None:
    c = caret()
    doc = c.doc
    assert doc is not None
    blank = next(i for i, line in enumerate(doc.lines) if line.para < 0)
    c.line, c.column = TOP + blank, 0
    assert c.offset == BODY.index("A new")


def test_v_selects_the_sentence_and_again_drops_it() -> None:
    c = caret()
    c.place(BODY.index("Second"))
    assert c.toggle_selection()
    assert c.selection is not None
    start, end = c.selection.span
    assert BODY[start:end].strip() == "Second one follows."
    assert c.toggle_selection() and c.selection is None


def test_moving_lines_carries_the_selection_head() -> None:
    c = caret(width=20)
    c.toggle_selection()
    assert c.selection is not None
    before = c.selection.span
    c.move_lines(2, TOP + 50)
    assert c.selection.span[1] > before[1]
    c.move_lines(-100, TOP + 50)
    assert c.line == 0


def test_motions_move_the_caret_or_extend_the_selection() -> None:
    c = caret()
    target = c.extend("sentence")
    assert target == BODY.index("Second")
    with pytest.raises(LookupError):
        c.extend("word_back")  # without a selection: the key pages up instead
    assert c.extend("char") is None and c.selection is not None
    assert c.selection.span == (0, 1)
    head = c.extend("word")
    assert head is not None and c.selection.span[1] > 1


def test_what_a_highlight_takes() -> None:
    c = caret()
    c.place(BODY.index("one follows"))
    assert c.target([]) == (BODY.index("Second"), BODY.index("Second") + len(
        "Second one follows."))
    hit = (BODY.index("one"), BODY.index("one") + 3)
    assert c.target([hit]) == hit
    c.toggle_selection()
    assert c.selection is not None
    assert c.target([hit]) == c.selection.span


def test_without_a_document_nothing_moves() -> None:
    c = Caret()
    assert c.offset is None and not c.place(3) and not c.toggle_selection()
    assert not c.start_line_selection()
    with pytest.raises(LookupError):
        c.extend("word")
