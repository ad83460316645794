"""A virtual list with a cursor: the line API renders only the visible rows.

Both the tag pane and the article list are one of these. A row is drawn on
demand by `render_row`, so the list costs the same with ten rows or a million.
Drawn lines are kept (but the cursor's), so a scroll by one row draws one row.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.widgets.themed import Inks


class CursorList(ScrollView, can_focus=True):
    """Rows drawn by `render_row`, one of them under a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down",
                tooltip="Move the cursor down one row."),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up",
                tooltip="Move the cursor up one row."),
        Binding("g,home", "cursor_first", "First", show=False, id="list.first",
                tooltip="Move the cursor to the first row."),
        Binding("G,end", "cursor_last", "Last", show=False, id="list.last",
                tooltip="Move the cursor to the last row."),
        Binding("pagedown,ctrl+f,space", "cursor_page_down", "Page down", show=False,
                id="list.page-down", tooltip="Move the cursor down one page."),
        Binding("pageup,ctrl+b,b", "cursor_page_up", "Page up", show=False,
                id="list.page-up", tooltip="Move the cursor up one page."),
        Binding("enter", "choose", "Open", id="list.choose",
                tooltip="Open the row under the cursor."),
    ]

    COMPONENT_CLASSES = {
        "cursor-list--cursor",
        "cursor-list--cursor-blurred",
        "cursor-list--dim",
        "cursor-list--accent",
        "cursor-list--strong",
    }

    DEFAULT_CSS = """
    CursorList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    CursorList > .cursor-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    CursorList > .cursor-list--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    CursorList > .cursor-list--dim { color: $text-muted; }
    CursorList > .cursor-list--accent { color: $text-accent; }
    CursorList > .cursor-list--strong { text-style: bold; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cursor = 0
        self._row_height = 1
        self._base: Style | None = None
        self.ink = Inks(self)
        """Component styles resolved over the row's background (`ink(base, name)`)."""
        self._drawn: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        """Drawn lines by (line of the list, width); never the cursor's."""
        self._width = 0
        """The content width, measured once per frame (the region is not free)."""

    # -- for subclasses ---------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list has."""
        return 0

    def row_height_for(self, width: int) -> int:
        """Lines per row at this width."""
        return 1

    def render_row(self, index: int, line: int, width: int, base: Style) -> list[Segment]:
        """The segments of `line` (0-based) of row `index`, on the row's background."""
        return []

    def render_empty(self, y: int, width: int, base: Style) -> list[Segment]:
        """What to show on line `y` of an empty list."""
        return []

    def row_chosen(self, index: int) -> None:
        """Enter was pressed (or the row clicked) on row `index`."""

    # -- cursor -----------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """The index of the row under the cursor."""
        return self._cursor

    def move_cursor(self, index: int, *, center: bool = False) -> None:
        """Put the cursor on row `index` (clamped) and scroll it into view."""
        count = self.row_count
        index = max(0, min(index, count - 1)) if count else 0
        old, self._cursor = self._cursor, index
        if old != index:
            self.refresh_row(old)
            self.refresh_row(index)
        self._scroll_to_cursor(center)

    @property
    def row_height(self) -> int:
        """Lines per row at the current width."""
        return self._row_height

    def refresh_row(self, index: int) -> None:
        """Redraw one row if it is on screen."""
        width = self.scrollable_content_region.width
        for line in range(index * self._row_height, (index + 1) * self._row_height):
            self._drawn.discard((line, width))
        y = index * self._row_height - round(self.scroll_y)
        if -self._row_height < y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self._row_height))

    def rows_changed(self, *, cursor: int | None = None) -> None:
        """The number or content of the rows changed: resize and redraw."""
        self.virtual_size = Size(0, self.row_count * self._row_height)
        self._expect_scrollbar()
        if cursor is not None:
            self._cursor = cursor
        count = self.row_count
        self._cursor = max(0, min(self._cursor, count - 1)) if count else 0
        self.forget_drawn_rows()
        self.refresh()
        self._scroll_to_cursor(center=cursor is not None)

    def _expect_scrollbar(self) -> None:
        # Textual shows a scroll bar once the layout has measured the list, and lays the
        # screen out again for it: a frame later, a frame more. Rows that surely overflow
        # (more lines than the pane, or before the first layout than the terminal) show
        # it in the same frame as they do.
        if self.styles.overflow_y != "auto":
            return
        height = self.container_size.height
        lines = self.virtual_size.height
        needed = lines > height if height else lines > self.app.size.height
        if needed and not self.show_vertical_scrollbar:
            self.show_vertical_scrollbar = True

    def forget_drawn_rows(self) -> None:
        """Rows changed in ways `refresh_row` did not hear of: draw them anew."""
        self._drawn.clear()

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        first = self._cursor * self._row_height
        last = first + self._row_height - 1
        if center and not (top <= first and last < top + height):
            target = first - (height - self._row_height) // 2
        elif first < top:
            target = first
        elif last >= top + height:
            target = last - height + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self._row_height - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_cursor_page_down(self) -> None:
        self.move_cursor(self._cursor + self._page())

    def action_cursor_page_up(self) -> None:
        self.move_cursor(self._cursor - self._page())

    def action_choose(self) -> None:
        if self.row_count:
            self.row_chosen(self._cursor)

    # -- drawing ----------------------------------------------------------------

    def on_resize(self) -> None:
        self._drawn.clear()
        if not self._fit_rows(self.scrollable_content_region.width):
            self._scroll_to_cursor()

    def _fit_rows(self, width: int) -> bool:
        """Lines per row for `width`; True when that changed (the rows were laid out
        again)."""
        height = self.row_height_for(width)
        if height == self._row_height:
            return False
        self._row_height = height
        self.rows_changed(cursor=self._cursor)
        return True

    def on_focus(self) -> None:
        self.refresh_row(self._cursor)

    def on_blur(self) -> None:
        self.refresh_row(self._cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self.ink.clear()
        self._drawn.clear()
        self.refresh()

    @property
    def base_style(self) -> Style:
        """The widget's own style (`rich_style` walks the ancestors: keep it)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_lines(self, crop: Region) -> list[Strip]:
        self._width = self.scrollable_content_region.width
        # The first frame is drawn before the first Resize arrives: rows of the right
        # height in it, not one frame later.
        self._fit_rows(self._width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        base = self.base_style
        count = self.row_count
        if not count:
            return Strip(self.render_empty(y, width, base)).adjust_cell_length(width, base)
        number = round(self.scroll_y) + y
        index, line = divmod(number, self._row_height)
        if index >= count:
            return Strip.blank(width, base)
        if index == self._cursor:
            base = self.ink(base, "cursor-list--cursor" if self.has_focus
                            else "cursor-list--cursor-blurred")
            return Strip(self.render_row(index, line, width, base)).adjust_cell_length(
                width, base)
        key = (number, width)
        strip = self._drawn.get(key)
        if strip is None:
            strip = Strip(self.render_row(index, line, width, base)).adjust_cell_length(
                width, base)
            self._drawn[key] = strip
        return strip

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // self._row_height
        if 0 <= index < self.row_count:
            self.move_cursor(index)
            self.row_chosen(index)


def fit(text: str, width: int) -> str:
    """`text`, cut with an ellipsis to at most `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"
