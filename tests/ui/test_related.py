"""Related articles: R (or the palette) lists the articles most like one in the list pane;
enter opens one, escape goes back to where the reader was."""

from __future__ import annotations

from textual.content import Content

from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui.panes.list_pane import ListPane
from reader.ui.screens.main import MainScreen
from tests.ui.support import Heard, settle

SIZE = (120, 36)


def main(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def shown_title(widget) -> str:
    """A border title as shown (the widget hands it back as markup)."""
    return Content.from_markup(widget.border_title).plain


def row_text(results, row: int) -> str:
    """The text of a result's first line as drawn (rows are three lines high)."""
    return results.render_line(row * 3).text


async def open_titled(pilot, screen: MainScreen, title: str) -> None:
    listed = screen.list_pane.article_list
    index = next(i for i in range(listed.row_count) if listed.summary(i).title == title)
    screen.action_focus_pane("articles")
    listed.move_cursor(index)
    await pilot.press("enter")
    await settle(pilot)


async def test_r_lists_related_articles_enter_opens_escape_returns(make_app, store):
    heard = Heard()
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=heard) as pilot:
        await settle(pilot)
        screen = main(app)
        source = "Your First Hour in the Terminal"
        await open_titled(pilot, screen, source)
        reading = screen.reader_pane.reading_view
        assert reading.has_focus and reading.article.title == source
        await pilot.press("R")
        await settle(pilot)
        pane = screen.list_pane
        results = pane.related_results
        assert results.has_focus and pane.related_to == reading.article.id
        assert shown_title(results) == f"Related to: {source}"
        expected = [h.id for h in store.related(reading.article.id, limit=30)]
        assert [h.id for h in results.hits] == expected and expected
        assert reading.article.id not in expected
        assert not pane.article_list.display  # the list gives way to the related articles
        # enter opens the one under the cursor.
        await pilot.press("j", "enter")
        await settle(pilot)
        chosen = [m for m in heard.messages if isinstance(m, ListPane.ArticleChosen)]
        assert chosen[-1].article_id == expected[1]
        assert reading.has_focus and reading.article.id == expected[1]
        # escape: back to the related articles; again: the list as it was, and the reading
        # view, where R was pressed.
        await pilot.press("escape")
        assert results.has_focus and pane.related_to is not None
        await pilot.press("escape")
        assert pane.related_to is None and pane.article_list.display
        assert not results.display
        assert reading.has_focus


async def test_r_from_the_list_and_back_to_it(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        listed = screen.list_pane.article_list
        listed.focus()
        index = next(i for i in range(listed.row_count)
                     if listed.summary(i).title == "Zürich Before Nine")
        listed.move_cursor(index)
        target = listed.highlighted_id
        await pilot.press("R")
        await settle(pilot)
        assert screen.list_pane.related_to == target
        assert screen.reader_pane.article_id is None  # nothing was opened
        assert [h.id for h in screen.list_pane.related_results.hits] == [
            h.id for h in store.related(target, limit=30)]
        await pilot.press("escape")
        assert listed.has_focus and listed.cursor == index


async def test_palette_lists_related_articles(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await open_titled(pilot, screen, "A Long History of the Typeface")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"related articles")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        pane = screen.list_pane
        assert pane.related_to == screen.reader_pane.article_id
        assert pane.related_results.hits


async def test_a_search_shows_again_after_related(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *"tomato")
        await settle(pilot)
        await pilot.press("enter")  # to the results
        pane = screen.list_pane
        shown = [h.id for h in pane.search_results.hits]
        await pilot.press("R")
        await settle(pilot)
        assert pane.related_to == shown[0] and pane.related_results.has_focus
        # Nothing is like this one in the fixture library: the list says so.
        assert not pane.related_results.hits
        assert "No related articles." in row_text(pane.related_results, 0) + "".join(
            pane.related_results.render_line(y).text for y in range(3))
        await pilot.press("escape")
        assert pane.searching and [h.id for h in pane.search_results.hits] == shown
        assert pane.search_results.has_focus


def _article(n: int, title: str, topic: str = "Tomatoes and gardens") -> ParsedArticle:
    body = (f"{topic}, number {n}. Growing {topic.lower()} in small places takes patience, "
            "stakes and water.")
    return ParsedArticle(title=title, body=body, date=f"2022-03-{n + 1:02d}", source="Plot",
                         tags=("garden",), provenance=Provenance("hostile.md", "text", n, n))


HOSTILE_TITLES = [
    "[bold]Tomato[/bold] gardens",
    "Tomato gardens \x1b[31mred\x1b[0m and \x9b2J",
    "[@click=app.quit]x[/] \x07 Tomato gardens",
]


async def test_hostile_titles_show_literally(make_app):
    library = Store(memory=True)
    library.add_articles([_article(n, title) for n, title in enumerate(HOSTILE_TITLES)])
    # Others, unlike them (a word in most articles tells nothing about likeness).
    library.add_articles([_article(10 + n, f"Other {topic}", topic) for n, topic in
                          enumerate(["Harbour engines", "Printer ledgers", "Lantern meadows",
                                     "Courier signals", "Kettle orchards"])])
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await open_titled(pilot, screen, HOSTILE_TITLES[1])
        await pilot.press("R")
        await settle(pilot)
        results = screen.list_pane.related_results
        title = shown_title(results)
        assert title.startswith("Related to: Tomato gardens ")
        assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in title)
        assert "␛[31mred" in title
        assert len(results.hits) == 2
        drawn = [row_text(results, row) for row in range(len(results.hits))]
        assert any("[bold]Tomato[/bold]" in line for line in drawn), drawn
        assert any("[@click=app.quit]x[/] ␇" in line for line in drawn), drawn
        for line in drawn:
            assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in line), line
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # nothing was clicked or quit
        assert screen.reader_pane.article_id == results.hits[0].id
