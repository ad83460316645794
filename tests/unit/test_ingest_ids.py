"""The set of stored articles an import has met: one bit an id, the same answers as a set."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.store.ingest import IdSet


@given(st.lists(st.integers(min_value=-5, max_value=5000)),
       st.lists(st.integers(min_value=-10, max_value=6000)))
def test_answers_as_a_set_does(added: list[int], asked: list[int]) -> None:
    ids, expected = IdSet(), set()
    for article_id in added:
        ids.add(article_id)
        expected.add(article_id)
    for article_id in asked + added:
        assert (article_id in ids) == (article_id in expected)


def test_a_million_ids_take_a_bit_each() -> None:
    ids = IdSet()
    for article_id in range(0, 1_000_001, 5):
        ids.add(article_id)
    assert 999_995 in ids and 999_996 not in ids
    assert len(ids._bits) <= 2 * 1_000_001 // 8 + 1  # grown by doubling at most
