"""Anchoring highlights, and finding them again after the text changed."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from reader.anchoring import Anchorer, fold, make_anchor, reanchor
from reader.models import Anchor

BODY = (
    "The council met on Monday to discuss the harbour.\n\n"
    "After a long debate, the committee approved the budget for the new bridge. "
    "Residents had asked for it since 2015. The mayor said little.\n\n"
    "Work starts in spring."
)
QUOTE = "the committee approved the budget for the new bridge"


def highlight(body: str = BODY, quote: str = QUOTE) -> Anchor:
    start = body.index(quote)
    return make_anchor(body, start, start + len(quote))


def placed(body: str, anchor: Anchor) -> str:
    assert anchor.start is not None and anchor.end is not None
    return body[anchor.start:anchor.end]


# -- new selections --------------------------------------------------------------


def test_make_anchor_keeps_quote_context_and_position() -> None:
    anchor = highlight()
    assert anchor.quote == QUOTE
    assert BODY[anchor.start - len(anchor.prefix):anchor.start] == anchor.prefix
    assert anchor.prefix.endswith("After a long debate, ") and len(anchor.prefix) == 32
    assert anchor.suffix.startswith(". Residents") and len(anchor.suffix) == 32
    assert anchor.method == "exact" and not anchor.orphan


def test_make_anchor_trims_whitespace_and_clamps() -> None:
    start = BODY.index("Work")
    anchor = make_anchor(BODY, start - 2, len(BODY) + 50)
    assert anchor.quote == "Work starts in spring."
    assert anchor.suffix == ""
    with pytest.raises(ValueError):
        make_anchor(BODY, start - 2, start)


# -- re-anchoring -------------------------------------------------------------------


def test_identical_text_is_found_by_position() -> None:
    anchor = highlight()
    again = reanchor(BODY, anchor)
    assert again == anchor.__class__(**{**_fields(anchor), "method": "position"})


def test_a_sentence_inserted_before_moves_the_highlight() -> None:
    anchor = highlight()
    body = "A new first sentence, added by a better parser. " + BODY
    again = reanchor(body, anchor)
    assert again.method == "exact"
    assert placed(body, again) == QUOTE
    assert again.start == anchor.start + 48


def test_whitespace_changes_are_tolerated() -> None:
    anchor = highlight()
    body = BODY.replace("approved the budget", "approved\n  the\u00a0budget").replace(
        "the committee", "the  committee")
    again = reanchor(body, anchor)
    assert again.method == "fuzzy"
    assert " ".join(placed(body, again).split()) == QUOTE
    assert again.quote == placed(body, again)


def test_curly_quotes_and_dashes_are_tolerated() -> None:
    body = 'She said "it\'s done" - and left the room quietly after that.'
    start = body.index('"it')
    anchor = make_anchor(body, start, body.index(" quietly"))
    new_body = "She said “it’s done” — and left the room quietly after that."
    again = reanchor(new_body, anchor)
    assert again.method == "fuzzy"
    assert placed(new_body, again) == "“it’s done” — and left the room"


def test_a_slightly_edited_quote_is_found_by_fuzzy_match() -> None:
    anchor = highlight()
    body = BODY.replace("approved the budget for the new bridge",
                        "approved the revised budget for the new bridges")
    again = reanchor(body, anchor)
    assert again.method == "fuzzy"
    assert placed(body, again) == "the committee approved the revised budget for the new bridges"
    assert again.quote == placed(body, again)


def test_an_edit_plus_a_moved_passage_is_still_found() -> None:
    anchor = highlight()
    body = ("Work starts in spring.\n\nThe council met on Monday to discuss the harbour.\n\n"
            "After a long debate, the committe approved the budget for a new bridge.")
    again = reanchor(body, anchor)
    assert again.method == "fuzzy"
    assert placed(body, again) == "the committe approved the budget for a new bridge"


def test_a_deleted_quote_becomes_an_orphan_that_keeps_its_text() -> None:
    anchor = highlight()
    body = BODY.replace("After a long debate, " + QUOTE + ". ", "")
    again = reanchor(body, anchor)
    assert again.orphan and again.method == "orphan"
    assert (again.start, again.end) == (None, None)
    assert (again.quote, again.prefix, again.suffix) == (anchor.quote, anchor.prefix,
                                                         anchor.suffix)


def test_an_orphan_is_placed_again_when_its_text_returns() -> None:
    orphan = Anchor(QUOTE, "After a long debate, ", ". Residents", None, None, "orphan")
    again = reanchor(BODY, orphan)
    assert again.method == "exact" and placed(BODY, again) == QUOTE


def test_quote_present_three_times_context_decides() -> None:
    body = ("In March the river rose. It was a quiet town. "
            "In June the fair came. It was a quiet town. "
            "In October the mill closed. It was a quiet town. The end.")
    second = body.index("It was a quiet town", body.index("June"))
    anchor = make_anchor(body, second, second + len("It was a quiet town."))
    # A sentence inserted at the top shifts every occurrence: position fails.
    changed = "Foreword. " + body
    again = reanchor(changed, anchor)
    assert again.method == "context"
    assert changed[again.start - 22:again.start] == "In June the fair came. "[-22:]


def test_context_decides_even_when_the_old_offset_points_at_another_occurrence() -> None:
    body = "Alpha said yes. Beta said yes. Gamma said yes."
    third = body.rindex("said yes")
    anchor = make_anchor(body, third, third + len("said yes"))
    # The first sentence went; the old offset now falls past the text.
    changed = "Beta said yes. Gamma said yes. Delta said yes."
    again = reanchor(changed, anchor)
    assert again.method == "context"
    assert changed[:again.start].endswith("Gamma ")


def test_the_position_wins_among_equals() -> None:
    body = "yes yes yes"
    again = reanchor(body, Anchor("yes", start=4, end=7))
    assert (again.start, again.method) == (4, "position")


def test_a_short_quote_is_not_matched_fuzzily() -> None:
    again = reanchor("A cat sat on the mat.", Anchor("the hat", start=13, end=20))
    assert again.orphan


def test_empty_quote_is_an_orphan() -> None:
    assert reanchor(BODY, Anchor("   ")).orphan
    assert reanchor("", Anchor(QUOTE)).orphan


def test_unrelated_text_gives_an_orphan_not_a_wrong_place() -> None:
    anchor = highlight()
    body = "Completely different article about gardening, soil and tomatoes. " * 20
    assert reanchor(body, anchor).orphan


# -- long bodies ------------------------------------------------------------------


def _long_body(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to")
                  for b in ("ba", "de", "fi", "go", "hu", "ja", "ke", "lu", "mo", "ny")]
    out: list[str] = []
    for i in range(words):
        out.append(rng.choice(vocabulary))
        if i % 13 == 12:
            out[-1] += "."
        if i % 120 == 119:
            out[-1] += "\n\n"
    return " ".join(out)


def test_long_body_edited_before_and_inside_the_quote() -> None:
    body = _long_body(100_000)
    start = body.index(" ", len(body) // 2) + 1
    anchor = make_anchor(body, start, body.index(" ", start + 160))
    # Text inserted early in the article, and one word of the quote changed.
    words = anchor.quote.split(" ")
    words[5] = "CHANGED"
    edited_quote = " ".join(words)
    changed = body[:1000] + "An inserted sentence. " + body[1000:start] + edited_quote + \
        body[anchor.end:]
    again = reanchor(changed, anchor)
    assert again.method == "fuzzy"
    assert placed(changed, again) == edited_quote


def test_long_body_many_highlights_with_one_anchorer() -> None:
    body = _long_body(100_000, seed=3)
    rng = random.Random(5)
    anchors = []
    for _ in range(50):
        s = body.index(" ", rng.randrange(len(body) - 500)) + 1
        anchors.append(make_anchor(body, s, body.index(" ", s + 80)))
    changed = "Preface.\n\n" + body.replace("\n\n", "\n\n\n")
    anchorer = Anchorer(changed)
    for anchor in anchors:
        again = anchorer.reanchor(anchor)
        assert not again.orphan
        assert fold(placed(changed, again)) == fold(anchor.quote)


def test_fold_squashes_whitespace_and_typography() -> None:
    assert fold("a\u00a0 \n b “c” – d’s") == 'a b "c" - d\'s'


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import reader.anchoring, reader.sentences, reader.clipboard, reader.annotation_export\n"
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _fields(anchor: Anchor) -> dict[str, object]:
    return {name: getattr(anchor, name) for name in anchor.__slots__}
