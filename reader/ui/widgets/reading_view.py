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

Why this module is long (≈ 870 lines, over the ~600 of the others): it is one
widget whose parts share the laid-out lines, the scroll position and the line
cache on every key — layout and restoring the place, scrolling, the cursor's
glue to `Caret`, the keys that act on the selection and on highlights, the
mouse, drawing — and its six messages are nested on it. Cut further, each part
would reach into the others' state. What stands apart is apart: the keys
(`reading_keys.py`), painting and the styles (`painting.py`), colours
(`palette.py`), links in the laid-out text (`article_links.py`), the welcome
and stub texts (`texts.py`), the caret and selection (`caret.py`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import render, sentences
from reader.models import Article
from reader.ui.messages import message
from reader.ui.widgets import article_links, reading_keys
from reader.ui.widgets.caret import Caret, clamp
from reader.ui.widgets.opening import until_opened
from reader.ui.widgets.painting import (
    VIEW_COMPONENTS,
    VIEW_CSS,
    Overlay,
    Styles,
    line_overlays,
    line_text_length,
    painted,
    title_marks,
)
from reader.ui.widgets.palette import COLORS
from reader.ui.widgets.texts import STUB, WELCOME


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlight as the view draws it: a body span and a colour."""

    id: int
    start: int
    end: int
    color: str = "yellow"
    note: str = ""


class ReadingView(ScrollView, can_focus=True):
    """One article, wrapped at a readable width and centred in the pane, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = reading_keys.BINDINGS

    COMPONENT_CLASSES = VIEW_COMPONENTS
    DEFAULT_CSS = VIEW_CSS

    @message
    class EndReached(Message):
        """The end of the article came into view."""

        article_id: int
        """The article read to its end."""
        at_once: bool = False
        """The end showed as the article opened (it fits on the screen, or it was
        left there): nothing says yet that it was read."""

        def can_replace(self, message: Message) -> bool:
            return (isinstance(message, ReadingView.EndReached)
                    and message.article_id == self.article_id)

    @message
    class HighlightRequested(Message):
        """`h`, `a` or a colour key: highlight a body span."""

        start: int
        """Body offset where the passage starts."""
        end: int
        """Body offset where it ends."""
        color: str
        """The colour asked for."""
        with_note: bool
        """Open the note editor after highlighting."""

    @message
    class CopyRequested(Message):
        """`y` or `Y`: copy a passage (a selection or a highlight)."""

        start: int
        """Body offset where the passage starts."""
        end: int
        """Body offset where it ends."""
        plain: bool
        """Plain text, not a quote with its citation."""
        highlight: Highlight | None
        """The highlight copied, if it was one (its note goes with it)."""

    @message
    class LinksRequested(Message):
        """`l`: list the article's links."""

        links: list[str]
        """The article's link targets; link `[n]` is `links[n - 1]`."""
        start: int
        """The index in `links` of the link to start on: the one on the cursor's line, else
        -1 (the article's address, else the first link)."""
        texts: list[str] = field(default_factory=list)
        """Each link's text as the article shows it ('' when it has none)."""
        address: str | None = None
        """The article's own address (link 0), if it has one."""

    @message
    class AddressRequested(Message):
        """`o` or `u`: open or copy the article's own address."""

        address: str
        """The article's address (archive text)."""
        action: str
        """`open` (after showing it) or `copy`."""

    @message
    class HighlightAction(Message):
        """Edit the note of, recolour or delete the highlight under the cursor."""

        highlight: Highlight
        """The highlight acted on."""
        action: str
        """`note`, `color` or `delete`."""
        color: str = ""
        """The new colour (for `color`)."""

    def __init__(self, *, wrap: int = 80, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.wrap = wrap
        """The preferred line width in cells."""
        self._article: Article | None = None
        self._welcome = False
        self.welcome_text = WELCOME
        """What an empty library shows (Markdown: ours, never archive text)."""
        self._lines: Sequence[render.Line] = []
        self._caret = Caret()
        """The cursor, the selection and the layout they move in (a plain object)."""
        self._layout_width = 0
        self._body_cache: OrderedDict[tuple[int, int], render.Document] = OrderedDict()
        self._paint = Styles(self)
        """Rich styles per (block, flags) and per overlay."""
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        self._pending_position: float | None = None
        self._at_end = False
        self._hits: list[tuple[int, int]] = []
        self._hit: int | None = None
        self._title_hits: list[tuple[int, int]] = []
        """Search hits in the title, as offsets into the article's title."""
        self._title_marks: dict[int, list[tuple[int, int]]] = {}
        """The title hits as (first column, end column) per header line."""
        self._highlights: list[Highlight] = []
        self._mouse_anchor: int | None = None
        self._pending_caret: int | None = None
        """Where to put the cursor once the view has a size (it was hidden)."""
        self._selecting = False
        self._fresh = False
        """No end check yet since the article opened."""
        self._width = 0
        """The content width, measured once per frame (the region is not free)."""

    # The caret's state, under the names the drawing code uses.

    @property
    def _doc(self) -> render.Document | None:
        return self._caret.doc

    @_doc.setter
    def _doc(self, doc: render.Document | None) -> None:
        self._caret.doc = doc

    @property
    def _top(self) -> int:
        return self._caret.top

    @_top.setter
    def _top(self, top: int) -> None:
        self._caret.top = top

    @property
    def _cursor(self) -> int:
        return self._caret.line

    @_cursor.setter
    def _cursor(self, line: int) -> None:
        self._caret.line = line

    @property
    def _column(self) -> int:
        return self._caret.column

    @_column.setter
    def _column(self, column: int) -> None:
        self._caret.column = column

    @property
    def _selection(self) -> sentences.Selection | None:
        return self._caret.selection

    @_selection.setter
    def _selection(self, selection: sentences.Selection | None) -> None:
        self._caret.selection = selection

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
    def lines(self) -> Sequence[render.Line]:
        """The laid-out lines: the header, then the body (`render.plain` gives their text)."""
        return self._lines

    @property
    def document(self) -> render.Document | None:
        """The article's body as laid out (lazily: `complete` once laid out to its end);
        None with no article open."""
        return self._doc

    @property
    def text_width(self) -> int:
        """The width the text is laid out at (0 while the view has no size)."""
        return self._layout_width

    @property
    def body_top(self) -> int:
        """The line the body starts on (after the header and a blank line)."""
        return self._top

    def overlay_style(self, name: str) -> Style:
        """The style an overlay is drawn in (`hit`, `selection`, …), over the view's
        background."""
        return self._paint.overlay(name)

    def forget_drawn_lines(self) -> None:
        """Drop the drawn lines kept for redraws (the next frame draws every line anew)."""
        self._strips.clear()

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

    def show_welcome(self, welcome: bool = True) -> None:
        """Say how to fill an empty library (`welcome` False: show no article, as at the
        start: the article shown was deleted)."""
        self._article = None
        self._welcome = welcome
        self._pending_position = 0.0
        self._hits, self._hit, self._highlights, self._selection = [], None, [], None
        self._title_hits, self._title_marks = [], {}
        self._layout()

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
        return self._caret.offset

    def move_caret(self, offset: int, *, center: bool = False) -> None:
        """Put the cursor on body `offset` and scroll it into view."""
        if self._doc is None or self._layout_width == 0:
            self._pending_caret = offset
            return
        old = self._cursor
        if not self._caret.place(offset):
            return
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
        self._caret.move_lines(lines, len(self._lines))
        self._show_cursor()
        self._cursor_moved(old)

    # -- selection --------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected body span, if any."""
        return self._selection.span if self._selection is not None else None

    def clear_selection(self) -> None:
        self._selection = None
        self._redraw()

    def action_select(self) -> None:
        """`v`: select the sentence under the cursor, or drop the selection."""
        if self._caret.toggle_selection():
            self._redraw()

    def action_extend(self, motion: str) -> None:
        """Extend the selection by a motion; without one, move the caret (or skip)."""
        try:
            target = self._caret.extend(motion)
        except LookupError:
            raise SkipAction() from None
        if target is None:
            self._redraw()
        else:
            self.move_caret(target)

    def action_cancel(self) -> None:
        if self._selection is None:
            raise SkipAction()
        self.clear_selection()

    def action_extend_lines(self, lines: int) -> None:
        if self._caret.start_line_selection():
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

    def _request(self, color: str, with_note: bool) -> None:
        target = self._caret.target(self._hits)
        if target is None or target[0] >= target[1]:
            self.notify("Nothing here to highlight.", severity="warning", timeout=2)
            return
        self._selection = None
        self._redraw()
        self.post_message(self.HighlightRequested(target[0], target[1], color, with_note))

    def action_highlight(self) -> None:
        if self._article is not None:
            self._request(COLORS[0], with_note=False)

    async def action_annotate(self) -> None:
        if self._article is None:
            return
        existing = self.highlight_at(self.caret) if self._selection is None else None
        if existing is not None:
            self.post_message(self.HighlightAction(existing, "note"))
        else:
            self._request(COLORS[0], with_note=True)
        await until_opened(self)  # keys typed meanwhile go to the note editor

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
        return article_links.link_on(self._lines[self._cursor], len(self.links))

    @property
    def address(self) -> str | None:
        """The open article's own address, if it has one."""
        article = self.article
        return article.url.strip() or None if article is not None and article.url else None

    def link_texts(self) -> list[str]:
        """Each link's text as laid out (the runs drawn as a link before its `[n]`), in
        link order; '' for a link whose text was not found."""
        if self._doc is None:
            return []
        return article_links.link_texts(self._doc.lines, len(self.links))

    def action_links(self) -> None:
        links, address = self.links, self.address
        if not links and address is None:
            self.notify("No links in this article, and no address.", timeout=2)
            return
        number = self.link_at_cursor()
        start = number - 1 if number else -1
        self.post_message(self.LinksRequested(list(links), start, self.link_texts(), address))

    def action_address(self, action: str) -> None:
        address = self.address
        if address is None:
            self.notify("This article has no address." if self.article is not None
                        else "No article open.", timeout=2)
            return
        self.post_message(self.AddressRequested(address, action))

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
            self._lines = render.layout(self.welcome_text, width)
            self._top = 0
        elif self._article is not None:
            article = self._article
            title = ("★ " if article.starred else "") + article.title
            header = render.header_lines(title, width, date=article.date, source=article.source,
                                         author=_other(article.author, article.source),
                                         tags=article.tags, url=article.url)
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
            self._cursor = clamp(round(self.scroll_y), 0, max(0, len(self._lines) - 1))
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
            cursor = clamp(self._cursor, top, min(len(self._lines), top + height) - 1)
            if cursor != self._cursor:
                old, self._cursor = self._cursor, cursor
                if self._selection is not None:
                    self._caret.head_to_cursor()
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
        self._cursor = clamp(self._cursor + pages * page, 0, max(0, len(self._lines) - 1))
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
        line = clamp(round(self.scroll_y) + offset.y, 0, len(self._lines) - 1)
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
        self._paint.clear()
        self._strips.clear()
        self.refresh()

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
            strip = self.draw_line(index, width)
            self._strips[key] = strip
        return strip

    def _overlays(self, index: int) -> list[Overlay]:
        """(first column, end column, style) on line `index`, later ones on top."""
        if index < self._top:
            marks = self._title_marks.get(index)
            return [(a, b, self._paint.overlay("hit")) for a, b in marks] if marks else []
        if self._doc is None:
            return []
        return line_overlays(
            self._doc, index - self._top, self._paint,
            highlights=[(h.start, h.end, h.color) for h in self._highlights],
            hits=self._hits, current=self._hit,
            selection=self._selection.span if self._selection is not None else None)

    def _title_columns(self) -> dict[int, list[tuple[int, int]]]:
        article = self._article
        if article is None or not self._lines:
            return {}
        return title_marks(article.title, article.starred, self._title_hits,
                           self._lines[:self._top])

    def draw_line(self, index: int, width: int) -> Strip:
        """Line `index` of the laid-out article drawn `width` cells wide (wherever the view
        is scrolled)."""
        base = self._paint.block(" ", 0)
        if index >= len(self._lines):
            if index == 1 and not self._lines:
                hint = self._paint.block("meta", 0)
                return Strip([Segment("  Choose an article and press enter to read it.", hint)]
                             ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        line = self._lines[index]
        text_width = self._layout_width
        margin = max(1, (width - text_width) // 2)
        cursor_here = index == self._cursor and self._article is not None and self.has_focus
        if cursor_here:
            segments = [Segment(" " * (margin - 1), base),
                        Segment("▌", base + self._paint.overlay("cursor"))]
        else:
            segments = [Segment(" " * margin, base)]
        if line.block == "rule":
            segments.append(Segment("─" * text_width, self._paint.block("rule", 0)))
            return Strip(segments).adjust_cell_length(width, base)
        overlays = [(a + line.lead, b + line.lead, style)
                    for a, b, style in self._overlays(index)]
        if cursor_here and line.para >= 0:
            column = line.lead + min(self._column, max(0, line_text_length(line) - 1))
            overlays.append((column, column + 1, self._paint.overlay("caret")))
        block = line.block
        if not overlays:
            for text, flags in line.spans:
                segments.append(Segment(text, self._paint.block(block, flags)))
        else:
            segments.extend(painted(line, overlays, lambda f: self._paint.block(block, f)))
        return Strip(segments).adjust_cell_length(width, base)


def _other(author: str | None, source: str | None) -> str | None:
    """The author, unless it is the source again (a blog by its author: `X · X`)."""
    if author and source and " ".join(author.split()).casefold() == " ".join(
            source.split()).casefold():
        return None
    return author
