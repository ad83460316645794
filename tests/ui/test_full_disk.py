"""A note the library cannot take (a full disk) is never lost, nor is quitting silent.

The library's note writes fail as on a full disk, and so does every file the
unsaved notes could go to: the note stays in memory, the user is told where it
can go, and `q` asks first, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from textual.pilot import Pilot

from reader.store import Store, StoreError
from reader.ui import session as session_module
from reader.ui.dialogs import ConfirmScreen, NoteEditorScreen, PathScreen
from reader.ui.screens.main import MainScreen
from tests.ui.support import ARTICLES, Heard, settle

NOTE = "a thought the disk had no room for"


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A library whose note writes fail, and no file the unsaved notes can be written to."""
    store = Store(tmp_path / "library.db")
    store.add_articles(ARTICLES)

    def full(self: Store, annotation_id: int, note: str) -> None:
        raise StoreError("database or disk is full")

    monkeypatch.setattr(Store, "set_note", full)
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(session_module, "note_places",
                        lambda library: [blocker / "unsaved-notes.txt"])
    yield store
    store.close()


async def write_note(pilot: Pilot) -> MainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("enter")
    await pilot.press("g", "a")
    assert isinstance(pilot.app.screen, NoteEditorScreen)
    await pilot.press(*NOTE)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return screen


async def test_a_refused_note_is_kept_and_quitting_asks_first(make_app, full_disk, tmp_path):
    app = make_app(full_disk)
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        screen = await write_note(pilot)
        assert [n.text for n in screen.session.unsaved_notes] == [NOTE]
        assert heard.said("database or disk is full")
        assert heard.said("kept in memory")
        assert heard.said("Copy unsaved notes") and heard.said("Save unsaved notes to")
        # q does not quit: it asks, naming the note.
        await pilot.press("q")
        await settle(pilot)
        assert app.return_code is None
        assert isinstance(app.screen, ConfirmScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert NOTE[:20] in shown
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and app.return_code is None
        # The palette offers another place; the note goes there.
        titles = {title: run for title, _, run in screen.palette_commands()}
        assert "Copy unsaved notes" in titles
        titles["Save unsaved notes to…"]()
        await settle(pilot)
        assert isinstance(app.screen, PathScreen)
        elsewhere = tmp_path / "elsewhere.txt"
        await pilot.press(*str(elsewhere), "enter")
        await settle(pilot)
        assert NOTE in elsewhere.read_text(encoding="utf-8")
        assert not screen.session.unsaved_notes
        # Nothing is left to lose: q quits.
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


async def test_quitting_anyway_prints_the_note(make_app, full_disk, capfd):
    app = make_app(full_disk)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await write_note(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 1
    printed = capfd.readouterr()
    assert NOTE in printed.out + printed.err  # the terminal is the last place it can go


async def test_the_clipboard_takes_a_note_no_file_could(make_app, full_disk, monkeypatch):
    import pyperclip

    def broken(*args, **kwargs):
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(pyperclip, "copy", broken)
    monkeypatch.setattr(pyperclip, "paste", broken)
    app = make_app(full_disk)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await write_note(pilot)
        titles = {title: run for title, _, run in screen.palette_commands()}
        with mock.patch.object(app, "copy_to_clipboard") as osc52:
            titles["Copy unsaved notes"]()
            await settle(pilot)
        osc52.assert_called_once()
        assert NOTE in osc52.call_args.args[0]
        assert not screen.session.unsaved_notes
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0
