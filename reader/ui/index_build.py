"""The search index built in the background while the interface runs.

An index that is missing, damaged or of another version (the first start after
an upgrade) is built from the library before it can answer: about 73 s per
100,000 articles. The interface never waits for it. After the first frame (or
at the first search, whichever comes first) `IndexBuild.start` asks the index
whether it must be built and, if so, builds it on a thread and connection of
its own (`SearchIndex.build_in_background`). Meanwhile searches do not run:
the list pane says the index is being built, with its progress, and runs the
pending search again when it is done. Browsing, tags and reading never touch
the index and keep working. A build that fails is said in one line, pointing
to `reader reindex`; the interface keeps running.

No widget lives here: `on_change` is called (from the build's thread, at most
every `PROGRESS_EVERY` seconds, and once at the end) and the screen posts a
message to itself.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from reader.render import visible
from reader.store import Store

PROGRESS_EVERY = 0.3
"""Seconds between two progress reports (the build reports every few hundred articles)."""

State = Literal["unchecked", "building", "ready", "failed"]


def _why(reason: str) -> str:
    """Why the index is built, for a person."""
    if reason.startswith("of another version"):
        return "after an upgrade"
    if reason == "missing":
        return "it was missing"
    if reason == "damaged":
        return "it was damaged"
    if reason == "incomplete":
        return "an earlier build was cut short"
    return reason


class IndexBuild:
    """Whether the library's search index is being built, how far, and how it ended.

    Thread-safe: `start` is called from workers (the start-up check, a search), the
    progress from the build's thread, the rest read by the interface.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        """The interface's store: its search index is the one built."""
        # A library in memory (tests) has one connection only, and a read-only one an
        # index in memory: both build theirs at the first search, as they always did.
        self.state: State = ("ready" if store.path == ":memory:"
                             or getattr(store, "read_only", False) else "unchecked")
        """`unchecked` until `start`; `building`; `ready` (searches run as usual, the
        index catching itself up); `failed` (searches find nothing: `reader reindex`)."""
        self.why = ""
        """Why the index is being built, for a person (`after an upgrade`)."""
        self.done = 0
        """Articles indexed so far."""
        self.total = 0
        """Articles to index."""
        self.error = ""
        """Why the build failed (one line, terminal-safe)."""
        self.on_change: Callable[[], None] = lambda: None
        """Called on progress (coalesced) and at the end, from the build's thread."""
        self.started = 0.0
        """When the build began (`time.monotonic`)."""
        self._lock = threading.Lock()
        self._reported = 0.0

    @property
    def building(self) -> bool:
        return self.state == "building"

    def start(self) -> bool:
        """Build the index in the background when it must be (asked once; callers
        meanwhile wait for the answer, which opens nothing heavy). True while it builds.
        Call it from a worker: it reads the index's folder."""
        with self._lock:
            if self.state == "unchecked":
                self._start()
            return self.state == "building"

    def _start(self) -> None:
        path = Path(self.store.path).expanduser()
        index = self.store.search_index

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(path, timeout=10)

        try:
            probe = connect()
            try:
                reason = index.needs_build(probe)
                if reason is not None:
                    self.total = int(probe.execute("SELECT count(*) FROM articles")
                                     .fetchone()[0])
            finally:
                probe.close()
            if reason is None:
                self.state = "ready"
                return
            self.why = _why(reason)
            self.started = time.monotonic()
            self.state = "building"
            thread = index.build_in_background(connect, self._progress, self._finished)
        except Exception as exc:  # the library or its folder refused: say so, keep running
            self._fail(exc)
            return
        if thread is None:
            # Built meanwhile by another program; or (it returns the thread's attribute,
            # which the thread clears as it ends) our build already ended, and then
            # `_finished` says how. Only an index that needs nothing now is ready here.
            try:
                probe = connect()
                try:
                    ready = index.needs_build(probe) is None
                finally:
                    probe.close()
            except Exception:  # the build's own end says what went wrong
                ready = False
            if ready and self.state == "building":
                self.state = "ready"

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self._reported >= PROGRESS_EVERY:
            self._reported = now
            self.on_change()

    def _finished(self, error: BaseException | None) -> None:
        from reader.index import IndexBusy

        if error is None or isinstance(error, IndexBusy):
            # Ready; or another program (an import) is writing the index: searches
            # then do as they always did with it (wait a moment, or find nothing yet).
            self.state = "ready"
        else:
            self._fail(error)
        self.on_change()

    def _fail(self, error: BaseException) -> None:
        self.error = visible(str(error) or type(error).__name__, one_line=True)[:200]
        self.state = "failed"

    def line(self) -> str:
        """What the interface says about the index now ('' when there is nothing to say)."""
        if self.state == "building":
            count = (f": {self.done:,} of {self.total:,} articles…" if self.total
                     else "…")
            return f"Building the search index ({self.why}){count}"
        if self.state == "failed":
            return (f"The search index could not be built ({self.error}): searches find "
                    "nothing until `reader reindex` rebuilds it.")
        return ""

    def told(self) -> str:
        """The build announced once, without a figure that would soon be stale."""
        count = f": {self.total:,} articles" if self.total else ""
        return (f"Building the search index ({self.why}){count}. Browsing and reading work "
                "meanwhile; searches answer when it is done.")

    def short(self) -> str:
        """The progress in a few words, for a pane's border."""
        if self.state != "building":
            return ""
        if not self.total:
            return "search index…"
        return f"search index {self.done * 100 // self.total}%"
