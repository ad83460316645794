"""Highlights in the library: edit, delete, list, orphans, re-anchoring."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.anchoring import make_anchor
from reader.models import Anchor, ParsedArticle, Provenance
from reader.store import ANCHOR_METHODS, Store

BODY = (
    "The council met on Monday to discuss the harbour.\n\n"
    "After a long debate, the committee approved the budget for the new bridge. "
    "Residents had asked for it since 2015. The mayor said little.\n\n"
    "Work starts in spring. It was a quiet town. Nobody minded. It was a quiet town."
)


def article(title: str, body: str = BODY, tags: tuple[str, ...] = ("harbour",),
            path: str = "dump.txt") -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance(path, "text", 1, 5),
                         date="2024-05-01", source="Harbour News",
                         url=f"https://example.org/{title.casefold()}", tags=tags)


def add(store: Store, title: str = "Bridge", **kwargs: object) -> int:
    store.add_articles([article(title, **kwargs)])  # type: ignore[arg-type]
    return next(a for a in store.iter_articles() if a.title == title).id


def highlight(store: Store, article_id: int, quote: str, nth: int = 0, note: str = "",
              color: str = "yellow") -> int:
    body = store.article(article_id).body  # type: ignore[union-attr]
    start = -1
    for _ in range(nth + 1):
        start = body.index(quote, start + 1)
    return store.add_annotation(article_id, make_anchor(body, start, start + len(quote)),
                                note=note, color=color)


def replace_body(store: Store, article_id: int, body: str) -> None:
    """What a re-import of an edited file does to the stored text."""
    store.conn.execute("UPDATE articles SET body = ? WHERE id = ?", (body, article_id))


def fts(store: Store, word: str) -> list[int]:
    """What the search index finds for a word."""
    return [h.id for h in store.search(word)]


def test_edit_note_and_colour(fresh_store: Store) -> None:
    aid = add(fresh_store)
    hid = highlight(fresh_store, aid, "the committee approved the budget")
    assert fresh_store.set_note(hid, "a memorable decision\nsecond line")
    assert fresh_store.set_color(hid, "green")
    got = fresh_store.annotation(hid)
    assert got is not None
    assert (got.note, got.color) == ("a memorable decision\nsecond line", "green")
    assert got.updated_at >= got.created_at
    assert fts(fresh_store, "memorable") == [aid]
    fresh_store.set_note(hid, "")
    assert fts(fresh_store, "memorable") == []
    assert not fresh_store.set_note(9999, "x") and not fresh_store.set_color(9999, "x")
    assert fresh_store.annotation(9999) is None


def test_delete_keeps_the_index_in_sync(fresh_store: Store) -> None:
    aid = add(fresh_store)
    hid = highlight(fresh_store, aid, "Work starts in spring.", note="seasonal")
    other = highlight(fresh_store, aid, "The mayor said little.", note="quiet")
    assert fts(fresh_store, "seasonal") == [aid]
    assert fresh_store.delete_annotation(hid)
    assert not fresh_store.delete_annotation(hid)
    assert fts(fresh_store, "seasonal") == [] and fts(fresh_store, "quiet") == [aid]
    assert [a.id for a in fresh_store.annotations(aid)] == [other]


def test_library_wide_list_is_newest_first_with_titles(fresh_store: Store) -> None:
    first = add(fresh_store, "Bridge")
    second = add(fresh_store, "Harbour", body=BODY + " Extra.", tags=("sea", "town"))
    h1 = highlight(fresh_store, first, "The council met on Monday", note="Café opening")
    h2 = highlight(fresh_store, second, "Residents had asked for it")
    h3 = highlight(fresh_store, first, "The mayor said little.")
    entries = fresh_store.all_annotations()
    assert [e.annotation.id for e in entries] == [h3, h2, h1]
    assert entries[1].title == "Harbour" and entries[1].tags == ("sea", "town")
    assert entries[1].source == "Harbour News" and entries[1].url == "https://example.org/harbour"
    assert [e.annotation.id for e in fresh_store.all_annotations(limit=1, offset=1)] == [h2]
    assert [e.annotation.id for e in fresh_store.all_annotations(tag="sea")] == [h2]
    # Search: every word, in quote, note or title; case and accents ignored.
    assert [e.annotation.id for e in fresh_store.all_annotations(query="cafe COUNCIL")] == [h1]
    assert [e.annotation.id for e in fresh_store.all_annotations(query="harbour")] == [h2]
    assert fresh_store.all_annotations(query="%") == []
    assert fresh_store.count_annotations() == 3
    assert fresh_store.count_annotations(query="mayor") == 1
    assert fresh_store.all_annotations(since="2999-01-01") == []
    assert len(fresh_store.all_annotations(since="2000-01-01")) == 3


def test_reanchor_identical_text_is_by_position(fresh_store: Store) -> None:
    aid = add(fresh_store)
    highlight(fresh_store, aid, "the committee approved the budget")
    counts = fresh_store.reanchor_article(aid)
    assert counts == {"position": 1, "exact": 0, "context": 0, "fuzzy": 0, "orphan": 0}
    assert fresh_store.annotations(aid)[0].anchor.method == "position"


def test_reanchor_after_an_edit_records_how_each_highlight_was_found(
        fresh_store: Store) -> None:
    aid = add(fresh_store)
    moved = highlight(fresh_store, aid, "Residents had asked for it since 2015.")
    edited = highlight(fresh_store, aid, "the committee approved the budget for the new bridge")
    repeated = highlight(fresh_store, aid, "It was a quiet town.", nth=1, note="the second")
    deleted = highlight(fresh_store, aid, "The mayor said little.", note="keep me")
    spaced = highlight(fresh_store, aid, "The council met on Monday to discuss")
    new_body = (
        "Preface added by a better parser.\n\n"
        "The council met on\nMonday to discuss the harbour.\n\n"
        "After a long debate, the committee approved the revised budget for the new bridge. "
        "Residents had asked for it since 2015.\n\n"
        "Work starts in spring. It was a quiet town. Nobody minded. It was a quiet town."
    )
    replace_body(fresh_store, aid, new_body)
    counts = fresh_store.reanchor_article(aid)
    assert counts == {"position": 0, "exact": 1, "context": 1, "fuzzy": 2, "orphan": 1}
    by_id = {a.id: a for a in fresh_store.annotations(aid)}
    assert len(by_id) == 5, "orphans are never dropped"

    def text(hid: int) -> str:
        anchor = by_id[hid].anchor
        return new_body[anchor.start:anchor.end]

    assert by_id[moved].anchor.method == "exact" and text(moved).startswith("Residents")
    assert by_id[edited].anchor.method == "fuzzy"
    assert text(edited) == "the committee approved the revised budget for the new bridge"
    assert by_id[edited].anchor.quote == text(edited)
    assert by_id[repeated].anchor.method == "context"
    assert by_id[repeated].anchor.start == new_body.rindex("It was a quiet town.")
    assert by_id[spaced].anchor.method == "fuzzy"
    assert text(spaced) == "The council met on\nMonday to discuss"
    orphan = by_id[deleted]
    assert orphan.anchor.orphan and orphan.anchor.method == "orphan"
    assert (orphan.anchor.quote, orphan.note) == ("The mayor said little.", "keep me")
    # Reading order: placed highlights by position, the orphan last.
    assert list(by_id)[-1] == deleted
    assert [e.annotation.id for e in fresh_store.orphans()] == [deleted]
    assert [e.annotation.id for e in fresh_store.orphans(aid)] == [deleted]
    assert fresh_store.count_annotations(orphans=True) == 1


def test_orphans_are_tried_again_and_can_be_reattached_or_deleted(fresh_store: Store) -> None:
    aid = add(fresh_store)
    hid = highlight(fresh_store, aid, "The mayor said little.", note="keep me")
    replace_body(fresh_store, aid, BODY.replace("The mayor said little.", ""))
    assert fresh_store.reanchor_article(aid)["orphan"] == 1
    # The text comes back in a later version: the orphan is placed again.
    replace_body(fresh_store, aid, BODY)
    assert fresh_store.reanchor_article(aid)["exact"] == 1
    assert fresh_store.orphans() == []
    # Lost again, then re-attached by hand to a selection.
    new_body = BODY.replace(" The mayor said little.", "") + "\n\nThe mayor kept quiet."
    replace_body(fresh_store, aid, new_body)
    assert fresh_store.reanchor_article(aid)["orphan"] == 1
    start = new_body.index("The mayor kept quiet.")
    assert fresh_store.reattach_annotation(hid, make_anchor(new_body, start, start + 21))
    got = fresh_store.annotation(hid)
    assert got is not None and not got.anchor.orphan
    assert (got.anchor.quote, got.note) == ("The mayor kept quiet.", "keep me")
    assert fresh_store.orphans() == []
    assert fresh_store.reanchor_article(aid)["position"] == 1
    assert not fresh_store.reattach_annotation(12345, make_anchor(new_body, 0, 3))


def test_reanchor_unknown_article_and_article_without_highlights(fresh_store: Store) -> None:
    aid = add(fresh_store)
    assert fresh_store.reanchor_article(aid) == dict.fromkeys(ANCHOR_METHODS, 0)
    assert fresh_store.reanchor_article(4242) == dict.fromkeys(ANCHOR_METHODS, 0)


def test_reanchor_to_an_empty_body_orphans_everything(fresh_store: Store) -> None:
    aid = add(fresh_store)
    highlight(fresh_store, aid, "Work starts in spring.")
    highlight(fresh_store, aid, "The mayor said little.")
    replace_body(fresh_store, aid, "")
    assert fresh_store.reanchor_article(aid)["orphan"] == 2
    assert len(fresh_store.annotations(aid)) == 2


def test_a_failure_while_anchoring_orphans_instead_of_losing(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader import anchoring

    aid = add(fresh_store)
    hid = highlight(fresh_store, aid, "Work starts in spring.", note="n")

    def broken(self: object, anchor: Anchor) -> Anchor:
        raise RuntimeError("bug")

    monkeypatch.setattr(anchoring.Anchorer, "reanchor", broken)
    assert fresh_store.reanchor_article(aid)["orphan"] == 1
    got = fresh_store.annotation(hid)
    assert got is not None and got.anchor.orphan and got.note == "n"


def test_every_annotation_write_is_committed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    store = Store(path)
    aid = add(store)
    hid = highlight(store, aid, "Work starts in spring.", note="first")
    store.set_note(hid, "edited")
    store.set_color(hid, "blue")
    other = highlight(store, aid, "The mayor said little.")
    store.delete_annotation(other)
    # A second connection (another instance) sees every write without a close.
    peek = sqlite3.connect(path)
    rows = peek.execute("SELECT id, note, color FROM annotations").fetchall()
    peek.close()
    assert rows == [(hid, "edited", "blue")]
    store.close()


def test_migration_adds_the_annotation_indexes(fresh_store: Store) -> None:
    names = {r[0] for r in fresh_store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"annotations_by_created", "annotations_orphans"} <= names
    plan = " ".join(str(r) for r in fresh_store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM annotations n WHERE n.orphan = 1"))
    assert "annotations_orphans" in plan


def test_reimport_of_an_edited_file_then_reanchor(fresh_store: Store) -> None:
    aid = add(fresh_store)
    hid = highlight(fresh_store, aid, "the committee approved the budget for the new bridge",
                    note="the decision")
    edited = "Foreword.\n\n" + BODY.replace("the budget", "the revised budget")
    result = fresh_store.add_articles([article("Bridge", body=edited)])
    assert result.updated == 1
    assert fresh_store.article(aid).body == edited  # type: ignore[union-attr]
    # The re-import re-placed the highlight in the same transaction as the new text.
    got = fresh_store.annotation(hid)
    assert got is not None and got.note == "the decision"
    assert got.anchor.method == "fuzzy"
    assert fresh_store.reanchor_article(aid)["position"] == 1
    assert edited[got.anchor.start:got.anchor.end] == (
        "the committee approved the revised budget for the new bridge")
