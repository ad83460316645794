"""The search index: tantivy beside the library, derived from it, never the source of truth.

The library (SQLite) is the truth. Every change to an article that search
sees (insert, text, tags, notes, date, source, read, starred, annotations) adds
a row to `search_log` in the same transaction, by triggers (store migration 7).
The index keeps, in a document of its own committed atomically with the
articles it indexed, the last log row it has applied; `sync` applies what came
after. So an index killed mid-write restarts from its last commit, and one
missing, damaged or of another version is rebuilt from the library.

Why tantivy (figures in docs/benchmarks-search.md): BM25 over every match with
block-max WAND top-k pruning answers a common word or a ten-word sentence over
100,000 articles in milliseconds, where FTS5 must compute bm25 for every match
(300-600 ms), which is why the old search ranked only the newest matches.

The index lives in a folder beside the library, `<library>-search/`. In-memory
libraries (tests) get an in-memory index.

Text is analysed once, the same way for the index, the query and the marks
(`analyze`): NFKC and zero-width characters removed (in Python, before
tantivy), split at anything not a letter or digit, lower-cased, diacritics and
ligatures folded to ASCII (`Zürich` → `zurich`, `Straße` → `strasse`), English
Snowball stemming. CJK runs are also indexed as overlapping two-character words
in a field of their own (`cjk`).

This module opens, builds and catches up the index (`SearchIndex`); the rest:
`schema` (what a document holds, read from the library), `planning` (a parsed
query as tantivy queries, run a page at a time). Every name is importable from here.
The process that catches the index up beside an import is `reader.follower`, a
module outside this package so that it starts without loading it.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tantivy

from reader.analysis import STOPWORDS, analyze, cjk_analyzer, index_analyzer
from reader.index.planning import (
    EXPANSIONS,
    LONG_QUERY,
    MAX_CLAUSES,
    MAX_PREFIX,
    PAGE,
    RELAX_SHARE,
    TIE_LIMIT,
    TITLE_BOOST,
    Found,
    Plan,
    count,
    filter_query,
    plan,
    ranked,
    related_query,
    term_query,
    view_queries,
)
from reader.index.schema import (
    _META_ID,
    MUST,
    MUST_NOT,
    SCHEMA,
    SHOULD,
    TITLE_REPEAT,
    Q,
    Row,
    date_number,
    log_position,
    read_rows,
)

INDEX_VERSION = 5
"""Bump when the schema or the analysis changes: an index of another version is rebuilt."""
BUSY_WAIT = 60.0
"""Seconds a search waits for another process building the index from nothing."""
BATCH = 500
"""Articles read from the library at a time."""
STEP = 20_000
"""Changes applied per commit of the index."""
WRITER_HEAP = 32_000_000
"""Bytes the index writer fills before writing a segment, catching up in a process
that does other things (the interface): tantivy takes the memory as it fills it."""
BUILD_HEAP = 64_000_000
"""The same, building the index from nothing."""
FOLLOWER_HEAP = 192_000_000
"""The same in an import's follower, a process of its own that exits once caught up:
a catching up of `STEP` articles then writes one segment, not several that tantivy
merges again (each merge rewrites what it merges)."""

class IndexBusy(Exception):
    """Another process is writing the index (an import's follower, a rebuild)."""


class _FolderLock:
    """An exclusive lock beside the index folder, held by whoever writes the index
    (catching up, building, rebuilding): a rebuild never removes files another
    process is writing. Never waits; a no-op where `fcntl` is missing."""

    def __init__(self, folder: Path | None) -> None:
        self.path = None if folder is None else Path(f"{folder}.lock")
        self._file: Any = None

    def acquire(self) -> bool:
        if self.path is None:
            return True
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on this platform
            return True
        try:
            handle = self.path.open("a+b")
        except OSError:
            return True  # a folder that cannot be written: the index is in memory then
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing releases the lock
            self._file = None


def _busy(exc: BaseException) -> bool:
    return "LockBusy" in str(exc)


def _settled(action: Callable[[], Any], attempts: int = 5) -> Any:
    """`action()`, tried again while another process's writer has just replaced the
    segments it was opening (tantivy removes merged segments' files at once)."""
    for attempt in range(attempts):
        try:
            return action()
        except ValueError as exc:
            message = str(exc)
            if attempt == attempts - 1 or ("FileDoesNotExist" not in message
                                           and "Failed to open file" not in message):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def index_path(library: str | Path) -> Path:
    """Where the index of the library at `library` lives."""
    return Path(f"{Path(library).expanduser()}-search")


# -- the index ----------------------------------------------------------------


class SearchIndex:
    """The index of one library: opened, caught up and rebuilt on demand.

    Safe to share between threads: one writes at a time (others skip their
    catching up and search what is committed), and tantivy's searchers read a
    fixed set of segments. Another process writing the index (an import)
    makes this one skip its catching up, never wait.
    """

    def __init__(self, path: Path | None, notice: Callable[[str], None] | None = None,
                 *, writer_heap: int = WRITER_HEAP) -> None:
        self.path = path
        self.notice = notice or (lambda message: None)
        self.writer_heap = writer_heap
        """Bytes of memory the index's writer may fill before it writes a segment."""
        self._index: Any = None
        self._seq = 0
        self._lock = threading.RLock()
        self._checked = False
        self._caught_up: tuple[int, int] | None = None
        """(log position, index commit stamp) when last found caught up."""

    # -- opening --------------------------------------------------------------

    def _new_index(self) -> Any:
        if self.path is None:
            index = tantivy.Index(SCHEMA)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(SCHEMA, path=str(self.path), reuse=True)
        index.register_tokenizer("reader", index_analyzer())
        index.register_tokenizer("reader_cjk", cjk_analyzer())
        return index

    def _read_meta(self, index: Any) -> tuple[int, int] | None:
        """(version, last log row applied) from the index's own document, if any."""
        _settled(index.reload)
        searcher = _settled(index.searcher)
        found = searcher.search(tantivy.Query.term_query(SCHEMA, "id", _META_ID), 1,
                                count=False).hits
        if not found:
            return None
        doc = searcher.doc(found[0][1])
        return int(doc.get_first("version") or 0), int(doc.get_first("seq") or 0)

    def health(self, conn: sqlite3.Connection) -> tuple[bool, str]:
        """(sound, one line) on the index as it is, building nothing: a missing or
        outdated index is sound (the next search rebuilds it), a damaged one is not."""
        if self.path is None:
            return True, "search index: in memory"
        if not (self.path / "meta.json").exists():
            return True, "search index: missing (the next search or `reader reindex` builds it)"
        try:
            meta = self._read_meta(_settled(self._new_index))
        except (ValueError, OSError) as exc:
            return False, f"search index: damaged ({exc}); `reader reindex` rebuilds it"
        if meta is None:
            return True, "search index: incomplete (the next search rebuilds it)"
        if meta[0] != INDEX_VERSION:
            return True, (f"search index: of another version ({meta[0]}; the next search "
                          "rebuilds it)")
        waiting = int(conn.execute("SELECT count(*) FROM search_log WHERE seq > ?",
                                   (meta[1],)).fetchone()[0])
        return True, ("search index: ok" + (f" ({waiting} changes to catch up)"
                                            if waiting else ""))

    def open(self, conn: sqlite3.Connection) -> Any:
        """The tantivy index, built first if missing, damaged or of another version
        (waiting up to `BUSY_WAIT` seconds for another process building it)."""
        if self._index is not None:
            return self._index
        if self.building is not None:
            raise IndexBusy  # being built in the background: searches find nothing meanwhile
        with self._lock:
            if self._index is not None:
                return self._index
            deadline = time.monotonic() + BUSY_WAIT
            while True:
                try:
                    self._index = self._open_or_build(conn)
                    return self._index
                except IndexBusy:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

    def needs_build(self, conn: sqlite3.Connection) -> str | None:
        """Why opening the index would build it first (`missing`, `damaged`, …), or
        None when it opens as it is (or is already open). Builds nothing."""
        if self._index is not None:
            return None
        if self.path is None or not (self.path / "meta.json").exists():
            return "missing"
        try:
            meta = self._read_meta(_settled(self._new_index))
        except (ValueError, OSError):
            return "damaged"
        if meta is None:
            return "incomplete"
        if meta[0] != INDEX_VERSION:
            return f"of another version ({meta[0]})"
        return None

    building: threading.Thread | None = None
    """The thread building the index in the background, while it runs."""

    def build_in_background(self, connect: Callable[[], sqlite3.Connection],
                            progress: Callable[[int, int], None] | None = None,
                            done: Callable[[BaseException | None], None] | None = None,
                            ) -> threading.Thread | None:
        """Open the index in a thread of its own, building it first when it must be
        (`needs_build`), so that an interface never waits for it: meanwhile `open`
        raises `IndexBusy` at once (a search finds nothing and says why). `connect`
        gives the thread its own connection to the library; `progress(done, total)`
        is called as articles are indexed, `done(error)` at the end (None: ready).
        Returns the thread, or None when nothing needs building."""
        probe = connect()
        try:
            reason = self.needs_build(probe)
            total = int(probe.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            probe.close()
        if reason is None:
            return None

        def run() -> None:
            error: BaseException | None = None
            conn = connect()
            try:
                with self._lock:
                    self._index = self._build(
                        conn, progress=(lambda n: progress(n, total)) if progress else None,
                        reason=f"{reason}): {total} articles", empty=False)
                    self._caught_up = None
            except BaseException as exc:  # reported, never raised in a thread
                error = exc
            finally:
                conn.close()
                self.building = None
            if done is not None:
                done(error)

        # The thread is returned from a local: a quick build may have set `building`
        # back to None before this returns.
        thread = threading.Thread(target=run, name="search-index-build", daemon=True)
        self.building = thread
        thread.start()
        return thread

    def _open_or_build(self, conn: sqlite3.Connection) -> Any:
        reason = None
        if self.path is None or not (self.path / "meta.json").exists():
            reason = "missing" if self.path is not None else None
        else:
            try:
                index = _settled(self._new_index)
                meta = self._read_meta(index)
                if meta is None:
                    reason = "incomplete"
                elif meta[0] != INDEX_VERSION:
                    reason = f"of another version ({meta[0]})"
                else:
                    self._seq = meta[1]
                    return index
            except (ValueError, OSError):
                reason = "damaged"
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if reason == "missing" and self._whole_log(conn, articles):
            return self._build(conn, empty=True)  # caught up from the log, quietly
        return self._build(conn, reason=f"{reason}): {articles} articles" if reason else None)

    @staticmethod
    def _whole_log(conn: sqlite3.Connection, articles: int) -> bool:
        """Whether the change log still holds every change since the library began."""
        if articles == 0:
            return True
        first = conn.execute("SELECT min(seq) FROM search_log").fetchone()[0]
        return first == 1 and articles <= STEP

    def _build(self, conn: sqlite3.Connection, *, empty: bool = False,
               progress: Callable[[int], None] | None = None,
               reason: str | None = None) -> Any:
        """A new index: of every article in the library, or `empty` (log position 0,
        to be caught up from the log). Raises `IndexBusy` while another process
        writes the index. `reason` is told (`Rebuilding the search index (…`)."""
        lock = _FolderLock(self.path)
        if not lock.acquire():
            raise IndexBusy
        if reason:
            self.notice(f"Rebuilding the search index ({reason}.")
        try:
            if self.path is not None and self.path.exists():
                shutil.rmtree(self.path, ignore_errors=True)
            try:
                index = self._new_index()
            except (ValueError, OSError):
                # A folder that cannot be written (a read-only library): in memory.
                self.path = None
                index = self._new_index()
            try:
                writer = index.writer(max(BUILD_HEAP, self.writer_heap), 1)
            except ValueError as exc:
                if _busy(exc):
                    raise IndexBusy from None
                raise
            seq = 0
            if not empty:
                conn.execute("BEGIN")  # one snapshot: the log position and its articles
                try:
                    seq = log_position(conn)
                    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
                    for start in range(0, len(ids), BATCH):
                        for row in read_rows(conn, ids[start:start + BATCH]):
                            writer.add_document(row.document())
                        if progress:
                            progress(min(len(ids), start + BATCH))
                finally:
                    conn.execute("COMMIT")
            writer.add_document(self._meta(seq))
            writer.commit()
            writer.wait_merging_threads()
            del writer
        finally:
            lock.release()
        _settled(index.reload)
        self._seq = seq
        return index

    @staticmethod
    def _meta(seq: int) -> Any:
        doc = tantivy.Document()
        doc.add_unsigned("id", _META_ID)
        doc.add_unsigned("seq", seq)
        doc.add_unsigned("version", INDEX_VERSION)
        return doc

    def rebuild(self, conn: sqlite3.Connection,
                progress: Callable[[int], None] | None = None) -> int:
        """Rebuild from the library (`reader reindex`); how many articles it holds."""
        with self._lock:
            self._index = None
            self._caught_up = None
            self._index = self._build(conn, progress=progress)
            self._checked = True
            return int(self._index.searcher().num_docs) - 1

    # -- catching up ----------------------------------------------------------

    def pending(self, conn: sqlite3.Connection) -> int:
        """How many changes the index has yet to apply."""
        return int(conn.execute("SELECT count(*) FROM search_log WHERE seq > ?",
                                (self._seq,)).fetchone()[0])

    def sync(self, conn: sqlite3.Connection, *, wait: bool = True) -> bool:
        """Apply the library's changes the index has not seen; False if another
        thread or process is writing the index (it will catch up instead)."""
        index = self.open(conn)
        if not self._lock.acquire(blocking=wait):
            return False
        try:
            if self._checked and self._unchanged(conn):
                return True  # neither the library's log nor the index moved since
            # Another process may have moved the index on (an import's follower):
            # what it holds is what its own document says.
            meta = self._read_meta(index)
            if meta is not None and meta[0] == INDEX_VERSION:
                self._seq = meta[1]
            changes = conn.execute(
                "SELECT seq, article_id FROM search_log WHERE seq > ? ORDER BY seq LIMIT ?",
                (self._seq, STEP)).fetchall()
            if not changes:
                self._check(conn, index)
                if not conn.in_transaction and log_position(conn) == self._seq:
                    self._caught_up = (self._seq, self._stamp())
                return True
            lock = _FolderLock(self.path)
            if not lock.acquire():
                return False  # another process is writing the index
            try:
                writer = index.writer(self.writer_heap, 1)
            except ValueError as exc:
                lock.release()
                if _busy(exc):
                    return False
                raise
            try:
                last = changes[-1][0]
                ids = list(dict.fromkeys(c[1] for c in changes))
                top = self._top_id(index)
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start:start + BATCH]
                    for article_id in chunk:
                        if article_id <= top:  # a new article has nothing to replace
                            # By a query: a term given as a Python int is not the
                            # field's unsigned term, and would delete nothing.
                            writer.delete_documents_by_query(
                                Q.term_query(SCHEMA, "id", article_id))
                    for row in read_rows(conn, chunk):
                        writer.add_document(row.document())
                writer.delete_documents_by_query(Q.term_query(SCHEMA, "id", _META_ID))
                writer.add_document(self._meta(last))
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                with contextlib.suppress(Exception):
                    writer.rollback()
                raise
            finally:
                del writer
                lock.release()
            _settled(index.reload)
            self._seq = last
            self._check(conn, index)
            return True
        finally:
            self._lock.release()

    @staticmethod
    def _top_id(index: Any) -> int:
        """The highest article id the index holds (its last commit; 0 when none): a
        change to an article above it, the import of a new one, adds a document
        without first deleting one (deletes are applied at the commit, against every
        segment: a third of an article's indexing when each one has one)."""
        _settled(index.reload)  # read under the lock: no other writer can add one since
        hits = _settled(index.searcher).search(Q.all_query(), 1, count=False,
                                               order_by_field="id").hits
        return int(hits[0][0]) if hits else 0

    def _stamp(self) -> int:
        """When the index last committed (its `meta.json`; 0 in memory or missing)."""
        if self.path is None:
            return 0
        try:
            return (self.path / "meta.json").stat().st_mtime_ns
        except OSError:
            return 0

    def _unchanged(self, conn: sqlite3.Connection) -> bool:
        """Whether the index is as last caught up: no change logged since, no commit
        by another process (a quick look, instead of reading the index's own document)."""
        stamp = (log_position(conn), self._stamp())
        if stamp == self._caught_up:
            return True
        self._caught_up = None
        return False

    def _check(self, conn: sqlite3.Connection, index: Any) -> None:
        """Once per opening: an index holding another number of articles than the
        library (another library's, or a lost log) is rebuilt."""
        if self._checked or conn.in_transaction:
            return
        conn.execute("BEGIN")  # the count and the log position of one snapshot
        try:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            position = log_position(conn)
        finally:
            conn.execute("COMMIT")
        if position != self._seq:
            return  # the library moved on since: checked at the next catching up
        self._checked = True
        if _settled(index.searcher).num_docs - 1 != articles:
            with contextlib.suppress(IndexBusy):
                self._index = self._build(
                    conn, reason=f"it does not match the library): {articles} articles")

    def catch_up(self, conn: sqlite3.Connection) -> bool:
        """`sync` until nothing is left (False if another writer holds the index)."""
        while True:
            if not self.sync(conn):
                return False
            if not self.pending(conn):
                return True

    def prune(self, conn: sqlite3.Connection) -> None:
        """Forget changes the index has applied (a short write; skipped when busy)."""
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("DELETE FROM search_log WHERE seq <= ?", (self._seq,))

    def searcher(self, conn: sqlite3.Connection) -> Any:
        return _settled(self.open(conn).searcher)


__all__ = [
    "BATCH", "BUILD_HEAP", "BUSY_WAIT", "EXPANSIONS", "FOLLOWER_HEAP", "INDEX_VERSION",
    "LONG_QUERY", "MAX_CLAUSES", "MAX_PREFIX", "MUST", "MUST_NOT", "PAGE", "RELAX_SHARE",
    "SCHEMA", "SHOULD", "STEP", "STOPWORDS", "TIE_LIMIT", "TITLE_BOOST", "TITLE_REPEAT",
    "WRITER_HEAP", "Found", "IndexBusy", "Plan", "Q", "Row", "SearchIndex",
    "analyze", "count", "date_number", "filter_query", "index_path",
    "log_position", "plan", "ranked", "read_rows", "related_query", "term_query",
    "view_queries",
]
