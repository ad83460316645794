"""The store as a package: its rooms, and what moved between them behind the facade."""

from __future__ import annotations

import ast
from pathlib import Path

import sqlite_utils

import reader.store
from reader.models import Anchor, ParsedArticle, Provenance
from reader.search import fold
from reader.store import Store

ROOMS = Path(reader.store.__file__).parent


def test_every_room_is_small_and_says_what_lives_there() -> None:
    modules = sorted(ROOMS.glob("*.py"))
    assert {m.stem for m in modules} >= {"__init__", "schema", "ingest", "reading",
                                         "searching", "annotations"}
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 600, module.name
        assert ast.get_docstring(ast.parse(text)), module.name


def test_no_room_claims_to_be_the_only_one_talking_sql() -> None:
    for module in ROOMS.glob("*.py"):
        assert "only module that talks SQL" not in module.read_text(encoding="utf-8")


def _article(title: str, body: str) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance("dump.txt", "text", 1, 3))


def test_table_counts_are_what_sqlite_utils_counts(tmp_path: Path) -> None:
    with Store(tmp_path / "lib.db") as store:
        store.add_articles([_article("One", "First body."), _article("Two", "Second body.")])
        article_id = next(iter(store.article_ids()))
        store.set_tags(article_id, ["a", "b"])
        counts = store.table_counts()
        expected = {t.name: t.count for t in sqlite_utils.Database(store.conn).tables
                    if not t.name.startswith("sqlite_")}
    assert counts == expected
    assert counts["articles"] == 2 and counts["tags"] == 2 and counts["article_tags"] == 2


def _noted(store: Store, quote: str, note: str) -> int:
    article_id = next(iter(store.article_ids()))
    body = store.article(article_id).body  # type: ignore[union-attr]
    start = body.index(quote)
    return store.add_annotation(
        article_id, Anchor(quote, "", "", start, start + len(quote), "exact"), note=note)


def test_the_annotation_filter_folds_as_search_folds_every_time(tmp_path: Path) -> None:
    with Store(tmp_path / "lib.db") as store:
        store.add_articles([_article("Café notes", "Crème brûlée at the ÉCOLE.\n\nElse.")])
        hid = _noted(store, "Crème brûlée", "co\u00adoking")  # a soft hyphen in the note
        for query in ("creme", "BRULEE", "cafe NOTES", "cooking", "Crème"):
            # The same connection asked again: the SQL function is already there.
            assert [e.annotation.id for e in store.all_annotations(query=query)] == [hid]
            assert store.count_annotations(query=query) == 1
        assert store.all_annotations(query="creme ecole") == []  # the body is not searched
        assert fold("co\u00adoking") == "cooking"
    with Store(tmp_path / "lib.db") as again:  # a new connection registers it anew
        assert [e.annotation.id for e in again.all_annotations(query="brulee")] == [hid]


def test_an_annotation_reads_back_the_same_from_every_question(tmp_path: Path) -> None:
    with Store(tmp_path / "lib.db") as store:
        store.add_articles([_article("Bridge", "The council approved the budget.")])
        hid = _noted(store, "approved the budget", "a note")
        one = store.annotation(hid)
        assert one is not None and one.note == "a note" and one.anchor.quote == (
            "approved the budget")
        assert store.annotations(one.article_id) == [one]
        assert [e.annotation for e in store.all_annotations()] == [one]
