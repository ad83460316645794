"""Sentence, word and paragraph boundaries for keyboard selection."""

from __future__ import annotations

import pytest

from reader.sentences import (
    Selection,
    extend,
    move_head,
    next_end,
    next_start,
    paragraph_at,
    prev_end,
    prev_start,
    selection_between,
    sentence_at,
    sentences,
    start_selection,
    unit_at,
)


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text, 0, len(text))]


def all_sentences(body: str) -> list[str]:
    out: list[str] = []
    offset = 0
    while True:
        s, e = sentence_at(body, offset)
        if e <= offset:
            return out
        out.append(body[s:e])
        offset = e


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("He moved to the U.S. He works there.", ["He moved to the U.S.", "He works there."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("Mr. Smith and Dr. Jones met Prof. Lee.", ["Mr. Smith and Dr. Jones met Prof. Lee."]),
        ("She works at Acme Inc. and likes it.", ["She works at Acme Inc. and likes it."]),
        ("She works at Acme Inc. The firm is small.",
         ["She works at Acme Inc.", "The firm is small."]),
        ("Fruit, e.g. apples, i.e. food. Next.", ["Fruit, e.g. apples, i.e. food.", "Next."]),
        ("See e.g. Smith for more.", ["See e.g. Smith for more."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ('"Stop!" he said. "Why?" she asked.', ['"Stop!" he said.', '"Why?" she asked.']),
        ("He said “Go.” She went.", ["He said “Go.”", "She went."]),
        ("Wait... What happened? I thought... maybe not.",
         ["Wait...", "What happened?", "I thought... maybe not."]),
        ("And then… Silence.", ["And then…", "Silence."]),
        ("Pi is 3.14 exactly. See example.com now.", ["Pi is 3.14 exactly.", "See example.com now."]),
        ("J. R. R. Tolkien wrote it. Read No. 5 today.",
         ["J. R. R. Tolkien wrote it.", "Read No. 5 today."]),
        ("It rained (a lot.) We stayed.", ["It rained (a lot.)", "We stayed."]),
        ("In 2019. The year it ended.", ["In 2019.", "The year it ended."]),
        ("他来了。她走了！", ["他来了。", "她走了！"]),
        ("**Bold end.** Next one.", ["**Bold end.**", "Next one."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_markdown_blocks_start_new_sentences() -> None:
    body = "# A heading\nText under it\n- item one\n- item two. Still two\n> a quote"
    assert split(body) == ["# A heading", "Text under it", "- item one", "- item two.",
                           "Still two", "> a quote"]


def test_a_soft_line_break_does_not_end_a_sentence() -> None:
    assert split("A sentence that\nwraps here. Next.") == ["A sentence that\nwraps here.",
                                                          "Next."]


BODY = "First one. Second one here.\n\nNew paragraph starts. It ends.\n\n\nLast."


def test_sentence_at_cursor_and_between_sentences() -> None:
    assert BODY[slice(*sentence_at(BODY, 0))] == "First one."
    assert BODY[slice(*sentence_at(BODY, BODY.index("one here")))] == "Second one here."
    assert BODY[slice(*sentence_at(BODY, BODY.index("one.")))] == "First one."
    # In the blank gap: the next sentence.
    assert BODY[slice(*sentence_at(BODY, BODY.index("\n\n") + 1))] == "New paragraph starts."
    # At the very end: the last sentence.
    assert BODY[slice(*sentence_at(BODY, len(BODY)))] == "Last."
    assert all_sentences(BODY) == ["First one.", "Second one here.", "New paragraph starts.",
                                   "It ends.", "Last."]


def test_paragraphs() -> None:
    assert BODY[slice(*paragraph_at(BODY, 3))] == "First one. Second one here."
    assert BODY[slice(*paragraph_at(BODY, BODY.index("It ends")))] == \
        "New paragraph starts. It ends."
    assert BODY[slice(*paragraph_at(BODY, len(BODY) - 2))] == "Last."
    assert paragraph_at("   ", 1) == (3, 3)


def test_paragraph_far_into_a_long_body() -> None:
    body = ("word " * 3000 + "\n\n") * 40 + "Final paragraph here."
    assert body[slice(*paragraph_at(body, len(body) - 3))] == "Final paragraph here."
    start, end = paragraph_at(body, len(body) // 2)
    assert body[start:end].split() == ["word"] * 3000


def test_word_boundaries() -> None:
    text = "Hello, big  world. Bye"
    assert text[slice(*unit_at(text, 2, "word"))] == "Hello,"
    assert next_end(text, 0, "word") == 6
    assert next_end(text, 6, "word") == 10
    assert next_start(text, 0, "word") == 7
    assert prev_start(text, len(text), "word") == text.index("Bye")
    assert prev_start(text, text.index("world") + 2, "word") == text.index("world")
    assert prev_end(text, text.index("Bye"), "word") == text.index(" Bye")
    assert next_end(text, len(text), "word") == len(text)
    assert prev_start(text, 0, "word") == 0


def test_sentence_and_paragraph_motions_cross_paragraphs() -> None:
    end_first_para = BODY.index("\n\n")
    assert next_end(BODY, end_first_para, "sentence") == BODY.index("starts.") + 7
    assert prev_start(BODY, BODY.index("New"), "sentence") == BODY.index("Second")
    assert next_end(BODY, 0, "paragraph") == end_first_para
    assert next_end(BODY, end_first_para, "paragraph") == BODY.index("ends.") + 5
    assert prev_start(BODY, len(BODY), "paragraph") == BODY.index("Last")
    assert prev_start(BODY, BODY.index("Last"), "paragraph") == BODY.index("New")


def test_v_selects_the_sentence_under_the_cursor() -> None:
    sel = start_selection(BODY, BODY.index("one here"))
    assert BODY[slice(*sel.span)] == "Second one here."


def test_extend_forward_and_back_by_word() -> None:
    body = "Alpha beta. Gamma delta epsilon. Zeta eta."
    sel = start_selection(body, body.index("delta"))
    assert body[slice(*sel.span)] == "Gamma delta epsilon."
    sel = extend(body, sel, "word")
    assert body[slice(*sel.span)] == "Gamma delta epsilon. Zeta"
    sel = extend(body, sel, "word")
    assert body[slice(*sel.span)] == "Gamma delta epsilon. Zeta eta."
    sel = extend(body, sel, "word_back")
    assert body[slice(*sel.span)] == "Gamma delta epsilon. Zeta"
    sel = extend(body, sel, "word_back")
    assert body[slice(*sel.span)] == "Gamma delta epsilon."
    # Past the initial sentence, backward motions grow the start side.
    sel = extend(body, sel, "word_back")
    assert body[slice(*sel.span)] == "beta. Gamma delta epsilon."
    sel = extend(body, sel, "word_back")
    assert body[slice(*sel.span)] == "Alpha beta. Gamma delta epsilon."
    sel = extend(body, sel, "word")
    assert body[slice(*sel.span)] == "beta. Gamma delta epsilon."


def test_extend_by_sentence_and_paragraph() -> None:
    sel = start_selection(BODY, 0)
    sel = extend(BODY, sel, "sentence")
    assert BODY[slice(*sel.span)] == "First one. Second one here."
    sel = extend(BODY, sel, "sentence")
    assert BODY[slice(*sel.span)] == "First one. Second one here.\n\nNew paragraph starts."
    sel = extend(BODY, sel, "paragraph")
    assert BODY[slice(*sel.span)].endswith("It ends.")
    sel = extend(BODY, sel, "sentence_back")
    assert BODY[slice(*sel.span)].endswith("New paragraph starts.")


def test_extend_by_character_and_head_moves() -> None:
    body = "One two. Three."
    sel = start_selection(body, 0)
    sel = extend(body, sel, "char")
    assert body[slice(*sel.span)] == "One two. "
    sel = move_head(sel, len(body))
    assert body[slice(*sel.span)] == body
    sel = move_head(sel, 0)
    assert sel.span == (0, len("One two."))
    sel = move_head(sel, 4)
    assert sel.span == (0, len("One two."))


def test_selection_from_a_search_hit_can_be_extended() -> None:
    body = "Find the needle here. More."
    hit = body.index("needle")
    sel = selection_between(hit + 6, hit)
    assert body[slice(*sel.span)] == "needle"
    assert body[slice(*extend(body, sel, "word").span)] == "needle here."


def test_an_unknown_motion_is_refused() -> None:
    with pytest.raises(ValueError):
        extend("x", Selection(0, 1, 1), "line")


def test_empty_body_is_harmless() -> None:
    assert sentence_at("", 0) == (0, 0)
    assert start_selection("", 0).span == (0, 0)
    assert next_end("", 0, "sentence") == 0


def test_one_huge_paragraph_is_segmented_consistently_piece_by_piece() -> None:
    parts = []
    for i in range(6000):
        parts.append(f"Sentence number {i} says Mr. Smith met Dr. Who in the U.S. today."
                     if i % 7 == 0 else f"Plain sentence {i} goes on a while.")
    body = " ".join(parts)
    assert len(body) > 100_000 and "\n" not in body
    whole = sentences(body, 0, len(body))
    assert len(whole) == 6000
    middle = body.index("Plain sentence 3001 ")
    assert body[slice(*sentence_at(body, middle + 5))] == "Plain sentence 3001 goes on a while."
    # Stepping forward and backward across the pieces gives the same sentences.
    steps, offset = [], middle
    for _ in range(400):
        end = next_end(body, offset, "sentence")
        steps.append(end)
        offset = end
    expected_ends = [e for _, e in whole if e > middle][:400]
    assert steps == expected_ends
    starts, offset = [], middle
    for _ in range(400):
        offset = prev_start(body, offset, "sentence")
        starts.append(offset)
    assert starts == [s for s, _ in reversed(whole) if s < middle][:400]
