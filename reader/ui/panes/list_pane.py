"""The list pane: the search box, the article list, the search results and related articles.

The pane owns everything that chooses an article: the ids a filter lists
(fetched in a worker: the list grows with the library), search as you type
(debounced, in a worker, stale answers dropped by token), more results as the
cursor nears the end, the recent queries kept between sessions, and the
articles most like one (`show_related`, in a worker), shown over whatever the
pane showed until escape closes them. It reads the library through the session
and never writes. When an article is chosen, from the list or from the
results, it posts `ArticleChosen`; the screen opens it in the reader pane.
"""

from __future__ import annotations

import time
from dataclasses import field

from textual import on, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.models import SearchHit
from reader.render import visible
from reader.ui import history
from reader.ui.messages import message
from reader.ui.session import LibrarySession
from reader.ui.widgets.article_list import PAGE, ArticleList
from reader.ui.widgets.search_box import SearchBox
from reader.ui.widgets.search_results import SearchResults
from reader.ui.widgets.tag_list import TagFilter

DEBOUNCE = 0.15
"""Seconds of quiet typing before a search runs (a newer key cancels it)."""
RESULTS = 100
"""Search results listed at once."""
FIRST_ROWS = 50
"""Rows fetched for the first frame (at least as many as the terminal has lines)."""
RELATED = 30
"""Related articles listed."""
SHOW_AFTER = 1.0
"""Seconds a background build of the search index runs before the list pane tells of it
unasked (a small library's takes less; a search typed meanwhile is told at once)."""


class ListPane(Vertical):
    """Articles of a filter, or search results in their place; picks the article to read."""

    BINDINGS = [
        Binding("x", "delete_article", "Delete", show=False, id="list.delete",
                tooltip="Delete the article under the cursor, with its highlights and notes "
                        "(asks first)."),
    ]

    @message
    class ArticlesDeleted(Message):
        """The reader deleted articles (or queued their deletion)."""

        article_ids: list[int]
        """The articles that went."""

    @message
    class ArticleChosen(Message):
        """The reader chose an article (enter on the list or on a search result)."""

        article_id: int
        """The article to open."""
        query: str = ""
        """The search it was found by ('' from the article list): its hits get marked."""
        title_hits: tuple[tuple[int, int], ...] = ()
        """The search's hits in the article's title."""

    @message
    class IdsLoaded(Message):
        """A worker listed the ids for a filter."""

        token: int
        """Which request this answers (stale answers are dropped)."""
        ids: list[int]
        """The ids in list order."""
        keep: int | None
        """The article to keep the cursor on."""

        def can_replace(self, message: Message) -> bool:
            # Only the newest request counts (never replaced by an older one).
            return isinstance(message, ListPane.IdsLoaded) and message.token <= self.token

    @message
    class SearchDone(Message):
        """A worker ran a search."""

        token: int
        """Which request this answers (stale answers are dropped)."""
        hits: list[SearchHit]
        """The first results, best first."""
        total: int
        """How many articles match in all."""
        waiting: bool = False
        """Not run: the search index is being built (or could not be)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ListPane.SearchDone) and message.token <= self.token

    @message
    class IndexChanged(Message):
        """The search index's background build moved on, or ended (`session.index`)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ListPane.IndexChanged)

    @message
    class MoreFound(Message):
        """A worker fetched the next page of search results."""

        token: int
        """Which search this continues."""
        hits: list[SearchHit] = field(default_factory=list)
        """The next results, in order."""

    @message
    class RelatedFound(Message):
        """A worker listed the articles most like one."""

        token: int
        """Which request this answers (stale answers are dropped)."""
        hits: list[SearchHit]
        """The articles most like it, most alike first."""
        waiting: bool = False
        """Not looked for: the search index is being built (or could not be)."""

    def __init__(self, session: LibrarySession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        """The library, read through the interface's session."""
        self.filter = TagFilter()
        """What the article list shows."""
        self.sort = "date"
        """The list order: date (newest first) or title."""
        self.query_text = ""
        """The library search as typed ('' when no search is open)."""
        self.searching = False
        """Search results replace the article list."""
        self.related_to: int | None = None
        """The article whose related articles show over the list (None: they do not)."""
        self.article_list = ArticleList(session.summaries, id="articles")
        """The articles of `filter`."""
        self.search_results = SearchResults(id="results")
        """The results of `query_text` (mounted with the search box, on the first `/`)."""
        self._box: SearchBox | None = None
        self._related: SearchResults | None = None
        self._related_token = 0
        self._token = 0
        self._search_token = 0
        self._count: int | None = None
        self._index_told = False
        self._failure_told = False
        self._waiting = False
        self._related_waiting = False
        self._history_path = history.path_for(session.store.path)

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.article_list  # the search box and results are mounted on first use

    # -- the article list -----------------------------------------------------------

    def load_first_page(self) -> bool:
        """Show the default view's first page at once (it comes straight from an index)
        and fetch the full id list in a worker after the first frame; False when the
        library is empty.

        The count comes at once too (a count is cheap where listing every id is not), so
        the first frame shows the list as it stays: its title, its length, its scroll bar.
        """
        store = self.session.store
        wanted = min(PAGE, max(FIRST_ROWS, self.app.size.height))
        first = store.articles(view="all", sort=self.sort, limit=wanted)
        total = store.count() if len(first) == wanted else len(first)
        self.article_list.set_ids([s.id for s in first], first_page=first, total=total)
        self._count = total
        if not first:
            self.article_list.empty_message = "Empty. Try: reader import PATH…, reader demo"
        self._update_list_title()
        self._token += 1
        # After the first frame: the worker's Python work holds the interpreter lock,
        # which the first frame would otherwise wait for.
        token = self._token
        self.call_after_refresh(
            lambda: token == self._token and self.load_ids(self.filter, self.sort, token, None))
        return bool(first)

    def show(self, filter: TagFilter, sort: str | None = None) -> None:
        """Fill the article list for `filter` (in a worker) and keep the cursor's article;
        an open search is narrowed to it too."""
        keep = self.article_list.highlighted_id if filter == self.filter else None
        self.filter = filter
        self.sort = sort or self.sort
        self._count = None
        self._token += 1
        self.article_list.empty_message = "No articles here."
        self._update_list_title()
        self.load_ids(filter, self.sort, self._token, keep)
        if self.searching and self.query_text.strip():
            self._search_token += 1
            self._update_results_title(None, busy=True)
            self.run_search(self.query_text, filter, self._search_token)

    def refresh_article(self, article_id: int) -> None:
        """Redraw an article's row with its state as the user left it."""
        found = self.session.summaries([article_id])
        if found:
            self.article_list.update_summary(found[0])

    @property
    def highlighted_id(self) -> int | None:
        """The article under the list's cursor."""
        return self.article_list.highlighted_id

    def chosen_id(self, focused: Widget | None) -> int | None:
        """The article under the cursor of `focused` when it is one of the pane's result
        lists (search results, related articles) and holds one."""
        if isinstance(focused, SearchResults) and focused in (self.search_results,
                                                              self._related):
            hit = focused.highlighted
            return hit.id if hit is not None else None
        return None

    @work(thread=True, exclusive=True, group="ids")
    def load_ids(self, filter: TagFilter, sort: str, token: int, keep: int | None) -> None:
        """List the ids of a filter (grows with the library: off the UI thread)."""
        with self.session.worker_store() as store:
            ids = store.article_ids(view=filter.view, tag=filter.tag, sort=sort)
        if not get_current_worker().is_cancelled:
            self.post_message(self.IdsLoaded(token, ids, keep))

    @on(IdsLoaded)
    def _ids_loaded(self, message: IdsLoaded) -> None:
        if message.token != self._token:
            return
        article_list = self.article_list
        if self.session.deleted:
            message.ids = [i for i in message.ids if i not in self.session.deleted]
        keep = message.keep if message.keep is not None else article_list.highlighted_id
        first = None
        if article_list.ids and article_list.ids == message.ids[:len(article_list.ids)]:
            # The list already shows the start of this answer: keep what is fetched.
            first = [s for s in (article_list.summary(i) for i in
                                 range(min(PAGE, len(article_list.ids)))) if s]
        article_list.set_ids(message.ids, keep=keep, first_page=first)
        self._count = len(message.ids)
        self._update_list_title()

    def _update_list_title(self) -> None:
        count = "…" if self._count is None else f"{self._count:,}"
        # The tag name is archive text: it goes in as plain Content, never markup.
        self.article_list.border_title = Content.assemble(
            "Articles · ", self.filter.label, " · ", count)
        building = self._index_shown()
        self.article_list.border_subtitle = Content(
            f"{building} · by {self.sort}" if building else f"by {self.sort}")

    # -- the search index, built in the background ---------------------------------------

    def start_index_build(self) -> None:
        """Build the search index in the background if it must be (after the first frame:
        the check reads the index's folder on a worker)."""
        if self.session.index.state == "unchecked":
            self.check_index()

    def on_mount(self) -> None:
        # Set before any worker asks for the index (a search may come first).
        def changed() -> None:
            self.post_message(self.IndexChanged())

        self.session.index.on_change = changed

    @work(thread=True, exclusive=True, group="index")
    def check_index(self) -> None:
        index = self.session.index
        index.start()
        if index.state != "ready":
            self.post_message(self.IndexChanged())

    def _index_shown(self) -> str:
        """The build's progress in a few words, once it has run long enough to tell."""
        index = self.session.index
        if not index.building or not self._index_told:
            return ""
        return index.short()

    @on(IndexChanged)
    def _index_changed(self, message: IndexChanged) -> None:
        index = self.session.index
        if index.building:
            if not self._index_told and (time.monotonic() - index.started >= SHOW_AFTER
                                         or (self.searching and self._waiting)):
                self._index_told = True
                self.notify(index.told(), title="Search index", timeout=8, markup=False)
            self._update_list_title()
            if self.searching and self._waiting:
                self.search_results.empty_message = index.line()
                self.search_results.rows_changed()
            if self.related_to is not None and self._related_waiting:
                self.related_results.empty_message = index.line()
                self.related_results.rows_changed()
            return
        self._update_list_title()
        if index.state == "failed":
            self._tell_failure()
        elif self._index_told:
            self.notify("The search index is ready.", title="Search index", timeout=3)
        self._index_told = False
        if self.searching and self._waiting:
            self._rerun_search()  # the pending search, run again by itself
        if self.related_to is not None and self._related_waiting:
            self._rerun_related()

    def _tell_failure(self) -> None:
        """The build failed: said once, in the notification area (searches say it too)."""
        if not self._failure_told:
            self._failure_told = True
            self.notify(self.session.index.line(), title="Search index", severity="error",
                        timeout=15, markup=False)

    def _rerun_search(self) -> None:
        self._waiting = False
        if not self.query_text.strip():
            return
        self._search_token += 1
        self._update_results_title(None, busy=True)
        self.run_search(self.query_text, self.filter, self._search_token)

    def _rerun_related(self) -> None:
        self._related_waiting = False
        if self.related_to is None:
            return
        self._related_token += 1
        self.load_related(self.related_to, self.snippet_width(), self._related_token)

    # -- deleting -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_article":
            return self.screen.focused is self.article_list
        return True

    def action_delete_article(self) -> None:
        """Ask, then delete the article under the cursor; the cursor stays in its place."""
        article_id = self.article_list.highlighted_id
        deletions = self.session.deletions([article_id]) if article_id is not None else []
        if not deletions:
            self.notify("No article selected.", severity="warning", timeout=2)
            return

        def done(_now: bool) -> None:
            self.forget([d.id for d in deletions])

        from reader.ui.dialogs import confirm_delete_articles  # loaded on first use

        confirm_delete_articles(self.screen, deletions, self.session.delete_articles, done)

    def forget(self, article_ids: list[int]) -> None:
        """Take deleted articles off the list, the cursor on the row that took their place;
        then list the filter again and tell the screen."""
        article_list = self.article_list
        ids = article_list.ids
        gone = set(article_ids)
        index = article_list.cursor
        after = [i for i in ids[index:] if i not in gone]
        before = [i for i in ids[:index] if i not in gone]
        keep = after[0] if after else (before[-1] if before else None)
        article_list.set_ids([i for i in ids if i not in gone], keep=keep)
        self._count = len(article_list.ids)
        self._update_list_title()
        self.show(self.filter)
        self.post_message(self.ArticlesDeleted(list(article_ids)))

    @on(ArticleList.ArticleSelected)
    def _article_selected(self, message: ArticleList.ArticleSelected) -> None:
        message.stop()
        self.post_message(self.ArticleChosen(message.article_id))

    # -- search -----------------------------------------------------------------------

    @property
    def search_box(self) -> SearchBox:
        """The library search box (mounted on the first `/`)."""
        assert self._box is not None, "the search box is mounted on the first search"
        return self._box

    def focus_target(self) -> Widget:
        """What takes the focus when the pane does."""
        if self.related_to is not None:
            return self.related_results
        if self.searching:
            return self.search_results if self.search_results.row_count else self.search_box
        return self.article_list

    async def open_search(self) -> SearchBox:
        """Show the search box (results show in place of the article list)."""
        self.close_related()
        box = self._box
        if box is None:  # mounted on first use: an Input and a list cost start-up
            box = SearchBox(placeholder='Search: words "a phrase" pre* -not tag:x',
                            id="search")
            await self.mount(box, before=self.article_list)
            await self.mount(self.search_results, after=self.article_list)
            self._box = box
            box.history = list(history.load(self._history_path).get("search", []))
        self.searching = True
        self.add_class("-searching")
        self._update_results_title(None)
        return box

    def close_search(self) -> None:
        """Back to the article list as it was."""
        if self.query_text:
            self._remember(self.query_text)
        self.searching = False
        self._waiting = False
        self.remove_class("-searching")
        self.query_text = ""
        self._search_token += 1
        self.search_box.value = ""
        self.search_results.set_hits([])

    def _remember(self, query: str) -> None:
        """Add `query` to the recent searches, kept for the next session too."""
        box = self.search_box
        before = list(box.history)
        box.remember(query)
        if box.history != before:
            history.update(self._history_path, "search", box.history)

    @on(SearchBox.Changed, "#search")
    def _box_changed(self, event: SearchBox.Changed) -> None:
        # After the frame that shows the key: the title's "…" and the search can wait
        # a frame, the letter typed should not.
        self.call_after_refresh(self._typed, event.value)

    @on(SearchBox.Submitted, "#search")
    def _box_submitted(self, event: SearchBox.Submitted) -> None:
        event.stop()
        self._remember(event.value)
        results = self.search_results
        if not results.row_count:
            return
        if self.screen.focused is results and results.highlighted is not None:
            # A second enter typed quickly reached the box too: open the result.
            self._open_hit(results.highlighted)
        else:
            self.screen.set_focus(results)  # at once: the next key goes to the results

    @on(SearchBox.Closed, "#search")
    def _box_closed(self, event: SearchBox.Closed) -> None:
        event.stop()
        self.close_search()
        self.article_list.focus()

    def _typed(self, value: str) -> None:
        if not self.searching:
            return  # closed before this key's turn came
        self.query_text = value
        self._search_token += 1
        if not value.strip():
            self.search_results.set_hits([])
            self._update_results_title(None)
            return
        self._update_results_title(None, busy=True)
        self.run_search(value, self.filter, self._search_token)

    def snippet_width(self) -> int | None:
        """The characters a result's snippet line has room for (None: the default)."""
        width = self.size.width - 8  # borders, indent, and an ellipsis at each end
        return width if width > 20 else None

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str, filter: TagFilter, token: int) -> None:
        """The first page of results and the count (waits for a pause in typing)."""
        time.sleep(DEBOUNCE)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        index = self.session.index
        if index.start() or index.state == "failed":
            # Searched when the index is built: the pane says so meanwhile.
            self.post_message(self.SearchDone(token, [], 0, waiting=True))
            return
        try:
            with self.session.worker_store() as store:
                hits = store.search(text, view=filter.view, tag=filter.tag, limit=RESULTS,
                                    live=True, width=self.snippet_width())
                if worker.is_cancelled:
                    return
                total = store.search_count(text, view=filter.view, tag=filter.tag, live=True)
        except Exception as exc:  # a busy or damaged library: say so, keep running
            self.app.call_from_thread(self.notify, f"Search failed: {exc}",
                                      severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.post_message(self.SearchDone(token, hits, total))

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if message.token != self._search_token or not self.searching:
            return
        self._waiting = message.waiting
        if message.waiting:
            index = self.session.index
            if index.state == "ready":  # built since the worker looked
                self._rerun_search()
                return
            self.search_results.empty_message = index.line() or "…"
            self.search_results.set_hits([])
            self._update_results_title(None, note="indexing…" if index.building else "no index")
            if index.building:
                self._index_changed(self.IndexChanged())  # tell of it now
            else:
                self._tell_failure()
            return
        self.search_results.empty_message = "Nothing found."
        self.search_results.set_hits(message.hits, message.total)
        self._update_results_title(message.total)

    @on(SearchResults.MoreWanted, "#results")
    def _more_wanted(self, message: SearchResults.MoreWanted) -> None:
        if self.query_text.strip():
            self.more_results(self.query_text, self.filter, self._search_token, message.offset)

    @work(thread=True, exclusive=True, group="search-more")
    def more_results(self, text: str, filter: TagFilter, token: int, offset: int) -> None:
        """The next page of results."""
        if self.session.index.state != "ready":
            return
        try:
            with self.session.worker_store() as store:
                hits = store.search(text, view=filter.view, tag=filter.tag, limit=RESULTS,
                                    offset=offset, live=True, width=self.snippet_width())
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Search failed: {exc}",
                                      severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.MoreFound(token, hits))

    @on(MoreFound)
    def _more_found(self, message: MoreFound) -> None:
        if message.token == self._search_token and self.searching:
            self.search_results.add_hits(message.hits)
            self._update_results_title(self.search_results.total)

    def _update_results_title(self, total: int | None, busy: bool = False,
                              note: str = "") -> None:
        count = note or ("…" if busy else "" if total is None else f"{total:,} found")
        parts: list[str | Content] = ["Search · ", self.filter.label]
        if count:
            parts += [" · ", count]
        self.search_results.border_title = Content.assemble(*parts)
        shown = self.search_results.row_count
        self.search_results.border_subtitle = (
            Content(f"{shown:,} shown") if total is not None and total > shown else None)

    @on(SearchResults.HitChosen, "#results")
    def _hit_chosen(self, message: SearchResults.HitChosen) -> None:
        message.stop()
        self._open_hit(message.hit)

    def _open_hit(self, hit: SearchHit) -> None:
        self._remember(self.query_text)
        self.post_message(self.ArticleChosen(hit.id, self.query_text, tuple(hit.title_hits)))

    # -- related articles -------------------------------------------------------------

    @property
    def related_results(self) -> SearchResults:
        """The related articles (mounted on the first `show_related`)."""
        assert self._related is not None, "the related list is mounted on first use"
        return self._related

    async def show_related(self, article_id: int, title: str) -> SearchResults:
        """List the articles most like `article_id` (titled `title`) over the list or the
        search results, which show again when `close_related` is called."""
        results = self._related
        if results is None:  # mounted on first use, like the search box
            results = SearchResults(id="related")
            await self.mount(results)
            self._related = results
        self.related_to = article_id
        self._related_token += 1
        results.empty_message = "Looking for articles like this one…"
        results.set_hits([])
        # The title is archive text: plain Content, control characters made visible.
        results.border_title = Content.assemble(
            "Related to: ", visible(title, one_line=True) or "Untitled")
        results.border_subtitle = None
        self.add_class("-related")
        self.load_related(article_id, self.snippet_width(), self._related_token)
        return results

    def close_related(self) -> None:
        """Back to what the pane showed before the related articles."""
        if self.related_to is None:
            return
        self.related_to = None
        self._related_token += 1
        self.remove_class("-related")
        self.related_results.set_hits([])

    @work(thread=True, exclusive=True, group="related")
    def load_related(self, article_id: int, width: int | None, token: int) -> None:
        """The articles most like one (a query on its words: off the UI thread)."""
        index = self.session.index
        if index.start() or index.state == "failed":
            self.post_message(self.RelatedFound(token, [], waiting=True))
            return
        try:
            with self.session.worker_store() as store:
                hits = store.related(article_id, limit=RELATED, width=width)
        except Exception as exc:  # a busy or damaged library: say so, keep running
            self.app.call_from_thread(self.notify, f"Related articles failed: {exc}",
                                      severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.RelatedFound(token, hits))

    @on(RelatedFound)
    def _related_found(self, message: RelatedFound) -> None:
        if message.token != self._related_token or self.related_to is None:
            return
        results = self.related_results
        self._related_waiting = message.waiting
        if message.waiting and self.session.index.state == "ready":
            self._rerun_related()  # built since the worker looked
            return
        if message.waiting:
            results.empty_message = self.session.index.line() or "…"
            results.set_hits([])
            return
        hits = [h for h in message.hits
                if h.id not in self.session.deleted and h.id != self.related_to]
        results.empty_message = "No related articles."
        results.set_hits(hits)
        results.border_subtitle = Content(f"{len(hits)} article{'s' if len(hits) != 1 else ''}")

    @on(SearchResults.HitChosen, "#related")
    def _related_chosen(self, message: SearchResults.HitChosen) -> None:
        message.stop()
        self.post_message(self.ArticleChosen(message.hit.id))
