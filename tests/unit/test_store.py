"""The library: dedupe, idempotence, transactions, migrations, the FTS index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.models import ParsedArticle, Provenance
from reader.store import SCHEMA_VERSION, Store, StoreError


def art(title: str, body: str, path: str = "/a.txt", start: int = 1,
        tags: tuple[str, ...] = (), date: str | None = None) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance(path, "text", start, start + 3),
                         date=date, tags=tags)


LONG = "A body long enough to identify the article on its own. " * 5


def fts_ids(store: Store, query: str) -> list[int]:
    """What the search index finds for a word (`tags_text:x`: for a tag)."""
    if query.startswith("tags_text:"):
        query = "tag:" + query.removeprefix("tags_text:")
    return sorted(h.id for h in store.search(query, limit=1000))


def test_add_and_read_back(fresh_store: Store) -> None:
    result = fresh_store.add_articles([art("One", "Body one.", tags=("x", "y"), date="2020-01-02")])
    assert (result.new, result.present, result.merged) == (1, 0, 0)
    (article_id,) = fresh_store.article_ids()
    article = fresh_store.article(article_id)
    assert article is not None
    assert (article.title, article.body, article.date, article.tags) == ("One", "Body one.", "2020-01-02", ("x", "y"))
    assert article.provenance == (Provenance("/a.txt", "text", 1, 4),)


def test_reimport_is_idempotent(fresh_store: Store) -> None:
    batch = [art("One", "Body one."), art("Two", "Body two.", start=10)]
    fresh_store.add_articles(batch)
    again = fresh_store.add_articles(batch)
    assert (again.new, again.present, again.merged) == (0, 2, 0)
    assert fresh_store.count() == 2
    assert fresh_store.conn.execute("SELECT count(*) FROM provenance").fetchone()[0] == 2


def test_same_article_from_two_files_is_stored_once_with_both_provenances(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Title", LONG, path="/one.txt", tags=("a",))])
    styled = LONG.replace("article", "ARTICLE").replace(" ", "\u00a0", 3)
    result = fresh_store.add_articles([art("Title – Site", styled, path="/two.txt", tags=("b",),
                                           date="2021-05-05")])
    assert (result.new, result.merged) == (0, 1)
    (article_id,) = fresh_store.article_ids()
    article = fresh_store.article(article_id)
    assert article is not None
    assert article.tags == ("a", "b")
    assert [p.path for p in article.provenance] == ["/one.txt", "/two.txt"]
    assert article.date == "2021-05-05"  # filled in where the first copy had none
    assert fts_ids(fresh_store, "tags_text:b") == [article_id]


def test_failing_file_is_rolled_back_whole(fresh_store: Store) -> None:
    def articles():
        yield art("One", "Body one.")
        yield art("Two", "Body two.")
        raise OSError("disk went away")

    with pytest.raises(OSError):
        fresh_store.add_articles(articles())
    assert fresh_store.count() == 0
    assert fts_ids(fresh_store, "body") == []
    fresh_store.add_articles([art("Three", "Body three.")])
    assert fresh_store.count() == 1


def test_an_article_the_library_refuses_rolls_its_file_back(fresh_store: Store) -> None:
    # The insert rolls the transaction back itself (no statement journal for the search
    # log's trigger): nothing of the file stays, its log entries included, and the
    # library takes the next file.
    from dataclasses import replace

    from reader.store import prepare

    two = prepare(art("Two", "Body two."))
    refused = two._replace(article=replace(two.article, title=None))  # NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        fresh_store.add_prepared(iter([prepare(art("One", "Body one.")), refused]))
    assert not fresh_store.conn.in_transaction
    assert fresh_store.count() == 0
    assert fresh_store.conn.execute("SELECT count(*) FROM search_log").fetchone()[0] == 0
    assert fresh_store.conn.execute("SELECT count(*) FROM provenance").fetchone()[0] == 0
    fresh_store.add_articles([art("Three", "Body three.")])
    assert fresh_store.count() == 1


def test_fts_follows_inserts_tag_edits_and_state_changes(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Zürich cafés", "Ein Kaffee bitte.", tags=("travel",))])
    (article_id,) = fresh_store.article_ids()
    assert fts_ids(fresh_store, "zurich") == [article_id]  # diacritics folded
    assert fts_ids(fresh_store, "KAFFEE") == [article_id]
    fresh_store.set_tags(article_id, ["coffee"])
    assert fts_ids(fresh_store, "tags_text:travel") == []
    assert fts_ids(fresh_store, "tags_text:coffee") == [article_id]
    assert [t.name for t in fresh_store.tags()] == ["coffee"]
    fresh_store.set_read(article_id)
    fresh_store.set_starred(article_id)
    fresh_store.set_position(article_id, 1.7)
    article = fresh_store.article(article_id)
    assert article is not None and article.read and article.starred and article.position == 1.0
    assert fts_ids(fresh_store, "kaffee") == [article_id]


def test_views_sorts_and_pages(fresh_store: Store) -> None:
    fresh_store.add_articles([
        art("b old", "1", date="2019-01-01", tags=("t",)),
        art("a new", "2", date="2021-01-01"),
        art("c undated", "3"),
    ])
    by_date = [s.title for s in fresh_store.articles()]
    assert by_date == ["a new", "b old", "c undated"]
    assert [s.title for s in fresh_store.articles(sort="title")] == ["a new", "b old", "c undated"]
    assert [s.title for s in fresh_store.articles(tag="t")] == ["b old"]
    assert [s.title for s in fresh_store.articles(offset=1, limit=1)] == ["b old"]
    ids = fresh_store.article_ids()
    fresh_store.set_read(ids[0])
    fresh_store.set_starred(ids[1])
    assert fresh_store.count(view="unread") == 2
    assert [s.title for s in fresh_store.articles(view="starred")] == ["b old"]
    assert fresh_store.view_counts() == {"all": 3, "unread": 2, "starred": 1, "annotated": 0}
    with pytest.raises(ValueError):
        fresh_store.articles(view="nonsense")


def test_markup_like_text_is_stored_verbatim(fresh_store: Store) -> None:
    hostile = "[@click=app.quit]x[/] [/bold] [link=http://x]y[/link]"
    fresh_store.add_articles([art(hostile, hostile, tags=(hostile,))])
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None
    assert (article.title, article.body, article.tags) == (hostile, hostile, (hostile,))


def test_schema_version_and_wal(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    Store(db_path).close()  # opening again migrates nothing and keeps the data


def test_newer_schema_is_refused_with_a_clear_message(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer reader"):
        Store(db_path)


def test_corrupt_or_foreign_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a reader library"):
        Store(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE something (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a reader library"):
        Store(other)


def test_two_connections_see_each_others_writes(db_path: Path) -> None:
    first, second = Store(db_path), Store(db_path)
    first.add_articles([art("One", "Body one.")])
    assert second.count() == 1
    second.set_starred(second.article_ids()[0])
    assert first.view_counts()["starred"] == 1
    first.close()
    second.close()


def test_annotations_are_stored_and_notes_indexed(fresh_store: Store) -> None:
    from reader.models import Anchor

    fresh_store.add_articles([art("One", "The quick brown fox jumps.")])
    (article_id,) = fresh_store.article_ids()
    first = fresh_store.add_annotation(article_id, Anchor("brown fox", "quick ", " jumps", 10, 19),
                                       note="a memorable animal")
    fresh_store.add_annotation(article_id, Anchor("gone", method="orphan"))
    notes = fresh_store.annotations(article_id)
    assert notes[0].id == first
    assert notes[0].anchor.start == 10 and notes[1].anchor.orphan
    assert fts_ids(fresh_store, "memorable") == [article_id]
    assert fresh_store.view_counts()["annotated"] == 1
    assert fresh_store.summaries([article_id])[0].highlight_count == 2


def test_reimport_of_an_edited_file_updates_articles_in_place(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Kept", "Same text.", start=1),
                              art("Edited", "Old text of the piece.", start=10)])
    edited_id = fresh_store.article_ids(sort="title")[0]
    fresh_store.set_starred(edited_id)
    result = fresh_store.add_articles([art("Kept", "Same text.", start=1),
                                       art("Edited", "New, better text of the piece.", start=11)])
    assert (result.new, result.present, result.updated) == (0, 1, 1)
    article = fresh_store.article(edited_id)
    assert article is not None
    assert article.body == "New, better text of the piece." and article.starred
    assert article.provenance == (Provenance("/a.txt", "text", 11, 14),)
    assert fts_ids(fresh_store, "better") == [edited_id]
    assert fts_ids(fresh_store, "old") == []


def test_same_title_twice_in_one_file_is_two_articles(fresh_store: Store) -> None:
    week = [art("Business this week", f"Week {n} news.", start=n * 10) for n in range(3)]
    assert fresh_store.add_articles(week).new == 3
    again = fresh_store.add_articles(week)
    assert (again.present, again.updated, again.new) == (3, 0, 0)


def test_a_version_4_library_gets_its_body_last_and_loses_nothing(tmp_path: Path) -> None:
    from reader.anchoring import make_anchor
    from reader.store import _MIGRATIONS, _split_sql

    path = tmp_path / "v4-data.db"
    conn = sqlite3.connect(path)
    conn.create_function("reader_index_extra", 1, lambda text: "")
    conn.create_function("reader_is_ascii", 1, lambda text: 1)
    for version in range(1, 5):
        for statement in _split_sql(_MIGRATIONS[version]):
            conn.execute(statement)
    conn.execute("INSERT INTO articles (id, hash, title, body, date, source, added_at, read,"
                 " starred) VALUES (7, 'h', 'Rivers', 'Quiet rivers run deep in the north.',"
                 " '2020-01-02', 'Ledger', 'now', 1, 1)")
    conn.execute("INSERT INTO articles_fts (rowid, title, body, tags_text, notes_text,"
                 " title_extra, body_extra) SELECT id, title, body, tags_text, notes_text,"
                 " title_extra, body_extra FROM articles")
    conn.execute("INSERT INTO tags (id, name) VALUES (1, 'water')")
    conn.execute("INSERT INTO article_tags (tag_id, article_id) VALUES (1, 7)")
    conn.execute("INSERT INTO provenance (article_id, path, format, start_line, end_line,"
                 " imported_at) VALUES (7, '/a.txt', 'text', 1, 3, 'now')")
    anchor = make_anchor("Quiet rivers run deep in the north.", 6, 12)
    conn.execute("INSERT INTO annotations (article_id, quote, start, end, note, created_at,"
                 " updated_at) VALUES (7, ?, ?, ?, 'a note', 'now', 'now')",
                 (anchor.quote, anchor.start, anchor.end))
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Store(path) as store:
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(articles)")]
        assert columns[-1] == "body" and columns.index("date") < columns.index("body")
        article = store.article(7)
        assert article is not None and article.tags == ("water",) and article.read
        assert article.provenance == (Provenance("/a.txt", "text", 1, 3),)
        assert [a.note for a in store.annotations(7)] == ["a note"]
        assert [h.id for h in store.search("rivers tag:water is:starred")] == [7]
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert store.search_index.searcher(store.conn).num_docs - 1 == store.count()


def test_slow_upgrade_is_announced_only_for_a_large_old_library(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.store

    path = tmp_path / "lib.db"
    Store(path).close()
    assert not reader.store.slow_upgrade(path)  # current version
    assert not reader.store.slow_upgrade(tmp_path / "missing.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    monkeypatch.setattr(reader.store.Path, "stat", lambda self: type("S", (), {"st_size": 1 << 30})())
    assert reader.store.slow_upgrade(path)


def test_a_write_while_another_process_imports_is_refused_cleanly(tmp_path: Path) -> None:
    from reader.store import StoreBusy

    path = tmp_path / "lib.db"
    importing = Store(path)
    importing.add_articles([art("One", "Body one.")])
    (article_id,) = importing.article_ids()
    reading = Store(path, timeout=0.05)
    with importing.transaction():  # an import holds the write lock for a whole file
        assert reading.article(article_id) is not None  # reading goes on
        for write in (lambda: reading.set_read(article_id), lambda: reading.set_starred(article_id),
                      lambda: reading.set_position(article_id, 0.5),
                      lambda: reading.set_tags(article_id, ["x"])):
            with pytest.raises(StoreBusy):
                write()
    reading.set_starred(article_id)
    assert reading.summaries([article_id])[0].starred
    assert not reading.conn.in_transaction


def test_the_write_timeout_can_be_changed_on_an_open_store(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    store = Store(path)
    store.set_timeout(0.25)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 250
    store.set_timeout(-1)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 0
