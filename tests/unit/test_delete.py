"""Deleting articles: what goes with them, tombstones on re-import, --restore, the command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import cli
from reader.anchoring import make_anchor
from reader.cli import maintenance
from reader.models import ParsedArticle, Provenance
from reader.store import Deletion, Store

BODY = ("The council met on Monday to discuss the harbour. After a long debate, the committee "
        "approved the budget for the new bridge. Residents had asked for it since 2015.")
OTHER = ("Lighthouse keepers kept logs of every ship that passed the headland, and the logs "
         "survive in the county archive, bound in leather.")


def art(title: str, body: str, path: str = "/dump.txt", start: int = 1,
        tags: tuple[str, ...] = (), url: str | None = None, stub: bool = False) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance(path, "text", start, start + 3),
                         tags=tags, url=url, stub=stub)


def id_of(store: Store, title: str) -> int:
    return next(a.id for a in store.iter_articles() if a.title == title)


def highlight(store: Store, article_id: int, quote: str, note: str = "") -> int:
    body = store.article(article_id).body  # type: ignore[union-attr]
    start = body.index(quote)
    return store.add_annotation(article_id, make_anchor(body, start, start + len(quote)), note)


def count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def library(fresh_store: Store) -> Store:
    fresh_store.add_articles([
        art("Bridge", BODY, tags=("harbour", "council")),
        art("Lighthouse", OTHER, start=10, tags=("harbour",)),
    ])
    return fresh_store


# -- the store ---------------------------------------------------------------


def test_delete_removes_the_article_with_everything_attached(library: Store) -> None:
    bridge, lighthouse = id_of(library, "Bridge"), id_of(library, "Lighthouse")
    highlight(library, bridge, "approved the budget", note="finally")
    highlight(library, bridge, "since 2015")
    highlight(library, lighthouse, "county archive")
    library.set_starred(bridge)
    library.set_read(bridge)

    gone = library.delete_articles([bridge])

    assert gone == [Deletion(bridge, "Bridge", 2, 1)]
    assert library.article(bridge) is None
    assert library.article_ids() == [lighthouse]
    for table in ("article_tags", "provenance", "annotations"):
        assert library.conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?",
                                    (bridge,)).fetchone()[0] == 0, table
    assert [a.anchor.quote for a in library.annotations(lighthouse)] == ["county archive"]
    assert library.view_counts() == {"all": 1, "unread": 1, "starred": 0, "annotated": 1}


def test_deleted_article_leaves_the_search_index(library: Store) -> None:
    bridge = id_of(library, "Bridge")
    highlight(library, bridge, "the new bridge", note="pontoon")
    assert [h.id for h in library.search("pontoon")] == [bridge]
    library.delete_articles([bridge])
    assert library.search("bridge") == []
    assert library.search("pontoon") == []
    assert library.search_count("harbour") == 1
    assert library.search_count("budget") == 0


def test_deletions_names_what_would_go_and_deletes_nothing(library: Store) -> None:
    bridge, lighthouse = id_of(library, "Bridge"), id_of(library, "Lighthouse")
    highlight(library, lighthouse, "county archive", note="visit")
    preview = library.deletions([lighthouse, 999, bridge, lighthouse])
    assert preview == [Deletion(lighthouse, "Lighthouse", 1, 1), Deletion(bridge, "Bridge", 0, 0)]
    assert library.count() == 2
    assert library.delete_articles([999]) == []
    assert library.count() == 2


def test_tags_left_without_articles_disappear(library: Store) -> None:
    library.delete_articles([id_of(library, "Bridge")])
    assert [(t.name, t.count) for t in library.tags()] == [("harbour", 1)]
    assert count(library, "tags") == 1
    assert library.stats().tags == 1


def test_delete_is_all_or_nothing(library: Store) -> None:
    bridge, lighthouse = id_of(library, "Bridge"), id_of(library, "Lighthouse")
    library.conn.execute(
        f"CREATE TEMP TRIGGER refuse BEFORE DELETE ON articles WHEN old.id = {lighthouse}"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(sqlite3.Error):
        library.delete_articles([bridge, lighthouse])
    assert sorted(library.article_ids()) == sorted([bridge, lighthouse])
    assert count(library, "deleted") == 0
    assert [t.name for t in library.tags()] == ["council", "harbour"]


# -- re-import and --restore ---------------------------------------------------


def test_reimport_leaves_a_deleted_article_out(library: Store) -> None:
    library.delete_articles([id_of(library, "Bridge")])
    again = library.add_articles([
        art("Bridge", BODY, tags=("harbour", "council")),
        art("Lighthouse", OTHER, start=10, tags=("harbour",)),
    ])
    assert (again.new, again.present, again.deleted, again.restored) == (0, 1, 1, 0)
    assert [a.title for a in library.iter_articles()] == ["Lighthouse"]
    assert [t.name for t in library.tags()] == ["harbour"]


def test_same_text_from_another_file_stays_deleted(library: Store) -> None:
    library.delete_articles([id_of(library, "Bridge")])
    result = library.add_articles([art("Bridge", BODY, path="/elsewhere.txt")])
    assert (result.new, result.deleted) == (0, 1)


def test_edited_file_does_not_bring_back_its_deleted_article(library: Store) -> None:
    """The store takes a same-titled article of a re-imported file as the next version
    of the stored one; a deleted article's next version stays deleted too."""
    library.delete_articles([id_of(library, "Bridge")])
    edited = BODY.replace("Monday", "Tuesday")
    result = library.add_articles([art("Bridge", edited, start=2)])
    assert (result.new, result.deleted) == (0, 1)
    # Another file is another article: a same-titled one there is imported.
    elsewhere = library.add_articles([art("Bridge", edited, path="/other.txt")])
    assert elsewhere.new == 1


def test_every_file_an_article_came_from_remembers_it(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Bridge", BODY, path="/one.txt")])
    fresh_store.add_articles([art("Bridge", BODY, path="/two.txt", start=7)])
    fresh_store.delete_articles([id_of(fresh_store, "Bridge")])
    places = fresh_store.conn.execute("SELECT path, title_key FROM deleted_places ORDER BY path")
    assert places.fetchall() == [("/one.txt", "bridge"), ("/two.txt", "bridge")]
    edited = BODY.replace("Monday", "Friday")
    assert fresh_store.add_articles([art("Bridge", edited, path="/two.txt", start=7)]).deleted == 1
    assert fresh_store.count() == 0


def test_a_deleted_article_does_not_take_a_live_namesake_with_it(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Notes", BODY), art("Notes", OTHER, start=20)])
    first = next(a.id for a in fresh_store.iter_articles() if a.body == BODY)
    fresh_store.delete_articles([first])
    again = fresh_store.add_articles([art("Notes", BODY), art("Notes", OTHER, start=20)])
    assert (again.deleted, again.present, again.updated) == (1, 1, 0)
    assert [a.body for a in fresh_store.iter_articles()] == [OTHER]


def test_a_restored_article_does_not_replace_a_live_namesake(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Notes", BODY), art("Notes", OTHER, start=20)])
    first = next(a.id for a in fresh_store.iter_articles() if a.body == BODY)
    second = next(a.id for a in fresh_store.iter_articles() if a.body == OTHER)
    highlight(fresh_store, second, "county archive")
    fresh_store.delete_articles([first])
    again = fresh_store.add_articles([art("Notes", BODY), art("Notes", OTHER, start=20)],
                                     restore=True)
    assert (again.new, again.restored, again.present, again.updated) == (1, 1, 1, 0)
    kept = fresh_store.article(second)
    assert kept is not None and kept.body == OTHER
    assert fresh_store.orphans() == []


def test_links_stay_deleted_as_the_store_pairs_them(fresh_store: Store) -> None:
    url = "https://example.org/bridge"
    fresh_store.add_articles([art("Bridge", "", path="/pocket.csv", url=url, stub=True)])
    fresh_store.delete_articles([id_of(fresh_store, "Bridge")])
    # The stub again, and the full text of its link (which would have filled it in).
    assert fresh_store.add_articles([art("Bridge", "", path="/pocket.csv", url=url,
                                         stub=True)]).deleted == 1
    full = fresh_store.add_articles([art("The Bridge", BODY, path="/feed.xml", url=url)])
    assert (full.new, full.deleted) == (0, 1)
    assert fresh_store.count() == 0


def test_a_full_article_is_not_buried_by_another_with_its_url(fresh_store: Store) -> None:
    url = "https://example.org/front-page"
    fresh_store.add_articles([art("Bridge", BODY, path="/a.txt", url=url)])
    fresh_store.delete_articles([id_of(fresh_store, "Bridge")])
    # Two full texts with one URL are two articles to the store: the other one imports.
    result = fresh_store.add_articles([art("Lighthouse", OTHER, path="/b.txt", url=url)])
    assert (result.new, result.deleted) == (1, 0)
    # A stub of that URL would have merged into the deleted article: it stays out.
    stub = fresh_store.add_articles([art("Bridge", "", path="/c.csv", url=url, stub=True)])
    assert stub.deleted == 0 and stub.merged == 1  # the live article of that URL takes it


def test_restore_brings_back_the_article_without_its_highlights(library: Store) -> None:
    bridge = id_of(library, "Bridge")
    highlight(library, bridge, "approved the budget", note="finally")
    library.delete_articles([bridge])
    restored = library.add_articles([art("Bridge", BODY, tags=("harbour", "council"))],
                                    restore=True)
    assert (restored.new, restored.restored, restored.deleted) == (1, 1, 0)
    back = id_of(library, "Bridge")
    assert library.annotations(back) == []
    assert [(t.name, t.count) for t in library.tags()] == [("council", 1), ("harbour", 2)]
    assert [h.id for h in library.search("budget")] == [back]
    # The tombstone is gone: a plain re-import finds it present.
    again = library.add_articles([art("Bridge", BODY, tags=("harbour", "council"))])
    assert (again.present, again.deleted) == (1, 0)
    assert count(library, "deleted") == count(library, "deleted_places") == 0


def test_restore_of_an_edited_file_counts_once(library: Store) -> None:
    library.delete_articles([id_of(library, "Bridge")])
    result = library.add_articles([art("Bridge", BODY + " More.", start=2)], restore=True)
    assert (result.new, result.restored) == (1, 1)
    assert count(library, "deleted") == 0


def test_deleted_twice_after_a_restore(library: Store) -> None:
    library.delete_articles([id_of(library, "Bridge")])
    library.add_articles([art("Bridge", BODY)], restore=True)
    assert len(library.delete_articles([id_of(library, "Bridge")])) == 1
    assert library.add_articles([art("Bridge", BODY)]).deleted == 1


def test_tombstones_outlive_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    with Store(path) as store:
        store.add_articles([art("Bridge", BODY)])
        store.delete_articles([id_of(store, "Bridge")])
    with Store(path) as store:
        assert store.add_articles([art("Bridge", BODY)]).deleted == 1
        assert store.count() == 0


def test_reimport_counts_highlights_that_lost_their_place(library: Store) -> None:
    bridge = id_of(library, "Bridge")
    highlight(library, bridge, "approved the budget")
    highlight(library, bridge, "since 2015")
    edited = BODY.replace("approved the budget", "threw out the plan")
    result = library.add_articles([art("Bridge", edited, tags=("harbour", "council"))])
    assert (result.updated, result.orphaned) == (1, 1)
    # Already an orphan: not counted again.
    again = library.add_articles([art("Bridge", edited + " Later.", tags=("harbour",))])
    assert (again.updated, again.orphaned) == (1, 0)


# -- the command line ----------------------------------------------------------


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Path]:
    """A library file with two articles imported from a Markdown folder, and that folder."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "bridge.md").write_text(
        f"---\ntitle: Bridge\ntags: [harbour, council]\n---\n\n{BODY}\n", encoding="utf-8")
    (folder / "lighthouse.md").write_text(
        f"---\ntitle: Lighthouse\ntags: [harbour]\n---\n\n{OTHER}\n", encoding="utf-8")
    path = tmp_path / "library.db"
    assert invoke("import", str(folder), "--db", str(path)).exit_code == 0
    return path, folder


def test_delete_names_the_article_and_its_highlights(db: tuple[Path, Path]) -> None:
    path, _ = db
    with Store(path) as store:
        bridge = id_of(store, "Bridge")
        highlight(store, bridge, "approved the budget", note="finally")
        highlight(store, bridge, "since 2015")
    result = invoke("delete", str(bridge), "--yes", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert f"{bridge}  Bridge — 2 highlights, 1 with a note" in result.output
    assert "deleted 1 article (2 highlights, 1 with a note)" in result.output
    with Store(path) as store:
        assert [a.title for a in store.iter_articles()] == ["Lighthouse"]
        assert count(store, "annotations") == 0
    tags = invoke("tags", "--db", str(path)).output.split("\n")
    assert [line.split() for line in tags if line] == [["1", "harbour"]]


def test_unknown_ids_are_reported_one_line_each(db: tuple[Path, Path]) -> None:
    path, _ = db
    with Store(path) as store:
        lighthouse = id_of(store, "Lighthouse")
    result = invoke("delete", "998", str(lighthouse), "abc", "999", "²", "9" * 30, "--yes",
                    "--db", str(path))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == ["error: abc: not an article id (a number)",
                      "error: ²: not an article id (a number)",
                      f"error: {'9' * 30}: not an article id (a number)",
                      "error: 998: no such article", "error: 999: no such article"]
    assert "deleted 1 article (no highlights)" in result.output
    with Store(path) as store:
        assert store.article(lighthouse) is None


def test_without_a_terminal_it_takes_yes_to_delete(db: tuple[Path, Path]) -> None:
    path, _ = db
    with Store(path) as store:
        bridge = id_of(store, "Bridge")
    result = invoke("delete", str(bridge), "--db", str(path))
    assert result.exit_code == 1
    assert "nothing deleted: add --yes" in result.output
    with Store(path) as store:
        assert store.count() == 2


def test_at_a_terminal_it_asks(db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = db
    monkeypatch.setattr(maintenance, "_at_terminal", lambda: True)
    with Store(path) as store:
        bridge, lighthouse = id_of(store, "Bridge"), id_of(store, "Lighthouse")
    declined = invoke("delete", str(bridge), str(lighthouse), "--db", str(path), input="n\n")
    assert "Delete 2 articles? [y/N]" in declined.output
    assert declined.exit_code == 1 and "nothing deleted" in declined.output
    with Store(path) as store:
        assert store.count() == 2
    accepted = invoke("delete", str(bridge), "--db", str(path), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "Delete 1 article? [y/N]" in accepted.output and "deleted 1 article" in accepted.output
    with Store(path) as store:
        assert [a.title for a in store.iter_articles()] == ["Lighthouse"]


def test_archive_text_in_a_title_never_reaches_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    with Store(path) as store:
        store.add_articles([art("Evil\x1b[2J\x07 title\rhere", BODY)])
        article_id = store.article_ids()[0]
    result = invoke("delete", str(article_id), "--yes", "--db", str(path))
    assert result.exit_code == 0
    assert "Evil" in result.output
    assert not any(c in result.output for c in "\x1b\x07\r")


def test_reimport_after_delete_then_restore(db: tuple[Path, Path]) -> None:
    path, folder = db
    with Store(path) as store:
        bridge = id_of(store, "Bridge")
    invoke("delete", str(bridge), "--yes", "--db", str(path))
    again = invoke("import", str(folder), "--db", str(path))
    assert again.exit_code == 0, again.output
    assert ("0 new, 1 already present, 0 merged, 1 deleted before, left out "
            "(--restore brings them back)") in again.output
    # A file whose every article was deleted is not an error.
    alone = invoke("import", str(folder / "bridge.md"), "--db", str(path))
    assert alone.exit_code == 0, alone.output
    restored = invoke("import", str(folder), "--restore", "--db", str(path))
    assert restored.exit_code == 0, restored.output
    assert "1 new, 1 already present, 0 merged, 1 restored, 0 skipped" in restored.output
    with Store(path) as store:
        assert sorted(a.title for a in store.iter_articles()) == ["Bridge", "Lighthouse"]
    tags = invoke("tags", "--db", str(path)).output
    assert [line.split() for line in tags.splitlines()] == [["1", "council"], ["2", "harbour"]]


def test_import_summary_names_highlights_that_lost_their_place(db: tuple[Path, Path]) -> None:
    path, folder = db
    with Store(path) as store:
        highlight(store, id_of(store, "Bridge"), "approved the budget")
    page = folder / "bridge.md"
    page.write_text(page.read_text().replace("approved the budget", "threw out the plan"))
    result = invoke("import", str(folder), "--db", str(path))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    assert ("1 highlight no longer found in changed text: kept as orphans "
            "(O in the reader lists them)") in result.output


@pytest.mark.parametrize("query", [(), ("",), ("  ", "")])
def test_search_without_a_query_is_an_error(db: tuple[Path, Path], query: tuple[str, ...]) -> None:
    path, _ = db
    result = invoke("search", *query, "--db", str(path))
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: nothing to search for: give words or filters, e.g. reader search "
        "'tag:news bridge'"]


def test_delete_help_has_an_example() -> None:
    result = invoke("delete", "-h")
    assert result.exit_code == 0
    assert "reader delete 12 40" in result.output and "--yes" in result.output
