"""Recent searches are kept beside the library between sessions, bounded, and a bad
file never stops the reader."""

from __future__ import annotations

import json

from reader.store import Store
from reader.ui import history
from tests.ui.support import ARTICLES, settle

SIZE = (120, 36)


def _library(tmp_path) -> Store:
    store = Store(tmp_path / "library.db")
    store.add_articles(ARTICLES)
    return store


async def test_searches_are_recalled_in_the_next_session(make_app, tmp_path):
    store = _library(tmp_path)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for query in ("compost", "tomato"):
                await pilot.press("slash", *query, "enter", "escape", "escape")
            await pilot.press("enter")  # open an article, find in it
            await settle(pilot)
            await pilot.press("f", *"shell", "enter")
        saved = json.loads((tmp_path / "library.searches.json").read_text("utf-8"))
        assert saved == {"search": ["compost", "tomato"], "find": ["shell"]}

        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("slash", "up")
            assert app.screen.list_pane.search_box.value == "tomato"
            await pilot.press("up")
            assert app.screen.list_pane.search_box.value == "compost"
    finally:
        store.close()


def test_history_is_bounded_and_cleaned(tmp_path):
    path = tmp_path / "x.searches.json"
    queries = [f"q{n}" for n in range(80)] + ["q1", "\x1b]52;c;bad\x07 line\nbreak", 7, ""]
    path.write_text(json.dumps({"search": queries, "find": "not a list"}), "utf-8")
    loaded = history.load(path)
    assert len(loaded["search"]) == history.KEPT
    assert loaded["search"][-1] == "␛]52;c;bad␇ line break"
    assert all("\x1b" not in q and "\n" not in q for q in loaded["search"])
    assert loaded["find"] == []
    history.save(path, {"search": [f"s{n}" for n in range(200)], "find": ["f"]})
    assert len(json.loads(path.read_text("utf-8"))["search"]) == history.KEPT


def test_a_bad_or_missing_file_reads_as_no_history(tmp_path):
    empty = {"search": [], "find": []}
    assert history.load(tmp_path / "missing.json") == empty
    for content in (b"", b"{not json", b"[1, 2]", b"\xff\xfe\x00garbage", b'{"search": null}'):
        path = tmp_path / "bad.searches.json"
        path.write_bytes(content)
        assert history.load(path) == empty
    assert history.load(None) == empty
    assert history.path_for(":memory:") is None
    # A library in a folder that cannot be written to: saving says nothing.
    history.save(tmp_path / "no-such-dir" / "x.searches.json", {"search": ["a"]})


async def test_a_bad_file_does_not_stop_the_search_box(make_app, tmp_path):
    store = _library(tmp_path)
    (tmp_path / "library.searches.json").write_bytes(b"\x00\xff{")
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("slash", "up", *"seed", "enter")
            assert app.screen.list_pane.search_box.value == "seed"
        saved = json.loads((tmp_path / "library.searches.json").read_text("utf-8"))
        assert saved["search"] == ["seed"]
    finally:
        store.close()
