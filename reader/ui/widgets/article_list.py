"""The article list: every id in memory, rows fetched a page at a time as they show.

Holding only ids (a Python list of ints: under 4 MB for 100,000 articles) and
fetching summaries in pages of `PAGE` rows keeps opening, scrolling and
jumping to the end equally cheap at any library size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from reader.models import ArticleSummary
from reader.render import visible
from reader.ui.messages import message
from reader.ui.widgets.cursor_list import CursorList, fit

PAGE = 200
"""Rows fetched at once."""
PAGES_KEPT = 16
"""Pages kept in memory (the rest are fetched again when they show)."""
TWO_LINE_BELOW = 70
"""Panes narrower than this show each article on two lines."""

Fetch = Callable[[list[int]], list[ArticleSummary]]
"""Summaries for these ids, in the given order (the screen supplies it)."""


class ArticleList(CursorList):
    """Title, date, source, unread mark, star and highlight count per row."""

    @message
    class ArticleSelected(Message):
        """An article was chosen (enter or a click)."""

        article_id: int
        """The chosen article."""

    DEFAULT_CSS = """
    ArticleList > .cursor-list--accent { color: $text-warning; }
    """

    def __init__(self, fetch: Fetch, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch = fetch
        self._ids: list[int] = []
        self._total = 0
        """Rows in the list: more than the ids known while only the first page is."""
        self._pages: OrderedDict[int, list[ArticleSummary | None]] = OrderedDict()
        self.empty_message = "No articles here."
        """Shown when the list has no rows."""

    @property
    def row_count(self) -> int:
        return self._total

    @property
    def ids(self) -> list[int]:
        """The ids in list order."""
        return self._ids

    @property
    def highlighted_id(self) -> int | None:
        """The id of the article under the cursor."""
        return self._ids[self.cursor] if self.cursor < len(self._ids) else None

    def set_ids(self, ids: list[int], *, keep: int | None = None,
                first_page: list[ArticleSummary] | None = None,
                total: int | None = None) -> None:
        """Show these articles; the cursor goes to `keep` if present, else to the top.

        `first_page`, when given, holds the summaries of the first ids (a page at most),
        already fetched.
        `total`, when more than the ids: the list's length while only its start is known
        (the rows after it show `…` until the rest of the ids come).
        """
        self._ids = ids
        self._total = max(len(ids), total or 0)
        self._pages.clear()
        if first_page and [s.id for s in first_page] == ids[:len(first_page)]:
            self._pages[0] = list(first_page[:PAGE])  # maybe less than a page
        cursor = 0
        if keep is not None:
            try:
                cursor = ids.index(keep)
            except ValueError:
                cursor = 0
        self.rows_changed(cursor=cursor)

    def update_summary(self, summary: ArticleSummary) -> None:
        """Redraw an article whose reading state changed."""
        self.forget_drawn_rows()  # its row may be drawn while its page is not kept
        for page, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row is not None and row.id == summary.id:
                    rows[offset] = summary
                    self.refresh_row(page * PAGE + offset)

    def summary(self, index: int) -> ArticleSummary | None:
        """The summary of row `index`, fetching its page if needed."""
        page, offset = divmod(index, PAGE)
        rows = self._pages.get(page)
        if rows is None or (offset >= len(rows) and index < len(self._ids)):
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            found = {s.id: s for s in self._fetch(ids)}
            rows = [found.get(article_id) for article_id in ids]
            self._pages[page] = rows
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def row_chosen(self, index: int) -> None:
        if index < len(self._ids):
            self.post_message(self.ArticleSelected(self._ids[index]))

    def render_empty(self, y: int, width: int, base: Style) -> list[Segment]:
        if y != 1:
            return []
        dim = self.ink(base, "cursor-list--dim")
        return [Segment("  " + self.empty_message, dim)]

    def row_height_for(self, width: int) -> int:
        # A narrow pane gives the title its own line, with source and date below.
        return 2 if width < TWO_LINE_BELOW else 1

    def render_row(self, index: int, line: int, width: int, base: Style) -> list[Segment]:
        summary = self.summary(index)
        dim = self.ink(base, "cursor-list--dim")
        if summary is None:
            return [Segment("   …", dim)] if line == 0 else []
        if self.row_height == 2 and line == 1:
            return self._details_line(summary, width, base, dim)
        accent = self.ink(base, "cursor-list--accent")
        strong = self.ink(base, "cursor-list--strong")
        one_line = self.row_height == 1
        # On one line, columns drop out as the pane narrows: the source first.
        date = summary.date or ""
        source = visible(summary.source or "", one_line=True) if one_line else ""
        source_width = min(20, cell_len(source)) if width >= 80 and source else 0
        notes = f"✎{summary.highlight_count}" if summary.highlight_count else ""
        # A stub (a saved link without its text) is marked before its title.
        link = "↗ " if summary.stub else ""
        fixed = 5 + (11 if one_line else 0) + (source_width + 2 if source_width else 0)
        fixed += cell_len(notes) + 1 if notes else 0
        fixed += len(link)
        room = max(1, width - fixed)
        title = fit(visible(summary.title, one_line=True) or "Untitled", room)
        segments = [
            Segment(" ", base),
            Segment("●" if not summary.read else " ", accent),
            Segment("★" if summary.starred else " ", accent),
            Segment(" ", base),
            *([Segment(link, dim)] if link else []),
            Segment(title, strong if not summary.read else base),
            Segment(" " * (room - cell_len(title) + 1), base),
        ]
        if notes:
            segments += [Segment(notes, accent), Segment(" ", base)]
        if source_width:
            segments += [Segment(set_cell_size(fit(source, source_width), source_width), dim),
                         Segment("  ", base)]
        if one_line:
            segments += [Segment(f"{date:>10}", dim), Segment(" ", base)]
        return segments

    def _details_line(self, summary: ArticleSummary, width: int, base: Style,
                      dim: Style) -> list[Segment]:
        date = summary.date or ""
        room = max(0, width - 4 - (len(date) + 2 if date else 0) - 1)
        source = fit(visible(summary.source or "", one_line=True), room)
        return [
            Segment("    ", base),
            Segment(source, dim),
            Segment(" " * (room - cell_len(source) + 2), base),
            Segment(date, dim),
        ]


