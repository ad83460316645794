"""Keeping the index caught up beside an import, from a process of its own."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import Any

NICENESS = 10
"""How far below the importing process the follower runs: it takes what CPU the
import leaves (the writer waiting on its parsers, the parsers on the writer)."""


def follow(library: str, parent: int | None = None, poll: float = 0.5) -> None:
    """Catch the index of `library` up until nothing is left and the process that
    started this one (`parent`, given by it: one killed before this process could
    ask would leave it waiting forever) has finished (it may still be importing)."""
    import os

    from reader.index import FOLLOWER_HEAP, IndexBusy, SearchIndex, index_path

    if parent is None:
        parent = os.getppid()
    # Below the import it follows (and the interface): an import of several files
    # goes on writing while this process catches up with the ones committed.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    try:
        conn = sqlite3.connect(f"file:{library}?mode=rw", uri=True, timeout=0.5,
                               isolation_level=None)
    except sqlite3.Error:
        return
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
                _prune(index, conn, library)
                return
            if idle:
                time.sleep(poll)
    finally:
        conn.close()


def _prune(index: Any, conn: sqlite3.Connection, library: str) -> None:
    """Forget the changes applied, the follower's one write to the library. When the
    import it followed left the library remembered sound (`library.remember`: checked
    as it began, finished, closed), this write is carried into what is remembered, so
    that the interface's next start does not read the whole file; after a killed or
    failed import nothing was remembered, and nothing is."""
    from pathlib import Path

    from reader import library as files

    path = Path(library)
    carried = files.remembered(path)
    index.prune(conn)
    conn.close()  # the last connection folds the log into the file
    if carried:
        files.remember(path)
