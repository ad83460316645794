"""Archive text is hostile: it must show literally and never act (SPEC §6)."""

from __future__ import annotations

from reader import render
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui.screens.main import MainScreen
from tests.ui.support import settle

HOSTILE = [
    "[@click=app.quit]x[/]",
    "[/bold]",
    "[link=http://x]y[/link]",
    "[b red]loud[/]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGk=\x07",
    "\x9b2J",
]


def hostile_store() -> Store:
    store = Store(memory=True)
    articles = [
        ParsedArticle(
            title=f"{text} title {n}",
            body=f"{text} in the body.\n\n- {text} in a list\n\n> {text} quoted\n\n# {text}",
            date=f"2022-01-{n + 1:02d}",
            source=f"{text} source",
            tags=(text, f"tag {n}"),
            provenance=Provenance("hostile.txt", "text", n, n),
        )
        for n, text in enumerate(HOSTILE)
    ]
    store.add_articles(articles)
    return store


async def test_hostile_text_shows_literally_and_does_nothing(make_app):
    store = hostile_store()
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        rows = [screen.list_pane.article_list.summary(i) for i in range(screen.list_pane.article_list.row_count)]
        assert {r.title for r in rows} == {f"{t} title {n}" for n, t in enumerate(HOSTILE)}
        # Open each article, click around its text, visit each tag.
        for index in range(len(HOSTILE)):
            screen.action_focus_pane("articles")
            screen.list_pane.article_list.move_cursor(index)
            await pilot.press("enter")
            await pilot.pause()
            article = screen.reader_pane.reading_view.article
            lines = [render.plain(line) for line in screen.reader_pane.reading_view.lines]
            # Markup shows as typed; control characters as symbols (␛, ␇).
            text = render.visible(article.title.split(" title ")[0])
            assert "\x1b" not in text and "\x9b" not in text
            assert any(text in line for line in lines[:3]), lines[:3]
            assert any(f"{text} in the body." in line for line in lines)
            await pilot.click("#reading", offset=(4, 2))
            await pilot.click("#reading", offset=(6, 8))
        await pilot.press("1")
        for _ in range(len(screen.tag_list.filters)):
            await pilot.press("j", "enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.press("1")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.press("s", "t")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, MainScreen)
        svg = app.export_screenshot()
        assert "[@click=app.quit]x[/]" in svg.replace("&#160;", " ")
        assert "\x1b" not in svg and "\x07" not in svg


async def test_a_read_only_library_says_changes_cannot_be_saved(make_app, store):
    from tests.ui.support import Heard

    heard = Heard()
    store.read_only = True  # as when the library's folder or mount cannot be written
    async with make_app().run_test(size=(120, 36), message_hook=heard) as pilot:
        await pilot.pause()
        assert heard.said("is read-only") and heard.said("changes cannot be saved")


async def test_a_writable_library_says_nothing_of_the_kind(make_app, store):
    from tests.ui.support import Heard

    heard = Heard()
    async with make_app().run_test(size=(120, 36), message_hook=heard) as pilot:
        await pilot.pause()
        assert not heard.said("read-only")
