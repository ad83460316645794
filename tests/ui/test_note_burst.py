"""Keys typed right after `e` (or `a`) land in the note editor, none lost: a terminal
delivers a paste or `tmux send-keys` as one burst, before the editor has opened."""

from __future__ import annotations

from textual.widgets import TextArea

from reader.ui.dialogs import NoteEditorScreen
from tests.ui.support import burst, settle
from tests.ui.test_snapshots import _highlighted


def _typed(app) -> str:
    return app.screen.query_one("#note-text", TextArea).text


async def test_keys_after_e_in_the_annotations_pane_reach_the_editor(make_app, store):
    _highlighted(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await burst(pilot, "eWeChat in Chinese")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert _typed(app) == "WeChat in Chinese"


async def test_keys_after_a_in_the_reading_view_reach_the_editor(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        await burst(pilot, "vaWeChat in Chinese")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert _typed(app) == "WeChat in Chinese"
