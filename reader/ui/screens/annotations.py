"""Every highlight in the library, newest first, searchable; and the orphan review list.

The screen coordinates its own list as the main screen does: the list posts
messages, the screen asks the store (in a worker for the search, which grows
with the library) and hands the entries down. Choosing a highlight dismisses
the screen with it, and the main screen opens the article there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.models import Annotation, AnnotationEntry
from reader.store import Store
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.search_box import SearchBox

LIMIT = 500
"""Highlights listed at once (the count says how many there are)."""


SaveNote = Callable[[Annotation, str], bool]
"""Saves a highlight's note; True when written now, False when kept queued (or refused)."""
Delete = Callable[[Annotation], bool]
"""Deletes a highlight; True when done now, False when queued (or refused)."""


def edit_note(screen: Screen[Any], annotation: Annotation, save: SaveNote,
              done: Callable[[], None]) -> None:
    """Open the note editor on a highlight; save the note, then `done()`.

    When the library is busy the note stays queued (`save` keeps it and says so) and
    is shown as the highlight's note meanwhile: a typed note is never lost.
    """
    from reader.ui.screens.dialogs import NoteEditorScreen

    def saved(note: str | None) -> None:
        if note is None or note == annotation.note:
            return
        if save(annotation, note):
            screen.notify("Note saved." if note else "Note removed.", timeout=2)
        done()

    screen.app.push_screen(NoteEditorScreen(annotation.anchor.quote, annotation.note), saved)


def confirm_delete(screen: Screen[Any], annotation: Annotation, delete: Delete,
                   done: Callable[[], None]) -> None:
    """Ask, then delete a highlight and its note, then `done()`."""
    from reader.ui.screens.dialogs import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        if delete(annotation):
            screen.notify("Highlight deleted.", timeout=2)
        done()

    detail = "“" + " ".join(annotation.anchor.quote.split())[:160] + "”"
    if annotation.note:
        detail += "\n✎ " + " ".join(annotation.note.split())[:160]
    screen.app.push_screen(ConfirmScreen("Delete this highlight and its note?", detail),
                           answered)


class AnnotationsScreen(Screen[AnnotationEntry | None]):
    """Highlights across the library (or only the orphans); enter opens one."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="annotations.close",
                tooltip="Back to the library."),
        Binding("ctrl+o", "toggle_orphans", "Orphans", id="annotations.orphans",
                tooltip="Show only the highlights that lost their place, or all of them."),
        Binding("slash", "focus_search", "Search", id="annotations.search",
                tooltip="Search the quotes, notes and titles."),
    ]

    class Loaded(Message):
        """A worker listed highlights."""

        def __init__(self, token: int, entries: list[AnnotationEntry], total: int) -> None:
            super().__init__()
            self.token = token
            """Which request this answers."""
            self.entries = entries
            """The highlights, newest first."""
            self.total = total
            """How many match in all."""

    def __init__(self, store: Store, *, orphans: bool = False, set_note: SaveNote,
                 delete: Delete,
                 shown: Callable[[list[AnnotationEntry]], list[AnnotationEntry]] | None = None
                 ) -> None:
        super().__init__()
        self.store = store
        """The library (read here; written through `set_note` and `delete`)."""
        self.set_note = set_note
        """Saves a note (or keeps it queued while the library is busy)."""
        self.delete = delete
        """Deletes a highlight (or queues it)."""
        self.shown = shown
        """Applies changes still queued to what the list shows."""
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
        from reader.ui.screens.main import worker_store

        if query:
            time.sleep(0.1)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        with worker_store(self.store) as store:
            entries = store.all_annotations(query=query or None, orphans=orphans, limit=LIMIT)
            total = store.count_annotations(query=query or None, orphans=orphans)
        if not worker.is_cancelled:
            self.post_message(self.Loaded(token, entries, total))

    def on_annotations_screen_loaded(self, message: Loaded) -> None:
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
        entries = self.shown(message.entries) if self.shown else message.entries
        listing.set_entries(entries, keep=keep)
        kind = "Orphaned highlights" if self.orphans else "Highlights"
        listing.border_title = Content(f"{kind} · {message.total:,}")
        listing.border_subtitle = Content(
            "enter opens · e note · x delete · ctrl+o " + ("all" if self.orphans else "orphans"))

    def on_input_changed(self, event: SearchBox.Changed) -> None:
        event.stop()
        self.reload()

    def on_input_submitted(self, event: SearchBox.Submitted) -> None:
        event.stop()
        self.search_box.remember(event.value)
        self.annotation_list.focus()

    def on_search_box_closed(self, message: SearchBox.Closed) -> None:
        if self.search_box.value:
            self.search_box.value = ""
            self.annotation_list.focus()
        else:
            self.dismiss(None)

    def on_annotation_list_chosen(self, message: AnnotationList.Chosen) -> None:
        self.dismiss(message.entry)

    def on_annotation_list_action(self, message: AnnotationList.Action) -> None:
        annotation = message.entry.annotation
        if message.action == "note":
            edit_note(self, annotation, self.set_note, self.reload)
        elif message.action == "delete":
            confirm_delete(self, annotation, self.delete, self.reload)
        else:
            self.notify("Open it (enter), select the passage with v, then press r in the "
                        "article's annotations pane.", timeout=5)

    def action_toggle_orphans(self) -> None:
        self.orphans = not self.orphans
        self.reload()

    def action_focus_search(self) -> None:
        self.search_box.focus()

    def action_close(self) -> None:
        self.dismiss(None)
