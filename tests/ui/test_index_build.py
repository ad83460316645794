"""The search index built in the background: the interface tells of it, never waits for it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import reader.index
from reader.index import index_path
from reader.store import Store
from reader.ui.panes import list_pane
from reader.ui.screens.main import MainScreen
from tests.ui.support import ARTICLES, Heard, settle

SIZE = (120, 36)


def library_without_index(tmp_path: Path) -> Path:
    """A library on disk whose index was removed (as after an upgrade: a full build)."""
    path = tmp_path / "library.db"
    with Store(path) as store:
        store.add_articles(ARTICLES)
        assert store.search("compost")
        store.search_index.prune(store.conn)  # the log no longer holds every change
    shutil.rmtree(index_path(path))
    return path


def held_build(monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> threading.Event:
    """The background build waits for the event returned before it reads the articles
    (or raises, with `fail`); searches on other threads read as usual."""
    release = threading.Event()
    read_rows = reader.index.read_rows

    def reading(conn, ids):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "search-index-build":
            release.wait(30)
            if fail:
                raise RuntimeError("disk on fire [bold]")
        return read_rows(conn, ids)

    monkeypatch.setattr(reader.index, "read_rows", reading)
    return release


async def until(pilot, done) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("never happened")


async def test_search_waits_for_the_build_then_shows_results_by_itself(
        make_app, tmp_path, monkeypatch):
    path = library_without_index(tmp_path)
    monkeypatch.setattr(list_pane, "SHOW_AFTER", 0.0)
    release = held_build(monkeypatch)
    heard = Heard()
    with Store(path) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=heard) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            pane = screen.list_pane
            assert pane.session.index.building
            # Browsing works meanwhile; the list tells of the build.
            assert len(pane.article_list.ids) == len(ARTICLES)
            assert "search index" in str(pane.article_list.border_subtitle)
            assert heard.said("Building the search index (it was missing)")
            await pilot.press("slash", *"compo")
            await settle(pilot)
            results = pane.search_results
            assert results.row_count == 0
            assert results.empty_message.startswith("Building the search index")
            assert "Nothing found" not in results.empty_message
            assert "indexing…" in str(results.border_title)
            release.set()
            await until(pilot, lambda: not pane.session.index.building)
            await until(pilot, lambda: results.row_count > 0)  # no key pressed
            assert [h.title for h in results.hits][:1] == ["Compost in a Cupboard"]
            assert "found" in str(results.border_title)
            assert "search index" not in str(pane.article_list.border_subtitle)
            assert heard.said("The search index is ready.")
    with Store(path) as store:
        assert store.search_index.needs_build(store.conn) is None


async def test_a_build_that_fails_says_so_once_and_the_interface_runs_on(
        make_app, tmp_path, monkeypatch):
    path = library_without_index(tmp_path)
    release = held_build(monkeypatch, fail=True)
    heard = Heard()
    with Store(path) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=heard) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            pane = screen.list_pane
            await pilot.press("slash", *"compo")
            await settle(pilot)
            assert pane.search_results.empty_message.startswith("Building the search index")
            release.set()
            await until(pilot, lambda: pane.session.index.state == "failed")
            await settle(pilot)
            failed = [t for t in heard.toasts if "could not be built" in t]
            assert len(failed) == 1
            assert "disk on fire [bold]" in failed[0] and "reader reindex" in failed[0]
            message = pane.search_results.empty_message
            assert "could not be built" in message and "reader reindex" in message
            assert "no index" in str(pane.search_results.border_title)
            # Another search says the same, at once; browsing goes on.
            await pilot.press("backspace")
            await settle(pilot)
            assert "could not be built" in pane.search_results.empty_message
            assert len([t for t in heard.toasts if "could not be built" in t]) == 1
            await pilot.press("escape")
            assert pane.article_list.has_focus
            await pilot.press("down", "enter")
            await settle(pilot)
            assert screen.reader_pane.reading_view.article is not None


async def test_an_index_that_cannot_even_be_looked_at_is_said_once(
        make_app, tmp_path, monkeypatch):
    path = library_without_index(tmp_path)

    def unreadable(self, conn):  # type: ignore[no-untyped-def]
        raise OSError("permission denied")

    monkeypatch.setattr(reader.index.SearchIndex, "needs_build", unreadable)
    heard = Heard()
    with Store(path) as store:
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=heard) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            pane = screen.list_pane
            assert pane.session.index.state == "failed"
            await pilot.press("slash", *"compo")
            await settle(pilot)
            assert "permission denied" in pane.search_results.empty_message
            await pilot.press("s")
            await settle(pilot)
            assert "permission denied" in pane.search_results.empty_message
            assert len([t for t in heard.toasts if "could not be built" in t]) == 1
            assert len(pane.article_list.ids) == len(ARTICLES)
