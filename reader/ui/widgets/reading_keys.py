"""The reading view's keys: moving, paging, hits, selecting, highlighting, copying, links.

Declared apart from the view (`ReadingView.BINDINGS` is this list) so that the
view's module holds what it does; each key has an id (remappable in the config
file's [keys] table) and a tooltip, and the help lists them in this order.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from reader.ui.widgets.palette import COLORS

BINDINGS: list[BindingType] = [
    Binding("j,down", "cursor_lines(1)", "Down", show=False, id="reader.down",
            tooltip="Move the cursor down one line (with a selection: extend it)."),
    Binding("k,up", "cursor_lines(-1)", "Up", show=False, id="reader.up",
            tooltip="Move the cursor up one line (with a selection: extend it)."),
    Binding("b", "extend('word_back')", "Word back", show=False, id="select.word-back",
            tooltip="With a selection: extend it back by a word."),
    Binding("space,pagedown,ctrl+f", "scroll_pages(1)", "Page down", show=False,
            id="reader.page-down", tooltip="Scroll down one page."),
    Binding("b,pageup,ctrl+b", "scroll_pages(-1)", "Page up", show=False,
            id="reader.page-up", tooltip="Scroll up one page."),
    Binding("g,home", "scroll_to_start", "Top", show=False, id="reader.top",
            tooltip="Go to the start of the article."),
    Binding("G,end", "scroll_to_end", "End", show=False, id="reader.end",
            tooltip="Go to the end of the article."),
    Binding("n", "next_hit(1)", "Next hit", show=False, id="reader.next-hit",
            tooltip="Go to the next search hit."),
    Binding("N", "next_hit(-1)", "Previous hit", show=False, id="reader.previous-hit",
            tooltip="Go to the previous search hit."),
    Binding("v", "select", "Select", id="select.start",
            tooltip="Select the sentence under the cursor (v again drops the selection)."),
    Binding("w", "extend('word')", "Word", show=False, id="select.word",
            tooltip="Extend the selection by a word (without one: next word)."),
    Binding("right_parenthesis", "extend('sentence')", "Sentence", show=False,
            id="select.sentence",
            tooltip="Extend the selection by a sentence (without one: next sentence)."),
    Binding("left_parenthesis", "extend('sentence_back')", "Sentence back", show=False,
            id="select.sentence-back",
            tooltip="Extend the selection back by a sentence (without one: previous)."),
    Binding("right_curly_bracket", "extend('paragraph')", "Paragraph", show=False,
            id="select.paragraph",
            tooltip="Extend the selection by a paragraph (without one: next paragraph)."),
    Binding("left_curly_bracket", "extend('paragraph_back')", "Paragraph back",
            show=False, id="select.paragraph-back",
            tooltip="Extend the selection back by a paragraph (without one: previous)."),
    Binding("shift+right", "extend('char')", "Character", show=False, id="select.char",
            tooltip="Extend the selection by a character."),
    Binding("shift+left", "extend('char_back')", "Character back", show=False,
            id="select.char-back", tooltip="Extend the selection back by a character."),
    Binding("shift+down", "extend_lines(1)", "Line", show=False, id="select.line",
            tooltip="Extend the selection by a line."),
    Binding("shift+up", "extend_lines(-1)", "Line back", show=False,
            id="select.line-back", tooltip="Extend the selection back by a line."),
    Binding("escape", "cancel", "Cancel", id="select.cancel",
            tooltip="Drop the selection."),
    Binding("h", "highlight", "Highlight", id="annotate.highlight",
            tooltip="Highlight the selection, else the search hit or sentence at the cursor."),
    # Priority: the app waits for the editor before it hands on the next key.
    Binding("a", "annotate", "Note", id="annotate.note", priority=True,
            tooltip="Highlight and write a note (on a highlight: edit its note)."),
    # With a selection the digits colour it instead of switching panes: the key
    # bar says so (one entry for all of them) while a selection is active.
    *(Binding(str(n), f"color({n})", "Colour" if n == 1 else f"Colour {n}", show=n == 1,
              key_display=f"1–{len(COLORS)}" if n == 1 else None,
              id=f"annotate.color-{n}",
              tooltip=f"With a selection: highlight it in {COLORS[n - 1]}.")
      for n in range(1, len(COLORS) + 1)),
    Binding("c", "cycle_color", "Colour", show=False, id="annotate.cycle-color",
            tooltip="Give the highlight under the cursor the next colour."),
    Binding("y", "copy(False)", "Copy", id="annotate.copy",
            tooltip="Copy the selection or highlight as a quote with its citation."),
    Binding("Y", "copy(True)", "Copy text", show=False, id="annotate.copy-plain",
            tooltip="Copy the selection or highlight as plain text."),
    Binding("right_square_bracket", "next_highlight(1)", "Next highlight", show=False,
            id="annotate.next", tooltip="Go to the next highlight."),
    Binding("left_square_bracket", "next_highlight(-1)", "Previous highlight",
            show=False, id="annotate.previous", tooltip="Go to the previous highlight."),
    Binding("x", "delete_highlight", "Delete highlight", show=False,
            id="annotate.delete", tooltip="Delete the highlight under the cursor (asks)."),
    Binding("l", "links", "Links", show=False, id="reader.links",
            tooltip="List the article's links (from the one under the cursor) to open or "
                    "copy one; link 0 is the article's own address."),
    Binding("o", "address('open')", "Open address", show=False, id="reader.open-address",
            tooltip="Open the article's own address in the browser (shows it first)."),
    Binding("u", "address('copy')", "Copy address", show=False, id="reader.copy-address",
            tooltip="Copy the article's own address to the clipboard."),
]
"""The reading view's keys, in the order the help lists them."""
