"""What every room of the store shares: its errors, its transactions and the clock.

`Room` is the base of the store's rooms (the mixins `reader.store.Store` is made
of): the connection and `transaction()`, which each room uses and none owns.
"""

from __future__ import annotations

import datetime as dt
import sqlite3


class StoreError(Exception):
    """The library cannot be opened or written; the message is one line for the user."""


class LibraryDamaged(StoreError):
    """The library file is damaged (a corrupt page): every command says so."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message
        """SQLite's own words."""


class LibraryMissing(StoreError):
    """No library at the path, and the command only reads."""


class StoreBusy(StoreError):
    """Another process (an import) holds the library's write lock: try again later."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Room:
    """The connection every room of the store works on (set by `Store.__init__`)."""

    path: str
    conn: sqlite3.Connection
    _tag_ids: dict[str, int]

    def transaction(self) -> _Transaction:
        """`with store.transaction():` — all or nothing."""
        # Tag ids are cached only within a transaction: a rollback or another
        # process may change them between transactions.
        self._tag_ids = {}
        return _Transaction(self.conn)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy("the library is busy: another reader (an import?) is writing"
                                " to it") from None
            raise StoreError(f"the library cannot be written ({exc})") from None
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                self._rollback()
                raise StoreError(f"could not save to the library ({error})") from None
        else:
            self._rollback()

    def _rollback(self) -> None:
        # SQLite has already rolled back after some errors (a full disk, for one);
        # a second ROLLBACK would raise and hide the error that matters.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
