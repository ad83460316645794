"""Painting the reading view's lines: styles, overlays, and the runs they cut.

`reader.render` lays an article out into lines of (text, flags) runs tagged
with a block name. Here those names and flags become the theme's Rich styles
(`Styles`, cached until the theme changes), the view's overlays — highlights in
colour, search hits, the selection — become column spans per line
(`line_overlays`, `title_marks`), and `painted` cuts a line's runs where the
overlays start and end. Nothing here keeps state of its own but the cache.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.color import Color

from reader import render
from reader.ui.widgets.palette import BACKGROUND, COLORS, css
from reader.ui.widgets.themed import TEXT_CONTRAST, Inks, legible

if TYPE_CHECKING:
    from textual.widget import Widget

FLAG_CLASSES = (
    (render.BOLD, "bold"),
    (render.ITALIC, "italic"),
    (render.CODE, "code"),
    (render.LINK, "link"),
    (render.URL, "url"),
    (render.MARK, "mark"),
)
"""Inline flags and the component class that styles each."""
DECORATIONS = ("rule", "cursor")
"""Component classes drawn as marks, not text: 3:1 against the background is enough."""
BLOCK_CLASSES = frozenset({"title", "meta", "tags", "quote", "item", "rule"})
"""Blocks with a component class of their own (headings have h1–h4)."""

Overlay = tuple[int, int, Style]
"""(first column, end column, style) on one line."""

VIEW_COMPONENTS = {
    "reading-view--title", "reading-view--meta", "reading-view--tags",
    "reading-view--h1", "reading-view--h2", "reading-view--h3", "reading-view--h4",
    "reading-view--quote", "reading-view--item", "reading-view--rule",
    "reading-view--bold", "reading-view--italic", "reading-view--code",
    "reading-view--link", "reading-view--url", "reading-view--mark",
    "reading-view--hit", "reading-view--hit-current", "reading-view--selection",
    "reading-view--cursor", "reading-view--caret",
    *(f"reading-view--hl-{color}" for color in COLORS),
}
"""The reading view's component classes: one per block kind, inline flag and overlay."""

VIEW_CSS = """
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
""" + css("ReadingView", "reading-view--hl-", "background", BACKGROUND, " 45%")
"""The reading view's default styles: the theme's colours for each component class."""


class Styles:
    """The reading view's Rich styles per (block, flags) and per overlay, from its
    component classes; cached until `clear` (the theme or the CSS changed)."""

    def __init__(self, widget: Widget, prefix: str = "reading-view--") -> None:
        self._widget = widget
        self._prefix = prefix
        self._cache: dict[tuple[str, int], Style] = {}
        self._inks = Inks(widget, decorations=[prefix + name for name in DECORATIONS])

    def clear(self) -> None:
        """Forget the cached styles."""
        self._cache.clear()
        self._inks.clear()

    def _add(self, base: Style, name: str) -> Style:
        return self._inks(base, self._prefix + name)

    def block(self, block: str, flags: int) -> Style:
        """The style of a run: the widget's, its block's, then each flag's."""
        key = (block, flags)
        style = self._cache.get(key)
        if style is None:
            style = self.block(" ", 0) if block != " " else self._widget.rich_style
            if block in BLOCK_CLASSES:
                style = self._add(style, block)
            elif block[0] == "h" and block[1:].isdigit():
                style = self._add(style, f"h{min(int(block[1:]), 4)}")
            for flag, name in FLAG_CLASSES:
                if flags & flag:
                    style = self._add(style, name)
            self._cache[key] = style
        return style

    def overlay(self, name: str) -> Style:
        """The style an overlay adds (`hit`, `selection`, `hl-blue`, …), its colours
        resolved over the view's background."""
        key = ("@" + name, 0)
        style = self._cache.get(key)
        if style is None:
            style = self._inks.extra(self.block(" ", 0), self._prefix + name)
            self._cache[key] = style
        return style


def line_overlays(doc: render.Document, line: int, styles: Styles, *,
                  highlights: Sequence[tuple[int, int, str]] = (),
                  hits: list[tuple[int, int]] | None = None, current: int | None = None,
                  selection: tuple[int, int] | None = None) -> list[Overlay]:
    """The overlays on body line `line`, later ones on top: highlights (body spans with a
    colour), search hits (sorted body spans; `current` is the index of the current one)
    and the selection."""
    if line < 0 or line >= len(doc.lines) or doc.lines[line].para < 0:
        return []
    span = doc.span_of(line)
    if span is None:
        return []
    lo, hi = span
    out: list[Overlay] = []
    if highlights:
        found = [h for h in highlights if h[0] < hi + 1 and h[1] > lo]
        for c0, c1, n in doc.columns(line, [(h[0], h[1]) for h in found]):
            color = found[n][2] if found[n][2] in COLORS else "yellow"
            out.append((c0, c1, styles.overlay(f"hl-{color}")))
    if hits:
        first = max(0, bisect_left(hits, (lo, -1)) - 1)
        near = hits[first:bisect_right(hits, (hi, 1 << 62)) + 1]
        for c0, c1, n in doc.columns(line, near):
            is_current = current is not None and near[n] == hits[current]
            out.append((c0, c1, styles.overlay("hit-current" if is_current else "hit")))
    if selection is not None:
        for c0, c1, _ in doc.columns(line, [selection]):
            out.append((c0, c1, styles.overlay("selection")))
    return out


def title_marks(title: str, starred: bool, title_hits: Sequence[tuple[int, int]],
                header: Sequence[render.Line]) -> dict[int, list[tuple[int, int]]]:
    """Where the title's search hits show: (first column, end column) per header line."""
    if not title_hits:
        return {}
    prefix = 2 if starred else 0  # "★ "
    where = display_offsets(title)
    spans = [(prefix + where[min(a, len(where) - 1)], prefix + where[min(b, len(where) - 1)])
             for a, b in title_hits if a < b]
    marks: dict[int, list[tuple[int, int]]] = {}
    for index, line in enumerate(header):
        if line.block != "title":
            continue
        start, end = line.start, line.start + line_text_length(line)
        found = [(max(a, start) - start, min(b, end) - start)
                 for a, b in spans if a < end and b > start]
        if found:
            marks[index] = found
    return marks


def display_offsets(title: str) -> list[int]:
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


def painted(line: render.Line, overlays: list[Overlay],
            style_of: Callable[[int], Style]) -> list[Segment]:
    """The line's runs cut where overlays start and end, overlay styles added on top."""
    cuts = sorted({0, *(a for a, _, _ in overlays), *(b for _, b, _ in overlays)})
    segments: list[Segment] = []
    position = 0
    for text, flags in line.spans:
        style = style_of(flags)
        end = position + len(text)
        points = [c for c in cuts if position < c < end]
        for a, b in zip([position, *points], [*points, end], strict=True):
            piece = text[a - position:b - position]
            if not piece:
                continue
            paint = style
            covered = False
            for o0, o1, extra in overlays:
                if o0 <= a and b <= o1:
                    paint = paint + extra
                    covered = covered or extra.bgcolor is not None
            if covered and extra_ink_needed(paint):
                paint = readable(paint)
            segments.append(Segment(piece, paint))
        position = end
    return segments


def extra_ink_needed(style: Style) -> bool:
    """Whether a run's ink and background are both known (an overlay's background may
    leave the ink hard to read)."""
    return style.color is not None and style.bgcolor is not None


def readable(style: Style) -> Style:
    """`style` with its ink moved just far enough to read on its background."""
    assert style.color is not None and style.bgcolor is not None
    ink = legible(Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor),
                  TEXT_CONTRAST)
    return style + Style(color=ink.rich_color)
