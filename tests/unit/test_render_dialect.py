"""The renderer's Markdown dialect as a reader sees it, and its lazy layout (pure: no
Textual)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import render
from reader.render import BOLD, CODE, ITALIC, LINK, MARK, URL, cell_width, layout, plain
from reader.render.compose import CONTINUED
from reader.render.parse_blocks import LONGEST


def texts(lines) -> list[str]:
    return [plain(line) for line in lines]


def test_linked_images_show_their_alt_text_and_a_link_number() -> None:
    body = ("Ride [![Garmin Edge 1040](https://media.example/edge-1040.jpg)]"
            "(https://shop.example/edge) today, and ![](https://media.example/x.png).")
    lines = layout(body, 80)
    shown = texts(lines)
    assert shown[0] == "Ride Garmin Edge 1040[1] today, and image[2]."
    assert shown[-2:] == ["[1] https://shop.example/edge", "[2] https://media.example/x.png"]
    runs = dict(lines[0].spans)
    assert runs["Garmin Edge 1040"] == LINK and runs["image"] == LINK | MARK
    assert runs["[1]"] == URL | MARK
    assert "](" not in " ".join(shown) and "![" not in " ".join(shown)


def test_a_linked_image_never_breaks_across_lines_as_markdown() -> None:
    body = " ".join(f"[![photo {n}](https://media.example/2024/0{n}/img_{n}.jpg)]"
                    f"(https://media.example/2024/0{n}/img_{n}.jpg)" for n in range(6))
    shown = texts(layout(body, 40))
    assert shown[0].startswith("photo 0[1] photo 1[2]")
    assert not any("https" in line for line in shown[:3])


def test_hard_breaks_from_markdownify_are_line_breaks() -> None:
    body = "商品价格：0 元\\\n邮递信息：卖家承担运费\\\n联系方式：见下"
    assert texts(layout(body, 40)) == ["商品价格：0 元", "邮递信息：卖家承担运费", "联系方式：见下"]
    doc = render.document(body, 40)
    assert doc.to_display(body.index("邮递")) == (1, 0)
    assert doc.span_of(1) == (body.index("邮递"), body.index("费") + 1)


def test_soft_hyphens_are_dropped_and_offsets_still_exact() -> None:
    body = "A lo\xadqua\xadcious Ap\xadpel\xadbaum spoke."
    assert texts(layout(body, 80)) == ["A loquacious Appelbaum spoke."]
    doc = render.document(body, 80)
    start = body.index("Ap")
    assert doc.to_display(start) == (0, len("A loquacious "))
    assert doc.columns(0, [(start, body.index(" spoke"))]) == [(13, 22, 0)]
    assert render.without_soft_hyphens(body) == "A loquacious Appelbaum spoke."
    assert render.visible("co\xadop") == "coop"
    # Wrapping counts the word without its invisible hyphens.
    assert texts(layout("lo\xadqua\xadcious " * 3, 10)) == ["loquacious"] * 3


def test_setext_headings_and_heading_levels_look_different() -> None:
    body = "Title\n=====\n\nSection\n-------\n\n### Third\n\n**Bold** text."
    lines = layout(body, 40)
    assert texts(lines) == ["Title", "═════", "", "Section", "───────", "", "Third", "",
                            "Bold text."]
    assert [line.block for line in lines[:7]] == ["h1", "h1", "blank", "h2", "h2", "blank", "h3"]
    assert lines[1].spans[0][1] == MARK
    assert lines[8].block == "p" and lines[8].spans[0] == ("Bold", BOLD)


def test_indented_code_blocks_are_code() -> None:
    body = "Run this:\n\n    make all\n        --quiet\n\n    make install\n\nDone."
    lines = layout(body, 40)
    assert texts(lines) == ["Run this:", "", "make all", "    --quiet", "", "make install", "",
                            "Done."]
    assert {line.block for line in lines[2:6]} == {"code"}


def test_reference_links_and_their_definitions() -> None:
    body = "Read [the post][1] and [Notes].\n\n[1]: https://one.example \"One\"\n[notes]: https://n.example"
    shown = texts(layout(body, 60))
    assert shown[0] == "Read the post[1] and Notes[2]."
    assert "[1]: https://one.example" not in " ".join(shown)
    assert shown[-2:] == ["[1] https://one.example", "[2] https://n.example"]
    assert texts(layout("[not a link] stays", 40)) == ["[not a link] stays"]


def test_bold_italic_together() -> None:
    (line,) = layout("a ***strong and leaning*** b", 60)
    assert line.spans == (("a ", 0), ("strong and leaning", BOLD | ITALIC), (" b", 0))


def test_long_code_lines_wrap_with_a_continuation_mark() -> None:
    code = "result = compute(first_argument, second_argument, third)"
    body = f"```\n{code}\n```"
    lines = layout(body, 36)
    shown = texts(lines)
    assert len(shown) > 1 and all(cell_width(s) <= 36 for s in shown)
    assert all(s.startswith(CONTINUED) for s in shown[1:]) and not shown[0].startswith(CONTINUED)
    assert "".join(s.removeprefix(CONTINUED) for s in shown) == code
    assert all(line.spans[0][1] == CODE | MARK for line in lines[1:])
    assert shown[0].endswith(" ")  # cut after a space, not inside a word
    doc = render.document(body, 36)
    where = body.index("third")
    index, column = doc.to_display(where)
    assert doc.text_of(index)[column:column + 5] == "third"


def test_table_alignment() -> None:
    body = "| left | centre | right |\n|:-----|:------:|------:|\n| a | b | c |\n| aaaa | bbbbbbbb | cc |"
    shown = texts(layout(body, 60))
    assert shown == ["left │  centre  │ right", "─────┼──────────┼──────",
                     "a    │    b     │     c", "aaaa │ bbbbbbbb │    cc"]


def test_a_blank_line_inside_a_nested_quote_keeps_its_bar() -> None:
    body = "> outer\n>\n> > inner\n> >\n> > more\n\nAfter."
    lines = layout(body, 40)
    assert texts(lines) == ["│ outer", "│", "│ │ inner", "│ │", "│ │ more", "", "After."]
    assert {line.block for line in lines[:5]} == {"quote"}


def test_list_items_with_later_paragraphs_hang_under_their_text() -> None:
    body = "* one para\n\n  second para\n\n  + nested\n* two"
    assert texts(layout(body, 40)) == ["• one para", "", "  second para", "  • nested",
                                       "• two"]


# -- the lazy layout ----------------------------------------------------------------------

def _long(paragraphs: int) -> str:
    return "\n\n".join(f"Paragraph {n} with [a link](https://l.example/{n % 7}) and some "
                       "*words* that wrap over more than one line of the view. " * 3
                       for n in range(paragraphs))


def test_a_long_document_opens_with_only_its_first_lines_laid_out() -> None:
    body = _long(4000)
    doc = render.document(body, 60)
    assert not doc.complete
    assert len(doc._lines) < len(doc.lines)  # the length is an estimate…
    first = [doc.lines[i] for i in range(50)]
    assert texts(first) == texts(layout(body, 60)[:50])
    estimate = len(doc.lines)
    full = layout(body, 60)
    assert abs(estimate - len(full)) < len(full) // 10  # …and a good one
    assert texts(doc.lines) == texts(full)  # iterating lays out everything
    assert doc.complete and len(doc.lines) == len(full)
    assert doc.links == [f"https://l.example/{n}" for n in range(7)]


def test_offsets_reach_into_the_part_not_laid_out_yet() -> None:
    body = _long(4000)
    doc = render.document(body, 60)
    target = body.index("Paragraph 3999")
    index, column = doc.to_display(target)
    assert doc.text_of(index).startswith("Paragraph 3999") and column == 0
    assert doc.span_of(index)[0] == target
    view = doc.view([render.BLANK] * 3)
    assert view[index + 3] == doc.lines[index]
    assert view[:3] == [render.BLANK] * 3


def test_past_the_real_end_of_an_estimate_lines_read_blank() -> None:
    body = "word " * 400_000  # one paragraph: its estimate is rough
    doc = render.document(body, 40)
    view = doc.view()
    guess = len(view)
    assert guess > 1000
    assert view[guess - 1] is not None  # within the estimate: a line, or blank
    doc.finish()
    assert len(view) == len(doc._lines)


def test_a_megabyte_on_one_line_is_cut_into_blocks_that_join_without_gaps() -> None:
    body = ("lorem ipsum dolor " * 60_000).strip()
    doc = render.document(body, 50)
    blocks = list(render.blocks(body))
    assert len(blocks) > 1 and all(b.end - b.start <= LONGEST for b in blocks)
    assert all(b.joined for b in blocks[1:])
    shown = texts(doc.lines)
    assert "" not in shown[:-1]
    assert " ".join(shown).split() == body.split()
    index = len(doc._lines) // 2
    start, end = doc.span_of(index)
    assert body[start:end] == doc.text_of(index)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["Some text here.", "# Head", "- item", "> quote", "```",
                                 "code line", "", "", "| a | b |", "|---|---|",
                                 "x\xady", "a  ", "b\\", "    indented", "Title", "==="]),
                max_size=60),
       st.integers(min_value=8, max_value=50))
def test_lazy_and_eager_layouts_agree(rows: list[str], width: int) -> None:
    body = "\n".join(rows) * 3
    render.Document.FIRST, first = 5, render.Document.FIRST
    render.Document.STEP, step = 3, render.Document.STEP
    render.Document.EAGER, eager = 0, render.Document.EAGER
    try:
        doc = render.document(body, width)
        got = [doc.lines[i] for i in range(len(layout(body, width)))]
        assert texts(got) == texts(layout(body, width))
        for index, line in enumerate(got):
            if line.para >= 0:
                start, end = doc.span_of(index)
                assert 0 <= start <= end <= len(body)
    finally:
        render.Document.FIRST, render.Document.STEP, render.Document.EAGER = first, step, eager


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"ab \n\r", "\r\n", "\u2028", "\x0c", "\x85"]), max_size=80))
def test_source_lines_split_as_python_does(pieces: list[str]) -> None:
    from reader.render.parse_blocks import source_lines
    text = "".join(pieces)
    found = list(source_lines(text))
    assert [line for line, _ in found] == text.splitlines()
    assert all(text[at:at + len(line)] == line for line, at in found)


def test_lists_and_headings_inside_quotes() -> None:
    body = "> Intro\n>\n> * one\n> * two\n>   lazy\n> 1. first\n>\n> ## Heading\n> After.\n\nOut."
    lines = layout(body, 40)
    assert texts(lines) == ["│ Intro", "│", "│ • one", "│ • two lazy", "│ 1. first", "│",
                            "│ Heading", "│", "│ After.", "", "Out."]
    assert {line.block for line in lines[:9]} == {"quote"}
    narrow = texts(layout("> * a list item long enough to wrap", 16))
    assert narrow[:2] == ["│ • a list item", "│   long enough"]


def test_links_with_brackets_line_breaks_or_no_text() -> None:
    body = ("[![Week_thumb[2]](https://x.example/i.jpg)](https://x.example/p) and "
            "[](https://e.example) and [Read the review\\\nhere](https://r.example) end")
    shown = texts(layout(body, 80))
    assert shown[:2] == ["Week_thumb[2][1] and [2] and Read the review", "here[3] end"]
    doc = render.document(body, 80)
    assert doc.to_display(body.index("and [Read")) == (0, len("Week_thumb[2][1] and [2] "))
    assert doc.to_display(body.index("end")) == (1, len("here[3] "))


def test_a_break_at_the_end_of_a_link_text_breaks_the_line_after_the_link() -> None:
    body = "Wednesday: [Everything you wanted to know\\](https://e.example/post)Thursday: more"
    assert texts(layout(body, 80))[:2] == ["Wednesday: Everything you wanted to know[1]",
                                           "Thursday: more"]
    doc = render.document(body, 80)
    assert doc.to_display(body.index("Thursday")) == (1, 0)


_PIECES = st.sampled_from([*"ab cd\n\n*_`[]()#>-1.!|\t中文é=:\\<~", "\u202e", "\x1b", "\xad",
                           "    ", "  \n", "\\\n", "](x)", "![", "[1]: u", "```", "> > ", "- ",
                           "1. ", "---", "\\](u)", "|---|", "| a |", "[![", "]]", "> # ",
                           ">\n", "> - ", "> ```", "- ```", "text\n| h |\n|--|"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=80), st.integers(min_value=8, max_value=40))
def test_any_markdownish_text_lays_out_lazily_within_the_width_with_sane_offsets(
        pieces: list[str], width: int) -> None:
    body = "".join(pieces)
    saved = render.Document.FIRST, render.Document.STEP, render.Document.EAGER
    render.Document.FIRST, render.Document.STEP, render.Document.EAGER = 3, 2, 0
    try:
        doc = render.document(body, width)
        assert texts(doc.lines) == texts(layout(body, width))
        previous = 0
        for index, line in enumerate(doc.lines):
            assert line.width <= width or line.block == "rule"
            assert "\n" not in plain(line)
            assert cell_width(plain(line)) == line.width or line.block == "rule"
            span = doc.span_of(index)
            if line.para < 0:
                continue
            start, end = span
            assert previous <= start <= end <= len(body)
            previous = start
            for c0, c1, _ in doc.columns(index, [(start, end), (0, len(body))]):
                assert 0 <= c0 < c1 <= len(doc.text_of(index))
        for offset in range(0, len(body) + 1, 3):
            place = doc.to_display(offset)
            assert place is None or 0 <= place[0] < len(doc.lines)
    finally:
        render.Document.FIRST, render.Document.STEP, render.Document.EAGER = saved


def test_idle_time_advances_the_layout_to_its_end() -> None:
    body = _long(3000)
    doc = render.document(body, 60)
    laid = len(doc._lines)
    assert not doc.advance(0.0) or doc.complete
    for _ in range(10_000):
        if doc.advance(0.005):
            break
    assert doc.complete and len(doc._lines) > laid
    assert texts(doc.lines) == texts(layout(body, 60))


def test_reading_through_keeps_a_bounded_number_of_aligned_blocks() -> None:
    body = _long(1500)
    doc = render.document(body, 60)
    doc.finish()
    for index in range(len(doc.lines)):
        doc.span_of(index)
    assert len(doc.blocks) > render.Document.MAPS >= len(doc._maps)
    assert doc.span_of(0)[0] == 0  # an evicted block is aligned again when asked for


_WORDS = st.sampled_from(["alpha", "beta", "Zürich", "中文", "lo\xadqua\xadcious", "x1", "end."])


@st.composite
def _marked_up(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(1, 12))):
        word = draw(_WORDS)
        style = draw(st.sampled_from(["", "", "*", "**", "***", "`", "link", "image", "linked"]))
        if style == "link":
            word = f"[{word}](https://l.example/{len(out)})"
        elif style == "image":
            word = f"![{word}](https://i.example/{len(out)}.png)"
        elif style == "linked":
            word = f"[![{word}](https://i.example/p.png)](https://l.example/q)"
        elif style:
            word = f"{style}{word}{style}"
        out.append(word)
    prefix = draw(st.sampled_from(["", "# ", "- ", "> ", "1. ", "> - "]))
    breaks = draw(st.sampled_from([" ", "\n", "\\\n", "  \n"]))
    return prefix + breaks.join(out[:3]) + (" " + " ".join(out[3:]) if out[3:] else "")


@settings(max_examples=200, deadline=None)
@given(st.lists(_marked_up(), min_size=1, max_size=4), st.integers(min_value=12, max_value=50))
def test_every_word_shown_maps_to_the_same_word_in_the_body(paras: list[str], width: int) -> None:
    body = "\n\n".join(paras)
    doc = render.document(body, width)
    for index, line in enumerate(doc.lines):
        if line.para < 0:
            continue
        base = 0
        for run, flags in _text_runs(line):
            if not flags & MARK:
                at = 0
                for word in run.split(" "):
                    if word:
                        offset = doc.to_body(index, base + at)
                        assert offset is not None
                        shown = render.without_soft_hyphens(body[offset:offset + 3 * len(word)])
                        assert shown.startswith(word), (body, word, offset)
                    at += len(word) + 1
            base += len(run)


def _text_runs(line):
    """The line's runs after its prefix."""
    skip = line.lead
    for text, flags in line.spans:
        if skip >= len(text):
            skip -= len(text)
            continue
        yield text[skip:], flags
        skip = 0
