"""The reading view: an article laid out into lines once, drawn a line at a time.

`reader.render` turns the Markdown into plain strings tagged with style names;
this widget maps those names to the theme's colours and draws only the lines
on screen, so a 100,000-word article costs one layout pass and then nothing
more per key press than a short one.

On top of the text it draws overlays given as body offsets: search hits,
highlights in colour, the keyboard selection and a cursor. `render.Document`
maps offsets to display columns, one paragraph at a time, when a line shows.
The view never writes anything: highlighting, notes and copying are asked of
the screen by messages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import render, sentences
from reader.models import Article

WELCOME = """\
# Welcome to reader

Your library is empty. Import saved articles from the command line: tag page and
digest dumps, saved web pages, feeds, WordPress and read-it-later exports,
Markdown and text files, or whole folders and zips of them.

```
reader import PATH…
```

To see how a file would be split without writing anything:

```
reader import --preview PATH…
```

Or open the demo archive, a handful of articles written for reader:

```
reader demo
```

Press **?** for the keys, **ctrl+p** for commands and **q** to quit.
"""

STUB = """\
*A saved link without its text.* It came from a read-it-later export that kept
only the address; reader never fetches the web. The address is above.
"""

_FLAG_CLASSES = (
    (render.BOLD, "bold"),
    (render.ITALIC, "italic"),
    (render.CODE, "code"),
    (render.LINK, "link"),
    (render.URL, "url"),
    (render.MARK, "mark"),
)
_BLOCK_CLASSES = frozenset({"title", "meta", "tags", "quote", "item", "rule"})


_LINK_MARK = re.compile(r"\[(\d{1,6})\]")
"""A link's number as the renderer shows it after the link's text and in the list."""

COLORS = ("yellow", "green", "blue", "pink", "purple")
"""Highlight colours, in the order of the keys 1–5."""


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlight as the view draws it: a body span and a colour."""

    id: int
    start: int
    end: int
    color: str = "yellow"
    note: str = ""


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


class ReadingView(ScrollView, can_focus=True):
    """One article, wrapped at a readable width and centred in the pane, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
        Binding("a", "annotate", "Note", id="annotate.note",
                tooltip="Highlight and write a note (on a highlight: edit its note)."),
        *(Binding(str(n), f"color({n})", f"Colour {n}", show=False, id=f"annotate.color-{n}",
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
                        "copy one."),
    ]

    COMPONENT_CLASSES = {
        "reading-view--title", "reading-view--meta", "reading-view--tags",
        "reading-view--h1", "reading-view--h2", "reading-view--h3", "reading-view--h4",
        "reading-view--quote", "reading-view--item", "reading-view--rule",
        "reading-view--bold", "reading-view--italic", "reading-view--code",
        "reading-view--link", "reading-view--url", "reading-view--mark",
        "reading-view--hit", "reading-view--hit-current", "reading-view--selection",
        "reading-view--cursor", "reading-view--caret",
        *(f"reading-view--hl-{color}" for color in COLORS),
    }

    DEFAULT_CSS = """
    ReadingView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    ReadingView > .reading-view--title { color: $text-primary; text-style: bold; }
    ReadingView > .reading-view--meta { color: $text-muted; }
    ReadingView > .reading-view--tags { color: $text-accent; }
    ReadingView > .reading-view--h1 { color: $text-primary; text-style: bold underline; }
    ReadingView > .reading-view--h2 { color: $text-primary; text-style: bold; }
    ReadingView > .reading-view--h3 { color: $text-secondary; text-style: bold; }
    ReadingView > .reading-view--h4 { color: $text-secondary; text-style: italic; }
    ReadingView > .reading-view--quote { color: $text-muted; text-style: italic; }
    ReadingView > .reading-view--item { }
    ReadingView > .reading-view--rule { color: $panel-lighten-2; }
    ReadingView > .reading-view--bold { text-style: bold; }
    ReadingView > .reading-view--italic { text-style: italic; }
    ReadingView > .reading-view--code { color: $text-warning; background: $surface; }
    ReadingView > .reading-view--link { color: $text-accent; text-style: underline; }
    ReadingView > .reading-view--url { color: $text-muted; }
    ReadingView > .reading-view--mark { color: $text-accent; }
    ReadingView > .reading-view--hit { background: $warning 35%; }
    ReadingView > .reading-view--hit-current { background: $warning; color: $background; }
    ReadingView > .reading-view--selection { background: $primary 60%; color: $text; }
    ReadingView > .reading-view--cursor { color: $accent; }
    ReadingView > .reading-view--caret { text-style: reverse; }
    ReadingView > .reading-view--hl-yellow { background: #b8a000 45%; }
    ReadingView > .reading-view--hl-green { background: #3c9a3c 45%; }
    ReadingView > .reading-view--hl-blue { background: #3870c8 45%; }
    ReadingView > .reading-view--hl-pink { background: #c8508c 45%; }
    ReadingView > .reading-view--hl-purple { background: #8850c8 45%; }
    """

    class EndReached(Message):
        """The end of the article came into view."""

        def __init__(self, article_id: int, at_once: bool = False) -> None:
            super().__init__()
            self.article_id = article_id
            """The article read to its end."""
            self.at_once = at_once
            """The end showed as the article opened (it fits on the screen, or it was
            left there): nothing says yet that it was read."""

    class HighlightRequested(Message):
        """`h`, `a` or a colour key: highlight a body span."""

        def __init__(self, start: int, end: int, color: str, with_note: bool) -> None:
            super().__init__()
            self.start = start
            """Body offset where the passage starts."""
            self.end = end
            """Body offset where it ends."""
            self.color = color
            """The colour asked for."""
            self.with_note = with_note
            """Open the note editor after highlighting."""

    class CopyRequested(Message):
        """`y` or `Y`: copy a passage (a selection or a highlight)."""

        def __init__(self, start: int, end: int, plain: bool, highlight: Highlight | None
                     ) -> None:
            super().__init__()
            self.start = start
            """Body offset where the passage starts."""
            self.end = end
            """Body offset where it ends."""
            self.plain = plain
            """Plain text, not a quote with its citation."""
            self.highlight = highlight
            """The highlight copied, if it was one (its note goes with it)."""

    class LinksRequested(Message):
        """`l`: list the article's links."""

        def __init__(self, links: list[str], start: int) -> None:
            super().__init__()
            self.links = links
            """The article's link targets; link `[n]` is `links[n - 1]`."""
            self.start = start
            """The index of the link to start on (the one on the cursor's line, else 0)."""

    class HighlightAction(Message):
        """Edit the note of, recolour or delete the highlight under the cursor."""

        def __init__(self, highlight: Highlight, action: str, color: str = "") -> None:
            super().__init__()
            self.highlight = highlight
            """The highlight acted on."""
            self.action = action
            """`note`, `color` or `delete`."""
            self.color = color
            """The new colour (for `color`)."""

    def __init__(self, *, wrap: int = 80, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.wrap = wrap
        """The preferred line width in cells."""
        self._article: Article | None = None
        self._welcome = False
        self._lines: Sequence[render.Line] = []
        self._doc: render.Document | None = None
        self._top = 0
        """Index of the first body line in `_lines` (after the header)."""
        self._layout_width = 0
        self._body_cache: OrderedDict[tuple[int, int], render.Document] = OrderedDict()
        self._styles: dict[tuple[str, int], Style] = {}
        """Rich style per (block, flags); (" ", 0) is the widget's own."""
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        self._pending_position: float | None = None
        self._at_end = False
        self._cursor = 0
        """The line under the cursor (an index into `_lines`)."""
        self._column = 0
        """The caret's column on that line (characters after the prefix)."""
        self._hits: list[tuple[int, int]] = []
        self._hit: int | None = None
        self._title_hits: list[tuple[int, int]] = []
        """Search hits in the title, as offsets into the article's title."""
        self._title_marks: dict[int, list[tuple[int, int]]] = {}
        """The title hits as (first column, end column) per header line."""
        self._highlights: list[Highlight] = []
        self._selection: sentences.Selection | None = None
        self._mouse_anchor: int | None = None
        self._pending_caret: int | None = None
        """Where to put the cursor once the view has a size (it was hidden)."""
        self._selecting = False
        self._fresh = False
        """No end check yet since the article opened."""
        self._width = 0
        """The content width, measured once per frame (the region is not free)."""

    # -- what to show -----------------------------------------------------------

    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self._article

    @property
    def position(self) -> float:
        """How far down the article the view is, 0..1 (what gets saved)."""
        if self._pending_position is not None:
            return self._pending_position
        maximum = self.max_scroll_y
        return min(1.0, self.scroll_y / maximum) if maximum > 0 else 0.0

    @property
    def progress(self) -> float:
        """How much of the article has been on screen, 0..1 (what is shown)."""
        total = len(self._lines)
        if not total:
            return 0.0
        return min(1.0, (self.scroll_y + self.scrollable_content_region.height) / total)

    @property
    def line_count(self) -> int:
        """Lines in the current layout."""
        return len(self._lines)

    @property
    def cursor_line(self) -> int:
        """The line under the cursor."""
        return self._cursor

    def show_article(self, article: Article, position: float = 0.0) -> None:
        """Show `article`, scrolled to `position` (a fraction, as saved)."""
        self._article = article
        self._welcome = False
        self._at_end = False
        self._fresh = True
        self._pending_position = position
        self._hits, self._hit = [], None
        self._title_hits, self._title_marks = [], {}
        self._highlights = []
        self._selection = None
        self._cursor, self._column = -1, 0
        self._pending_caret = None
        self.border_title = Content("Reading")
        self._layout()

    def update_article(self, article: Article) -> None:
        """The same article with new state or tags: redraw, keeping the place."""
        if self._article is None or article.id != self._article.id:
            return
        self._article = article
        self._layout(keep=True)

    def show_welcome(self) -> None:
        """Say how to fill an empty library."""
        self._article = None
        self._welcome = True
        self._pending_position = 0.0
        self._hits, self._hit, self._highlights, self._selection = [], None, [], None
        self._title_hits, self._title_marks = [], {}
        self._layout()

    def clear(self) -> None:
        """Show nothing."""
        self._article = None
        self._welcome = False
        self._pending_position = None
        self._lines = []
        self._doc = None
        self._hits, self._hit, self._highlights, self._selection = [], None, [], None
        self._title_hits, self._title_marks = [], {}
        self._strips.clear()
        self.virtual_size = Size(0, 0)
        self._update_titles()
        self.refresh()

    # -- overlays -----------------------------------------------------------------

    @property
    def hits(self) -> list[tuple[int, int]]:
        """The search hits marked, as body spans."""
        return self._hits

    @property
    def current_hit(self) -> int | None:
        """The index of the hit the cursor was last moved to."""
        return self._hit

    def set_hits(self, hits: list[tuple[int, int]], *, jump: bool = True,
                 title: Sequence[tuple[int, int]] = ()) -> None:
        """Mark these body spans (and `title` spans of the title); with `jump`, go to the
        first body hit."""
        self._title_hits = sorted(title)
        self._title_marks = self._title_columns()
        self._hits = sorted(hits)
        self._hit = None
        self.border_title = Content("Reading")
        if jump and self._hits:
            self._go_to_hit(0)
        self._redraw()

    def set_highlights(self, highlights: list[Highlight]) -> None:
        """Draw these highlights (body spans with a colour)."""
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._redraw()

    @property
    def highlights(self) -> list[Highlight]:
        return self._highlights

    def action_next_hit(self, step: int) -> None:
        if not self._hits:
            self.notify("No search hits here: / searches, f finds in the article.",
                        timeout=2)
            return
        offset = self.caret
        if self._hit is not None and self._hits[self._hit][0] == offset:
            index = (self._hit + step) % len(self._hits)
        elif step > 0:
            index = bisect_right([s for s, _ in self._hits], offset if offset is not None else -1)
            index %= len(self._hits)
        else:
            index = bisect_left([s for s, _ in self._hits], offset or 0) - 1
            index %= len(self._hits)
        self._go_to_hit(index)

    def _go_to_hit(self, index: int) -> None:
        self._hit = index
        self.move_caret(self._hits[index][0], center=True)
        self.border_title = Content(f"Hit {index + 1} of {len(self._hits)}")
        self._redraw()  # the current hit is drawn apart from the others

    # -- cursor ---------------------------------------------------------------------

    @property
    def caret(self) -> int | None:
        """The body offset under the cursor (the next text below a heading line)."""
        doc = self._doc
        if doc is None or not doc.lines:
            return None
        index = max(0, self._cursor - self._top)
        if self._cursor < self._top:
            return doc.to_body(_first_text(doc, 0), 0) if _first_text(doc, 0) >= 0 else None
        for line in range(index, len(doc.lines)):
            if doc.lines[line].para >= 0:
                return doc.to_body(line, self._column if line == index else 0)
        return None

    def move_caret(self, offset: int, *, center: bool = False) -> None:
        """Put the cursor on body `offset` and scroll it into view."""
        doc = self._doc
        if doc is None or self._layout_width == 0:
            self._pending_caret = offset
            return
        place = doc.to_display(offset)
        if place is None:
            return
        old = self._cursor
        self._cursor, self._column = place[0] + self._top, place[1]
        self._show_cursor(center)
        self._cursor_moved(old)

    def _show_cursor(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if center and not top <= self._cursor < top + height:
            target = self._cursor - height // 3
        elif self._cursor < top:
            target = self._cursor
        elif self._cursor >= top + height:
            target = self._cursor - height + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True, force=True)

    def action_cursor_lines(self, lines: int) -> None:
        if not self._lines:
            return
        old = self._cursor
        self._cursor = _clamp(self._cursor + lines, 0, len(self._lines) - 1)
        if self._selection is not None:
            self._head_to_cursor()
        self._show_cursor()
        self._cursor_moved(old)

    # -- selection --------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected body span, if any."""
        return self._selection.span if self._selection is not None else None

    def select(self, start: int, end: int) -> None:
        """Select body `start:end` (a search hit, a mouse drag)."""
        self._selection = sentences.selection_between(start, end)
        self._redraw()

    def clear_selection(self) -> None:
        self._selection = None
        self._redraw()

    def _head_to_cursor(self) -> None:
        doc, selection = self._doc, self._selection
        if doc is None or selection is None:
            return
        line = self._cursor - self._top
        if line < 0:
            offset = 0
        elif line >= len(doc.lines) or doc.lines[line].para < 0:
            span = _nearest_span(doc, line)
            offset = span if span is not None else selection.head
        else:
            offset = doc.to_body(line, self._column) or 0
            if selection.side == "end" and offset >= selection.anchor_end:
                offset = _line_end(doc, line, self._column, offset)
        self._selection = sentences.move_head(selection, offset)

    def action_select(self) -> None:
        """`v`: select the sentence under the cursor, or drop the selection."""
        if self._selection is not None:
            self.clear_selection()
            return
        offset = self.caret
        if offset is None or self._doc is None:
            return
        self._selection = sentences.start_selection(self._doc.body, offset)
        self._redraw()

    def action_extend(self, motion: str) -> None:
        """Extend the selection by a motion; without one, move the caret (or skip)."""
        doc = self._doc
        if doc is None:
            raise SkipAction()
        if self._selection is None:
            offset = self.caret
            if offset is None or motion == "word_back":
                raise SkipAction()
            unit = motion.removesuffix("_back")
            if motion.startswith("char"):
                self._selection = sentences.selection_between(
                    offset, min(len(doc.body), offset + 1))
                self._redraw()
                return
            if motion.endswith("_back"):
                target = sentences.prev_start(doc.body, offset, unit)  # type: ignore[arg-type]
            else:
                target = sentences.next_start(doc.body, offset, unit)  # type: ignore[arg-type]
            self.move_caret(target)
            return
        self._selection = sentences.extend(doc.body, self._selection, motion)
        head = self._selection.head
        self.move_caret(max(0, head - 1) if self._selection.side == "end" else head)

    def action_cancel(self) -> None:
        if self._selection is None:
            raise SkipAction()
        self.clear_selection()

    def action_extend_lines(self, lines: int) -> None:
        if self._selection is None:
            offset = self.caret
            if offset is None:
                return
            self._selection = sentences.selection_between(offset, offset + 1)
        self.action_cursor_lines(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys shared with the screen or with paging act here only with a selection:
        # 1–5 colour it (else they switch panes), b extends it (else pages up),
        # escape drops it (else goes back).
        if action in ("color", "cancel") or (action == "extend" and parameters == (
                "word_back",)):
            return self._selection is not None
        return True

    # -- highlights -----------------------------------------------------------------

    def highlight_at(self, offset: int | None) -> Highlight | None:
        """The highlight holding body `offset` (the innermost, when they nest)."""
        if offset is None:
            return None
        found = [h for h in self._highlights if h.start <= offset < h.end]
        return min(found, key=lambda h: h.end - h.start) if found else None

    def _target(self) -> tuple[int, int] | None:
        """What `h` highlights: the selection, else the hit or the sentence at the cursor."""
        if self._selection is not None:
            return self._selection.span
        offset = self.caret
        if offset is None or self._doc is None:
            return None
        for start, end in self._hits:
            if start <= offset < end:
                return start, end
        return sentences.sentence_at(self._doc.body, offset)

    def _request(self, color: str, with_note: bool) -> None:
        target = self._target()
        if target is None or target[0] >= target[1]:
            self.notify("Nothing here to highlight.", severity="warning", timeout=2)
            return
        self._selection = None
        self._redraw()
        self.post_message(self.HighlightRequested(target[0], target[1], color, with_note))

    def action_highlight(self) -> None:
        if self._article is not None:
            self._request(COLORS[0], with_note=False)

    def action_annotate(self) -> None:
        if self._article is None:
            return
        existing = self.highlight_at(self.caret) if self._selection is None else None
        if existing is not None:
            self.post_message(self.HighlightAction(existing, "note"))
        else:
            self._request(COLORS[0], with_note=True)

    def action_color(self, number: int) -> None:
        self._request(COLORS[(number - 1) % len(COLORS)], with_note=False)

    def action_cycle_color(self) -> None:
        existing = self.highlight_at(self.caret)
        if existing is None:
            self.notify("No highlight under the cursor.", timeout=2)
            return
        index = COLORS.index(existing.color) if existing.color in COLORS else -1
        self.post_message(self.HighlightAction(existing, "color",
                                               COLORS[(index + 1) % len(COLORS)]))

    def action_delete_highlight(self) -> None:
        existing = self.highlight_at(self.caret)
        if existing is None:
            self.notify("No highlight under the cursor.", timeout=2)
            return
        self.post_message(self.HighlightAction(existing, "delete"))

    def action_copy(self, plain: bool) -> None:
        if self._selection is not None:
            start, end = self._selection.span
            self.post_message(self.CopyRequested(start, end, plain, None))
            return
        existing = self.highlight_at(self.caret)
        if existing is not None:
            self.post_message(self.CopyRequested(existing.start, existing.end, plain, existing))
            return
        self.notify("Nothing to copy: select with v, or put the cursor on a highlight.",
                    timeout=3)

    # -- links ----------------------------------------------------------------------

    @property
    def links(self) -> list[str]:
        """The open article's link targets; link `[n]` is `links[n - 1]`."""
        return self._doc.links if self._doc is not None else []

    def link_at_cursor(self) -> int | None:
        """The number `n` of the first `[n]` link marker on the cursor's line, if any."""
        if not 0 <= self._cursor < len(self._lines) or self._cursor < self._top:
            return None
        count = len(self.links)
        for text, flags in self._lines[self._cursor].spans:
            if flags & render.MARK:
                found = _LINK_MARK.fullmatch(text.strip())
                if found is not None and 1 <= int(found.group(1)) <= count:
                    return int(found.group(1))
        return None

    def action_links(self) -> None:
        links = self.links
        if not links:
            self.notify("No links in this article.", timeout=2)
            return
        number = self.link_at_cursor()
        self.post_message(self.LinksRequested(list(links), number - 1 if number else 0))

    def action_next_highlight(self, step: int) -> None:
        if not self._highlights:
            self.notify("No highlights in this article.", timeout=2)
            return
        offset = self.caret or 0
        starts = [h.start for h in self._highlights]
        if step > 0:
            index = bisect_right(starts, offset) % len(starts)
        else:
            index = (bisect_left(starts, offset) - 1) % len(starts)
        self.move_caret(starts[index], center=True)

    # -- layout -----------------------------------------------------------------

    def _text_width(self) -> int:
        return max(8, min(self.wrap, self.scrollable_content_region.width - 4))

    def _layout(self, keep: bool = False) -> None:
        if self.scrollable_content_region.width <= 0:
            self._layout_width = 0
            return  # hidden: laid out when it gets a size
        caret = self.caret if keep and self._doc is not None else None
        if keep and self._pending_position is None:
            self._pending_position = self.position
        width = self._text_width()
        self._layout_width = width
        if self._welcome:
            self._doc = None
            self._lines = render.layout(WELCOME, width)
            self._top = 0
        elif self._article is not None:
            article = self._article
            title = ("★ " if article.starred else "") + article.title
            header = render.header_lines(title, width, date=article.date, source=article.source,
                                         author=article.author, tags=article.tags,
                                         url=article.url)
            self._doc = self._document(article, width)
            self._top = len(header) + 1
            self._lines = self._doc.view([*header, render.BLANK])  # laid out as read
            self._title_marks = self._title_columns()
        else:
            self._doc = None
            self._lines = []
        self._strips.clear()
        self.virtual_size = Size(0, len(self._lines))
        restoring = self._cursor < 0
        self._restore()
        pending, self._pending_caret = self._pending_caret, None
        if pending is not None:
            self.move_caret(pending, center=True)
        elif caret is not None:
            self.move_caret(caret)
        elif restoring or self._cursor >= len(self._lines):
            self._cursor = _clamp(round(self.scroll_y), 0, max(0, len(self._lines) - 1))
            self._column = 0
        self._redraw()

    def _document(self, article: Article, width: int) -> render.Document:
        key = (article.id, width)
        doc = self._body_cache.get(key)
        body = article.body if article.body.strip() or not article.stub else STUB
        if doc is None or doc.body != body:
            doc = render.document(body, width)
            self._body_cache[key] = doc
            while len(self._body_cache) > 4:
                self._body_cache.popitem(last=False)
        return doc

    def _restore(self) -> None:
        position = self._pending_position
        if position is None:
            return
        self._pending_position = None
        height = self.scrollable_content_region.height
        maximum = max(0, len(self._lines) - height)
        # force: the scrollbars of the previous article's layout may not allow it yet.
        self.scroll_to(y=round(position * maximum), animate=False, immediate=True, force=True)
        self._update_titles()
        self._check_end()

    def on_resize(self) -> None:
        if self._article is None and not self._welcome:
            return
        if self._layout_width == 0 or self._text_width() != self._layout_width:
            self._layout(keep=self._layout_width != 0)
        else:
            self._strips.clear()  # the lines are cached per width
            self._update_titles()
            self._check_end()

    # -- scrolling --------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        height = self.scrollable_content_region.height
        if self._lines and height > 0 and self._pending_position is None:
            # The cursor stays on screen: a scrolled page carries it along.
            top = round(new_value)
            cursor = _clamp(self._cursor, top, min(len(self._lines), top + height) - 1)
            if cursor != self._cursor:
                old, self._cursor = self._cursor, cursor
                if self._selection is not None:
                    self._head_to_cursor()
                self._cursor_moved(old)
        self._update_titles()
        self._check_end()

    def _check_end(self) -> None:
        article = self._article
        if article is None or not self._lines or self.scrollable_content_region.height <= 0:
            return
        at_end = self.scroll_y >= self.max_scroll_y
        if at_end and not self._at_end:
            self.post_message(self.EndReached(article.id, at_once=self._fresh))
        self._at_end = at_end
        self._fresh = False

    def _update_titles(self) -> None:
        if self._article is None:
            self.border_subtitle = None
            return
        self.border_subtitle = Content(f"{round(self.progress * 100)}%")

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        old = self._cursor
        self._cursor = _clamp(self._cursor + pages * page, 0, max(0, len(self._lines) - 1))
        self.scroll_to(y=self.scroll_y + pages * page, animate=False, immediate=True)
        self._cursor_moved(old)

    def action_scroll_to_start(self) -> None:
        old, self._cursor = self._cursor, 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._cursor_moved(old)

    def action_scroll_to_end(self) -> None:
        if self._doc is not None and not self._doc.complete:  # a lazy layout: finish it
            self._doc.finish()
            self.virtual_size = Size(0, len(self._lines))
        old, self._cursor = self._cursor, max(0, len(self._lines) - 1)
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self._cursor_moved(old)

    # -- mouse ------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> tuple[int, int] | None:
        offset = event.get_content_offset(self)
        if offset is None or not self._lines:
            return None
        line = _clamp(round(self.scroll_y) + offset.y, 0, len(self._lines) - 1)
        margin = max(1, (self.scrollable_content_region.width - self._layout_width) // 2)
        lead = self._lines[line].lead
        return line, max(0, offset.x - margin - lead)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        place = self._offset_at(event)
        if place is None:
            return
        self.focus()
        self._cursor, self._column = place
        self._selection = None
        self._mouse_anchor = self.caret
        self.capture_mouse()
        self._redraw()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_anchor is None:
            return
        place = self._offset_at(event)
        if place is None:
            return
        self._cursor, self._column = place
        head = self.caret
        if head is not None and head != self._mouse_anchor:
            start, end = sorted((self._mouse_anchor, head))
            self._selection = sentences.selection_between(start, end + 1)
        self._redraw()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._mouse_anchor is not None:
            self.release_mouse()
        self._mouse_anchor = None

    # -- drawing ----------------------------------------------------------------

    def _redraw(self) -> None:
        self._strips.clear()
        self.refresh()
        self._selection_shown()

    def _cursor_moved(self, old: int) -> None:
        """Redraw after the cursor moved from line `old`: without a selection only the
        line it left and the line it reached change (a key press then redraws two lines,
        or, when the view scrolled, draws only the lines that came into view)."""
        if self._selection is not None or self._selecting:
            self._redraw()
            return
        width = self.scrollable_content_region.width
        for index in {old, self._cursor}:
            self._strips.discard((index, width))
            self.refresh_line(index)

    def _selection_shown(self) -> None:
        selecting = self._selection is not None
        if selecting != self._selecting:
            # The key bar shows the selection's keys (esc Cancel, 1–5) only while one exists.
            self._selecting = selecting
            self.refresh_bindings()

    def on_focus(self) -> None:
        self._cursor_moved(self._cursor)  # the cursor shows only with focus

    def on_blur(self) -> None:
        self._cursor_moved(self._cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def _style(self, block: str, flags: int) -> Style:
        key = (block, flags)
        style = self._styles.get(key)
        if style is None:
            style = self._style(" ", 0) if block != " " else self.rich_style
            if block in _BLOCK_CLASSES:
                style += self.get_component_rich_style(f"reading-view--{block}", partial=True)
            elif block[0] == "h" and block[1:].isdigit():
                level = min(int(block[1:]), 4)
                style += self.get_component_rich_style(f"reading-view--h{level}", partial=True)
            for flag, name in _FLAG_CLASSES:
                if flags & flag:
                    style += self.get_component_rich_style(f"reading-view--{name}",
                                                           partial=True)
            self._styles[key] = style
        return style

    def _overlay(self, name: str) -> Style:
        key = ("@" + name, 0)
        style = self._styles.get(key)
        if style is None:
            style = self.get_component_rich_style(f"reading-view--{name}", partial=True)
            self._styles[key] = style
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._width = self.scrollable_content_region.width
        if len(self._lines) != self.virtual_size.height:  # a lazy layout's estimate moved
            self.virtual_size = Size(0, len(self._lines))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        index = round(self.scroll_y) + y
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_line(index, width)
            self._strips[key] = strip
        return strip

    def _title_columns(self) -> dict[int, list[tuple[int, int]]]:
        """Where the title hits show: (first column, end column) per header line."""
        article = self._article
        if article is None or not self._title_hits or not self._lines:
            return {}
        prefix = 2 if article.starred else 0  # "★ "
        where = _display_offsets(article.title)
        spans = [(prefix + where[min(a, len(where) - 1)], prefix + where[min(b, len(where) - 1)])
                 for a, b in self._title_hits if a < b]
        marks: dict[int, list[tuple[int, int]]] = {}
        for index, line in enumerate(self._lines[:self._top]):
            if line.block != "title":
                continue
            start, end = line.start, line.start + line_text_length(line)
            found = [(max(a, start) - start, min(b, end) - start)
                     for a, b in spans if a < end and b > start]
            if found:
                marks[index] = found
        return marks

    def _overlays(self, index: int) -> list[tuple[int, int, Style]]:
        """(first column, end column, style) on line `index`, later ones on top."""
        if index < self._top:
            marks = self._title_marks.get(index)
            return [(a, b, self._overlay("hit")) for a, b in marks] if marks else []
        doc = self._doc
        line = index - self._top
        if doc is None or line < 0 or line >= len(doc.lines) or doc.lines[line].para < 0:
            return []
        span = doc.span_of(line)
        if span is None:
            return []
        lo, hi = span
        out: list[tuple[int, int, Style]] = []
        if self._highlights:
            found = [h for h in self._highlights if h.start < hi + 1 and h.end > lo]
            for c0, c1, n in doc.columns(line, [(h.start, h.end) for h in found]):
                color = found[n].color if found[n].color in COLORS else "yellow"
                out.append((c0, c1, self._overlay(f"hl-{color}")))
        if self._hits:
            first = max(0, bisect_left(self._hits, (lo, -1)) - 1)
            near = self._hits[first:bisect_right(self._hits, (hi, 1 << 62)) + 1]
            for c0, c1, n in doc.columns(line, near):
                current = self._hit is not None and near[n] == self._hits[self._hit]
                out.append((c0, c1, self._overlay("hit-current" if current else "hit")))
        if self._selection is not None:
            for c0, c1, _ in doc.columns(line, [self._selection.span]):
                out.append((c0, c1, self._overlay("selection")))
        return out

    def _render_line(self, index: int, width: int) -> Strip:
        base = self._style(" ", 0)
        if index >= len(self._lines):
            if index == 1 and not self._lines:
                hint = self._style("meta", 0)
                return Strip([Segment("  Choose an article and press enter to read it.", hint)]
                             ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        line = self._lines[index]
        text_width = self._layout_width
        margin = max(1, (width - text_width) // 2)
        cursor_here = index == self._cursor and self._article is not None and self.has_focus
        if cursor_here:
            segments = [Segment(" " * (margin - 1), base),
                        Segment("▌", base + self._overlay("cursor"))]
        else:
            segments = [Segment(" " * margin, base)]
        if line.block == "rule":
            segments.append(Segment("─" * text_width, self._style("rule", 0)))
            return Strip(segments).adjust_cell_length(width, base)
        overlays = [(a + line.lead, b + line.lead, style)
                    for a, b, style in self._overlays(index)]
        if cursor_here and line.para >= 0:
            column = line.lead + min(self._column, max(0, line_text_length(line) - 1))
            overlays.append((column, column + 1, self._overlay("caret")))
        block = line.block
        if not overlays:
            for text, flags in line.spans:
                segments.append(Segment(text, self._style(block, flags)))
        else:
            segments.extend(_painted(line, overlays, lambda f: self._style(block, f)))
        return Strip(segments).adjust_cell_length(width, base)


def _display_offsets(title: str) -> list[int]:
    """For each character of `title` (and its end), its offset in the title as the header
    shows it: control characters made visible, bidi overrides dropped, runs of spaces
    made one and none at the start (what `render.header_lines` does)."""
    where: list[int] = []
    shown = 0
    space = True
    for char in title:
        where.append(shown)
        seen = render.visible(char, one_line=True)
        if not seen:
            continue
        if seen == " ":
            if not space:
                shown += 1
            space = True
        else:
            shown += len(seen)
            space = False
    where.append(shown)
    return where


def line_text_length(line: render.Line) -> int:
    """Characters of a line's text, after its prefix."""
    return sum(len(text) for text, _ in line.spans) - line.lead


def _painted(line: render.Line, overlays: list[tuple[int, int, Style]],
             style_of: object) -> list[Segment]:
    """The line's runs cut where overlays start and end, overlay styles added on top."""
    cuts = sorted({0, *(a for a, _, _ in overlays), *(b for _, b, _ in overlays)})
    segments: list[Segment] = []
    position = 0
    for text, flags in line.spans:
        style: Style = style_of(flags)  # type: ignore[operator]
        end = position + len(text)
        points = [c for c in cuts if position < c < end]
        for a, b in zip([position, *points], [*points, end], strict=True):
            piece = text[a - position:b - position]
            if not piece:
                continue
            painted = style
            for o0, o1, extra in overlays:
                if o0 <= a and b <= o1:
                    painted = painted + extra
            segments.append(Segment(piece, painted))
        position = end
    return segments


def _first_text(doc: render.Document, start: int) -> int:
    for index in range(start, len(doc.lines)):
        if doc.lines[index].para >= 0:
            return index
    return -1


def _nearest_span(doc: render.Document, line: int) -> int | None:
    """The body offset at the start of the next line with text (for blank lines)."""
    following = _first_text(doc, max(0, line))
    if following < 0:
        return len(doc.body)
    return doc.to_body(following, 0)


def _line_end(doc: render.Document, line: int, column: int, offset: int) -> int:
    """One past the character at `column` (the selection then includes it)."""
    span = doc.span_of(line)
    if span is None:
        return offset
    return min(span[1], offset + 1)
