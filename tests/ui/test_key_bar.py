"""The key bar at any width: help, search and quit are always shown."""

from __future__ import annotations

import pytest

from reader.ui.widgets.key_bar import KeyBar
from tests.ui.test_annotations import open_newest


def bar_text(app) -> str:
    bar = app.screen.query_one(KeyBar)
    return str(bar.render())


@pytest.mark.parametrize("size", [(80, 24), (64, 24), (120, 36)])
async def test_help_search_and_quit_stay_in_a_narrow_key_bar(make_app, store, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_newest(pilot)
        text = bar_text(app)
        assert "? Help" in text and "/ Search" in text and "q Quit" in text
        assert "^p Commands" in text
        assert len(text) <= size[0]


async def test_a_wide_key_bar_keeps_every_key(make_app, store):
    app = make_app()
    async with app.run_test(size=(200, 36)) as pilot:
        await open_newest(pilot)
        text = bar_text(app)
        # Keys of the reading view, the screen and the app, none given way.
        for key in ("v Select", "h Highlight", "s Star", "m Read", "/ Search", "q Quit"):
            assert key in text


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_selection_shows_that_digits_pick_its_colour(make_app, store, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_newest(pilot)
        assert "Colour" not in bar_text(app)  # 1–4 switch panes
        await pilot.press("v")
        await pilot.pause()
        assert "1–5 Colour" in bar_text(app) and "h Highlight" in bar_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Colour" not in bar_text(app)
