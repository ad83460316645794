"""Deleting an article from the list: `x` asks, naming it and what goes with it."""

from __future__ import annotations

from textual.widgets import Static

from reader.ui.dialogs import ConfirmScreen, cut
from tests.ui.support import settle
from tests.ui.test_snapshots import _highlighted


def _detail(app) -> str:
    return str(app.screen.query_one("#confirm-detail", Static).render())


async def _to_row(pilot, title: str) -> None:
    articles = pilot.app.screen.list_pane.article_list
    while not articles.summary(articles.cursor).title.startswith(title):
        await pilot.press("j")


async def test_x_asks_naming_the_article_and_its_highlights_then_deletes(make_app, store):
    _highlighted(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        articles = app.screen.list_pane.article_list
        await _to_row(pilot, "Balcony")
        index = articles.cursor
        below = articles.ids[index + 1]
        gone = articles.highlighted_id
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        detail = _detail(app)
        assert "Balcony Tomatoes in a Windy Spring" in detail
        assert "2 highlights (1 with a note) go with it." in detail
        await pilot.press("y")
        await settle(pilot)
        assert store.article(gone) is None
        assert store.annotations(gone) == []
        assert gone not in articles.ids and len(articles.ids) == 7
        assert articles.cursor == index and articles.highlighted_id == below
        assert "· 7" in str(articles.border_title)


async def test_no_keeps_the_article(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        articles = app.screen.list_pane.article_list
        kept = articles.highlighted_id
        await pilot.press("x")
        assert "No highlights go with it." in _detail(app)
        await pilot.press("n")
        await settle(pilot)
        assert store.article(kept) is not None and len(articles.ids) == 8


async def test_deleting_the_open_article_closes_it_and_the_last_row_keeps_a_cursor(
        make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        articles = screen.list_pane.article_list
        await pilot.press("G", "enter")
        await settle(pilot)
        opened = screen.reader_pane.article_id
        assert opened is not None
        await pilot.press("2", "x", "y")
        await settle(pilot)
        assert screen.reader_pane.article_id is None
        assert articles.cursor == len(articles.ids) - 1 == 6
        # Outside the list, x is not a delete.
        await pilot.press("3", "x")
        assert not isinstance(app.screen, ConfirmScreen)


def test_the_dialog_cuts_long_text_with_an_ellipsis():
    assert cut("a  b\nc", 10) == "a b c"
    cutted = cut("word " * 50, 20)
    assert len(cutted) <= 20 and cutted.endswith("…")


async def test_delete_is_in_the_help_by_its_id(make_app):
    from reader.ui.app import help_sections

    app = make_app(keys={"list.delete": "D"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = [row for _, rows in help_sections(app, app.config.keys) for row in rows]
        assert ("D", "Delete", "list.delete") in rows
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
