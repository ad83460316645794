"""The main screen: tags | articles | reading view, and the store behind them.

The screen is the one coordinator: widgets post messages up, the screen asks
the store and hands data down. Anything whose cost grows with the library
(id lists, counts) runs in a thread worker with its own connection; a key
press only ever reads one page or one article.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from reader import anchoring, search
from reader.config import Config
from reader.models import Annotation, AnnotationEntry, Article, ArticleSummary, SearchHit, Tag
from reader.render import visible
from reader.store import Store, StoreBusy, StoreError
from reader.ui import history, writes
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.article_list import PAGE, ArticleList
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.reading_view import Highlight, ReadingView
from reader.ui.widgets.search_results import SearchResults
from reader.ui.widgets.tag_list import Filter, TagList

if TYPE_CHECKING:
    from reader.ui.widgets.search_box import SearchBox

PANES = ("tags", "articles", "reading")
NARROW = 100
"""Below this many columns only one or two panes show at a time."""
DEBOUNCE = 0.15
"""Seconds of quiet typing before a search runs (a newer key cancels it)."""
RESULTS = 100
"""Search results listed at once."""
READ_AFTER = 2.0
"""Seconds an article whose end shows as it opens stays open before it counts as read."""

NOTES = "notes"
"""The annotations pane: shown on request, after the reading view."""
_PANE_OF = {"search": "articles", "results": "articles", "find": "reading"}
"""Widgets that belong to a pane."""

Command = tuple[str, str, Callable[[], object]]
"""A palette command: title (may hold archive text), help (ours only), callback."""


def _title(title: str) -> str:
    """An article's title quoted, on one line, cut (archive text: notify with markup=False)."""
    return _preview(title, 50)


def _preview(text: str, width: int = 60) -> str:
    """A quote on one line, cut to `width` (archive text: notify it with markup=False)."""
    flat = visible(" ".join(text.split()), one_line=True)
    if len(flat) > width:
        flat = flat[:width - 1] + "…"
    return "“" + flat + "”"


@contextmanager
def worker_store(store: Store, timeout: float = 10.0) -> Iterator[Store]:
    """A connection for a worker thread (an in-memory library has only the one);
    `timeout`: how long its writes wait for the lock."""
    if store.path == ":memory:":
        yield store
        return
    own = Store(store.path, timeout=timeout)
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
        Binding("4", "toggle_notes", "Annotations pane", show=False, id="main.notes-pane",
                tooltip="Show and focus the article's highlights and notes; again: hide them."),
        Binding("A", "all_annotations", "All highlights", show=False, id="main.annotations",
                tooltip="Every highlight in the library, newest first, searchable."),
        Binding("O", "orphans", "Orphans", show=False, id="main.orphans",
                tooltip="Review highlights that lost their place after a re-import."),
        Binding("r", "reattach", "Re-attach", show=False, id="annotate.reattach",
                tooltip="Re-attach the highlight chosen in the annotations pane to the "
                        "selection."),
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
        # Priority: the app runs these before it hands the next key to the focused
        # widget, so keys typed in a burst after them (a paste, `tmux send-keys`)
        # go to the box they open instead of queueing up in the list.
        Binding("slash", "search", "Search", id="main.search", priority=True,
                tooltip="Search the library (the tag pane's choice applies)."),
        Binding("f", "find", "Find", id="article.find", priority=True,
                tooltip="Find in the open article."),
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

    class SearchDone(Message):
        """A worker ran a search."""

        def __init__(self, token: int, hits: list[SearchHit], total: int) -> None:
            super().__init__()
            self.token = token
            """Which request this answers (stale answers are dropped)."""
            self.hits = hits
            """The first results, best first."""
            self.total = total
            """How many articles match in all."""

    class MoreFound(Message):
        """A worker fetched the next page of search results."""

        def __init__(self, token: int, hits: list[SearchHit]) -> None:
            super().__init__()
            self.token = token
            """Which search this continues."""
            self.hits = hits
            """The next results, in order."""

    class FindDone(Message):
        """A worker found a query's hits in the open article."""

        def __init__(self, token: int, article_id: int, hits: list[tuple[int, int]]) -> None:
            super().__init__()
            self.token = token
            """Which request this answers."""
            self.article_id = article_id
            """The article searched."""
            self.hits = hits
            """Body spans of the hits."""

    class WritesSaved(Message):
        """The background worker got through the queued writes (or was stopped)."""

        def __init__(self, saved: int, failed: list[str]) -> None:
            super().__init__()
            self.saved = saved
            """Writes saved."""
            self.failed = failed
            """Writes the library refused for a reason other than being busy."""

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
        self._search_token = 0
        self._find_token = 0
        self.query_text = ""
        """The library search as typed ('' when no search is open)."""
        self._boxes: dict[str, SearchBox] = {}
        """The search and find boxes, mounted on first use (an Input costs start-up)."""
        self._history_path = history.path_for(store.path)
        """Where recent queries are kept between sessions."""
        self._history: history.History | None = None
        self._read_timer: Timer | None = None
        self.queue = writes.WriteQueue()
        """Writes waiting for the library (an import holds it)."""
        self._intended: dict[int, dict[str, Any]] = {}
        """Article state written while writes were pending: shown instead of the stored one."""
        self._edited: dict[int, dict[str, Any]] = {}
        """The same for highlights: note, color, anchor, or deleted."""
        self._new: dict[int, writes.NewHighlight] = {}
        """Highlights queued before they have an id, by their (negative) temporary id."""
        self._temp_id = 0

    def compose(self) -> ComposeResult:
        self.tag_list = TagList(id="tags")
        self.article_list = ArticleList(self._summaries, id="articles")
        self.search_results = SearchResults(id="results")
        self.reading_view = ReadingView(wrap=self.config.wrap, id="reading")
        self.notes = AnnotationList(id=NOTES)
        with Horizontal(id="panes"):
            yield self.tag_list
            with Vertical(id="middle"):
                yield self.article_list
                yield self.search_results
            with Vertical(id="right"):
                yield self.reading_view
            yield self.notes
        yield KeyBar()

    def on_mount(self) -> None:
        self.tag_list.border_title = Content("Tags")
        self.reading_view.border_title = Content("Reading")
        self.notes.border_title = Content("Annotations")
        self.notes.empty_message = "No article open."
        # The first page of the default view comes straight from an index: show it
        # at once, and let a worker fetch the full id list.
        first = self.store.articles(view="all", sort=self.sort, limit=PAGE)
        self.article_list.set_ids([s.id for s in first], first_page=first)
        if not first:
            self.article_list.empty_message = "Empty. Try: reader import PATH…, reader demo"
            self.reading_view.show_welcome()
        self._update_list_title()
        self._token += 1
        # After the first frame: the workers' Python work holds the interpreter lock,
        # which the first frame would otherwise wait for.
        self.call_after_refresh(self._load_library, self._token)

    def _load_library(self, token: int) -> None:
        if token == self._token:
            self.load_ids(self.filter, self.sort, token, None)
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

    # -- search -----------------------------------------------------------------

    @property
    def searching(self) -> bool:
        """Search results replace the article list."""
        return self.has_class("-searching")

    @property
    def search_box(self) -> SearchBox:
        """The library search box (after the first `/`)."""
        return self._boxes["search"]

    @property
    def find_box(self) -> SearchBox:
        """The find-in-article box (after the first `f`)."""
        return self._boxes["find"]

    async def _mount_box(self, which: str) -> SearchBox:
        box = self._boxes.get(which)
        if box is None:
            from reader.ui.widgets.search_box import SearchBox

            if which == "search":
                box = SearchBox(placeholder='Search: words "a phrase" pre* -not tag:x',
                                id="search")
                await self.query_one("#middle").mount(box, before=self.article_list)
            else:
                box = SearchBox(placeholder="Find in this article", id="find")
                await self.query_one("#right").mount(box)
            self._boxes[which] = box
            if self._history is None:
                self._history = history.load(self._history_path)
            box.history = list(self._history.get(which, []))
        return box

    def _remember(self, which: str, query: str) -> None:
        """Add `query` to a box's recent ones, kept for the next session too."""
        box = self._boxes[which]
        before = list(box.history)
        box.remember(query)
        if self._history is not None and box.history != before:
            self._history[which] = list(box.history)
            history.save(self._history_path, self._history)

    def _typing(self) -> None:
        """Let a priority key through to a focused box (where it is text)."""
        if self.focused is not None and self.focused in self._boxes.values():
            raise SkipAction()

    async def action_search(self) -> None:
        """Open the search box (results show in place of the article list)."""
        self._typing()
        box = await self._mount_box("search")
        self.add_class("-searching")
        self._set_pane("articles")
        self.set_focus(box)  # at once: `focus()` waits behind keys already queued
        self._update_results_title(None)

    def close_search(self) -> None:
        """Back to the article list as it was."""
        if self.query_text:
            self._remember("search", self.query_text)
        self.remove_class("-searching")
        self.query_text = ""
        self._search_token += 1
        self.search_box.value = ""
        self.search_results.set_hits([])
        self.action_focus_pane("articles")

    def on_input_changed(self, event: SearchBox.Changed) -> None:
        if event.input is self._boxes.get("search"):
            self.query_text = event.value
            self._search_token += 1
            if not event.value.strip():
                self.search_results.set_hits([])
                self._update_results_title(None)
                return
            self._update_results_title(None, busy=True)
            self.run_search(event.value, self.filter, self._search_token)
        elif event.input is self._boxes.get("find"):
            self._find_token += 1
            article = self.reading_view.article
            if article is not None:
                self.run_find(event.value, article.id, article.body, self._find_token)

    def on_input_submitted(self, event: SearchBox.Submitted) -> None:
        if event.input is self._boxes.get("search"):
            event.stop()
            self._remember("search", event.value)
            if self.search_results.row_count:
                self.search_results.focus()
        elif event.input is self._boxes.get("find"):
            event.stop()
            self._remember("find", event.value)
            self.reading_view.focus()

    def on_search_box_closed(self, message: SearchBox.Closed) -> None:
        if message.box is self._boxes.get("search"):
            self.close_search()
        else:
            self.find_box.display = False
            self._find_token += 1
            self.reading_view.set_hits([], jump=False)
            self.reading_view.focus()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str, filter: Filter, token: int) -> None:
        """The first page of results and the count (waits for a pause in typing)."""
        time.sleep(DEBOUNCE)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        try:
            with worker_store(self.store) as store:
                hits = store.search(text, view=filter.view, tag=filter.tag, limit=RESULTS,
                                    live=True)
                if worker.is_cancelled:
                    return
                total = store.search_count(text, view=filter.view, tag=filter.tag, live=True)
        except Exception as exc:  # a busy or damaged library: say so, keep running
            self.app.call_from_thread(self.notify, f"Search failed: {exc}",
                                      severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.post_message(self.SearchDone(token, hits, total))

    def on_main_screen_search_done(self, message: SearchDone) -> None:
        if message.token != self._search_token or not self.searching:
            return
        self.search_results.empty_message = "Nothing found."
        self.search_results.set_hits(message.hits, message.total)
        self._update_results_title(message.total)

    def on_search_results_more_wanted(self, message: SearchResults.MoreWanted) -> None:
        if self.query_text.strip():
            self.more_results(self.query_text, self.filter, self._search_token, message.offset)

    @work(thread=True, exclusive=True, group="search-more")
    def more_results(self, text: str, filter: Filter, token: int, offset: int) -> None:
        """The next page of results."""
        try:
            with worker_store(self.store) as store:
                hits = store.search(text, view=filter.view, tag=filter.tag, limit=RESULTS,
                                    offset=offset, live=True)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Search failed: {exc}",
                                      severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.MoreFound(token, hits))

    def on_main_screen_more_found(self, message: MoreFound) -> None:
        if message.token == self._search_token and self.searching:
            self.search_results.add_hits(message.hits)
            self._update_results_title(self.search_results.total)

    def _update_results_title(self, total: int | None, busy: bool = False) -> None:
        count = "…" if busy else "" if total is None else f"{total:,} found"
        parts: list[str | Content] = ["Search · ", self.filter.label]
        if count:
            parts += [" · ", count]
        self.search_results.border_title = Content.assemble(*parts)
        shown = self.search_results.row_count
        self.search_results.border_subtitle = (
            Content(f"{shown:,} shown") if total is not None and total > shown else None)

    def on_search_results_hit_chosen(self, message: SearchResults.HitChosen) -> None:
        self._remember("search", self.query_text)
        self.open_article(message.hit.id)
        article = self.reading_view.article
        if article is not None and article.id == message.hit.id:
            query = search.parse(self.query_text, live=True)
            self.reading_view.set_hits(search.find_in_text(query, article.body),
                                       title=message.hit.title_hits)
        self.action_focus_pane("reading")

    # -- find in the article ------------------------------------------------------

    async def action_find(self) -> None:
        """Open the find box under the reading view."""
        self._typing()
        if self.reading_view.article is None:
            self.notify("Open an article first.", severity="warning", timeout=2)
            return
        box = await self._mount_box("find")
        box.display = True
        self._set_pane("reading")
        self.set_focus(box)

    @work(thread=True, exclusive=True, group="find")
    def run_find(self, text: str, article_id: int, body: str, token: int) -> None:
        """Every hit of `text` in the article (its cost grows with the article)."""
        time.sleep(DEBOUNCE / 3)
        if get_current_worker().is_cancelled:
            return
        words = text.strip()
        # One Latin letter as a prefix marks most of a long article: wait for a second.
        if not words or (len(words) == 1 and words.isascii()):
            hits: list[tuple[int, int]] = []
        else:
            try:
                hits = search.find_in_text(search.parse(text, live=True), body)
            except Exception as exc:  # pragma: no cover - find_in_text takes any text
                self.app.call_from_thread(self.notify, f"Find failed: {exc}",
                                          severity="error", markup=False)
                return
        if not get_current_worker().is_cancelled:
            self.post_message(self.FindDone(token, article_id, hits))

    def on_main_screen_find_done(self, message: FindDone) -> None:
        article = self.reading_view.article
        if message.token != self._find_token or article is None or (
                article.id != message.article_id):
            return
        self.reading_view.set_hits(message.hits)
        if not message.hits and len(self.find_box.value.strip()) > 1:  # the box exists
            self.reading_view.border_title = Content("Not found")

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
        if self.searching and self.query_text.strip():
            # The tag pane's choice narrows the search too.
            self._search_token += 1
            self._update_results_title(None, busy=True)
            self.run_search(self.query_text, filter, self._search_token)

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
        self._cancel_read_timer()
        article = self.store.article(article_id)
        if article is None:
            self.notify("That article is no longer in the library.", severity="warning")
            return
        article = self._as_intended(article)
        reading.show_article(article, article.position)
        self.load_highlights()

    def save_position(self) -> None:
        """Remember how far the open article was read."""
        article = self.reading_view.article
        if article is None or self.queue.stopped:
            return
        position, article_id = self.reading_view.position, article.id
        self.save("the reading position in " + _title(article.title),
                  lambda store: store.set_position(article_id, position), quiet=True)
        self._intend(article_id, position=position)

    def on_reading_view_end_reached(self, message: ReadingView.EndReached) -> None:
        article = self.reading_view.article
        if article is None or article.id != message.article_id or article.read:
            return
        self._cancel_read_timer()
        if message.at_once:
            # Opening an article that fits on the screen is not reading it: it counts
            # once it has stayed open (and in view) for a moment.
            self._read_timer = self.set_timer(
                READ_AFTER, lambda: self._read_if_still_open(article.id))
        else:
            self._set_read(article.id, True, article.title)

    def _read_if_still_open(self, article_id: int) -> None:
        self._read_timer = None
        article = self.reading_view.article
        if (article is not None and article.id == article_id and not article.read
                and self.reading_view.region.area > 0):
            self._set_read(article_id, True, article.title)

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def on_unmount(self) -> None:
        self._cancel_read_timer()
        if not len(self.queue):
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
        starred, target = not summary.starred, summary.id
        if self.save(("the star on " if starred else "removing the star from ")
                     + _title(summary.title),
                     lambda store: store.set_starred(target, starred)):
            self.notify("Starred." if starred else "Star removed.", timeout=2)
        self._changed(target, starred=starred)

    def action_toggle_read(self) -> None:
        summary = self._summary(self._target())
        if summary is not None:
            self._cancel_read_timer()  # the reader's own choice stands
            if self._set_read(summary.id, not summary.read, summary.title):
                self.notify("Marked read." if not summary.read else "Marked unread.",
                            timeout=2)

    def _set_read(self, article_id: int, read: bool, title: str) -> bool:
        written = self.save(("marking read " if read else "marking unread ") + _title(title),
                            lambda store: store.set_read(article_id, read), quiet=read)
        self._changed(article_id, read=read)
        return written

    def action_edit_tags(self) -> None:
        summary = self._summary(self._target())
        if summary is None:
            return
        intended = self._intended.get(summary.id, {}).get("tags")
        tags = list(intended) if intended is not None else self.store.article_tags(summary.id)

        def done(new: list[str] | None) -> None:
            if new is None or new == list(tags):
                return
            target = summary.id
            if self.save("the tags of " + _title(summary.title),
                         lambda store: store.set_tags(target, new)):
                self._changed(target, tags=tuple(self.store.article_tags(target)))
                self.notify("Tags saved.", timeout=2)
            else:
                self._changed(target, tags=tuple(new))

        from reader.ui.screens.dialogs import TagEditorScreen  # Input loads on first use

        self.app.push_screen(TagEditorScreen(summary.title, tags), done)

    def _summary(self, article_id: int | None) -> ArticleSummary | None:
        if article_id is None:
            self.notify("No article selected.", severity="warning", timeout=2)
            return None
        found = self.store.summaries([article_id])
        return found[0] if found else None

    def _changed(self, article_id: int, **state: Any) -> None:
        """Tell the widgets that show `article_id` about its new state."""
        self._intend(article_id, **state)
        found = self._summaries([article_id])
        if found:
            self.article_list.update_summary(found[0])
        article = self.reading_view.article
        if article is not None and article.id == article_id:
            self.reading_view.update_article(dataclasses.replace(article, **state))
        self.load_counts()

    # -- writing ------------------------------------------------------------------

    @property
    def pending_writes(self) -> list[writes.Write]:
        """Writes still waiting for the library, oldest first."""
        return self.queue.pending()

    def save(self, what: str, run: Callable[[Store], object], *,
             note: writes.NoteText | None = None, quiet: bool = False) -> bool:
        """Write now if the library is free; else keep the write queued and saved in the
        background, in order. True when it is written now.

        `what` names the change for the user (archive text: shown without markup);
        `quiet`: say nothing when it is queued behind others (reading positions).
        """
        if not len(self.queue):
            try:
                run(self.store)
                return True
            except StoreBusy:
                pass
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                if note is not None:
                    self._keep_notes([note])
                return False
        first = not len(self.queue)
        if self.queue.push(writes.Write(what, run, note)):
            self.flush_writes()
        if first or not quiet:
            self.notify(visible(what[:1].upper() + what[1:], one_line=True)
                        + ": kept, and saved as soon as the library is free (another "
                        "program, an import perhaps, is writing to it).",
                        title="Library busy", severity="warning", timeout=6, markup=False)
        return False

    @work(thread=True, group="writes")
    def flush_writes(self) -> None:
        """Retry the queued writes, in order, until each is saved (or quitting stops it)."""
        queue = self.queue
        saved, failed = 0, []
        kept: list[writes.NoteText] = []
        store: Store | None = None
        try:
            while (write := queue.head()) is not None:
                if get_current_worker().is_cancelled:
                    queue.stopped = True
                    continue
                try:
                    if store is None:
                        store = self._writer_store()
                    write.run(store)
                except StoreBusy:
                    time.sleep(0.05)
                    continue
                except StoreError as exc:
                    if store is None:  # cannot even open it now: try again shortly
                        time.sleep(writes.RETRY_WAIT)
                        continue
                    failed.append(f"{write.what}: {exc}")
                    if write.note is not None:
                        kept.append(write.note)
                else:
                    saved += 1
                queue.pop()
        finally:
            if store is not None and store is not self.store:
                store.close()
        if kept:
            self.app.call_from_thread(self._keep_notes, kept)
        self.post_message(self.WritesSaved(saved, failed))

    def _writer_store(self) -> Store:
        """The worker's own connection, whose writes wait a little for the lock."""
        if self.store.path == ":memory:":
            return self.store
        return Store(self.store.path, timeout=writes.RETRY_WAIT)

    def on_main_screen_writes_saved(self, message: WritesSaved) -> None:
        for problem in message.failed:
            self.notify(visible(problem, one_line=True), title="Not saved", severity="error",
                        timeout=10, markup=False)
        if len(self.queue) or self.queue.stopped:
            return
        intended = list(self._intended)
        self._intended.clear()
        self._edited.clear()
        self._new.clear()
        if message.saved:
            self.notify(f"The library is free again: {message.saved} kept "
                        f"change{'s' if message.saved != 1 else ''} saved.", timeout=4)
        found = {s.id: s for s in self.store.summaries(intended)}
        for article_id in intended:
            if article_id in found:
                self.article_list.update_summary(found[article_id])
        article = self.reading_view.article
        if article is not None:
            stored = self.store.article(article.id)
            if stored is not None:
                self.reading_view.update_article(stored)
        self.load_highlights()
        self.load_counts()

    def _keep_notes(self, notes: list[writes.NoteText]) -> None:
        path = writes.keep_notes(self.store.path, notes)
        if path is not None:
            self.notify(f"{len(notes)} note{'s' if len(notes) != 1 else ''} could not be "
                        f"saved and {'were' if len(notes) != 1 else 'was'} written to "
                        f"{path}.", severity="error", timeout=15, markup=False)

    def unsaved_report(self) -> str:
        """What was not saved, one change a line, and where unsaved notes went ('' if none);
        stops the worker (after its current attempt)."""
        pending = self.queue.pending()
        if not pending:
            return ""
        self.queue.stopped = True
        notes = [w.note for w in pending if w.note is not None]
        lines = ["The library stayed busy (another program is writing to it); "
                 "these changes were not saved:"]
        lines += ["  - " + visible(w.what, one_line=True) for w in pending]
        if notes:
            path = writes.keep_notes(self.store.path, notes)
            if path is not None:
                lines.append(f"The unsaved note{'s were' if len(notes) != 1 else ' was'} "
                             f"written to {path}.")
            else:
                lines.append("The notes could not be written to a file either; here they are:")
                lines += ["  " + visible(n.text) for n in notes]
        return "\n".join(lines)

    def _intend(self, article_id: int, **state: Any) -> None:
        """While writes are pending, show `state` instead of what the library holds."""
        if len(self.queue):
            self._intended.setdefault(article_id, {}).update(state)

    def _summaries(self, ids: list[int]) -> list[ArticleSummary]:
        """Summaries as the article list shows them: with the intended state."""
        found = self.store.summaries(ids)
        if not self._intended:
            return found
        fields = ("read", "starred")
        return [dataclasses.replace(s, **{k: v for k, v in self._intended[s.id].items()
                                          if k in fields})
                if s.id in self._intended else s for s in found]

    def _as_intended(self, article: Article) -> Article:
        state = self._intended.get(article.id)
        return dataclasses.replace(article, **state) if state else article

    def _annotations(self, article_id: int) -> list[Annotation]:
        """An article's highlights as the user left them (queued changes included)."""
        found = self.store.annotations(article_id)
        if not (self._edited or self._new):
            return found
        found += [self._placeholder(new) for new in self._new.values()
                  if new.article_id == article_id]
        shown = [self._edit(a) for a in found]
        return sorted((a for a in shown if a is not None),
                      key=lambda a: (a.anchor.orphan, a.anchor.start or 0, a.id))

    def _annotation(self, annotation_id: int) -> Annotation | None:
        new = self._new.get(annotation_id)
        found = self._placeholder(new) if new else self.store.annotation(annotation_id)
        return self._edit(found) if found is not None else None

    @staticmethod
    def _placeholder(new: writes.NewHighlight) -> Annotation:
        return Annotation(new.temp_id, new.article_id, new.anchor, "", new.color)

    def _edit(self, annotation: Annotation) -> Annotation | None:
        edits = self._edited.get(annotation.id)
        if not edits:
            return annotation
        if edits.get("deleted"):
            return None
        return dataclasses.replace(annotation, **edits)

    def _annotation_id(self, annotation_id: int) -> Callable[[], int]:
        """The stored id of a highlight when a queued write runs (a queued highlight has
        one only once its own write ran)."""
        new = self._new.get(annotation_id)
        if new is None:
            return lambda: annotation_id
        return lambda: new.id if new.id is not None else 0

    def _edit_highlight(self, annotation: Annotation, what: str,
                        run: Callable[[Store, int], object], *,
                        keep: writes.NoteText | None = None, **edits: Any) -> bool:
        """Change a highlight (now, or queued and shown as changed meanwhile)."""
        ref = self._annotation_id(annotation.id)
        written = self.save(what, lambda store: run(store, ref()), note=keep)
        if not written and len(self.queue):
            self._edited.setdefault(annotation.id, {}).update(edits)
        return written

    def set_note(self, annotation: Annotation, note: str) -> bool:
        """Save a highlight's note (or keep it queued: never lost)."""
        title = self._article_title(annotation.article_id)
        return self._edit_highlight(
            annotation, "the note on " + _preview(annotation.anchor.quote, 40),
            lambda store, i: store.set_note(i, note),
            keep=writes.NoteText(title, annotation.anchor.quote, note) if note else None,
            note=note)

    def delete_highlight(self, annotation: Annotation) -> bool:
        """Delete a highlight and its note (or queue it)."""
        return self._edit_highlight(
            annotation, "deleting the highlight " + _preview(annotation.anchor.quote, 40),
            lambda store, i: store.delete_annotation(i), deleted=True)

    def _article_title(self, article_id: int) -> str:
        article = self.reading_view.article
        if article is not None and article.id == article_id:
            return article.title
        found = self.store.summaries([article_id])
        return found[0].title if found else ""

    # -- highlights and notes ----------------------------------------------------

    def load_highlights(self) -> None:
        """Show the open article's highlights inline and in the annotations pane."""
        article = self.reading_view.article
        if article is None:
            self.reading_view.set_highlights([])
            self.notes.set_entries([])
            return
        annotations = self._annotations(article.id)
        self.reading_view.set_highlights([
            Highlight(a.id, a.anchor.start, a.anchor.end, a.color, a.note)
            for a in annotations if a.anchor.start is not None and a.anchor.end is not None])
        self.notes.empty_message = "No highlights yet: v selects, h highlights."
        self.notes.set_annotations(annotations, article.title)
        orphans = sum(1 for a in annotations if a.anchor.orphan)
        self.notes.border_title = Content(f"Annotations · {len(annotations)}")
        self.notes.border_subtitle = Content(f"{orphans} orphaned") if orphans else None

    def _highlights_changed(self) -> None:
        article = self.reading_view.article
        self.load_highlights()
        if article is not None:
            self._changed(article.id)

    def on_reading_view_highlight_requested(self, message: ReadingView.HighlightRequested
                                            ) -> None:
        article = self.reading_view.article
        if article is None:
            return
        try:
            anchor = anchoring.make_anchor(article.body, message.start, message.end)
        except ValueError:
            self.notify("Nothing to highlight there.", severity="warning", timeout=2)
            return
        self._temp_id -= 1
        new = writes.NewHighlight(self._temp_id, article.id, anchor, message.color)
        if self.save("the highlight " + _preview(anchor.quote, 40), new.add):
            annotation_id = new.id or 0
        elif len(self.queue):
            self._new[new.temp_id] = new
            annotation_id = new.temp_id
        else:
            return  # refused for another reason (said so)
        self._highlights_changed()
        self.notes.select_annotation(annotation_id)
        if message.with_note:
            annotation = self._annotation(annotation_id)
            if annotation is not None:
                self.edit_note(annotation)
        elif annotation_id > 0:
            self.notify("Highlighted: " + _preview(anchor.quote), timeout=2, markup=False)

    def edit_note(self, annotation: Annotation, done: Callable[[], None] | None = None
                  ) -> None:
        """Open the note editor on a highlight; the note is saved or kept queued."""
        from reader.ui.screens.annotations import edit_note

        edit_note(self, annotation, self.set_note, done or self._highlights_changed)

    def confirm_delete(self, annotation: Annotation, done: Callable[[], None] | None = None
                       ) -> None:
        """Ask, then delete a highlight (or queue its deletion)."""
        from reader.ui.screens.annotations import confirm_delete

        confirm_delete(self, annotation, self.delete_highlight,
                       done or self._highlights_changed)

    def on_reading_view_highlight_action(self, message: ReadingView.HighlightAction) -> None:
        annotation = self._annotation(message.highlight.id)
        if annotation is None:
            return
        if message.action == "note":
            self.edit_note(annotation)
        elif message.action == "delete":
            self.confirm_delete(annotation)
        elif message.action == "color":
            color = message.color
            self._edit_highlight(annotation, "the colour of " + _preview(
                annotation.anchor.quote, 40), lambda store, i: store.set_color(i, color),
                color=color)
            self._highlights_changed()

    def on_annotation_list_chosen(self, message: AnnotationList.Chosen) -> None:
        self.go_to_annotation(message.entry)

    def go_to_annotation(self, entry: AnnotationEntry) -> None:
        """Open a highlight's article with the cursor on it (an orphan: in the pane)."""
        annotation = entry.annotation
        self.open_article(annotation.article_id)
        article = self.reading_view.article
        if article is None or article.id != annotation.article_id:
            return
        self.load_highlights()
        if annotation.anchor.start is not None:
            self.reading_view.move_caret(annotation.anchor.start, center=True)
            self.action_focus_pane("reading")
        else:
            self.notes.select_annotation(annotation.id)
            self.action_focus_pane(NOTES)
            self.notify("This highlight lost its place: select the passage (3 then v), then "
                        "press r to re-attach it; or x here to delete it.", timeout=6)

    def on_annotation_list_action(self, message: AnnotationList.Action) -> None:
        annotation = message.entry.annotation
        if message.action == "note":
            self.edit_note(annotation)
        elif message.action == "delete":
            self.confirm_delete(annotation)
        elif message.action == "reattach":
            self.reattach(annotation.id)

    def reattach(self, annotation_id: int) -> None:
        """Put a highlight (an orphan, usually) on the reading view's selection."""
        article = self.reading_view.article
        selection = self.reading_view.selection
        if article is None or selection is None:
            self.notify("Select the passage first: v in the reading view, then r.",
                        severity="warning", timeout=4)
            return
        annotation = self._annotation(annotation_id)
        if annotation is None or annotation.article_id != article.id:
            return
        try:
            anchor = anchoring.make_anchor(article.body, *selection)
        except ValueError:
            return
        self._edit_highlight(annotation, "re-attaching " + _preview(annotation.anchor.quote, 40),
                             lambda store, i: store.reattach_annotation(i, anchor), anchor=anchor)
        self.reading_view.clear_selection()
        self._highlights_changed()
        self.notify("Re-attached to " + _preview(anchor.quote), timeout=3, markup=False)

    def action_reattach(self) -> None:
        entry = self.notes.highlighted if self.has_class("-notes") else None
        if entry is None:
            self.notify("Choose the highlight in the annotations pane (4) first.", timeout=3)
            return
        self.reattach(entry.annotation.id)

    def action_toggle_notes(self) -> None:
        if self._pane == NOTES:
            self.remove_class("-notes")
            self.action_focus_pane("reading")
        else:
            self.action_focus_pane(NOTES)

    def action_all_annotations(self, orphans: bool = False) -> None:
        from reader.ui.screens.annotations import AnnotationsScreen

        def chosen(entry: AnnotationEntry | None) -> None:
            if entry is not None:
                self.go_to_annotation(entry)

        self.save_position()
        self.app.push_screen(AnnotationsScreen(
            self.store, orphans=orphans, set_note=self.set_note, delete=self.delete_highlight,
            shown=self._shown_entries), chosen)

    def _shown_entries(self, entries: list[AnnotationEntry]) -> list[AnnotationEntry]:
        """Library-wide entries with the queued changes applied."""
        if not self._edited:
            return entries
        out = []
        for entry in entries:
            annotation = self._edit(entry.annotation)
            if annotation is not None:
                out.append(dataclasses.replace(entry, annotation=annotation))
        return out

    def action_orphans(self) -> None:
        self.action_all_annotations(orphans=True)

    # -- quotes -------------------------------------------------------------------

    def on_reading_view_copy_requested(self, message: ReadingView.CopyRequested) -> None:
        from reader import clipboard  # subprocess and pyperclip: loaded on first copy

        article = self.reading_view.article
        if article is None:
            return
        passage = article.body[message.start:message.end].strip()
        if message.plain:
            text = passage
        else:
            note = message.highlight.note if message.highlight is not None else ""
            text = clipboard.format_quote(
                self.config.quote_template, quote=passage, title=article.title,
                source=article.source, date=article.date, url=article.url, tags=article.tags,
                note=note)
        self.copy_text(text)

    # -- links ------------------------------------------------------------------------

    def on_reading_view_links_requested(self, message: ReadingView.LinksRequested) -> None:
        from reader.ui.screens.dialogs import LinksScreen

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            action, url = answer
            if action == "open":
                self.open_url(url)
            else:
                self.copy_text(url)

        self.app.push_screen(LinksScreen(message.links, message.start), chosen)

    @work(thread=True, group="links")
    def open_url(self, url: str) -> None:
        """Open a link in the graphical browser (starting one may take a moment)."""
        from reader import links

        ok, text = links.open_link(url)  # never raises; refuses anything not openable
        self.app.call_from_thread(self.notify, text, title="Link",
                                  severity="information" if ok else "warning",
                                  timeout=4 if ok else 8, markup=False)

    @work(thread=True, group="copy")
    def copy_text(self, text: str) -> None:
        """Copy through pyperclip (a subprocess: off the UI thread), else OSC 52."""
        from reader import clipboard

        app = self.app

        def osc52(value: str) -> None:
            app.call_from_thread(app.copy_to_clipboard, value)

        result = clipboard.copy(text, osc52=osc52)  # never raises
        app.call_from_thread(self.notify, result.message, title="Copy",
                             severity="information" if result.ok else "warning",
                             timeout=4 if result.ok else 8, markup=False)

    # -- panes ------------------------------------------------------------------

    def _pane_widget(self, pane: str) -> Widget:
        if pane == "articles" and self.searching:
            if not self.search_results.row_count:
                return self.search_box
            return self.search_results
        return self.query_one(f"#{pane}")

    def action_focus_pane(self, pane: str) -> None:
        self._set_pane(pane)
        self._pane_widget(pane).focus()

    def action_back(self) -> None:
        if self._pane == NOTES:
            self.action_focus_pane("reading")
        elif self._pane == "reading":
            self.action_focus_pane("articles")
        elif self._pane == "articles" and self.searching:
            self.close_search()
        elif self._pane == "articles" and self.has_class("-narrow"):
            self.action_focus_pane("tags")

    def action_cycle_pane(self, step: int) -> None:
        panes = (*PANES, NOTES) if self.has_class("-notes") else PANES
        current = panes.index(self._pane) if self._pane in panes else 0
        self.action_focus_pane(panes[(current + step) % len(panes)])

    def _set_pane(self, pane: str) -> None:
        self._pane = pane
        if pane == NOTES:
            self.add_class("-notes")
        self._sync_pane_classes()

    def _sync_pane_classes(self) -> None:
        # A class change on the screen restyles every widget: only the narrow layout
        # and the annotations pane depend on which pane is active, so wide screens
        # without that pane skip it (a pane switch then costs a focus change only).
        if not (self.has_class("-narrow") or self.has_class("-notes")):
            return
        wanted = {f"-pane-{self._pane}"}
        current = {c for c in self.classes if c.startswith("-pane-")}
        if current != wanted:
            self.remove_class(*(current - wanted))
            self.add_class(*wanted)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        pane = _PANE_OF.get(event.widget.id or "", event.widget.id)
        if pane in (*PANES, NOTES) and pane != self._pane:
            self._set_pane(pane)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._sync_pane_classes()

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
            ("Search the library", "/", lambda: self.call_later(self.action_search)),
            ("Find in the article", "f", lambda: self.call_later(self.action_find)),
            ("Show the article's highlights", "4", lambda: self.action_focus_pane(NOTES)),
            ("All highlights in the library", "A", self.action_all_annotations),
            ("Review orphaned highlights", "O", self.action_orphans),
            ("Toggle dark and light theme", "Remembered in the config file",
             self.app.action_toggle_theme),  # type: ignore[attr-defined]
            ("Show the keys", "?", self.app.action_help),  # type: ignore[attr-defined]
        ]
        for filter in self.tag_list.filters:
            if filter.tag is not None:
                commands.append((f"Show tag {filter.label}", "Articles with this tag",
                                 lambda f=filter: self.show(f)))  # type: ignore[misc]
        return commands
