"""The key journeys, driven by keys through Pilot on a fixed library."""

from __future__ import annotations

import pytest

from reader import render
from reader.ui.dialogs import HelpScreen, TagEditorScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.tag_list import TagFilter
from tests.ui.support import settle

SIZE = (120, 36)


def main(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def shown(screen: MainScreen) -> list[str]:
    """The reading view's lines as plain text."""
    return [render.plain(line) for line in screen.reader_pane.reading_view.lines]


async def test_opens_with_every_article_newest_first(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.list_pane.article_list.ids == store.article_ids(sort="date")
        assert screen.list_pane.article_list.has_focus
        first = store.summaries(store.article_ids()[:1])[0]
        assert first.title == "Your First Hour in the Terminal"
        counts = {f.label: f for f in screen.tag_list.filters}
        assert "#gardening" in counts and "Unread" in counts


async def test_tag_article_read_position_restored(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        # Pick the tag: focus the tag pane, move to #gardening, enter.
        await pilot.press("1")
        assert screen.tag_list.has_focus
        target = screen.tag_list.filters.index(TagFilter("all", "gardening"))
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        gardening = store.article_ids(tag="gardening")
        assert screen.list_pane.article_list.ids == gardening
        assert screen.list_pane.article_list.has_focus
        # Open the first one and page down twice.
        await pilot.press("enter")
        await pilot.pause()
        reading = screen.reader_pane.reading_view
        assert reading.has_focus
        assert reading.article.id == gardening[0]
        assert reading.article.title in shown(screen)[0]
        await pilot.press("space", "space")
        await pilot.pause()
        scrolled = reading.scroll_y
        assert scrolled > 0
        fraction = reading.position
        # Open another article: the first one's place is saved.
        await pilot.press("2", "j", "enter")
        await pilot.pause()
        assert reading.article.id == gardening[1]
        assert store.article(gardening[0]).position == pytest.approx(fraction)
        # Back to the first: it opens where it was left.
        await pilot.press("2", "k", "enter")
        await pilot.pause()
        assert reading.article.id == gardening[0]
        assert reading.scroll_y == scrolled


async def test_progress_and_end_marks_read(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        long_id = next(s.id for s in store.articles(limit=50) if "Typeface" in s.title)
        screen.open_article(long_id)
        await pilot.pause()
        reading = screen.reader_pane.reading_view
        assert reading.border_subtitle.endswith("%")
        assert not store.article(long_id).read
        screen.action_focus_pane("reading")
        await pilot.press("G")
        await settle(pilot)
        assert reading.border_subtitle == "100%"
        assert store.article(long_id).read
        assert screen.list_pane.article_list.summary(screen.list_pane.article_list.ids.index(long_id)).read


async def test_star_and_toggle_read_from_the_list(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        first = screen.list_pane.article_list.highlighted_id
        await pilot.press("s")
        await settle(pilot)
        assert store.article(first).starred
        assert screen.list_pane.article_list.summary(0).starred
        assert screen.tag_list.count(TagFilter("starred")) == 1
        await pilot.press("s")
        assert not store.article(first).starred
        await pilot.press("m")
        assert store.article(first).read
        assert screen.list_pane.article_list.summary(0).read
        await pilot.press("m")
        assert not store.article(first).read


async def test_star_acts_on_the_open_article_in_the_reading_view(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "enter")
        await pilot.pause()
        opened = screen.reader_pane.reading_view.article.id
        await pilot.press("s")
        await pilot.pause()
        assert store.article(opened).starred
        assert shown(screen)[0].startswith("★ ")


async def test_edit_tags(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        article_id = screen.list_pane.article_list.highlighted_id
        await pilot.press("t")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, TagEditorScreen)
        field = editor.query_one("Input")
        assert field.value == "terminal"
        field.value = "terminal, Shell tips,  , termina"
        field.cursor_position = len(field.value)
        await pilot.press("l")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert store.article_tags(article_id) == ("Shell tips", "terminal")
        assert TagFilter("all", "Shell tips") in screen.tag_list.filters


async def test_edit_tags_escape_changes_nothing(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_id = main(app).list_pane.article_list.highlighted_id
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert store.article_tags(article_id) == ("terminal",)


async def test_sort_by_title_keeps_the_cursor_article(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("j", "j")
        kept = screen.list_pane.article_list.highlighted_id
        await pilot.press("o")
        await settle(pilot)
        assert screen.list_pane.sort == "title"
        assert screen.list_pane.article_list.ids == store.article_ids(sort="title")
        assert screen.list_pane.article_list.highlighted_id == kept


async def test_list_keys_move_the_cursor(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = main(app).list_pane.article_list
        await pilot.press("G")
        assert article_list.cursor == len(store.article_ids()) - 1
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("down", "j")
        assert article_list.cursor == 2
        await pilot.press("up")
        assert article_list.cursor == 1


async def test_click_opens_an_article(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        row_height = screen.list_pane.article_list.row_height
        # Content starts one cell inside the border; click the third row.
        await pilot.click("#articles", offset=(5, 1 + 2 * row_height))
        await pilot.pause()
        assert screen.reader_pane.reading_view.article.id == store.article_ids()[2]


async def test_help_lists_the_bindings(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = str(app.screen.query_one("#help-table").render())
        for expected in ("article.star", "list.down", "reader.page-down", "app.quit", "Star"):
            assert expected in table
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_palette_runs_a_command(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"by title")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        screen = main(app)
        assert screen.list_pane.sort == "title"
        assert screen.list_pane.article_list.ids == store.article_ids(sort="title")


async def test_palette_offers_tags(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"#china")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        screen = main(app)
        assert screen.list_pane.filter == TagFilter("all", "china")
        assert screen.list_pane.article_list.ids == store.article_ids(tag="china")


async def test_remapped_key(make_app, store):
    app = make_app(keys={"article.star": "S", "list.down": "n"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("n")
        assert screen.list_pane.article_list.cursor == 1
        article_id = screen.list_pane.article_list.highlighted_id
        await pilot.press("s")
        assert not store.article(article_id).starred
        await pilot.press("S")
        assert store.article(article_id).starred
        await pilot.press("question_mark")
        await pilot.pause()
        table = str(app.screen.query_one("#help-table").render())
        star_line = next(line for line in table.splitlines() if "article.star" in line)
        assert star_line.split()[0] == "S"


async def test_empty_library_says_how_to_import(make_app, empty_store):
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        text = "\n".join(shown(screen))
        assert "reader import PATH…" in text
        assert "reader demo" in text
        assert screen.list_pane.article_list.row_count == 0
        await pilot.press("j", "enter", "s", "m", "t", "G")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_theme_toggle_is_remembered(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
    assert 'theme = "textual-light"' in (tmp_path / "config.toml").read_text()


async def test_quit_saves_the_position(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        long_id = next(s.id for s in store.articles(limit=50) if "Typeface" in s.title)
        screen.open_article(long_id)
        screen.action_focus_pane("reading")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        fraction = screen.reader_pane.reading_view.position
        assert fraction > 0
        await pilot.press("q")
    assert store.article(long_id).position == pytest.approx(fraction)


async def test_narrow_terminal_shows_one_pane_at_a_time(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.has_class("-narrow")
        assert not screen.tag_list.display or screen.tag_list.size.width == 0
        assert screen.list_pane.article_list.size.width > 60
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reader_pane.reading_view.has_focus
        assert screen.reader_pane.reading_view.size.width > 60
        assert screen.list_pane.article_list.region.width == 0
        await pilot.press("escape")
        await pilot.pause()
        assert screen.list_pane.article_list.has_focus
        await pilot.press("1")
        await pilot.pause()
        assert screen.tag_list.has_focus and screen.tag_list.region.width > 0


async def test_a_stub_is_marked_in_the_list_and_explained_in_the_reading_view(make_app, store):
    from reader.models import ParsedArticle, Provenance

    store.add_articles([ParsedArticle(
        title="A Saved Link", body="", date="2030-01-01", url="https://example.org/saved",
        provenance=Provenance("pocket.csv", "pocket", 2, 2), stub=True)])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        first = screen.list_pane.article_list.summary(0)
        assert first.title == "A Saved Link" and first.stub
        from rich.style import Style

        row = "".join(seg.text for seg in screen.list_pane.article_list.render_row(0, 0, 60, Style()))
        assert "↗ A Saved Link" in row
        await pilot.press("enter")
        await settle(pilot)
        text = " ".join(shown(screen))
        assert "A saved link without its text." in text
        assert "https://example.org/saved" in text


async def test_an_article_that_fits_is_read_only_after_a_moment(make_app, store, monkeypatch):
    import reader.ui.panes.reader_pane as main_module

    short = next(s.id for s in store.articles(limit=50) if "Pager" in s.title)
    monkeypatch.setattr(main_module, "READ_AFTER", 3600)  # a moment that never ends
    app = make_app()
    async with app.run_test(size=(160, 80)) as pilot:
        await settle(pilot)
        screen = main(app)
        screen.open_article(short)
        await settle(pilot)
        assert screen.reader_pane.reading_view.max_scroll_y == 0  # it fits: its end shows at once
        assert not store.article(short).read
        # Moving on before the moment is over leaves it unread.
        screen.open_article(store.article_ids()[0])
        await settle(pilot)
        assert not store.article(short).read
    monkeypatch.setattr(main_module, "READ_AFTER", 0.01)
    app = make_app()
    async with app.run_test(size=(160, 80)) as pilot:
        await settle(pilot)
        screen = main(app)
        screen.open_article(short)
        articles = screen.list_pane.article_list

        def shown_read() -> bool:
            return articles.summary(articles.ids.index(short)).read

        for _ in range(1000):  # until the moment is over and the list told, however slow the machine
            await pilot.pause(0.01)
            if store.article(short).read and shown_read():
                break
        assert store.article(short).read
        assert shown_read()


async def test_help_scrolls_with_j_and_k(make_app):
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one("#help-keys")
        assert keys.scroll_y == 0
        await pilot.press("j", "j", "j")
        assert keys.scroll_y == 3
        await pilot.press("k")
        assert keys.scroll_y == 2


async def test_a_quick_second_enter_opens_the_first_result(make_app):
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash")
        await pilot.press(*"tomato")
        await settle(pilot)
        assert screen.list_pane.search_results.row_count
        for _ in range(2):  # both queued before either is handled, as a terminal sends them
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await settle(pilot)
        article = screen.reader_pane.reading_view.article
        assert article is not None and article.title.startswith("Balcony")
