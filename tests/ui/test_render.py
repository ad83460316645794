"""Markdown to display lines (pure, no Textual)."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import render
from reader.render import BOLD, CODE, ITALIC, LINK, URL, cell_width, layout, plain


def texts(lines):
    return [plain(line) for line in lines]


def test_blocks_and_inline_styles():
    body = ("# Title *here*\n\nSome **bold**, *italic*, `code` and [a link](https://x.org).\n\n"
            "- one\n- two\n  - nested\n1. first\n\n> quoted text\n\n```\ncode  block\n```\n\n---")
    lines = layout(body, 60)
    assert texts(lines) == [
        "Title here", "",
        "Some bold, italic, code and a link (https://x.org).", "",
        "• one", "• two", "  • nested", "1. first", "",
        "│ quoted text", "",
        "code  block", "",
        "",
    ]
    flags = dict((t, f) for t, f in lines[2].spans)
    assert flags["bold"] == BOLD and flags["italic"] == ITALIC and flags["code"] == CODE
    assert flags["a link"] == LINK and flags["https://x.org"] == URL
    assert [line.block for line in lines][:1] == ["h1"]
    assert lines[-1].block == "rule"


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
