"""Room to read: `z` gives an open article the whole screen, `<`/`>` resize the list;
both are kept for the next session."""

from __future__ import annotations

import json

from reader.ui import layout
from tests.ui.support import settle


async def test_z_gives_the_article_the_screen_and_is_remembered(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")
        await settle(pilot)
        wide_before = screen.reader_pane.size.width
        await pilot.press("z")
        await pilot.pause()
        assert not screen.list_pane.display or screen.list_pane.size.width == 0
        assert screen.reader_pane.size.width > wide_before
        assert screen.reader_pane.size.width >= 118
        await pilot.press("escape")  # back to the list: the panes return
        await pilot.pause()
        assert screen.list_pane.size.width > 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reader_pane.size.width >= 118
    assert json.loads((tmp_path / "layout.json").read_text())["reading_only"] is True

    again = make_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert again.screen.reader_pane.size.width >= 118
        await pilot.press("z")  # off again
        await pilot.pause()
        assert again.screen.list_pane.size.width > 0
    assert layout.load(tmp_path / "layout.json").reading_only is False


async def test_the_list_column_is_resized_and_remembered(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.screen.list_pane.size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert app.screen.list_pane.size.width == before + 2 * layout.STEP
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.screen.list_pane.size.width == before + layout.STEP
    again = make_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.screen.list_pane.size.width == before + layout.STEP
    narrow = make_app()
    async with narrow.run_test(size=(80, 24)) as pilot:  # one pane at a time: the full width
        await settle(pilot)
        assert narrow.screen.list_pane.size.width == 80


def test_a_damaged_layout_file_reads_as_the_default(tmp_path):
    path = tmp_path / "layout.json"
    path.write_text("{not json")
    assert layout.load(path) == layout.Layout()
    path.write_text(json.dumps({"reading_only": "yes", "list_width": 10_000}))
    assert layout.load(path) == layout.Layout(False, layout.MAX_LIST)
    assert layout.load(None) == layout.Layout()


async def test_the_first_run_screen_names_the_library_chosen_with_db(empty_store, tmp_path):
    from reader.config import Config
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.texts import WELCOME, welcome

    assert welcome(None) == WELCOME
    assert welcome("bad`name") == WELCOME  # never anything that could break the text
    app = ReaderApp(empty_store, config=Config(path=tmp_path / "config.toml"),
                    db="/srv/my library.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = app.screen.reader_pane.reading_view
        # Long code lines wrap: compare without the spaces.
        text = "".join("".join(t for t, _ in line.spans) for line in view.lines).replace(" ", "")
        assert "reader--db'/srv/mylibrary.db'importPATH…" in text
        assert text.count("reader--db'") == 3  # import, import --preview (may wrap), demo
        assert "reader--db'/srv/mylibrary.db'demo" in text


async def test_the_header_names_a_source_that_is_its_author_once(make_app, store):
    from reader.models import ParsedArticle, Provenance

    store.add_articles([ParsedArticle(
        title="Aa a watch review", body="Text.", date="2030-01-01", source="DC Rainmaker",
        author="DC  rainmaker", provenance=Provenance("fixtures/x.html", "html", 1, 1))])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.reader_pane.reading_view
        assert view.article is not None and view.article.title == "Aa a watch review"
        meta = ["".join(t for t, _ in line.spans) for line in view.lines[:6]
                if line.block == "meta"]
        assert meta[0].strip() == "2030-01-01 · DC Rainmaker"
