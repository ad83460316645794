"""The tag pane: the virtual views (All, Unread, Starred, Annotated), then every tag."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from reader.models import Tag
from reader.render import visible
from reader.ui.messages import message
from reader.ui.widgets.cursor_list import CursorList

VIEW_LABELS = {"all": "All", "unread": "Unread", "starred": "Starred", "annotated": "Annotated"}
VIEW_ICONS = {"all": "◆", "unread": "●", "starred": "★", "annotated": "✎"}


class TagFilter(NamedTuple):
    """What the article list shows: a virtual view, optionally narrowed to a tag (not the
    search language's `search.Filter`: this one is the tag pane's choice)."""

    view: str = "all"
    """all, unread, starred or annotated."""
    tag: str | None = None
    """The tag, if the list is narrowed to one."""

    @property
    def label(self) -> str:
        """How the filter is named on screen (the tag is archive text: plain only)."""
        if self.tag is None:
            return VIEW_LABELS[self.view]
        return "#" + visible(self.tag, one_line=True)


class _Row(NamedTuple):
    filter: TagFilter
    articles: int | None


class TagList(CursorList):
    """Views and tags with their article counts; choosing one filters the articles."""

    @message
    class FilterSelected(Message):
        """A view or tag was chosen."""

        filter: TagFilter
        """The chosen filter."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[_Row] = [_Row(TagFilter(view), None) for view in VIEW_LABELS]

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def filters(self) -> list[TagFilter]:
        """Every filter the pane offers, in order."""
        return [row.filter for row in self._rows]

    def count(self, filter: TagFilter) -> int | None:
        """The article count shown for `filter` (None when not counted yet or not listed)."""
        return next((row.articles for row in self._rows if row.filter == filter), None)

    def set_counts(self, views: dict[str, int], tags: list[Tag]) -> None:
        """Show these counts; the cursor stays on the same filter if it still exists."""
        current = self._rows[self.cursor].filter if self._rows else None
        self._rows = [_Row(TagFilter(view), views.get(view)) for view in VIEW_LABELS]
        self._rows += [_Row(TagFilter("all", tag.name), tag.count) for tag in tags]
        index = next((i for i, row in enumerate(self._rows) if row.filter == current), 0)
        self.rows_changed(cursor=index)

    def select_filter(self, filter: TagFilter) -> None:
        """Put the cursor on `filter` (if the pane has it)."""
        for index, row in enumerate(self._rows):
            if row.filter == filter:
                self.move_cursor(index)
                return

    def row_chosen(self, index: int) -> None:
        self.post_message(self.FilterSelected(self._rows[index].filter))

    def render_row(self, index: int, line: int, width: int, base: Style) -> list[Segment]:
        row = self._rows[index]
        dim = self.ink(base, "cursor-list--dim")
        if row.filter.tag is None:
            icon = VIEW_ICONS[row.filter.view]
            label = VIEW_LABELS[row.filter.view]
            label_style = self.ink(base, "cursor-list--strong")
            icon_style = self.ink(base, "cursor-list--accent")
        else:
            icon, label, label_style, icon_style = "#", row.filter.label[1:], base, dim
        count = "" if row.articles is None else f"{row.articles:,}"
        room = max(0, width - 3 - cell_len(count) - 2)
        if cell_len(label) > room:
            label = set_cell_size(label, max(0, room - 1)) + "…" if room else ""
        pad = max(0, width - 3 - cell_len(label) - cell_len(count) - 1)
        return [
            Segment(" ", base),
            Segment(icon, icon_style),
            Segment(" ", base),
            Segment(label, label_style),
            Segment(" " * pad, base),
            Segment(count, dim),
            Segment(" ", base),
        ]
