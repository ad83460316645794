"""A phrase of words found in most articles: its words ranked first, the phrase checked
in their best matches; every result holds the phrase, the count is exact."""

from __future__ import annotations

import pytest

from reader import search
from reader.index import planning
from reader.models import ParsedArticle, Provenance
from reader.store import Store


def art(n: int, body: str) -> ParsedArticle:
    return ParsedArticle(title=f"Note {n}", body=body,
                         provenance=Provenance("/p.txt", "text", n, n + 1))


def bodies() -> list[str]:
    out = []
    for n in range(300):
        if n % 7 == 0:
            out.append(f"Day {n}: the people of the valley met.")  # the phrase
        elif n % 3 == 0:
            out.append(f"Day {n}: people saw the valley, people again.")  # words apart
        else:
            out.append(f"Day {n}: the valley of the river; people, the people.")  # phrase
    return out


@pytest.mark.parametrize("checked", [5, 200])
def test_common_phrases_are_checked_in_their_words_best_matches(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch, checked: int) -> None:
    texts = bodies()
    fresh_store.add_articles([art(n, b) for n, b in enumerate(texts)])
    monkeypatch.setattr(planning, "COMMON_PHRASE_DOCS", 10)
    monkeypatch.setattr(planning, "CHECKED", checked)
    holding = {f"Note {n}" for n, b in enumerate(texts) if "the people" in b}
    searcher = fresh_store._searcher()
    p = planning.plan(search.parse('"the people"'), fresh_store.conn, searcher=searcher)
    assert p is not None and p.loose is not None  # the words are everywhere
    hits = fresh_store.search('"the people"', limit=50)
    assert len(hits) == 50
    assert {h.title for h in hits} <= holding
    assert all(h.snippet_hits for h in hits)
    assert fresh_store.search_count('"the people"') == len(holding)
    # Every page a slice of one order, every article once.
    pages = [h.title for o in range(0, len(holding), 50)
             for h in fresh_store.search('"the people"', limit=50, offset=o)]
    assert sorted(pages) == sorted(holding)
    # A phrase none of the best matches holds is searched for in all.
    assert [h.title for h in fresh_store.search('"valley met"')] == [
        h.title for h in fresh_store.search('"valley met"', limit=100)][:50]
    assert {h.title for h in fresh_store.search('"valley met"', limit=100)} == {
        f"Note {n}" for n, b in enumerate(texts) if "valley met" in b}
