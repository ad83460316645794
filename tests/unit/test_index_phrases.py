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
            out.append(f"Day {n}: green people of the valley met.")  # the phrase
        elif n % 3 == 0:
            out.append(f"Day {n}: people saw the green valley, people again.")  # words apart
        else:
            out.append(f"Day {n}: the valley of the green river; people, green people.")
    return out


@pytest.mark.parametrize("checked", [5, 200])
def test_common_phrases_are_checked_in_their_words_best_matches(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch, checked: int) -> None:
    texts = bodies()
    fresh_store.add_articles([art(n, b) for n, b in enumerate(texts)])
    monkeypatch.setattr(planning, "COMMON_PHRASE_DOCS", 10)
    monkeypatch.setattr(planning, "CHECKED", checked)
    holding = {f"Note {n}" for n, b in enumerate(texts) if "green people" in b}
    searcher = fresh_store._searcher()
    p = planning.plan(search.parse('"green people"'), fresh_store.conn, searcher=searcher)
    assert p is not None and p.loose is not None  # the words are everywhere
    hits = fresh_store.search('"green people"', limit=50)
    assert len(hits) == 50
    assert {h.title for h in hits} <= holding
    assert all(h.snippet_hits for h in hits)
    assert fresh_store.search_count('"green people"') == len(holding)
    # Every page a slice of one order, every article once.
    pages = [h.title for o in range(0, len(holding), 50)
             for h in fresh_store.search('"green people"', limit=50, offset=o)]
    assert sorted(pages) == sorted(holding)
    # A phrase none of the best matches holds is searched for in all.
    assert [h.title for h in fresh_store.search('"valley met"')] == [
        h.title for h in fresh_store.search('"valley met"', limit=100)][:50]
    assert {h.title for h in fresh_store.search('"valley met"', limit=100)} == {
        f"Note {n}" for n, b in enumerate(texts) if "valley met" in b}


def test_word_pairs_are_those_of_a_function_word_one_after_the_other() -> None:
    from reader.index.schema import word_pairs
    assert word_pairs(["The People of Rome", "rome people"]).split() == [
        "the_peopl", "peopl_of", "of_rome", "_", "_", "_"]  # as long as the words
    # Not across values (the title and the text) nor across a word left out as too long.
    assert word_pairs(["Rome of", "the people"]).split() == ["rome_of", "the_peopl", "_", "_"]
    assert word_pairs([f"people {'x' * 80} of the"]).split() == ["of_the", "_", "_"]


def test_phrases_with_a_function_word_find_exactly_the_articles_holding_them(
        fresh_store: Store) -> None:
    import random
    import re

    rng = random.Random(3)
    vocab = ["the", "of", "people", "valley", "river", "met", "green", "a", "it"]
    texts = [" ".join(rng.choice(vocab) + rng.choice(["", "", ",", "."])
                      for _ in range(rng.randint(3, 30))) for _ in range(200)]
    fresh_store.add_articles([art(n, b) for n, b in enumerate(texts)])
    searcher = fresh_store._searcher()
    p = planning.plan(search.parse('"the people"'), fresh_store.conn, searcher=searcher)
    assert p is not None and "the_peopl" in repr(p.tiers[0]) and p.loose is None
    for phrase in ("the people", "of the", "a it", "people of the valley", "green river",
                   "it the of"):
        words = phrase.split()
        holding = set()
        for n, text in enumerate(texts):
            tokens = re.findall(r"[a-z]+", text)
            if any(tokens[i:i + len(words)] == words for i in range(len(tokens))):
                holding.add(f"Note {n}")
        found = [h.title for h in fresh_store.search(f'"{phrase}"', limit=500)]
        assert set(found) == holding and len(found) == len(holding), phrase
        assert fresh_store.search_count(f'"{phrase}"') == len(holding)


def test_a_pair_ranks_as_its_phrase_does(fresh_store: Store) -> None:
    bodies = ["river valley met the people green valley green.",  # once
              "the people met the people river the people green.",  # three times
              "the people met green river the people valley green."]  # twice
    fresh_store.add_articles([art(n, b) for n, b in enumerate(bodies)])
    assert [h.title for h in fresh_store.search('"the people"')] == ["Note 1", "Note 2",
                                                                     "Note 0"]
    # On the phrase's scale beside another word: the phrase weighs more than `met`
    # holds alone (each article holds `met` once).
    scores = [h.score for h in fresh_store.search('"the people" met')]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


@pytest.mark.parametrize("text", [
    "The People of Rome, of the people.", "x" * 85 + " of the end", "a\x00the b",
    "Ʀʀ ǅ Æsir of the İstanbul ẞ ½ ﬁne", "中文 the ключ of", "word of the " * 7000,
    "é" * 30 + " of the", ""])
def test_the_title_and_text_analysed_once_give_what_each_analysis_gives(text: str) -> None:
    from reader.index.schema import TITLE_REPEAT, document_words, word_pairs, word_starts
    text = search.normalize(text)  # as documents hold it
    title = "Of the " + text[:40]
    first, second, pairs = document_words(title, text, ["a tag"], ["A Tag", ""])
    want_first, want_second = word_starts(title, text, "A Tag", "")
    assert set(first.split()) == set(want_first.split())
    assert set(second.split()) == set(want_second.split())
    assert pairs == word_pairs([title] * TITLE_REPEAT + [text, "a tag"])


def test_folding_never_makes_a_word_shorter() -> None:
    # Why a text whose folded words are all under SHORT_WORD characters holds none
    # the index leaves out (80 bytes and more): every character of a word folds to
    # one or more. Each code point between two letters, a chunk at a time: a
    # character that parts words gives `a`, `a`; one inside a word at least `a?a`,
    # never `aa`.
    from reader.index.schema import _FOLD
    for start in range(0, 0x110000, 0x8000):
        chars = [chr(c) for c in range(start, start + 0x8000) if not 0xD800 <= c < 0xE000]
        words = _FOLD.analyze(" ".join(f"a{c}a" for c in chars))
        assert all(len(w) != 2 for w in words), [w for w in words if len(w) == 2][:5]
