"""Search results: title, date, source, tags, hit count and a snippet with the hits marked.

Each result takes three lines. Marks come from the offsets in `SearchHit`
(title and snippet), drawn as styled segments: the archive text is never
parsed as markup, whatever brackets it holds.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_left

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from reader.models import SearchHit
from reader.render import visible
from reader.ui.messages import message
from reader.ui.widgets.cursor_list import CursorList


class SearchResults(CursorList):
    """The hits of a search, best first; choosing one opens it at its first hit."""

    @message
    class HitChosen(Message):
        """A result was chosen (enter or a click)."""

        results: SearchResults
        """The list it was chosen in."""
        hit: SearchHit
        """The chosen result."""

        @property
        def control(self) -> SearchResults:
            return self.results

    @message
    class MoreWanted(Message):
        """The cursor is near the end of the results and more are available."""

        results: SearchResults
        """The list that wants them."""
        offset: int
        """How many results are shown (the next page starts there)."""

        @property
        def control(self) -> SearchResults:
            return self.results

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SearchResults.MoreWanted) and message.offset == self.offset

    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"search-results--hit"}

    DEFAULT_CSS = """
    SearchResults > .search-results--hit { color: $text-warning; text-style: bold underline; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._hits: list[SearchHit] = []
        self.empty_message = "Type to search the library."
        """Shown when there are no results."""
        self.total = 0
        """How many results the search has in all (more are fetched as the cursor nears
        the end of those shown)."""
        self._asked = False

    @property
    def row_count(self) -> int:
        return len(self._hits)

    @property
    def hits(self) -> list[SearchHit]:
        """The results shown, in order."""
        return self._hits

    @property
    def highlighted(self) -> SearchHit | None:
        """The result under the cursor."""
        return self._hits[self.cursor] if self._hits else None

    def set_hits(self, hits: list[SearchHit], total: int | None = None) -> None:
        """Show these results, cursor on the first."""
        self._hits = list(hits)
        self.total = len(hits) if total is None else total
        self._asked = False
        self.rows_changed(cursor=0)

    def add_hits(self, hits: list[SearchHit]) -> None:
        """The next page of results, after those shown."""
        self._hits.extend(hits)
        self._asked = not hits  # an empty page: nothing more to ask for
        self.rows_changed()

    def move_cursor(self, index: int, *, center: bool = False) -> None:
        super().move_cursor(index, center=center)
        rows = len(self._hits)
        if not self._asked and rows < self.total and self.cursor >= rows - 20:
            self._asked = True
            self.post_message(self.MoreWanted(self, rows))

    def row_height_for(self, width: int) -> int:
        return 3

    def row_chosen(self, index: int) -> None:
        self.post_message(self.HitChosen(self, self._hits[index]))

    def render_empty(self, y: int, width: int, base: Style) -> list[Segment]:
        # The message is wrapped to the width (a long one tells of the search index).
        lines = textwrap.wrap(self.empty_message, max(10, width - 3)) or [""]
        if not 1 <= y <= len(lines):
            return []
        dim = self.ink(base, "cursor-list--dim")
        return [Segment("  " + lines[y - 1], dim)]

    def render_row(self, index: int, line: int, width: int, base: Style) -> list[Segment]:
        hit = self._hits[index]
        dim = self.ink(base, "cursor-list--dim")
        mark = self.ink(base, "search-results--hit")
        if line == 0:
            strong = self.ink(base, "cursor-list--strong")
            accent = self.ink(base, "cursor-list--accent")
            count = f"{hit.hit_count} hit{'s' if hit.hit_count != 1 else ''}" if (
                hit.hit_count) else ""
            room = max(1, width - 3 - (cell_len(count) + 2 if count else 0))
            title = visible(hit.title, one_line=True) or "Untitled"
            segments = [Segment(" ", base), Segment("●" if not hit.read else " ", accent),
                        Segment(" ", base)]
            segments += marked(title, hit.title_hits, room, strong, mark + strong)
            used = 3 + sum(cell_len(s.text) for s in segments[3:])
            if count:
                segments += [Segment(" " * max(1, width - used - cell_len(count) - 1), base),
                             Segment(count, accent)]
            return segments
        if line == 1:
            parts = [p for p in (hit.date, visible(hit.source or "", one_line=True)) if p]
            parts += ["#" + visible(tag, one_line=True) for tag in hit.tags]
            return [Segment("   ", base), *marked(" · ".join(parts), (), width - 4, dim, dim)]
        snippet, spans = without_markdown(visible(hit.snippet, one_line=True), hit.snippet_hits)
        snippet, spans = hit_in_view(snippet, spans, width - 4)
        return [Segment("   ", base), *marked(snippet, spans, width - 4, dim, mark)]


def hit_in_view(text: str, spans: list[tuple[int, int]], width: int
                ) -> tuple[str, list[tuple[int, int]]]:
    """`text` started later, after an ellipsis, when its first hit would end past
    `width` cells: a snippet wider than its column (sized before a resize, or of
    wide characters) still shows its hit, about a third of the way in."""
    if not spans or width < 10:
        return text, spans
    first, end = spans[0]
    if cell_len(text[:end]) <= width - 1:
        return text, spans
    start, room = first, width // 3
    while start > 0 and cell_len(text[start - 1:first]) <= room:
        start -= 1
    space = text.find(" ", start, first)
    start = space + 1 if space >= 0 else start
    shift = start - 1  # the ellipsis takes one character
    moved = [(max(s - shift, 1), e - shift) for s, e in spans if e > start]
    return "…" + text[start:], moved


def marked(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]], width: int,
           style: Style, mark: Style) -> list[Segment]:
    """`text` cut to `width` cells (with an ellipsis), the `spans` drawn in `mark`."""
    if width <= 0:
        return []
    cut = len(text)
    if cell_len(text) > width:
        used = 0
        for index, char in enumerate(text):
            w = cell_len(char)
            if used + w > width - 1:
                cut = index
                break
            used += w
    segments: list[Segment] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, cut)
        if start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], style))
        segments.append(Segment(text[start:end], mark))
        position = end
    if position < cut:
        segments.append(Segment(text[position:cut], style))
    if cut < len(text):
        segments.append(Segment("…", style))
    return segments


_MARKERS = re.compile(
    r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}"     # emphasis stars next to a word (not "5 * 3")
    r"|`"                                  # code
    r"|(?:^|(?<=\s))#{1,6}\s"             # a heading's hashes
    r"|!?\[(?=[^\[\]]*\]\()|\](?=\()"      # a link's brackets (its URL stays)
)


def without_markdown(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]
                     ) -> tuple[str, list[tuple[int, int]]]:
    """A snippet of the Markdown source as the reading view shows it: emphasis, code and
    heading markers and link brackets dropped, the hit spans moved to match."""
    pieces: list[str] = []
    where: list[int] = []  # the old offset of each kept character
    position = 0
    for m in _MARKERS.finditer(text):
        pieces.append(text[position:m.start()])
        where.extend(range(position, m.start()))
        if m.group() == "]":  # `[text](url)` reads `text (url)`, as in the reading view
            pieces.append(" ")
            where.append(m.start())
        position = m.end()
    if not pieces:
        return text, list(spans)
    pieces.append(text[position:])
    where.extend(range(position, len(text)))
    moved = [(bisect_left(where, s), bisect_left(where, e)) for s, e in spans]
    return "".join(pieces), [(s, e) for s, e in moved if e > s]
