"""The interface's library session: its connections, its writes and what they wait for.

No widget lives here. The session owns the interface's store connection and
opens a worker's own; every change the interface makes goes through `save`,
which writes at once when the library is free and otherwise keeps the write
queued, in order, for the screen's drain worker (`drain`). While writes wait
the session remembers what the user meant — an article starred, a note typed,
a highlight made or deleted — and `summaries`, `article`, `annotations` show
that instead of what the library still holds.

A note is never dropped. When the library refuses one (a full disk, a damaged
file) it goes to the unsaved-notes file beside the library, else to a file in
the home folder, else the temporary folder; when none of them can be written
it stays in memory (`unsaved_notes`), the user is told where it can still go
(the clipboard, another place they name), and quitting asks first, naming it.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reader.models import Anchor, Annotation, AnnotationEntry, Article, ArticleSummary, Tag
from reader.render import visible
from reader.store import Deletion, Store, StoreBusy, StoreError

UI_WAIT = 0.2
"""Seconds a write from the interface waits for the lock before it is queued."""
RETRY_WAIT = 0.5
"""Seconds each background attempt waits for the lock (and so how soon it notices a stop)."""
QUIT_WAIT = 10.0
"""Seconds quitting waits for queued writes before it gives up on them."""
NOTES_FILE = "reader-unsaved-notes.txt"
"""The unsaved-notes file's name in the home and temporary folders."""


@dataclass(frozen=True)
class NoteText:
    """A note a write saves: what goes to the unsaved-notes file if it never is."""

    title: str
    quote: str
    text: str


@dataclass
class Write:
    """One change to the library, as a user would name it."""

    what: str
    """For the user: `star on “Title”` (archive text: show it without markup)."""
    run: Callable[[Store], object]
    """Makes the change through the store it is given."""
    note: NoteText | None = None
    """The note this write saves, if it saves one."""


@dataclass
class NewHighlight:
    """A highlight queued before it has an id; writes that follow it use `id` once made."""

    temp_id: int
    """A negative id the interface shows it under meanwhile."""
    article_id: int
    anchor: Anchor
    color: str
    id: int | None = None
    """The stored highlight's id, once it is written."""

    def add(self, store: Store) -> None:
        self.id = store.add_annotation(self.article_id, self.anchor, color=self.color)


@dataclass
class WriteQueue:
    """Writes waiting for the library, oldest first; shared by the interface and its worker."""

    _items: deque[Write] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _running: bool = False
    stopped: bool = False
    """Quitting gave up: the worker stops after its current attempt."""

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def push(self, write: Write) -> bool:
        """Queue `write`; True when no worker is draining the queue (start one)."""
        with self._lock:
            self._items.append(write)
            start = not self._running
            self._running = True
            return start

    def head(self) -> Write | None:
        """The oldest write, or None — and then the worker is done (checked under the
        lock, so a write pushed meanwhile starts a new worker)."""
        with self._lock:
            if self._items and not self.stopped:
                return self._items[0]
            self._running = False
            return None

    def pop(self) -> None:
        with self._lock:
            if self._items:
                self._items.popleft()

    def pending(self) -> list[Write]:
        with self._lock:
            return list(self._items)


@dataclass(frozen=True)
class Notice:
    """Something the session tells the user (the screen shows it, never as markup)."""

    text: str
    title: str = ""
    severity: Literal["information", "warning", "error"] = "information"
    timeout: float = 4


@dataclass(frozen=True)
class Drained:
    """What one run of the drain worker did."""

    saved: int
    """Writes saved."""
    failed: list[str]
    """Writes the library refused for a reason other than being busy, named for the user."""
    kept: list[NoteText]
    """Notes among the refused writes (to be kept elsewhere)."""


def notes_path(library: str) -> Path | None:
    """The unsaved-notes file beside the library (None for a library in memory)."""
    if library == ":memory:":
        return None
    path = Path(library).expanduser()
    return path.with_name(path.stem + "-unsaved-notes.txt")


def note_places(library: str) -> list[Path]:
    """Where unsaved notes go, first choice first: beside the library, then the home
    folder, then the temporary folder (none for a library in memory: nothing of it
    is on disk, so its notes stay in memory until the user copies or saves them)."""
    beside = notes_path(library)
    if beside is None:
        return []
    return [beside, Path.home() / NOTES_FILE, Path(tempfile.gettempdir()) / NOTES_FILE]


def format_notes(notes: list[NoteText], stamp: str | None = None) -> str:
    """Notes as the unsaved-notes file holds them (terminal-safe)."""
    stamp = stamp or time.strftime("%Y-%m-%d %H:%M:%S")
    parts = []
    for note in notes:
        quote = " ".join(visible(note.quote).split())
        parts.append(f"# {stamp} · {visible(note.title, one_line=True)}\n"
                     f"> {quote}\n\n{visible(note.text)}\n\n")
    return "".join(parts)


def append_notes(path: Path, notes: list[NoteText]) -> bool:
    """Append `notes` to the file at `path`; False when it could not be written."""
    try:
        with path.expanduser().open("a", encoding="utf-8") as out:
            out.write(format_notes(notes))
    except OSError:
        return False
    return True


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


Counts = tuple[dict[str, int], list[Tag]]
"""Article counts per virtual view, and every tag with its count."""


class EarlyCounts:
    """The tag pane's counts, fetched on a thread of their own while the interface starts.

    Their queries run inside SQLite, which lets go of the interpreter lock, so they
    cost the start-up's own work next to nothing, and the first frame can show them
    instead of a frame that fills them in later. A library in memory has one connection
    only: it is counted when asked, as before.
    """

    def __init__(self, store: Store) -> None:
        self._counts: Counts | None = None
        self._thread: threading.Thread | None = None
        if store.path != ":memory:":
            self._thread = threading.Thread(target=self._count, args=(store,), daemon=True,
                                            name="reader-early-counts")
            self._thread.start()

    def _count(self, store: Store) -> None:
        try:
            with worker_store(store) as own:
                self._counts = (own.view_counts(), own.tags())
        except Exception:  # the worker that counts later says what went wrong
            self._counts = None

    def result(self, wait: float | None) -> Counts | None:
        """The counts, after waiting up to `wait` seconds for them (None: for as long as
        they take); None when not yet there, not counted here, or failed."""
        if self._thread is None:
            return None
        self._thread.join(wait)
        return None if self._thread.is_alive() else self._counts


def preview(text: str, width: int = 60) -> str:
    """A quote on one line, cut to `width` (archive text: show it without markup)."""
    flat = visible(" ".join(text.split()), one_line=True)
    if len(flat) > width:
        flat = flat[:width - 1] + "…"
    return "“" + flat + "”"


def plural(count: int, word: str) -> str:
    """`1 note`, `2 notes`."""
    return f"{count} {word}{'s' if count != 1 else ''}"


class LibrarySession:
    """The interface's side of the library: writes now or queued, and the state they mean."""

    def __init__(self, store: Store, *, notify: Callable[[Notice], None] | None = None,
                 start_drain: Callable[[], object] | None = None) -> None:
        self.store = store
        """The interface's connection (the UI thread's; workers open their own)."""
        self.notify: Callable[[Notice], None] = notify or (lambda notice: None)
        """How the session speaks to the user (the screen shows the notices)."""
        self.start_drain: Callable[[], object] = start_drain or (lambda: None)
        """Starts a worker that runs `drain` (called when a write is queued and none runs)."""
        self.queue = WriteQueue()
        """Writes waiting for the library (an import holds it)."""
        self.places = note_places(store.path)
        """Where notes the library refused are written, first choice first."""
        self.unsaved_notes: list[NoteText] = []
        """Notes the library refused and no file could take: only in memory."""
        self._intended: dict[int, dict[str, Any]] = {}
        self._edited: dict[int, dict[str, Any]] = {}
        self._new: dict[int, NewHighlight] = {}
        self._temp_id = 0
        self._version: int | None = None
        self.deleted: set[int] = set()
        """Articles the user deleted (their deletion may still wait in the queue)."""

    # -- connections ----------------------------------------------------------------

    def outside_changed(self) -> bool:
        """Another program (an import, another reader) committed to the library since the
        last call (the first call only takes note)."""
        try:
            version = self.store.data_version()
        except Exception:  # a closed or damaged connection: nothing to compare
            return False
        seen, self._version = self._version, version
        return seen is not None and version != seen

    def worker_store(self, timeout: float = 10.0) -> Any:
        """A context manager: a connection for a worker thread."""
        return worker_store(self.store, timeout)

    # -- writing ------------------------------------------------------------------

    @property
    def pending(self) -> list[Write]:
        """Writes still waiting for the library, oldest first."""
        return self.queue.pending()

    def save(self, what: str, run: Callable[[Store], object], *,
             note: NoteText | None = None, quiet: bool = False) -> bool:
        """Write now if the library is free; else keep the write queued and saved in the
        background, in order (`start_drain`). True when it is written now.

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
                self.notify(Notice(visible(str(exc), one_line=True), title="Not saved",
                                   severity="error", timeout=10))
                if note is not None:
                    self.keep_notes([note])
                return False
        first = not len(self.queue)
        if self.queue.push(Write(what, run, note)):
            self.start_drain()
        if first or not quiet:
            self.notify(Notice(visible(what[:1].upper() + what[1:], one_line=True)
                               + ": kept, and saved as soon as the library is free (another "
                               "program, an import perhaps, is writing to it).",
                               title="Library busy", severity="warning", timeout=6))
        return False

    def writer_store(self) -> Store:
        """The drain worker's own connection, whose writes wait a little for the lock."""
        if self.store.path == ":memory:":
            return self.store
        return Store(self.store.path, timeout=RETRY_WAIT)

    def drain(self, cancelled: Callable[[], bool]) -> Drained:
        """Retry the queued writes, in order, until each is saved or `cancelled()` (quitting)
        stops it. Runs in a worker thread."""
        queue = self.queue
        saved, failed = 0, []
        kept: list[NoteText] = []
        store: Store | None = None
        try:
            while (write := queue.head()) is not None:
                if cancelled():
                    queue.stopped = True
                    continue
                try:
                    if store is None:
                        store = self.writer_store()
                    write.run(store)
                except StoreBusy:
                    time.sleep(0.05)
                    continue
                except StoreError as exc:
                    if store is None:  # cannot even open it now: try again shortly
                        time.sleep(RETRY_WAIT)
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
        return Drained(saved, failed, kept)

    def drained(self, result: Drained) -> list[int] | None:
        """After a drain: report what failed, keep refused notes; when nothing waits any
        more, forget the intended state and return the articles it touched (to be shown
        as stored); None while writes still wait."""
        for problem in result.failed:
            self.notify(Notice(visible(problem, one_line=True), title="Not saved",
                               severity="error", timeout=10))
        if result.kept:
            self.keep_notes(result.kept)
        if len(self.queue) or self.queue.stopped:
            return None
        intended = list(self._intended)
        self._intended.clear()
        self._edited.clear()
        self._new.clear()
        if result.saved:
            self.notify(Notice(f"The library is free again: {plural(result.saved, 'kept change')}"
                               " saved.", timeout=4))
        return intended

    # -- notes the library refused ------------------------------------------------

    def keep_notes(self, notes: list[NoteText]) -> Path | None:
        """Write refused notes to the first place that takes them and say where; when none
        does, keep them in memory and say where they can still go."""
        if not notes:
            return None
        count = plural(len(notes), "note")
        for place in self.places:
            if append_notes(place, notes):
                self.notify(Notice(f"{count} could not be saved in the library and "
                                   f"{'were' if len(notes) != 1 else 'was'} written to {place}.",
                                   title="Note kept", severity="error", timeout=15))
                return place
        self.unsaved_notes.extend(notes)
        self.notify(Notice(
            f"{count} could not be saved in the library nor written to a file: kept in "
            "memory. Copy {them} (ctrl+p, “Copy unsaved notes”) or save {them} elsewhere "
            "(ctrl+p, “Save unsaved notes to…”) before quitting.".replace(
                "{them}", "them" if len(notes) != 1 else "it"),
            title="Note not saved", severity="error", timeout=30))
        return None

    def unsaved_text(self) -> str:
        """The notes held only in memory, as the unsaved-notes file would hold them."""
        return format_notes(self.unsaved_notes)

    def save_unsaved_notes(self, path: Path) -> bool:
        """Write the notes held in memory to `path` (appending); they are then kept there."""
        if not self.unsaved_notes:
            return True
        if not append_notes(path, self.unsaved_notes):
            self.notify(Notice(f"Could not write to {path}: the notes stay in memory.",
                               title="Note not saved", severity="error", timeout=10))
            return False
        self.notify(Notice(f"{plural(len(self.unsaved_notes), 'note')} written to {path}.",
                           title="Notes kept", timeout=6))
        self.unsaved_notes.clear()
        return True

    def notes_copied(self) -> None:
        """The user copied the notes held in memory: they are no longer only here."""
        self.unsaved_notes.clear()

    def would_lose(self) -> str:
        """What quitting now would lose, named ('' when nothing)."""
        if not self.unsaved_notes:
            return ""
        lines = [f"{plural(len(self.unsaved_notes), 'note')} not saved anywhere:"]
        lines += [f"  ✎ {preview(n.text, 50)} on {preview(n.quote, 40)}"
                  for n in self.unsaved_notes]
        return "\n".join(lines)

    def unsaved_report(self) -> str:
        """What was not saved, one change a line, and where its notes went ('' if none);
        stops the worker (after its current attempt). Notes no file could take are
        printed in full: the terminal is the last place they can go."""
        pending = self.queue.pending()
        lines: list[str] = []
        notes = list(self.unsaved_notes)
        if pending:
            self.queue.stopped = True
            queued = [w.note for w in pending if w.note is not None]
            lines = ["The library stayed busy (another program is writing to it); "
                     "these changes were not saved:"]
            lines += ["  - " + visible(w.what, one_line=True) for w in pending]
            if queued:
                place = next((p for p in self.places if append_notes(p, queued)), None)
                if place is not None:
                    lines.append(f"The unsaved note{'s were' if len(queued) != 1 else ' was'} "
                                 f"written to {place}.")
                else:
                    notes += queued
        if notes:
            lines.append("These notes could not be written to the library or a file; "
                         "here they are:")
            lines += ["  " + line for line in format_notes(notes).splitlines()]
        return "\n".join(lines)

    # -- the state the user meant ---------------------------------------------------

    def intend(self, article_id: int, **state: Any) -> None:
        """While writes are pending, show `state` instead of what the library holds."""
        if len(self.queue):
            self._intended.setdefault(article_id, {}).update(state)

    def intended_tags(self, article_id: int) -> list[str]:
        """The article's tags as the user left them."""
        intended = self._intended.get(article_id, {}).get("tags")
        if intended is not None:
            return list(intended)
        return list(self.store.article_tags(article_id))

    def summaries(self, ids: list[int]) -> list[ArticleSummary]:
        """Summaries as the article list shows them: with the intended state."""
        found = self.store.summaries(ids)
        if not self._intended:
            return found
        fields = ("read", "starred")
        return [dataclasses.replace(s, **{k: v for k, v in self._intended[s.id].items()
                                          if k in fields})
                if s.id in self._intended else s for s in found]

    def summary(self, article_id: int) -> ArticleSummary | None:
        """One article's summary as stored (None when it is gone)."""
        found = self.store.summaries([article_id])
        return found[0] if found else None

    def article(self, article_id: int) -> Article | None:
        """An article with the intended state (None when it is gone)."""
        article = self.store.article(article_id)
        if article is None:
            return None
        state = self._intended.get(article.id)
        return dataclasses.replace(article, **state) if state else article

    def annotations(self, article_id: int) -> list[Annotation]:
        """An article's highlights as the user left them (queued changes included)."""
        found = self.store.annotations(article_id)
        if not (self._edited or self._new):
            return found
        found += [self._placeholder(new) for new in self._new.values()
                  if new.article_id == article_id]
        shown = [self._edit(a) for a in found]
        return sorted((a for a in shown if a is not None),
                      key=lambda a: (a.anchor.orphan, a.anchor.start or 0, a.id))

    def annotation(self, annotation_id: int) -> Annotation | None:
        """One highlight as the user left it."""
        new = self._new.get(annotation_id)
        found = self._placeholder(new) if new else self.store.annotation(annotation_id)
        return self._edit(found) if found is not None else None

    def shown_entries(self, entries: list[AnnotationEntry]) -> list[AnnotationEntry]:
        """Library-wide entries with the queued changes applied."""
        if not self._edited:
            return entries
        out = []
        for entry in entries:
            annotation = self._edit(entry.annotation)
            if annotation is not None:
                out.append(dataclasses.replace(entry, annotation=annotation))
        return out

    @staticmethod
    def _placeholder(new: NewHighlight) -> Annotation:
        return Annotation(new.temp_id, new.article_id, new.anchor, "", new.color)

    def _edit(self, annotation: Annotation) -> Annotation | None:
        edits = self._edited.get(annotation.id)
        if not edits:
            return annotation
        if edits.get("deleted"):
            return None
        return dataclasses.replace(annotation, **edits)

    # -- highlights -----------------------------------------------------------------

    def add_highlight(self, article_id: int, anchor: Anchor, color: str) -> int | None:
        """Highlight a passage: its id (negative while queued), None when refused."""
        self._temp_id -= 1
        new = NewHighlight(self._temp_id, article_id, anchor, color)
        if self.save("the highlight " + preview(anchor.quote, 40), new.add):
            return new.id or 0
        if len(self.queue):
            self._new[new.temp_id] = new
            return new.temp_id
        return None

    def _annotation_id(self, annotation_id: int) -> Callable[[], int]:
        """The stored id of a highlight when a queued write runs (a queued highlight has
        one only once its own write ran)."""
        new = self._new.get(annotation_id)
        if new is None:
            return lambda: annotation_id
        return lambda: new.id if new.id is not None else 0

    def edit_highlight(self, annotation: Annotation, what: str,
                       run: Callable[[Store, int], object], *,
                       keep: NoteText | None = None, **edits: Any) -> bool:
        """Change a highlight (now, or queued and shown as changed meanwhile)."""
        ref = self._annotation_id(annotation.id)
        written = self.save(what, lambda store: run(store, ref()), note=keep)
        if not written and len(self.queue):
            self._edited.setdefault(annotation.id, {}).update(edits)
        return written

    def set_note(self, annotation: Annotation, note: str, title: str = "") -> bool:
        """Save a highlight's note (or keep it queued; refused, it is kept elsewhere)."""
        if not title:
            summary = self.summary(annotation.article_id)
            title = summary.title if summary is not None else ""
        return self.edit_highlight(
            annotation, "the note on " + preview(annotation.anchor.quote, 40),
            lambda store, i: store.set_note(i, note),
            keep=NoteText(title, annotation.anchor.quote, note) if note else None,
            note=note)

    def set_color(self, annotation: Annotation, color: str) -> bool:
        """Change a highlight's colour."""
        return self.edit_highlight(annotation, "the colour of " + preview(
            annotation.anchor.quote, 40), lambda store, i: store.set_color(i, color),
            color=color)

    def reattach(self, annotation: Annotation, anchor: Anchor) -> bool:
        """Put a highlight on a new passage."""
        return self.edit_highlight(
            annotation, "re-attaching " + preview(annotation.anchor.quote, 40),
            lambda store, i: store.reattach_annotation(i, anchor), anchor=anchor)

    def delete_highlight(self, annotation: Annotation) -> bool:
        """Delete a highlight and its note (or queue it)."""
        return self.edit_highlight(
            annotation, "deleting the highlight " + preview(annotation.anchor.quote, 40),
            lambda store, i: store.delete_annotation(i), deleted=True)

    # -- deleting articles --------------------------------------------------------------

    def deletions(self, article_ids: list[int]) -> list[Deletion]:
        """What deleting these articles would remove (those already deleted left out)."""
        return [d for d in self.store.deletions(article_ids) if d.id not in self.deleted]

    def delete_articles(self, deletions: list[Deletion]) -> bool:
        """Delete articles with their highlights and notes (or queue it); from now on the
        lists leave them out. True when written now."""
        ids = [d.id for d in deletions]
        self.deleted.update(ids)
        what = ("deleting " + preview(deletions[0].title, 50) if len(deletions) == 1
                else "deleting " + plural(len(deletions), "article"))
        return self.save(what, lambda store: store.delete_articles(ids))

