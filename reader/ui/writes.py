"""Writes the interface could not make at once, kept in order until the library is free.

Another process (an import) may hold the library's write lock for minutes.
The interface tries each write with a short wait; when the library is busy
the write is queued here and a thread worker retries the queue, in order,
with its own connection. Nothing here touches a widget: the screen shows the
intended state meanwhile and hears from the worker by messages.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.models import Anchor
from reader.render import visible
from reader.store import Store

UI_WAIT = 0.2
"""Seconds a write from the interface waits for the lock before it is queued."""
RETRY_WAIT = 0.5
"""Seconds each background attempt waits for the lock (and so how soon it notices a stop)."""
QUIT_WAIT = 10.0
"""Seconds quitting waits for queued writes before it gives up on them."""


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


def notes_path(library: str) -> Path | None:
    """Where unsaved notes go: a text file next to the library (None in memory)."""
    if library == ":memory:":
        return None
    path = Path(library).expanduser()
    return path.with_name(path.stem + "-unsaved-notes.txt")


def keep_notes(library: str, notes: list[NoteText]) -> Path | None:
    """Append `notes` to the unsaved-notes file; its path, or None when it could not be
    written (or there was nothing to write)."""
    path = notes_path(library)
    if path is None or not notes:
        return None
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    parts = []
    for note in notes:
        quote = " ".join(visible(note.quote).split())
        parts.append(f"# {stamp} · {visible(note.title, one_line=True)}\n"
                     f"> {quote}\n\n{visible(note.text)}\n\n")
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write("".join(parts))
    except OSError:
        return None
    return path
