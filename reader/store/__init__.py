"""The library: one SQLite file, and the `Store` that reads and writes it.

`Store` is a facade over the rooms of this package, one module each:

- `schema`: the tables, their numbered migrations and how they run;
- `ingest`: articles arriving (identity by content hash, title and URL; new
  versions of re-imported files; stubs), deleting, and the tombstones that keep
  deleted articles out of later imports;
- `reading`: articles, the list's views, sorts and counts, tags, reading state;
- `searching`: results, counts and related articles from the search index
  (reader.index), with the library's metadata;
- `annotations`: highlights and notes, stored, listed, re-anchored, and arriving
  with an import;
- `base`: the errors, transactions and the connection every room shares.

The rooms are mixins of one class rather than collaborators behind it: they
share one connection, one transaction at a time and an import's state (tag ids,
articles seen), and calls cross rooms inside a transaction (an import stores
highlights and re-anchors them; deleting counts notes). Collaborators would
need that state passed around and a forwarding method on the facade for each
of some fifty public methods; mixins keep `store.search(…)` and every other
call as it was. Each room subclasses the rooms it calls (`Ingest` builds on
`Annotations` and `Reading`), so mypy checks the calls across rooms and the
class order is the dependency order.

Every import of a file is one transaction. Code outside the store does not
write SQL against its tables, with one exception: the search index (reader.index)
reads articles and their change log (`search_log`) and prunes the log.

reader.search, reader.anchoring and reader.clean are imported where they are
used, so that commands which only read the library (`reader stats`, the list)
do not load them; the interface loads them before its first frame anyway.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.store.annotations import ANCHOR_METHODS
from reader.store.base import LibraryDamaged, LibraryMissing, StoreBusy, StoreError
from reader.store.ingest import (
    GROWING_FORMATS,
    Deletion,
    FileResult,
    IdSet,
    Ingest,
    Prepared,
    article_hash,
    prepare,
)
from reader.store.reading import SORTS, VIEWS
from reader.store.schema import _MIGRATIONS, SCHEMA_VERSION, _split_sql, migrate, slow_upgrade
from reader.store.searching import Searching

__all__ = [
    "ANCHOR_METHODS", "GROWING_FORMATS", "SCHEMA_VERSION", "SORTS", "VIEWS", "_MIGRATIONS",
    "Deletion", "FileResult", "LibraryDamaged", "LibraryMissing", "Prepared", "Store",
    "StoreBusy", "StoreError", "_split_sql", "article_hash", "prepare", "slow_upgrade",
]


FOLD_PAGES = 1000
"""Pages of the write-ahead log past which a commit folds it into the file (SQLite's
own default)."""


class Store(Ingest, Searching):
    """The library file. Methods read as questions and commands and return models."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False,
                 timeout: float = 10.0, create: bool = True) -> None:
        """Open (creating and migrating as needed) the library at `path`.

        `timeout`: how long a write waits for another process's write (an
        import) to finish before raising `StoreBusy`. `create=False`: raise
        `LibraryMissing` rather than create a library that does not exist.
        A library that cannot be written is opened read-only (`read_only`);
        `warnings` holds what the user should be told (read-only, a damaged log).
        """
        from reader import library

        self.path = ":memory:" if memory or path is None else str(path)
        self.read_only = False
        self.warnings: list[str] = []
        self._tag_ids: dict[str, int] = {}
        self._seen = IdSet()
        self._by_title: dict[str, dict[str, list[tuple[int, int]]]] = {}
        self._updated: list[int] = []
        self._last_id = 0
        self._orphaned, self._restoring, self._graves = 0, False, False
        self._held = False  # `hold_fold`
        try:
            target, uri = self.path, False
            if self.path != ":memory:":
                where = Path(self.path).expanduser()
                try:
                    opening = library.plan(where, create=create)
                except library.Missing as exc:
                    raise LibraryMissing(str(exc)) from None
                except library.OpenError as exc:
                    raise StoreError(str(exc)) from None
                target, uri, self.read_only = opening.target, opening.uri, opening.read_only
                self.warnings = opening.warnings
                if opening.create:
                    where.resolve().parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False,
                                   timeout=timeout, uri=uri)
            if self.read_only:
                try:
                    conn.execute("PRAGMA user_version").fetchone()
                except sqlite3.OperationalError:  # no -shm and none can be made: a read-only mount
                    conn.close()
                    conn = sqlite3.connect(library.immutable(where), isolation_level=None,
                                           check_same_thread=False, uri=True)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if library.foreign(conn, version):
                # Refused before anything is written: WAL mode would change its header.
                conn.close()
                raise StoreError(f"{self.path}: an SQLite file, but not a reader library; "
                                 "it was not changed")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:" and not self.read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # The hash index takes random inserts; past the default 2 MB cache,
                # large imports slow down page by page.
                conn.execute("PRAGMA cache_size = -32768")
            self.conn = conn
            migrate(conn, self.path, self.read_only)
            if self.path != ":memory:" and not self.read_only:
                damage = library.wal_report(conn, where)
                if damage:
                    self.warnings.append(damage)
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) or "corrupt" in str(exc):
                raise LibraryDamaged(f"the library {self.path} is damaged ({exc}); "
                                     f"{library.DAMAGED_HELP}", str(exc)) from None
            raise StoreError(f"{self.path}: not a reader library or damaged ({exc})") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open ({exc.strerror or exc})") from None

    # -- lifecycle ------------------------------------------------------------

    def set_timeout(self, seconds: float) -> None:
        """How long a write waits for another process's write before `StoreBusy`."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def hold_fold(self) -> None:
        """Commit without folding the write-ahead log into the library file until
        `fold`. SQLite folds it (a checkpoint: the log's pages copied into the file, both
        synced) at the commit that takes it past a thousand pages, so a large import's
        own commit would copy and sync all it wrote before returning. Held, the fold
        runs in the process that has the library open when this one closes (an
        import's index follower, `reader.follower`: at its end the import
        returns as soon as its transaction is committed), or at `fold`, or at `close`
        when no other process has the library open."""
        if self.path != ":memory:" and not self.read_only:
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")
            self._held = True

    def fold(self) -> None:
        """Fold what `hold_fold` held back into the library file, and fold at commits
        again as SQLite does."""
        if self._held:
            self._held = False
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {FOLD_PAGES}")

    def data_version(self) -> int:
        """A number that changes when another connection commits to the library (cheap:
        SQLite keeps it in memory); this connection's own writes leave it as it is."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def table_counts(self) -> dict[str, int]:
        """The rows of each table, by name in schema order (SQLite's own left out):
        what `sqlite-utils tables --counts` shows."""
        names = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND substr(name, 1, 7) != 'sqlite_'")]
        return {name: int(self.conn.execute(
            'SELECT count(*) FROM "' + name.replace('"', '""') + '"').fetchone()[0])
            for name in names}

    def backup(self, target: str | Path) -> None:
        """Write a consistent, compacted copy of the library to `target`, a new file.

        VACUUM INTO reads one snapshot: the interface and imports go on meanwhile.
        """
        self.conn.execute("VACUUM INTO ?", (str(target),))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
