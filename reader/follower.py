"""The search index's follower: the process an import starts to keep the index caught
up beside it, and to fold the library's write-ahead log once it has returned.

`python -m reader.follower LIBRARY [PARENT_PID]`. A module of its own, outside
`reader.index`: the process starts while the import runs, and loads the index (its
package, tantivy) only once there is something to catch up."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

NICENESS = 10
"""How far below the importing process the follower runs: it takes what CPU the
import leaves (the writer waiting on its parsers, the parsers on the writer)."""
WATCH = 0.05
"""Seconds between two looks at whether the import has returned, to fold its log."""


def follow(library: str, parent: int | None = None, poll: float = 0.5) -> None:
    """Catch the index of `library` up until nothing is left and the process that
    started this one (`parent`, given by it: one killed before this process could
    ask would leave it waiting forever) has finished (it may still be importing).

    The library is opened, and read once, first: from then on the import's closing
    is not the last, so its write-ahead log is left for this process to fold
    (`Store.hold_fold`), which it does as soon as the import has returned."""
    import os

    if parent is None:
        parent = os.getppid()
    # Below the import it follows (and the interface): an import of several files
    # goes on writing while this process catches up with the ones committed.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    try:
        conn = _opened(library)
        # Opened now, beside the import, not as it returns: opening the log can change
        # its status time (SQLite gives it the library's owner), which would make the
        # library remembered sound by the import look written since.
        folder = _opened(library)
    except sqlite3.Error:
        return
    folding = threading.Thread(target=_fold_when_returned, args=(folder, library, parent),
                               daemon=True)
    folding.start()
    try:
        # An empty log (a new library, or one its last follower pruned): nothing to
        # catch up before the import commits, and the index is not loaded until then
        # (loading it would take CPU from the import's own processes). A log holding
        # changes (the follower started after a file's commit) is caught up at once.
        while os.getppid() == parent and _log_empty(conn):
            time.sleep(poll)
    except sqlite3.Error:
        conn.close()
        return
    from reader.index import FOLLOWER_HEAP, IndexBusy, SearchIndex, index_path

    index = SearchIndex(index_path(library), writer_heap=FOLLOWER_HEAP)
    refused = 0
    try:
        while True:
            try:
                if not index.sync(conn):
                    # Another process is writing the index: it may be a search catching
                    # up briefly, or another import's follower (which carries on).
                    refused += 1
                    if refused > 20:
                        return
                    time.sleep(poll)
                    continue
                refused = 0
                idle = index.pending(conn) == 0
            except (sqlite3.Error, ValueError, OSError, IndexBusy):
                return  # the next search catches up
            if idle and os.getppid() != parent:
                folding.join()
                _prune(index, conn, library)
                return
            if idle:
                time.sleep(poll)
    finally:
        conn.close()


def _opened(library: str) -> sqlite3.Connection:
    """A connection to the library, read once: from then on it has the library open."""
    conn = sqlite3.connect(f"file:{library}?mode=rw", uri=True, timeout=0.5,
                           isolation_level=None, check_same_thread=False)
    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    return conn


def _log_empty(conn: sqlite3.Connection) -> bool:
    """Whether the library's log for the index holds no change committed. (SQLite's own
    `data_version` was seen to move in the middle of an import's transaction, a
    second before it committed anything.)"""
    return conn.execute("SELECT 1 FROM search_log LIMIT 1").fetchone() is None


@contextlib.contextmanager
def _carried(library: str) -> Iterator[None]:
    """Around one of the follower's writes to the library: when the import it followed
    left the library remembered sound (`library.remember`: checked as it began,
    finished, closed), the write is carried into what is remembered, so that the
    interface's next start does not read the whole file; after a killed or failed
    import nothing was remembered, and nothing is."""
    from pathlib import Path

    from reader import library as files

    path = Path(library)
    carried = files.remembered(path)
    yield
    if carried:
        files.remember(path)


def _fold_when_returned(conn: sqlite3.Connection, library: str, parent: int) -> None:
    """Once the import has returned, fold its write-ahead log into the library file
    through `conn` (its last commit left that to this process: the import's pages
    synced to disk as it returns, not after the index has caught up). The library
    stays remembered sound when it was (`_carried`)."""
    import os

    try:
        while os.getppid() == parent:
            time.sleep(WATCH)
        with _carried(library):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass  # the next commit past a thousand pages, or the last close, folds it
    finally:
        conn.close()


def _prune(index: Any, conn: sqlite3.Connection, library: str) -> None:
    """Forget the changes applied, the follower's last write to the library, carried
    into what is remembered (`_carried`)."""
    with _carried(library):
        index.prune(conn)
        conn.close()  # the last connection folds the log into the file


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[2].isdigit():
        follow(sys.argv[1], int(sys.argv[2]))
    elif len(sys.argv) == 2:
        follow(sys.argv[1])
