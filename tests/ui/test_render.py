"""Markdown to display lines (pure, no Textual)."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import render
from reader.render import BOLD, CODE, ITALIC, LINK, MARK, URL, cell_width, layout, plain


def texts(lines):
    return [plain(line) for line in lines]


def test_blocks_and_inline_styles():
    body = ("# Title *here*\n\nSome **bold**, *italic*, `code` and [a link](https://x.org).\n\n"
            "- one\n- two\n  - nested\n1. first\n\n> quoted text\n\n```\ncode  block\n```\n\n---")
    lines = layout(body, 60)
    assert texts(lines) == [
        "Title here", "══════════", "",
        "Some bold, italic, code and a link[1].", "",
        "• one", "• two", "  • nested", "1. first", "",
        "│ quoted text", "",
        "code  block", "",
        "", "", "",
        "[1] https://x.org",
    ]
    flags = dict((t, f) for t, f in lines[3].spans)
    assert flags["bold"] == BOLD and flags["italic"] == ITALIC and flags["code"] == CODE
    assert flags["a link"] == LINK and flags["[1]"] == URL | MARK
    assert [line.block for line in lines][:2] == ["h1", "h1"]
    assert [line.block for line in lines][-3:] == ["blank", "rule", "meta"]
    assert dict(lines[-1].spans)["https://x.org"] == URL


def test_links_numbered_once_and_listed_at_the_end():
    long = "https://example.org/" + "segment/" * 12
    body = (f"See [one]({long}) and [two](https://b.example), then [one again]({long}).\n\n"
            "A [relative](notes/page) link and <https://auto.example>.")
    lines = layout(body, 40)
    shown = texts(lines)
    assert "".join(shown[:2]).count("[1]") == 2 and "[2]" in " ".join(shown[:3])
    listed = shown[shown.index("") + 1:]
    assert listed[-1] == "[3] notes/page"
    start = shown.index("[1] " + long[:36])
    assert shown[start + 1].startswith("    ")
    assert "".join(s.strip() for s in shown[start:start + 4]) == "[1] " + long
    assert all(cell_width(line) <= 40 for line in shown)
    assert "https://auto.example" in " ".join(shown[:6])


def test_markup_and_brackets_stay_literal():
    body = "[@click=app.quit]x[/] and [link=http://x]y[/link] and [/bold]"
    assert texts(layout(body, 80)) == [body]


def test_control_characters_become_visible():
    lines = layout("a\x1b[31mb\x07 \x9bc", 40)
    assert texts(lines) == ["a␛[31mb␇ �c"]


def test_wide_characters_wrap_by_cells():
    lines = layout("中文" * 30, 20)
    assert all(cell_width(plain(line)) <= 20 for line in lines)
    assert "".join(texts(lines)) == "中文" * 30


def test_header_lines():
    lines = render.header_lines("T", 40, date="2020-01-02", source="S", tags=["a b", "c"],
                                url="https://e.org")
    assert texts(lines) == ["T", "2020-01-02 · S", "#a\u00a0b #c", "https://e.org", ""]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
       st.integers(min_value=8, max_value=100))
def test_any_text_lays_out_within_the_width(body, width):
    for line in layout(body, width):
        if line.block != "rule":
            assert cell_width(plain(line)) == line.width
            assert line.width <= width, (line, width)


def test_words_survive_wrapping():
    body = "alpha beta **gamma delta**, *epsilon* zeta " * 20
    lines = layout(body, 17)
    assert " ".join(texts(lines)).split() == body.replace("*", "").split()
    assert all(line.width <= 17 for line in lines)


def test_core_modules_do_not_import_textual_or_rich():
    code = ("import sys, reader.render, reader.config; "
            "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


_MARKDOWNISH = st.text(
    alphabet=st.sampled_from([*"ab cd\n\n*_`[]()#>-1.!|\t中文é", "\u202e", "\x1b"]),
    max_size=300)


@settings(max_examples=150, deadline=None)
@given(_MARKDOWNISH, st.integers(min_value=8, max_value=40))
def test_document_maps_lines_to_body_offsets(body, width):
    doc = render.document(body, width)
    assert [plain(line) for line in doc.lines] == texts(layout(body, width))
    previous = 0
    for index, line in enumerate(doc.lines):
        span = doc.span_of(index)
        if line.para < 0:
            assert span is None
            continue
        offsets = doc.offsets(line.para)
        assert offsets == sorted(offsets)
        assert all(0 <= o <= len(body) for o in offsets)
        start, end = span
        assert previous <= start <= end <= len(body)
        previous = start
        offset = doc.to_body(index, 0)
        assert offset is not None and 0 <= offset <= len(body)
        assert doc.to_display(offset) is not None
        for c0, c1, _ in doc.columns(index, [(start, end), (0, len(body))]):
            assert 0 <= c0 < c1 <= len(doc.text_of(index))
    for offset in range(0, len(body) + 1, 7):
        place = doc.to_display(offset)
        assert place is None or 0 <= place[0] < len(doc.lines)


def test_document_round_trip_and_markup_skipped():
    body = "Some **bold** and [a link](https://x.org) here.\n\n- one\n- two\n\n> quoted\n> more"
    doc = render.document(body, 30)
    shown = [doc.text_of(i) for i in range(len(doc.lines))]
    assert shown[0] == "Some bold and a link[1] here."
    start, end = doc.span_of(0)
    assert body[start:end] == "Some **bold** and [a link](https://x.org) here."
    # After a link's hidden URL (or an image), words are found after it, not in it.
    here = body.index("here")
    assert doc.to_display(here) == (0, 24)
    pictured = render.document("An ![hat](https://h.org/h.png) here.", 80)
    assert pictured.text_of(0) == "An hat[1] here."
    assert pictured.columns(0, [(len("An ![hat](https://h.org/h.png) "),
                                 len("An ![hat](https://h.org/h.png) here"))]) == [(10, 14, 0)]
    # The word "bold" is found where the body has it.
    bold = body.index("bold")
    assert doc.to_display(bold) == (0, 5)
    assert doc.columns(0, [(bold, bold + 4)]) == [(5, 9, 0)]
    quoted = body.index("quoted")
    line, column = doc.to_display(quoted)
    assert doc.text_of(line) == "quoted more" and column == 0


def test_hard_line_breaks_break_the_line():
    body = "Front page \\\nSecurity  \nKernel\n\nA path C:\\\\\nnext"
    assert texts(layout(body, 60)) == ["Front page", "Security", "Kernel", "",
                                       "A path C:\\ next"]
    doc = render.document(body, 60)
    assert doc.to_display(body.index("Kernel")) == (2, 0)
    assert doc.to_display(body.index("Security") + 2) == (1, 2)


def test_tables_align_their_columns_or_wrap_their_rows_when_too_wide():
    body = ("| Name | Value |\n| --- | ---: |\n| **alpha** | 1 |\n"
            "| b | [link](https://x.org) |\n\nAfter.")
    lines = layout(body, 60)
    assert texts(lines)[:4] == ["Name  │   Value", "──────┼────────", "alpha │       1",
                                "b     │ link[1]"]
    assert all(f & BOLD for t, f in lines[0].spans if t.strip() and "│" not in t)
    assert all(f & MARK for t, f in lines[1].spans)
    doc = render.document(body, 60)
    assert doc.to_display(body.index("alpha")) == (2, 0)
    assert doc.to_display(body.index("After")) == (5, 0)
    narrow = texts(layout(body, 12))
    assert narrow[:4] == ["Name │ Value", "─" * 12, "alpha │ 1", "b │ link[1]"]
    assert "After." in narrow
    assert texts(layout("| a \\| b | c |", 40)) == ["a | b │ c"]


async def test_a_long_article_opens_laid_out_in_part_and_reads_to_its_end(make_app, store):
    from reader.models import ParsedArticle, Provenance
    from reader.ui.screens.main import MainScreen

    paragraphs = [f"Section {n}. " + " ".join(f"word{n}x{k}" for k in range(40))
                  for n in range(1500)]
    body = "\n\n".join(paragraphs) + "\n\nThe final [link](https://end.example)."
    store.add_articles([ParsedArticle(
        title="A very long read", body=body, date="2024-01-01", source="Bench", tags=("huge",),
        url=None, provenance=Provenance("fixtures/huge.md", "markdown", 0, 1))])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_article(store.article_ids(tag="huge")[0])
        screen.action_focus_pane("reading")
        await pilot.pause()
        await pilot.pause()
        view = screen.reader_pane.reading_view
        doc = view.document
        assert doc is not None and not doc.complete  # opened with its first screens only
        expected = [plain(line) for line in layout(body, view.text_width)]

        def shown() -> list[str]:
            height = view.scrollable_content_region.height
            return [view.render_line(y).text.strip().lstrip("▌") for y in range(height)]

        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
        top = round(view.scroll_y) - view.body_top
        screen_text = [t for t in shown() if t]
        assert screen_text and all(t in expected for t in screen_text)
        assert screen_text[0] == expected[top] or not expected[top]
        # Find a word far down: the layout goes as far as the hit, and the view shows it.
        await pilot.press("f", *"word700x7", "enter")
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "word700x7" in " ".join(shown())
        assert view.document is not None and not view.document.complete  # (the find box may resize it)
        screen.action_focus_pane("reading")
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        await pilot.pause()
        assert view.document is not None and view.document.complete
        assert "[1] https://end.example" in shown()
        await pilot.press("g")
        await pilot.pause()
        assert "Section 0." in " ".join(shown())


def test_a_padded_last_table_cell_ends_with_the_body():
    """Found by the property above: a table whose last row is short."""
    body = "||1\n|1"
    doc = render.document(body, 8)
    assert all(doc.span_of(i)[1] <= len(body) for i in range(len(doc.lines))
               if doc.span_of(i) is not None)
