"""Every highlight in the library, newest first, searchable; and the orphan review list.

The screen coordinates its own list as the main screen does: the list posts
messages, the screen asks the library through the session (in a worker for
the search, which grows with the library) and hands the entries down, with the
changes still queued applied. Choosing a highlight dismisses the screen with
it, and the main screen opens the article there.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.models import AnnotationEntry
from reader.ui.dialogs import Closable, SaveNote, close_binding, confirm_delete, edit_note
from reader.ui.messages import message
from reader.ui.session import LibrarySession
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.search_box import SearchBox

LIMIT = 500
"""Highlights listed at once (the count says how many there are)."""


class AnnotationsScreen(Closable, Screen[AnnotationEntry | None]):
    """Highlights across the library (or only the orphans); enter opens one."""

    BINDINGS = [
        close_binding("annotations.close", "Back to the library."),
        Binding("ctrl+o", "toggle_orphans", "Orphans", id="annotations.orphans",
                tooltip="Show only the highlights that lost their place, or all of them."),
        Binding("slash", "focus_search", "Search", id="annotations.search",
                tooltip="Search the quotes, notes and titles."),
    ]

    @message
    class Loaded(Message):
        """A worker listed highlights."""

        token: int
        """Which request this answers."""
        entries: list[AnnotationEntry]
        """The highlights, newest first."""
        total: int
        """How many match in all."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AnnotationsScreen.Loaded)

    def __init__(self, session: LibrarySession, *, orphans: bool = False,
                 set_note: SaveNote | None = None) -> None:
        super().__init__()
        self.session = session
        """The library, read and written through the interface's session."""
        self.set_note: SaveNote = set_note or session.set_note
        """Saves a note (or keeps it queued while the library is busy, or elsewhere)."""
        self.orphans = orphans
        """Only the highlights that could not be placed."""
        self._token = 0

    def compose(self) -> ComposeResult:
        self.search_box = SearchBox(placeholder="Search highlights, notes and titles",
                                    id="annotations-search")
        self.annotation_list = AnnotationList(titles=True, id="annotations-list")
        yield self.search_box
        yield self.annotation_list
        yield KeyBar()

    def on_mount(self) -> None:
        self.annotation_list.empty_message = "…"
        self.reload()
        self.annotation_list.focus()

    def reload(self) -> None:
        """List again (after a change or a new query)."""
        self._token += 1
        self.load(self.search_box.value, self.orphans, self._token)

    @work(thread=True, exclusive=True, group="annotations")
    def load(self, query: str, orphans: bool, token: int) -> None:
        """Highlights matching `query` (grows with the library: off the UI thread)."""
        if query:
            time.sleep(0.1)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        with self.session.worker_store() as store:
            entries = store.all_annotations(query=query or None, orphans=orphans, limit=LIMIT)
            total = store.count_annotations(query=query or None, orphans=orphans)
        if not worker.is_cancelled:
            self.post_message(self.Loaded(token, entries, total))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.token != self._token:
            return
        listing = self.annotation_list
        keep = listing.highlighted.annotation.id if listing.highlighted else None
        if self.search_box.value.strip():
            listing.empty_message = "No highlight, note or title matches."
        elif self.orphans:
            listing.empty_message = "No orphans: every highlight has its place."
        else:
            listing.empty_message = "No highlights yet: in an article, v selects and h highlights."
        entries = self.session.shown_entries(message.entries)
        listing.set_entries(entries, keep=keep)
        kind = "Orphaned highlights" if self.orphans else "Highlights"
        listing.border_title = Content(f"{kind} · {message.total:,}")
        listing.border_subtitle = Content(
            "enter opens · e note · x delete · ctrl+o " + ("all" if self.orphans else "orphans"))

    @on(SearchBox.Changed, "#annotations-search")
    def _typed(self, event: SearchBox.Changed) -> None:
        event.stop()
        self.reload()

    @on(SearchBox.Submitted, "#annotations-search")
    def _submitted(self, event: SearchBox.Submitted) -> None:
        event.stop()
        self.search_box.remember(event.value)
        self.annotation_list.focus()

    @on(SearchBox.Closed, "#annotations-search")
    def _box_closed(self, message: SearchBox.Closed) -> None:
        if self.search_box.value:
            self.search_box.value = ""
            self.annotation_list.focus()
        else:
            self.dismiss(None)

    @on(AnnotationList.Chosen, "#annotations-list")
    def _chosen(self, message: AnnotationList.Chosen) -> None:
        self.dismiss(message.entry)

    @on(AnnotationList.Action, "#annotations-list")
    def _action(self, message: AnnotationList.Action) -> None:
        annotation = message.entry.annotation
        if message.action == "note":
            edit_note(self, annotation, self.set_note, self.reload)
        elif message.action == "delete":
            confirm_delete(self, annotation, self.session.delete_highlight, self.reload)
        else:
            self.notify("Open it (enter), select the passage with v, then press r in the "
                        "article's annotations pane.", timeout=5)

    def action_toggle_orphans(self) -> None:
        self.orphans = not self.orphans
        self.reload()

    def action_focus_search(self) -> None:
        self.search_box.focus()
