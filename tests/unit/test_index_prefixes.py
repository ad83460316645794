"""One- and two-letter prefixes are answered from the words' first letters: the same
articles as every word they start, folded the same way."""

from __future__ import annotations

import pytest

from reader.analysis import fold_words
from reader.index.schema import word_starts
from reader.models import ParsedArticle, Provenance
from reader.store import Store

TEXTS = [
    ("Ölbaum", "Ein Ölbaum im Garten."),
    ("Snake case", "Call x_gopher here."),
    ("Ligature", "Æsir and Straße, ßa."),
    ("Digits", "The 42nd street."),
    ("Plain", "Nothing but tea."),
    ("Go", "go"),
]


def test_word_starts_are_folded_first_letters() -> None:
    first, second = word_starts("Ölbaum x_gopher Æsir", "ßa 42nd")
    assert set(first.split()) == {"o", "x", "g", "a", "s", "4"}
    assert set(second.split()) == {"ol", "x", "go", "ae", "ss", "42"}


def test_short_prefixes_find_what_every_word_they_start_finds(fresh_store: Store) -> None:
    fresh_store.add_articles([
        ParsedArticle(title=t, body=b, provenance=Provenance("/p.txt", "text", i, i + 1),
                      tags=("gardening",) if i == 4 else ())
        for i, (t, b) in enumerate(TEXTS)])
    words = {h.title: set(fold_words(f"{h.title} {body} {'gardening' if i == 4 else ''}"))
             for i, (h, body) in enumerate(
                 (fresh_store.search(f'title:"{t}"')[0], b) for t, b in TEXTS)}
    for prefix in ("o", "ol", "g", "go", "a", "ae", "s", "ss", "x", "4", "42", "t", "th", "q"):
        expected = {title for title, ws in words.items() if any(w.startswith(prefix) for w in ws)}
        assert {h.title for h in fresh_store.search(f"{prefix}*")} == expected, prefix
        typed = {h.title for h in fresh_store.search(prefix, live=True)}
        assert typed == expected, prefix
    assert {h.title for h in fresh_store.search("ga*")} == {"Plain", "Ölbaum"}  # a tag, Garten
    assert {h.title for h in fresh_store.search("go*")} == {"Snake case", "Go"}


def test_word_starts_of_a_long_text_are_those_of_its_pieces(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.index import schema

    text = " ".join(f"word{n} Ölbaum x_go{n}" for n in range(500)) + " " + "qrstuvwxyz" * 300
    whole = word_starts(text)
    monkeypatch.setattr(schema, "STARTS_PIECE", 100)
    pieces = word_starts(text)
    assert [set(s.split()) for s in pieces] == [set(s.split()) for s in whole]
    assert set(pieces[1].split()) == {"wo", "ol", "x", "go", "qr"}  # no word cut
