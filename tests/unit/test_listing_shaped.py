"""The shaped lines a listing split keeps window by window (`_Splitter.shaped`) are
those `shaped_lines` finds in the window afresh: the passes of `segment` look at no
others."""

from __future__ import annotations

import sys

import pytest

from reader.archive import listing
from reader.archive.lines import BLANK, TEXT, classify
from reader.archive.listing.anchors import shaped_lines
from tests.listings import STYLES, page

_segment = sys.modules["reader.archive.listing.segment"]


def test_shaped_lines_leave_out_blanks_and_paragraphs_only() -> None:
    raw = ["A Title Of A Post", "", "x" * 251,
           "This sentence is running text of a post, long enough to read as prose.",
           "Ends with dots..", "Is this a question?" + " word" * 60, "March 3, 2019", "   ",
           "Word " * 45 + "end!", "Word " * 45 + "end.", "Word " * 55 + "end!", "Word " * 45 + "end.."]
    lines = classify(raw)
    assert shaped_lines(lines) == [0, 4, 6, 8, 11]
    assert [lines[i].kind for i in (1, 7)] == [BLANK, BLANK]
    assert {lines[i].kind for i in (2, 3, 5, 8, 9, 10, 11)} == {TEXT}
    shaped: list[int] = []
    classify(raw, 10, None, shaped)
    assert shaped == [0, 4, 6, 8, 11]


@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
def test_windows_keep_their_shaped_lines(style: object, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    seen: list[int] = []
    real = _segment.segment

    def checked(lines, t, final=True, lead=None, shaped=None):  # type: ignore[no-untyped-def]
        if shaped is not None:
            assert shaped == shaped_lines(lines)
            seen.append(len(lines))
        return real(lines, t, final, lead, shaped)

    monkeypatch.setattr(listing, "segment", checked)
    monkeypatch.setattr(listing, "WINDOW", 120)  # records and carries across many windows
    text = page(style, seed=5, records=60).text.split("\n")  # type: ignore[arg-type]
    whole = list(listing.parse(iter(text), "x"))
    assert len(seen) > 3
    # A part of the file from its fourth window on (what another process splits).
    head = text[:listing.WINDOW]
    part = listing.Part(head, "x", (), listing.FORMAT, False, 3, None)
    rest = iter(text[2 * listing.WINDOW:])
    tail = list(part.articles(rest))
    assert tail
    assert [a.provenance for a in tail] == [a.provenance for a in whole[-len(tail):]]
