"""The reading view: an article laid out into lines once, drawn a line at a time.

`reader.render` turns the Markdown into plain strings tagged with style names;
this widget maps those names to the theme's colours and draws only the lines
on screen, so a 100,000-word article costs one layout pass and then nothing
more per key press than a short one.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import render
from reader.models import Article

WELCOME = """\
# Welcome to reader

Your library is empty. Import saved articles from the command line: tag page and
digest dumps, Markdown and text files, or whole folders of them.

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

_FLAG_CLASSES = (
    (render.BOLD, "bold"),
    (render.ITALIC, "italic"),
    (render.CODE, "code"),
    (render.LINK, "link"),
    (render.URL, "url"),
    (render.MARK, "mark"),
)
_BLOCK_CLASSES = frozenset({"title", "meta", "tags", "quote", "item", "rule"})


class ReadingView(ScrollView, can_focus=True):
    """One article, wrapped at a readable width and centred in the pane."""

    BINDINGS: list[BindingType] = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="reader.down",
                tooltip="Scroll down one line."),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="reader.up",
                tooltip="Scroll up one line."),
        Binding("space,pagedown,ctrl+f", "scroll_pages(1)", "Page down", show=False,
                id="reader.page-down", tooltip="Scroll down one page."),
        Binding("b,pageup,ctrl+b", "scroll_pages(-1)", "Page up", show=False,
                id="reader.page-up", tooltip="Scroll up one page."),
        Binding("g,home", "scroll_to_start", "Top", show=False, id="reader.top",
                tooltip="Go to the start of the article."),
        Binding("G,end", "scroll_to_end", "End", show=False, id="reader.end",
                tooltip="Go to the end of the article."),
    ]

    COMPONENT_CLASSES = {
        "reading-view--title", "reading-view--meta", "reading-view--tags",
        "reading-view--h1", "reading-view--h2", "reading-view--h3", "reading-view--h4",
        "reading-view--quote", "reading-view--item", "reading-view--rule",
        "reading-view--bold", "reading-view--italic", "reading-view--code",
        "reading-view--link", "reading-view--url", "reading-view--mark",
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
    """

    class EndReached(Message):
        """The end of the article came into view."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id
            """The article read to its end."""

    def __init__(self, *, wrap: int = 80, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.wrap = wrap
        """The preferred line width in cells."""
        self._article: Article | None = None
        self._welcome = False
        self._lines: list[render.Line] = []
        self._layout_width = 0
        self._body_cache: OrderedDict[tuple[int, int], list[render.Line]] = OrderedDict()
        self._styles: dict[tuple[str, int], Style] = {}
        """Rich style per (block, flags); (" ", 0) is the widget's own."""
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        self._pending_position: float | None = None
        self._at_end = False

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

    def show_article(self, article: Article, position: float = 0.0) -> None:
        """Show `article`, scrolled to `position` (a fraction, as saved)."""
        self._article = article
        self._welcome = False
        self._at_end = False
        self._pending_position = position
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
        self._layout()

    def clear(self) -> None:
        """Show nothing."""
        self._article = None
        self._welcome = False
        self._pending_position = None
        self._lines = []
        self._strips.clear()
        self.virtual_size = Size(0, 0)
        self._update_titles()
        self.refresh()

    # -- layout -----------------------------------------------------------------

    def _text_width(self) -> int:
        return max(8, min(self.wrap, self.scrollable_content_region.width - 4))

    def _layout(self, keep: bool = False) -> None:
        if self.scrollable_content_region.width <= 0:
            self._layout_width = 0
            return  # hidden: laid out when it gets a size
        if keep and self._pending_position is None:
            self._pending_position = self.position
        width = self._text_width()
        self._layout_width = width
        if self._welcome:
            self._lines = render.layout(WELCOME, width)
        elif self._article is not None:
            article = self._article
            title = ("★ " if article.starred else "") + article.title
            header = render.header_lines(title, width, date=article.date, source=article.source,
                                         author=article.author, tags=article.tags,
                                         url=article.url)
            self._lines = [*header, render.BLANK, *self._body(article, width)]
        else:
            self._lines = []
        self._strips.clear()
        self.virtual_size = Size(0, len(self._lines))
        self._restore()
        self.refresh()

    def _body(self, article: Article, width: int) -> list[render.Line]:
        key = (article.id, width)
        lines = self._body_cache.get(key)
        if lines is None:
            lines = render.layout(article.body, width)
            self._body_cache[key] = lines
            while len(self._body_cache) > 4:
                self._body_cache.popitem(last=False)
        return lines

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
            self._update_titles()
            self._check_end()

    # -- scrolling --------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._update_titles()
        self._check_end()

    def _check_end(self) -> None:
        article = self._article
        if article is None or not self._lines or self.scrollable_content_region.height <= 0:
            return
        at_end = self.scroll_y >= self.max_scroll_y
        if at_end and not self._at_end:
            self.post_message(self.EndReached(article.id))
        self._at_end = at_end

    def _update_titles(self) -> None:
        if self._article is None:
            self.border_subtitle = None
            return
        self.border_subtitle = Content(f"{round(self.progress * 100)}%")

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        self.scroll_to(y=self.scroll_y + pages * page, animate=False)

    def action_scroll_to_start(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_to_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # -- drawing ----------------------------------------------------------------

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

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_line(index, width)
            self._strips[key] = strip
        return strip

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
        segments = [Segment(" " * margin, base)]
        if line.block == "rule":
            segments.append(Segment("─" * text_width, self._style("rule", 0)))
        else:
            block = line.block
            for text, flags in line.spans:
                segments.append(Segment(text, self._style(block, flags)))
        return Strip(segments).adjust_cell_length(width, base)
