"""A busy library (another program importing) never blocks the interface or loses a change.

Two Store objects share one file: `importing` holds the write lock the way
`reader import` does while the app, driven by Pilot, stars an article and
writes a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.store import Store
from reader.ui import session as writes
from reader.ui.dialogs import NoteEditorScreen
from reader.ui.panes import reader_pane
from reader.ui.screens.main import MainScreen
from tests.ui.support import ARTICLES, Heard, settle


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "library.db")
    store.add_articles(ARTICLES)
    yield store
    store.close()


@pytest.fixture
def importing(library: Store) -> Iterator[Store]:
    """A second connection, as `reader import` in another terminal has."""
    other = Store(library.path)
    yield other
    other.close()


def stored(path: str, article_id: int) -> tuple[bool, list[tuple[str, str]]]:
    """(starred, [(quote, note)]) as a third connection reads them."""
    with Store(path) as check:
        summary = check.summaries([article_id])[0]
        return summary.starred, [(a.anchor.quote, a.note) for a in check.annotations(article_id)]


async def until(pilot: Pilot, condition, tries: int = 200) -> None:
    """Wait (bounded) for the background writer."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)


async def star_and_note(pilot: Pilot, screen: MainScreen) -> int:
    """Open the first article, star it and write a note on its first sentence."""
    await pilot.press("enter")
    article = screen.reader_pane.reading_view.article
    assert article is not None
    await pilot.press("s")
    await pilot.press("g", "a")
    assert isinstance(pilot.app.screen, NoteEditorScreen)
    await pilot.press(*"kept while busy")
    await pilot.press("ctrl+s")
    return article.id


async def test_busy_library_keeps_changes_and_saves_them_later(make_app, library, importing,
                                                               monkeypatch):
    # No read timer firing mid-test on a slow machine: marking read lays the article out
    # again, which moves a cursor left on the title to the body.
    monkeypatch.setattr(reader_pane, "READ_AFTER", 3600)
    app = make_app(library)
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        with importing.transaction():
            article_id = await star_and_note(pilot, screen)
            # The editor closed, the note is shown, the star too: the intended state.
            assert not isinstance(app.screen, NoteEditorScreen)
            assert [h.note for h in screen.reader_pane.reading_view.highlights] == ["kept while busy"]
            assert screen.reader_pane.reading_view.article is not None
            assert screen.reader_pane.reading_view.article.starred
            assert screen.list_pane.article_list.summary(0) is not None
            assert screen.list_pane.article_list.summary(0).starred  # type: ignore[union-attr]
            assert len(screen.session.pending) >= 3  # star, highlight, note (in order)
            assert heard.said("kept")
            # Still responsive: keys keep moving the cursor while the lock is held.
            before = screen.reader_pane.reading_view.cursor_line
            await pilot.press("j", "j")
            assert screen.reader_pane.reading_view.cursor_line == before + 2
            assert stored(library.path, article_id) == (False, [])
        await until(pilot, lambda: not screen.session.pending)
        await settle(pilot)
        starred, notes = stored(library.path, article_id)
        assert starred
        assert len(notes) == 1 and notes[0][1] == "kept while busy"
        # The stored state is shown now, and it is the same.
        assert [h.note for h in screen.reader_pane.reading_view.highlights] == ["kept while busy"]
        assert all(h.id > 0 for h in screen.reader_pane.reading_view.highlights)
        assert heard.said("saved")


async def test_later_writes_queue_behind_earlier_ones(make_app, library, importing):
    """Star then unstar while busy: saved in order, so the star ends up off."""
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        with importing.transaction():
            await pilot.press("enter")
            article = screen.reader_pane.reading_view.article
            assert article is not None
            await pilot.press("s", "s", "s")
            assert len(screen.session.pending) == 3
        await until(pilot, lambda: not screen.session.pending)
        assert stored(library.path, article.id)[0] is True


async def test_quit_while_busy_says_what_was_not_saved(make_app, library, importing,
                                                      monkeypatch):
    monkeypatch.setattr(writes, "QUIT_WAIT", 0.3)
    app = make_app(library)
    with importing.transaction():
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await star_and_note(pilot, screen)
            await pilot.press("q")
            await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1
    notes = Path(library.path).with_name("library-unsaved-notes.txt")
    assert "kept while busy" in notes.read_text(encoding="utf-8")
    assert stored(library.path, 1)[1] == []
