"""The main screen: tags | articles | reading view, and the store behind them.

The screen is the one coordinator: widgets post messages up, the screen asks
the store and hands data down. Anything whose cost grows with the library
(id lists, counts) runs in a thread worker with its own connection; a key
press only ever reads one page or one article.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.config import Config
from reader.models import ArticleSummary, Tag
from reader.store import Store, StoreError
from reader.ui.widgets.article_list import PAGE, ArticleList
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.reading_view import ReadingView
from reader.ui.widgets.tag_list import Filter, TagList

PANES = ("tags", "articles", "reading")
NARROW = 100
"""Below this many columns only one or two panes show at a time."""

Command = tuple[str, str, Callable[[], object]]
"""A palette command: title (may hold archive text), help (ours only), callback."""


@contextmanager
def worker_store(store: Store) -> Iterator[Store]:
    """A connection for a worker thread (an in-memory library has only the one)."""
    if store.path == ":memory:":
        yield store
        return
    own = Store(store.path)
    try:
        yield own
    finally:
        own.close()


class MainScreen(Screen[None]):
    """Browse by tag, pick an article, read it."""

    BINDINGS = [
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="main.next-pane",
                tooltip="Focus the next pane."),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False,
                id="main.previous-pane", tooltip="Focus the previous pane."),
        Binding("1", "focus_pane('tags')", "Tags pane", show=False, id="main.tags-pane",
                tooltip="Focus the tag pane."),
        Binding("2", "focus_pane('articles')", "Articles pane", show=False,
                id="main.articles-pane", tooltip="Focus the article list."),
        Binding("3", "focus_pane('reading')", "Reading pane", show=False,
                id="main.reading-pane", tooltip="Focus the reading view."),
        Binding("escape", "back", "Back", id="main.back",
                tooltip="Go back: from the reading view to the list, from the list to the tags."),
        Binding("s", "star", "Star", id="article.star",
                tooltip="Star or unstar the article."),
        Binding("m", "toggle_read", "Read", id="article.read",
                tooltip="Mark the article read or unread."),
        Binding("t", "edit_tags", "Tags", id="article.tags",
                tooltip="Edit the article's tags."),
        Binding("o", "toggle_sort", "Sort", id="list.sort",
                tooltip="Sort the list by date or by title."),
    ]

    class IdsLoaded(Message):
        """A worker listed the ids for a filter."""

        def __init__(self, token: int, ids: list[int], keep: int | None) -> None:
            super().__init__()
            self.token = token
            """Which request this answers (stale answers are dropped)."""
            self.ids = ids
            """The ids in list order."""
            self.keep = keep
            """The article to keep the cursor on."""

    class CountsLoaded(Message):
        """A worker counted the views and tags."""

        def __init__(self, views: dict[str, int], tags: list[Tag]) -> None:
            super().__init__()
            self.views = views
            """Article counts per virtual view."""
            self.tags = tags
            """Every tag with its count."""

    AUTO_FOCUS = "#articles"

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__(classes="-pane-articles")
        self.store = store
        """The library (the screen is the only part of the interface that uses it)."""
        self.config = config
        self.filter = Filter()
        """What the article list shows."""
        self.sort = "date"
        """The list order: date (newest first) or title."""
        self._token = 0
        self._count: int | None = None
        self._pane = "articles"

    def compose(self) -> ComposeResult:
        self.tag_list = TagList(id="tags")
        self.article_list = ArticleList(self.store.summaries, id="articles")
        self.reading_view = ReadingView(wrap=self.config.wrap, id="reading")
        with Horizontal(id="panes"):
            yield self.tag_list
            yield self.article_list
            yield self.reading_view
        yield KeyBar()

    def on_mount(self) -> None:
        self.tag_list.border_title = Content("Tags")
        self.reading_view.border_title = Content("Reading")
        # The first page of the default view comes straight from an index: show it
        # at once, and let a worker fetch the full id list.
        first = self.store.articles(view="all", sort=self.sort, limit=PAGE)
        self.article_list.set_ids([s.id for s in first], first_page=first)
        if not first:
            self.article_list.empty_message = "The library is empty."
            self.reading_view.show_welcome()
        self._update_list_title()
        self._token += 1
        self.load_ids(self.filter, self.sort, self._token, None)
        self.load_counts()

    # -- workers ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="ids")
    def load_ids(self, filter: Filter, sort: str, token: int, keep: int | None) -> None:
        """List the ids of a filter (grows with the library: off the UI thread)."""
        with worker_store(self.store) as store:
            ids = store.article_ids(view=filter.view, tag=filter.tag, sort=sort)
        if not get_current_worker().is_cancelled:
            self.post_message(self.IdsLoaded(token, ids, keep))

    @work(thread=True, exclusive=True, group="counts")
    def load_counts(self) -> None:
        """Count articles per view and per tag."""
        with worker_store(self.store) as store:
            views, tags = store.view_counts(), store.tags()
        if not get_current_worker().is_cancelled:
            self.post_message(self.CountsLoaded(views, tags))

    def on_main_screen_ids_loaded(self, message: IdsLoaded) -> None:
        if message.token != self._token:
            return
        article_list = self.article_list
        keep = message.keep if message.keep is not None else article_list.highlighted_id
        first = None
        if article_list.ids and article_list.ids == message.ids[:len(article_list.ids)]:
            # The list already shows the start of this answer: keep what is fetched.
            first = [s for s in (article_list.summary(i) for i in
                                 range(min(PAGE, len(article_list.ids)))) if s]
        article_list.set_ids(message.ids, keep=keep, first_page=first)
        self._count = len(message.ids)
        self._update_list_title()

    def on_main_screen_counts_loaded(self, message: CountsLoaded) -> None:
        self.tag_list.set_counts(message.views, message.tags)

    # -- filtering --------------------------------------------------------------

    def show(self, filter: Filter, sort: str | None = None) -> None:
        """Fill the article list for `filter` (in a worker) and keep the cursor's article."""
        keep = self.article_list.highlighted_id if filter == self.filter else None
        self.filter = filter
        self.sort = sort or self.sort
        self._count = None
        self._token += 1
        self.tag_list.select_filter(filter)
        self.article_list.empty_message = "No articles here."
        self._update_list_title()
        self.load_ids(filter, self.sort, self._token, keep)

    def _update_list_title(self) -> None:
        count = "…" if self._count is None else f"{self._count:,}"
        # The tag name is archive text: it goes in as plain Content, never markup.
        self.article_list.border_title = Content.assemble(
            "Articles · ", self.filter.label, " · ", count)
        self.article_list.border_subtitle = Content(f"by {self.sort}")

    def on_tag_list_filter_selected(self, message: TagList.FilterSelected) -> None:
        self.show(message.filter)
        self.action_focus_pane("articles")

    def action_toggle_sort(self) -> None:
        self.show(self.filter, "title" if self.sort == "date" else "date")

    # -- reading ----------------------------------------------------------------

    def on_article_list_article_selected(self, message: ArticleList.ArticleSelected) -> None:
        self.open_article(message.article_id)
        self.action_focus_pane("reading")

    def open_article(self, article_id: int) -> None:
        """Show an article where its reader left it."""
        reading = self.reading_view
        if reading.article is not None and reading.article.id == article_id:
            return
        self.save_position()
        article = self.store.article(article_id)
        if article is None:
            self.notify("That article is no longer in the library.", severity="warning")
            return
        reading.show_article(article, article.position)

    def save_position(self) -> None:
        """Remember how far the open article was read."""
        article = self.reading_view.article
        if article is None:
            return
        try:
            self.store.set_position(article.id, self.reading_view.position)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def on_reading_view_end_reached(self, message: ReadingView.EndReached) -> None:
        article = self.reading_view.article
        if article is not None and article.id == message.article_id and not article.read:
            self._set_read(article.id, True)

    def on_unmount(self) -> None:
        self.save_position()

    # -- article commands -------------------------------------------------------

    def _target(self) -> int | None:
        """The article a command acts on: the list's cursor when the list has focus,
        else the open article."""
        if self.focused is not self.article_list and self.reading_view.article is not None:
            return self.reading_view.article.id
        return self.article_list.highlighted_id

    def action_star(self) -> None:
        article_id = self._target()
        summary = self._summary(article_id)
        if summary is None:
            return
        self._write(lambda: self.store.set_starred(summary.id, not summary.starred))
        self._changed(summary.id, starred=not summary.starred)
        self.notify("Starred." if not summary.starred else "Star removed.", timeout=2)

    def action_toggle_read(self) -> None:
        summary = self._summary(self._target())
        if summary is not None:
            self._set_read(summary.id, not summary.read)
            self.notify("Marked read." if not summary.read else "Marked unread.", timeout=2)

    def _set_read(self, article_id: int, read: bool) -> None:
        self._write(lambda: self.store.set_read(article_id, read))
        self._changed(article_id, read=read)

    def action_edit_tags(self) -> None:
        summary = self._summary(self._target())
        if summary is None:
            return
        tags = self.store.article_tags(summary.id)

        def done(new: list[str] | None) -> None:
            if new is None or new == list(tags):
                return
            self._write(lambda: self.store.set_tags(summary.id, new))
            self._changed(summary.id, tags=tuple(self.store.article_tags(summary.id)))
            self.notify("Tags saved.", timeout=2)

        from reader.ui.screens.dialogs import TagEditorScreen  # Input loads on first use

        self.app.push_screen(TagEditorScreen(summary.title, tags), done)

    def _summary(self, article_id: int | None) -> ArticleSummary | None:
        if article_id is None:
            self.notify("No article selected.", severity="warning", timeout=2)
            return None
        found = self.store.summaries([article_id])
        return found[0] if found else None

    def _write(self, change: Callable[[], object]) -> None:
        try:
            change()
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def _changed(self, article_id: int, **state: object) -> None:
        """Tell the widgets that show `article_id` about its new state."""
        found = self.store.summaries([article_id])
        if found:
            self.article_list.update_summary(found[0])
        article = self.reading_view.article
        if article is not None and article.id == article_id:
            self.reading_view.update_article(dataclasses.replace(article, **state))
        self.load_counts()

    # -- panes ------------------------------------------------------------------

    def _pane_widget(self, pane: str) -> Widget:
        return self.query_one(f"#{pane}")

    def action_focus_pane(self, pane: str) -> None:
        self._set_pane(pane)
        self._pane_widget(pane).focus()

    def action_back(self) -> None:
        if self._pane == "reading":
            self.action_focus_pane("articles")
        elif self._pane == "articles" and self.has_class("-narrow"):
            self.action_focus_pane("tags")

    def action_cycle_pane(self, step: int) -> None:
        self.action_focus_pane(PANES[(PANES.index(self._pane) + step) % len(PANES)])

    def _set_pane(self, pane: str) -> None:
        self._pane = pane
        for name in PANES:
            self.set_class(name == pane, f"-pane-{name}")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        pane = event.widget.id
        if pane in PANES and pane != self._pane:
            self._set_pane(pane)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- palette ----------------------------------------------------------------

    def palette_commands(self) -> list[Command]:
        """The commands this screen offers the command palette."""
        commands: list[Command] = [
            ("Show all articles", "Every article in the library",
             lambda: self.show(Filter("all"))),
            ("Show unread articles", "Articles not read yet",
             lambda: self.show(Filter("unread"))),
            ("Show starred articles", "Articles with a star",
             lambda: self.show(Filter("starred"))),
            ("Show annotated articles", "Articles with highlights or notes",
             lambda: self.show(Filter("annotated"))),
            ("Sort by date", "Newest first", lambda: self.show(self.filter, "date")),
            ("Sort by title", "Alphabetically", lambda: self.show(self.filter, "title")),
            ("Star or unstar the article", "s", self.action_star),
            ("Mark the article read or unread", "m", self.action_toggle_read),
            ("Edit the article's tags", "t", self.action_edit_tags),
            ("Toggle dark and light theme", "Remembered in the config file",
             self.app.action_toggle_theme),  # type: ignore[attr-defined]
            ("Show the keys", "?", self.app.action_help),  # type: ignore[attr-defined]
        ]
        for filter in self.tag_list.filters:
            if filter.tag is not None:
                commands.append((f"Show tag {filter.label}", "Articles with this tag",
                                 lambda f=filter: self.show(f)))  # type: ignore[misc]
        return commands
