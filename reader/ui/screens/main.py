"""The main screen: tags | list pane | reader pane (| annotations), and the routes between.

The screen composes the panes and wires them, as Textual has it: attributes go
down, messages come up. The tag list posts a filter, the screen shows it in
the list pane; the list pane posts the chosen article, the screen opens it in
the reader pane; the reader pane posts what changed, the screen refreshes the
list row, the counts and the annotations pane. The panes never talk to each
other. The screen itself keeps only what spans them: which pane is active,
the article commands (`s`, `m`, `t`), the palette, the counts worker and the
worker that drains writes queued while the library was busy.
"""

from __future__ import annotations

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.config import Config
from reader.models import AnnotationEntry, ArticleSummary, Tag
from reader.store import Store
from reader.ui import layout
from reader.ui.commands import Command, main_commands
from reader.ui.library_check import LibraryCheck
from reader.ui.messages import message
from reader.ui.panes.list_pane import ListPane
from reader.ui.panes.reader_pane import ReaderPane
from reader.ui.session import Drained, EarlyCounts, LibrarySession, Notice, preview
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.tag_list import TagFilter, TagList

PANES = ("tags", "articles", "reading")
NARROW = 100
"""Below this many columns only one or two panes show at a time."""
EARLY_WAIT = 0.25
"""Seconds the first frame waits for the counts begun as the screen was made (a library
too large to count by then gets them a frame or two later)."""
WATCH_EVERY = 1.0
"""Seconds between two looks for changes another program made to the library."""
ANNOTATIONS = "annotations"
"""The annotations pane: shown on request, after the reading view."""
_PANE_OF = {"search": "articles", "results": "articles", "related": "articles",
            "find": "reading"}
"""Widgets that belong to a pane."""


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
        Binding("4", "toggle_annotations", "Annotations pane", show=False,
                id="main.annotations-pane",
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
        Binding("z", "toggle_reading_only", "Reading only", show=False, id="main.reading-only",
                tooltip="Give an open article the whole screen; again: the panes back "
                        "(remembered)."),
        Binding("less_than_sign", "list_width(-1)", "Narrower list", show=False,
                id="main.list-narrower", tooltip="Make the list column narrower (remembered)."),
        Binding("greater_than_sign", "list_width(1)", "Wider list", show=False,
                id="main.list-wider", tooltip="Make the list column wider (remembered)."),
        # Priority: the app runs these before it hands the next key to the focused
        # widget, so keys typed in a burst after them (a paste, `tmux send-keys`)
        # go to the box they open instead of queueing up in the list.
        Binding("slash", "search", "Search", id="main.search", priority=True,
                tooltip="Search the library (the tag pane's choice applies)."),
        Binding("f", "find", "Find", id="article.find", priority=True,
                tooltip="Find in the open article."),
        Binding("R", "related", "Related", id="article.related",
                tooltip="List the articles most like this one (enter opens one; escape goes "
                        "back)."),
    ]

    @message
    class CountsLoaded(Message):
        """A worker counted the views and tags."""

        views: dict[str, int]
        """Article counts per virtual view."""
        tags: list[Tag]
        """Every tag with its count."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MainScreen.CountsLoaded)

    @message
    class WritesSaved(Message):
        """The drain worker got through the queued writes (or was stopped)."""

        result: Drained
        """What it saved and what the library refused."""

    AUTO_FOCUS = "#articles"

    pane: reactive[str] = reactive("articles", init=False, always_update=False)
    """The active pane: tags, articles, reading or annotations."""

    def __init__(self, store: Store, config: Config, db: str | None = None,
                 check: LibraryCheck | None = None) -> None:
        super().__init__(classes="-pane-articles")
        self._check = check
        self.config = config
        """The user's settings."""
        self.session = LibrarySession(store, notify=self._notice,
                                      start_drain=self.drain_writes)
        """The library, read and written for every pane."""
        self._early_counts = EarlyCounts(store)
        self._db = db
        self._layout_path = layout.path_for(config.path)
        self.chosen_layout = layout.load(self._layout_path)
        """The reader's layout choices (reading only, the list's width)."""

    @property
    def store(self) -> Store:
        """The interface's connection to the library."""
        return self.session.store

    def compose(self) -> ComposeResult:
        self.tag_list = TagList(id="tags")
        self.list_pane = ListPane(self.session, id="middle")
        self.reader_pane = ReaderPane(self.session, self.config, id="right", db=self._db)
        self.annotation_list = AnnotationList(id=ANNOTATIONS)
        with Horizontal(id="panes"):
            yield self.tag_list
            yield self.list_pane
            yield self.reader_pane
            yield self.annotation_list
        yield KeyBar()

    def on_mount(self) -> None:
        if self._check is not None and self._check.problem() is not None:
            self.app.exit(return_code=1)  # a damaged library is said so, not shown
            return
        self.tag_list.border_title = Content("Tags")
        self.annotation_list.border_title = Content("Annotations")
        self.annotation_list.empty_message = "No article open."
        if not self.list_pane.load_first_page():
            self.reader_pane.show_welcome()
        # Counted on their own thread while the screen was composed: in the first frame,
        # so that it is the screen as it stays (else a worker counts them now).
        counts = self._early_counts.result(EARLY_WAIT)
        if counts is not None:
            self.tag_list.set_counts(*counts)
        else:  # not counted yet (a very large library): they come a frame or two later
            self.load_counts(self._early_counts)
        self.session.outside_changed()  # takes note of the library as it opens
        self.set_interval(WATCH_EVERY, self._watch)

    def _watch(self) -> None:
        """Another program changed the library: list and count again, in place (the cursor
        stays on its article, the open article stays open)."""
        if self.session.outside_changed():
            self._arrivals = self.tag_list.count(TagFilter("all"))
            self.list_pane.show(self.list_pane.filter)
            self.load_counts()

    def _notice(self, notice: Notice) -> None:
        self.notify(notice.text, title=notice.title, severity=notice.severity,
                    timeout=notice.timeout, markup=False)

    # -- routes -------------------------------------------------------------------

    @on(TagList.FilterSelected)
    def _filter_selected(self, message: TagList.FilterSelected) -> None:
        self.show(message.filter)
        self.action_focus_pane("articles")

    def show(self, filter: TagFilter, sort: str | None = None) -> None:
        """List `filter` (sorted by `sort`, or as before) in the list pane."""
        self.list_pane.close_related()
        self.tag_list.select_filter(filter)
        self.list_pane.show(filter, sort)

    @on(ListPane.ArticleChosen)
    def _article_chosen(self, message: ListPane.ArticleChosen) -> None:
        self.reader_pane.open(message.article_id, message.query, message.title_hits)
        self.action_focus_pane("reading")

    def open_article(self, article_id: int) -> None:
        """Show an article in the reader pane, where its reader left it."""
        self.reader_pane.open(article_id)

    @on(ListPane.ArticlesDeleted)
    def _articles_deleted(self, message: ListPane.ArticlesDeleted) -> None:
        if self.reader_pane.forget(message.article_ids):
            self.annotation_list.set_entries([])
        self.load_counts()

    @on(ReaderPane.ArticleChanged)
    def _article_changed(self, message: ReaderPane.ArticleChanged) -> None:
        self.list_pane.refresh_article(message.article_id)
        self.load_counts()

    @on(ReaderPane.HighlightsShown)
    def _highlights_shown(self, message: ReaderPane.HighlightsShown) -> None:
        listed = self.annotation_list
        if message.annotations is None:
            listed.set_entries([])
            return
        annotations = message.annotations
        listed.empty_message = "No highlights yet: v selects, h highlights."
        listed.set_annotations(annotations, message.title)
        orphans = sum(1 for a in annotations if a.anchor.orphan)
        listed.border_title = Content(f"Annotations · {len(annotations)}")
        listed.border_subtitle = Content(f"{orphans} orphaned") if orphans else None
        if message.select is not None:
            listed.select_annotation(message.select)

    @on(AnnotationList.Chosen, "#annotations")
    def _annotation_chosen(self, message: AnnotationList.Chosen) -> None:
        self.go_to_annotation(message.entry)

    @on(AnnotationList.Action, "#annotations")
    def _annotation_action(self, message: AnnotationList.Action) -> None:
        annotation = self.session.annotation(message.entry.annotation.id)
        if annotation is not None:
            self.reader_pane.act(annotation, message.action)

    def go_to_annotation(self, entry: AnnotationEntry) -> None:
        """Open a highlight's article with the cursor on it (an orphan: in the pane)."""
        annotation = entry.annotation
        if self.reader_pane.go_to(annotation):
            self.action_focus_pane("reading")
        elif self.reader_pane.article_id == annotation.article_id:
            self.action_focus_pane(ANNOTATIONS)
            self.notify("This highlight lost its place: select the passage (3 then v), then "
                        "press r to re-attach it; or x here to delete it.", timeout=6)

    # -- counts -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="counts")
    def load_counts(self, early: EarlyCounts | None = None) -> None:
        """Count articles per view and per tag (with `early`: its counts, once they come,
        unless it fails)."""
        counts = early.result(None) if early is not None else None
        if counts is None:
            with self.session.worker_store() as store:
                counts = (store.view_counts(), store.tags())
        if not get_current_worker().is_cancelled:
            self.post_message(self.CountsLoaded(*counts))

    _arrivals: int | None = None
    """The article count before an outside change (to say what arrived)."""

    @on(CountsLoaded)
    def _counts_loaded(self, message: CountsLoaded) -> None:
        self.tag_list.set_counts(message.views, message.tags)
        before, self._arrivals = self._arrivals, None
        added = message.views.get("all", 0) - before if before is not None else 0
        if added:
            self.notify(f"The library changed: {abs(added):,} article"
                        f"{'s' if abs(added) != 1 else ''} {'added' if added > 0 else 'removed'}.",
                        timeout=4)

    # -- search and find (priority keys) ---------------------------------------------

    def _typing(self) -> None:
        """Let a priority key through to a focused box (where it is text)."""
        if self.focused is not None and self.focused.id in ("search", "find"):
            raise SkipAction()

    async def action_search(self) -> None:
        """Open the search box (results show in place of the article list)."""
        self._typing()
        box = await self.list_pane.open_search()
        self.pane = "articles"
        self.set_focus(box)  # at once: `focus()` waits behind keys already queued

    async def action_find(self) -> None:
        """Open the find box under the reading view."""
        self._typing()
        box = await self.reader_pane.open_find()
        if box is not None:
            self.pane = "reading"
            self.set_focus(box)

    def close_search(self) -> None:
        """Back to the article list as it was."""
        self.list_pane.close_search()
        self.action_focus_pane("articles")

    # -- related articles ---------------------------------------------------------------

    _related_from: str = "articles"
    """The pane the related articles were asked for from (escape goes back there)."""

    async def action_related(self) -> None:
        """List the articles most like the target article in the list pane."""
        summary = self._target()
        if summary is None:
            return
        origin = self.pane if self.pane in PANES else "articles"
        results = await self.list_pane.show_related(summary.id, summary.title)
        self._related_from = origin
        self.pane = "articles"
        self.set_focus(results)

    def close_related(self) -> None:
        """Back to the list as it was, and to the pane the related articles came from."""
        self.list_pane.close_related()
        pane = self._related_from
        if pane == "reading" and self.reader_pane.article_id is None:
            pane = "articles"
        self.action_focus_pane(pane)

    # -- article commands -------------------------------------------------------------

    def _target(self) -> ArticleSummary | None:
        """The article a command acts on: the one under the cursor when the list pane has
        focus (the list, the search results or the related articles), else the open
        article."""
        article_id = self.reader_pane.article_id
        listed = self.list_pane
        chosen = listed.chosen_id(self.focused)
        if chosen is not None:
            article_id = chosen
        elif self.focused is listed.article_list or article_id is None:
            article_id = listed.highlighted_id
        if article_id is None:
            self.notify("No article selected.", severity="warning", timeout=2)
            return None
        return self.session.summary(article_id)

    def _changed(self, article_id: int, **state: object) -> None:
        """Tell the panes that show `article_id` about its new state."""
        self.session.intend(article_id, **state)
        self.list_pane.refresh_article(article_id)
        self.reader_pane.update_state(article_id, **state)
        self.load_counts()

    def action_star(self) -> None:
        summary = self._target()
        if summary is None:
            return
        starred, target = not summary.starred, summary.id
        if self.session.save(("the star on " if starred else "removing the star from ")
                             + preview(summary.title, 50),
                             lambda store: store.set_starred(target, starred)):
            self.notify("Starred." if starred else "Star removed.", timeout=2)
        self._changed(target, starred=starred)

    def action_toggle_read(self) -> None:
        summary = self._target()
        if summary is None:
            return
        self.reader_pane.cancel_read_timer()  # the reader's own choice stands
        if self.reader_pane.set_read(summary.id, not summary.read, summary.title):
            self.notify("Marked read." if not summary.read else "Marked unread.", timeout=2)
        self._changed(summary.id, read=not summary.read)

    def action_edit_tags(self) -> None:
        summary = self._target()
        if summary is None:
            return
        tags = self.session.intended_tags(summary.id)

        def done(new: list[str] | None) -> None:
            if new is None or new == list(tags):
                return
            target = summary.id
            if self.session.save("the tags of " + preview(summary.title, 50),
                                 lambda store: store.set_tags(target, new)):
                self._changed(target, tags=tuple(self.store.article_tags(target)))
                self.notify("Tags saved.", timeout=2)
            else:
                self._changed(target, tags=tuple(new))

        from reader.ui.dialogs import TagEditorScreen  # Input loads on first use

        self.app.push_screen(TagEditorScreen(summary.title, tags), done)

    def action_toggle_sort(self) -> None:
        self.show(self.list_pane.filter, "title" if self.list_pane.sort == "date" else "date")

    # -- highlights across panes --------------------------------------------------------

    def action_reattach(self) -> None:
        entry = self.annotation_list.highlighted if self.has_class("-annotations") else None
        if entry is None:
            self.notify("Choose the highlight in the annotations pane (4) first.", timeout=3)
            return
        self.reader_pane.reattach(entry.annotation.id)

    def action_toggle_annotations(self) -> None:
        if self.pane == ANNOTATIONS:
            self.remove_class("-annotations")
            self.action_focus_pane("reading")
        else:
            self.action_focus_pane(ANNOTATIONS)

    def action_all_annotations(self, orphans: bool = False) -> None:
        from reader.ui.screens.annotations import AnnotationsScreen

        def chosen(entry: AnnotationEntry | None) -> None:
            if entry is not None:
                self.go_to_annotation(entry)

        self.reader_pane.save_position()
        self.app.push_screen(AnnotationsScreen(self.session, orphans=orphans,
                                               set_note=self.reader_pane.set_note), chosen)

    def action_orphans(self) -> None:
        self.action_all_annotations(orphans=True)

    # -- writes queued while the library was busy -------------------------------------

    @work(thread=True, group="writes")
    def drain_writes(self) -> None:
        """Retry the queued writes, in order, until each is saved (or quitting stops it)."""
        worker = get_current_worker()
        self.post_message(self.WritesSaved(self.session.drain(lambda: worker.is_cancelled)))

    @on(WritesSaved)
    def _writes_saved(self, message: WritesSaved) -> None:
        intended = self.session.drained(message.result)
        self.session.outside_changed()  # our own writes, through the drain's connection
        if intended is None:
            return
        for article_id in intended:
            self.list_pane.refresh_article(article_id)
        self.reader_pane.reload_article()
        self.load_counts()

    def on_unmount(self) -> None:
        if not len(self.session.queue):
            self.reader_pane.save_position()

    # -- panes ------------------------------------------------------------------------

    def _pane_widget(self, pane: str) -> Widget:
        if pane == "articles":
            return self.list_pane.focus_target()
        if pane == "reading":
            return self.reader_pane.focus_target()
        return self.query_one(f"#{pane}")

    def action_focus_pane(self, pane: str) -> None:
        self.pane = pane
        self._pane_widget(pane).focus()

    def action_back(self) -> None:
        if self.pane == ANNOTATIONS:
            self.action_focus_pane("reading")
        elif self.pane == "reading":
            self.action_focus_pane("articles")
        elif self.pane == "articles" and self.list_pane.related_to is not None:
            self.close_related()
        elif self.pane == "articles" and self.list_pane.searching:
            self.close_search()
        elif self.pane == "articles" and self.has_class("-narrow"):
            self.action_focus_pane("tags")

    def action_cycle_pane(self, step: int) -> None:
        panes = (*PANES, ANNOTATIONS) if self.has_class("-annotations") else PANES
        current = panes.index(self.pane) if self.pane in panes else 0
        self.action_focus_pane(panes[(current + step) % len(panes)])

    def watch_pane(self, pane: str) -> None:
        if pane == ANNOTATIONS:
            self.add_class("-annotations")
        self._sync_pane_classes()
        self.set_class(self.chosen_layout.reading_only and pane == "reading", "-reading-only")

    # -- layout -------------------------------------------------------------------------

    def action_toggle_reading_only(self) -> None:
        """Reading only: an open article gets the whole screen while the reading view is
        active; the choice is kept for the next session."""
        self.chosen_layout.reading_only = not self.chosen_layout.reading_only
        layout.save(self._layout_path, self.chosen_layout)
        if self.chosen_layout.reading_only and self.reader_pane.article_id is None:
            self.notify("Reading only: an article you open gets the whole screen "
                        "(z again: the panes).", timeout=3)
        if self.chosen_layout.reading_only and self.reader_pane.article_id is not None:
            self.action_focus_pane("reading")
        self.set_class(self.chosen_layout.reading_only and self.pane == "reading", "-reading-only")

    def action_list_width(self, step: int) -> None:
        """The list column a few cells narrower or wider; kept for the next session."""
        if self.has_class("-narrow"):
            self.notify("The list takes the whole width at this size.", timeout=2)
            return
        current = self.chosen_layout.list_width or self.list_pane.size.width
        width = min(max(current + step * layout.STEP, layout.MIN_LIST),
                    layout.MAX_LIST, max(layout.MIN_LIST, self.size.width - 40))
        self.chosen_layout.list_width = width
        layout.save(self._layout_path, self.chosen_layout)
        self._apply_list_width()

    def _apply_list_width(self) -> None:
        # Inline, it would override the narrow layout's CSS: set only on wide screens.
        width = self.chosen_layout.list_width
        wanted = width if width is not None and not self.has_class("-narrow") else None
        if wanted != self._list_width:
            self._list_width = wanted
            self.list_pane.styles.width = wanted

    _list_width: int | None = None
    """The list column's width as set inline (None: the stylesheet's)."""

    def _sync_pane_classes(self) -> None:
        # A class change on the screen restyles every widget: only the narrow layout
        # and the annotations pane depend on which pane is active, so wide screens
        # without that pane skip it (a pane switch then costs a focus change only).
        if not (self.has_class("-narrow") or self.has_class("-annotations")):
            return
        wanted = {f"-pane-{self.pane}"}
        current = {c for c in self.classes if c.startswith("-pane-")}
        if current != wanted:
            self.remove_class(*(current - wanted))
            self.add_class(*wanted)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        pane = _PANE_OF.get(event.widget.id or "", event.widget.id)
        if pane in (*PANES, ANNOTATIONS):
            self.pane = pane

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._sync_pane_classes()
        self._apply_list_width()

    # -- palette ------------------------------------------------------------------------

    def palette_commands(self) -> list[Command]:
        """The commands this screen offers the command palette."""
        return main_commands(self)
