"""Links: `l` lists the article's links; one opens only after its address is shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import OptionList

from reader import clipboard, links
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui.dialogs import LinksScreen, OpenLinkScreen
from tests.ui.support import settle, steady

URLS = [
    "https://example.org/one",
    "mailto:someone@example.org",
    "javascript:alert%281%29",
    "https://example.org/[@click=app.quit]x[/bold]",
]
BODY = (
    f"Intro with [the first]({URLS[0]}) link and [a mail]({URLS[1]}) one.\n\n"
    f"A paragraph with [a bad one]({URLS[2]}) in the middle of it.\n\n"
    f"And [markup in the address]({URLS[3]}) at the end."
)


@pytest.fixture
def linked() -> Iterator[Store]:
    library = Store(memory=True)
    library.add_articles([ParsedArticle(
        title="Links of Every Kind", body=BODY, date="2022-01-01",
        provenance=Provenance("fixtures/links.md", "markdown", 1, 5))])
    yield library
    library.close()


@pytest.fixture
def calls(monkeypatch) -> dict[str, list[str]]:
    """Record what would be opened and copied (nothing reaches a browser or clipboard)."""
    seen: dict[str, list[str]] = {"open": [], "copy": []}

    def open_link(url: str) -> tuple[bool, str]:
        seen["open"].append(url)
        return True, "Opened in the browser."

    def copy(text: str, osc52=None) -> clipboard.CopyResult:
        seen["copy"].append(text)
        return clipboard.CopyResult("system", text)

    monkeypatch.setattr(links, "open_link", open_link)
    monkeypatch.setattr(clipboard, "copy", copy)
    return seen


async def open_article(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def listing(app) -> OptionList:
    return app.screen.query_one("#links-list", OptionList)


async def test_links_listed_and_opened_after_showing_the_address(make_app, linked, calls):
    app = make_app(linked)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_article(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LinksScreen)
        assert listing(app).option_count == 4
        assert listing(app).highlighted == 0
        await pilot.press("enter")
        assert isinstance(app.screen, OpenLinkScreen)  # the address first
        assert calls["open"] == []
        await pilot.press("n")
        assert isinstance(app.screen, LinksScreen)  # no: back to the list
        await pilot.press("down", "enter", "y")
        await settle(pilot)
        assert calls["open"] == [URLS[1]]
        assert not isinstance(app.screen, (LinksScreen, OpenLinkScreen))


async def test_a_link_that_may_not_open_can_be_copied(make_app, linked, calls):
    app = make_app(linked)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_article(pilot)
        view = app.screen.reader_pane.reading_view
        for _ in range(view.line_count):
            if view.link_at_cursor() == 3:
                break
            await pilot.press("j")
        assert view.link_at_cursor() == 3
        await pilot.press("l")
        assert listing(app).highlighted == 2  # starts on the cursor line's link
        await pilot.press("enter")
        assert isinstance(app.screen, OpenLinkScreen)
        await pilot.press("y")
        await pilot.press("enter")
        assert isinstance(app.screen, OpenLinkScreen)  # refused: nothing opens
        await pilot.press("c")
        await settle(pilot)
        assert calls == {"open": [], "copy": [URLS[2]]}


async def test_cursor_on_the_list_of_addresses_starts_there(make_app, linked, calls):
    app = make_app(linked)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_article(pilot)
        await pilot.press("G", "l")
        assert listing(app).highlighted == 3
        await pilot.press("c")  # copy straight from the list
        await settle(pilot)
        assert calls["copy"] == [URLS[3]]
        # The hostile address was shown as text: the app did not quit on [@click=…].
        assert app.is_running


async def test_no_links(make_app, calls):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")
        await settle(pilot)
        assert not app.screen.reader_pane.reading_view.links
        await pilot.press("l")
        assert not isinstance(app.screen, LinksScreen)


def test_links_keys_are_remappable():
    from reader.ui.widgets.reading_view import ReadingView

    ids = {b.id for b in ReadingView.BINDINGS}  # type: ignore[union-attr]
    assert "reader.links" in ids


def _picker(pilot_keys: tuple[str, ...]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in pilot_keys:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    return run_before


def test_links_picker_wide(snap_compare, make_app, linked):
    assert snap_compare(make_app(linked), terminal_size=(120, 36),
                        run_before=_picker(("enter", "l")))


def test_links_picker_narrow(snap_compare, make_app, linked):
    """The address in full before it opens, at 80×24."""
    assert snap_compare(make_app(linked), terminal_size=(80, 24),
                        run_before=_picker(("enter", "l", "down", "down", "down", "enter")))


async def _open_titled(pilot, title: str) -> None:
    await settle(pilot)
    articles = pilot.app.screen.list_pane.article_list
    while not articles.summary(articles.cursor).title.startswith(title):
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)


async def test_the_article_address_is_link_0_and_links_show_their_text(make_app, calls):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_titled(pilot, "Paying With a Phone")
        await pilot.press("l")
        assert isinstance(app.screen, LinksScreen)
        shown = [str(listing(app).get_option_at_index(i).prompt)
                 for i in range(listing(app).option_count)]
        assert shown[0].startswith("[0] The article's own address")
        assert "https://example.org/shanghai" in shown[0]
        assert shown[1].startswith("[1] the payments report")
        assert "https://example.org/pay" in shown[1]
        assert "Links · 1" in str(app.screen.query_one("#dialog-title").render())
        await pilot.press("enter")
        assert isinstance(app.screen, OpenLinkScreen)  # asks first
        await pilot.press("y")
        await settle(pilot)
        assert calls["open"] == ["https://example.org/shanghai"]


async def test_o_opens_the_address_after_asking_and_u_copies_it(make_app, calls):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_titled(pilot, "Paying With a Phone")
        await pilot.press("o")
        assert isinstance(app.screen, OpenLinkScreen)
        assert calls["open"] == []
        await pilot.press("n")
        assert calls["open"] == []
        await pilot.press("o", "y")
        await settle(pilot)
        assert calls["open"] == ["https://example.org/shanghai"]
        await pilot.press("u")
        await settle(pilot)
        assert calls["copy"] == ["https://example.org/shanghai"]


async def test_no_address_says_so(make_app, calls):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_titled(pilot, "Compost")
        await pilot.press("o", "u")
        await settle(pilot)
        assert not isinstance(app.screen, OpenLinkScreen)
        assert calls == {"open": [], "copy": []}


async def test_a_stub_points_at_the_address_keys(make_app, store, calls):
    from reader.models import ParsedArticle, Provenance

    store.add_articles([ParsedArticle(
        title="Zz a saved link", body="", date="2018-01-01", source="Pocket",
        url="https://example.org/saved", stub=True,
        provenance=Provenance("fixtures/pocket.html", "pocket", 1, 1))])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_titled(pilot, "Zz a saved link")
        view = app.screen.reader_pane.reading_view
        text = " ".join("".join(t for t, _ in line.spans) for line in view.document.lines)
        assert "o opens" in text and "u copies" in text
        await pilot.press("u")
        await settle(pilot)
        assert calls["copy"] == ["https://example.org/saved"]
