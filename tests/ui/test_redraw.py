"""Keys redraw only the lines they change: what is on screen after each key must be
what a full redraw of every widget would draw."""

from __future__ import annotations

from reader.ui.screens.main import MainScreen
from reader.ui.widgets.cursor_list import CursorList
from tests.ui.support import settle

SIZE = (120, 36)


async def _same_as_full_redraw(pilot) -> None:
    app = pilot.app
    await pilot.pause()
    drawn = app.export_screenshot()
    screen = app.screen
    assert isinstance(screen, MainScreen)
    screen.reader_pane.reading_view.forget_drawn_lines()
    for widget in screen.walk_children():
        if isinstance(widget, CursorList):
            widget.forget_drawn_rows()
        widget.refresh()
    await pilot.pause()
    assert drawn == app.export_screenshot()


async def test_list_keys_draw_what_a_full_redraw_draws(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:  # a short pane: keys scroll it
        await settle(pilot)
        for keys in (["j"], ["j"] * 6, ["space"], ["k"], ["G"], ["g"], ["s"], ["j", "m"],
                     ["tab"], ["shift+tab"],
                     # The open article's row changes while the cursor is elsewhere.
                     ["enter"], ["2", "j", "3", "s"], ["m"]):
            await pilot.press(*keys)
            await _same_as_full_redraw(pilot)


async def test_reading_keys_draw_what_a_full_redraw_draws(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_article(store.article_ids(tag="long-read")[0])
        screen.action_focus_pane("reading")
        await settle(pilot)
        for keys in (["j"], ["j"] * 40, ["k"] * 3, ["space"], ["b"], ["G"], ["g"],
                     ["j", "w", "w"], ["v"], ["j", "j"], ["shift+down"], ["escape"],
                     ["f", *"press", "enter"], ["n"], ["n"], ["N"], ["tab"], ["3"]):
            await pilot.press(*keys)
            await settle(pilot)
            await _same_as_full_redraw(pilot)
