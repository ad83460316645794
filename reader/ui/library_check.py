"""The library's quick check, run beside the interface's start-up instead of before it.

The interface refuses a damaged library (SQLite's quick check, which reads every
page: about a quarter of a second for 100,000 articles). Run first, it came
before everything else the start-up does; on a thread and a connection of its
own it runs inside SQLite, which lets go of the interpreter lock, while the
interface imports, composes and lays out its screen, and the first frame waits
for its answer. No widget here, and no Textual: the command line starts it
before it imports the interface.

A library that is, as far as the file system can tell, the very file that passed
the check and was then closed by the interface (the same `library.fingerprint`)
is not read whole again: the check is remembered when the interface closes (and
when an import that checked it finishes: `library.remember`), and anything else
that writes the file (a killed import, a copy, a disk tool) makes the next start
check it. A page damaged later without any write is still reported
the moment SQLite reads it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from reader.ui import json_file

SMALL = 32 * 1024 * 1024
"""Bytes below which the check is waited for before the interface starts (it takes a few
tens of milliseconds there, and a refusal then never draws a screen)."""


class LibraryCheck:
    """SQLite's quick check of the library at `path`, begun at once on its own thread."""

    def __init__(self, path: str | Path) -> None:
        from reader import library

        self.path = str(path)
        """The library checked."""
        self._problem: str | None = None
        now = library.fingerprint(Path(self.path))
        kept = json_file.read(library.stamp_path(Path(self.path)), 4096)
        self.skipped = now is not None and kept.get("fingerprint") == now
        """The library has not changed since it last passed: not read again."""
        self._thread: threading.Thread | None = None
        if not self.skipped:
            self._thread = threading.Thread(target=self._check, daemon=True,
                                            name="reader-library-check")
            self._thread.start()

    def _check(self) -> None:
        from reader import library

        try:  # the file exists: the store opened it already
            conn = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error as exc:
            self._problem = str(exc)
            return
        try:
            self._problem = library.quick_check(conn)
        finally:
            conn.close()

    @property
    def small(self) -> bool:
        """A library small enough to check before the interface starts."""
        try:
            return Path(self.path).stat().st_size < SMALL
        except OSError:
            return True

    @property
    def done(self) -> bool:
        """The check has answered."""
        return self._thread is None or not self._thread.is_alive()

    def problem(self) -> str | None:
        """Wait for the check: None when the library is sound, else its first finding."""
        if self._thread is not None:
            self._thread.join()
        return self._problem

    def remember(self) -> None:
        """Once the interface has closed the library: remember that it was sound, so the
        next start need not read it whole unless something else has written it."""
        if self.problem() is None:
            from reader import library

            now = library.fingerprint(Path(self.path))
            if now is not None:
                json_file.write(library.stamp_path(Path(self.path)), {"fingerprint": now})

    def refuse(self) -> None:
        """Wait for the check; raise the store's `LibraryDamaged` (its first finding) when
        it found damage."""
        problem = self.problem()
        if problem is not None:
            from reader.store import LibraryDamaged

            raise LibraryDamaged(problem)
