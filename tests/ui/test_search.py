"""Search in the interface: as you type, open at the first hit, n/N, esc back; find in article."""

from __future__ import annotations

from rich.cells import cell_len

from reader import search
from reader.models import Provenance
from reader.store import Store
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.tag_list import TagFilter
from tests.ui.support import burst, settle
from tests.ui.test_safety import HOSTILE, hostile_store

SIZE = (120, 36)


def main(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_search_as_you_type_open_at_hit_step_and_back(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        before = list(screen.list_pane.article_list.ids)
        await pilot.press("slash")
        assert screen.list_pane.search_box.has_focus and screen.list_pane.searching
        await pilot.press(*"compo")  # a word being typed matches as a prefix
        await settle(pilot)
        results = screen.list_pane.search_results
        assert [h.title for h in results.hits][:1] == ["Compost in a Cupboard"]
        assert results.hits[0].hit_count > 0
        assert "found" in str(results.border_title)
        # Enter goes to the results, enter again opens the first at its first hit.
        await pilot.press("enter")
        assert results.has_focus
        await pilot.press("enter")
        await settle(pilot)
        reading = screen.reader_pane.reading_view
        assert reading.has_focus
        article = reading.article
        assert article.title == "Compost in a Cupboard"
        expected = search.find_in_text(search.parse("compo", live=True), article.body)
        assert reading.hits == expected and len(expected) > 3
        assert reading.current_hit == 0
        assert reading.caret == expected[0][0]
        await pilot.press("n", "n")
        assert reading.current_hit == 2
        assert reading.caret == expected[2][0]
        await pilot.press("N")
        assert reading.current_hit == 1
        await pilot.press("N", "N")
        assert reading.current_hit == len(expected) - 1  # wraps round
        # esc: back to the results, esc again: back to the list as it was.
        await pilot.press("escape")
        assert results.has_focus
        await pilot.press("escape")
        assert not screen.list_pane.searching and screen.list_pane.article_list.has_focus
        assert screen.list_pane.article_list.ids == before
        # The query is remembered: / then up recalls it.
        await pilot.press("slash", "up")
        assert screen.list_pane.search_box.value == "compo"


async def test_keys_typed_in_a_burst_after_slash_reach_the_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await burst(pilot, "/rivers")  # the box is mounted by this first `/`
        assert screen.list_pane.search_box.has_focus
        assert screen.list_pane.search_box.value == "rivers"
        # `/` and `f` typed in the box are text, not commands.
        await burst(pilot, " a/b f")
        assert screen.list_pane.search_box.value == "rivers a/b f"
        await pilot.press("escape")
        assert screen.list_pane.article_list.has_focus
        await burst(pilot, "/tomato")  # the box exists now
        assert screen.list_pane.search_box.value == "tomato"


async def test_keys_typed_in_a_burst_after_f_reach_the_find_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("enter")
        await settle(pilot)
        await burst(pilot, "fshell")
        assert screen.reader_pane.find_box.has_focus
        assert screen.reader_pane.find_box.value == "shell"


async def test_search_combines_with_the_tag_pane(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        screen.show(TagFilter("all", "terminal"))
        await settle(pilot)
        await pilot.press("slash", *"paragraph")
        await settle(pilot)
        titles = {h.title for h in screen.list_pane.search_results.hits}
        assert titles == {"Your First Hour in the Terminal", "Learning to Love the Pager"}
        # Changing the tag while searching narrows the results at once.
        screen.show(TagFilter("all", "gardening"))
        await settle(pilot)
        titles = {h.title for h in screen.list_pane.search_results.hits}
        assert "Compost in a Cupboard" in titles and "Learning to Love the Pager" not in titles


async def test_hostile_query_and_no_results(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *'C++ "un -AND title: *')
        await settle(pilot)
        assert app.is_running
        await pilot.press("ctrl+u", *"zzqx")
        await settle(pilot)
        assert screen.list_pane.search_results.row_count == 0
        assert "Nothing found" in screen.list_pane.search_results.empty_message


async def test_find_in_article(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("enter")  # the newest: the terminal article
        await settle(pilot)
        reading = screen.reader_pane.reading_view
        await pilot.press("f")
        assert screen.reader_pane.find_box.has_focus
        await pilot.press(*"shell")
        await settle(pilot)
        body = reading.article.body
        assert reading.hits == search.find_in_text("shell", body) and reading.hits
        assert reading.caret == reading.hits[0][0]
        await pilot.press("enter")
        assert reading.has_focus
        await pilot.press("n")
        assert reading.current_hit == 1
        # esc in the box clears the marks.
        await pilot.press("f", "escape")
        assert reading.hits == [] and reading.has_focus


async def test_hostile_text_in_results_shows_literally(make_app):
    app = make_app(hostile_store())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *"body")
        await settle(pilot)
        assert screen.list_pane.search_results.row_count == len(HOSTILE)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.is_running
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "[@click=app.quit]x[/]" in svg or "[link=http://x]y[/link]" in svg
        assert "\x1b" not in svg and "\x07" not in svg


async def test_results_page_in_as_the_cursor_nears_the_end(make_app, store, monkeypatch):
    import reader.ui.panes.list_pane as main_module

    monkeypatch.setattr(main_module, "RESULTS", 4)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *"paragraph")
        await settle(pilot)
        results = screen.list_pane.search_results
        assert results.total == 8
        # Four shown at first; moving down fetches the rest a page at a time.
        assert results.row_count == 4
        await pilot.press("enter", "j")
        await settle(pilot)
        assert results.row_count == 8
        assert len({h.id for h in results.hits}) == 8


def test_snippets_read_like_the_article():
    from reader.ui.widgets.search_results import without_markdown

    text = "## What worked - made of *bamboo* - a **windbreak**, 5 * 3, [the report](u) `ls`"
    spans = [(text.index("bamboo"), text.index("bamboo") + 6),
             (text.index("report"), text.index("report") + 6)]
    plain, moved = without_markdown(text, spans)
    assert plain == "What worked - made of bamboo - a windbreak, 5 * 3, the report (u) ls"
    assert [plain[s:e] for s, e in moved] == ["bamboo", "report"]


def _marked(view, index: int) -> str:
    """The text of line `index` drawn with the search-hit background."""
    hit = view.overlay_style("hit")  # resolved over the view's background
    strip = view.draw_line(index, view.scrollable_content_region.width)
    return "".join(s.text for s in strip if s.style is not None and hit.bgcolor is not None
                   and s.style.bgcolor == hit.bgcolor)


async def test_title_hits_are_marked_in_the_header(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"shanghai")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.reader_pane.reading_view
        assert view.article is not None and "Shanghai" in view.article.title
        assert _marked(view, 0) == "Shanghai"
        assert _marked(view, 1) == ""  # the date line: nothing
        await pilot.press("s")  # starred: the title moves right by "★ ", the mark with it
        await settle(pilot)
        assert _marked(view, 0) == "Shanghai"


async def test_title_hits_follow_wrapping_and_odd_spacing(make_app, store):
    """A title with doubled spaces, wrapped over lines: the marks land on the words."""
    from reader.models import Article

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = app.screen.reader_pane.reading_view
        title = "Tabs\tand  doubled   spaces before a very long title word Marked here"
        view.show_article(Article(99, title, "Body text.", None, None, None, None, ()))
        start = title.index("Marked")
        view.set_hits([], title=[(start, start + len("Marked")), (0, 4)])
        await pilot.pause()
        marked = [_marked(view, i) for i in range(view.line_count)]
        assert "Tabs" in marked[0]
        assert any(m == "Marked" for m in marked[1:])


def _snippet_marks(results, index: int, width: int) -> tuple[str, str]:
    """The snippet line of result `index` drawn `width` cells wide: all its text, and
    the text drawn in the hit style."""
    base = results.rich_style
    mark = results.ink(base, "search-results--hit")
    segments = results.render_row(index, 2, width, base)
    return ("".join(s.text for s in segments),
            "".join(s.text for s in segments if s.style == mark))


async def test_a_narrow_list_shows_the_hit_in_each_snippet(make_app):
    """Snippets are sized to the column they are shown in: the hit deep in a long
    paragraph is on the line, marked, at 80 columns as at 160."""
    from reader.models import ParsedArticle

    lead = " ".join(f"filler{n} words before the place" for n in range(40))
    library = Store(memory=True)
    library.add_articles([ParsedArticle(
        title=f"Field notes {n}", body=f"{lead} where the heron{n % 2} waited. {lead}",
        date=f"2024-03-0{n + 1}", provenance=Provenance("n.txt", "text", n, n))
        for n in range(4)])
    for size in ((80, 24), (160, 40)):
        app = make_app(library)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"heron1")
            await settle(pilot)
            results = main(app).list_pane.search_results
            assert results.row_count == 2
            width = results.scrollable_content_region.width
            for index in range(2):
                line, marked = _snippet_marks(results, index, width)
                assert marked == "heron1", (size, line)
                # Asked at the column's size, not cut down from a wider one.
                assert cell_len(results.hits[index].snippet) <= width - 4
                assert cell_len(line) <= width - 1 and not line.endswith("……")


def test_a_snippet_wider_than_its_column_starts_nearer_its_hit():
    from reader.ui.widgets.search_results import hit_in_view

    text = "a few words of plain lead text before " * 3 + "the 蒼鷺 waited here"
    start = text.index("蒼鷺")
    shown, spans = hit_in_view(text, [(start, start + 2)], 40)
    assert shown.startswith("…") and [shown[s:e] for s, e in spans] == ["蒼鷺"]
    assert cell_len(shown[:spans[0][1]]) <= 39
    # A hit already in view: the text is left as it is.
    assert hit_in_view(text, [(2, 7)], 40) == (text, [(2, 7)])
    wide = "鷺" * 30 + " heron"
    shown, spans = hit_in_view(wide, [(31, 36)], 40)
    assert [shown[s:e] for s, e in spans] == ["heron"] and cell_len(shown[:spans[0][1]]) <= 39
