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
"""

from __future__ import annotations

import contextlib
import math
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from reader import search
from reader.analysis import (
    STOPWORDS,
    analyze,
    cjk_analyzer,
    cjk_words,
    fold_words,
    index_analyzer,
)
from reader.plaintext import plain_text

INDEX_VERSION = 3
"""Bump when the schema or the analysis changes: an index of another version is rebuilt."""

PAGE = 50
"""A query whose words all match fewer articles than this is relaxed (see `plan`)."""
TITLE_BOOST = 0.0
"""The title's own BM25 on top of the whole text's (0: none; see `TITLE_REPEAT`)."""
TITLE_REPEAT = 2
"""Times the title is written into the whole text: its words count that much more."""
MAX_CLAUSES = 64
"""Words beyond this many in one query are ignored (a pasted page still searches)."""
RELAX_SHARE = 0.1
"""Share of a long query's words an article must hold (stopwords aside)."""
LONG_QUERY = 5
"""From this many words (stopwords aside), a sentence or a question: articles holding a
share of its words (`RELAX_SHARE`) are ranked together, not those holding all first."""
EXPANSIONS = 16
"""A prefix's commonest words scored by BM25 (see `_prefix_query`)."""
MAX_PREFIX = 24
"""A longer prefix is searched as a whole word (its automaton would be too large)."""
BUSY_WAIT = 60.0
"""Seconds a search waits for another process building the index from nothing."""
TIE_LIMIT = 20_000
"""At most this many results are fetched to order one score's ties by date."""
BATCH = 500
"""Articles read from the library at a time."""
STEP = 20_000
"""Changes applied per commit of the index."""


Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot

_META_ID = 0
"""The id of the document holding the index's version and the last log row applied."""


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


# -- the schema ---------------------------------------------------------------


def _schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    b.add_text_field("all", tokenizer_name="reader")
    b.add_text_field("title", tokenizer_name="reader")
    b.add_text_field("cjk", tokenizer_name="reader_cjk")
    b.add_text_field("title_cjk", tokenizer_name="reader_cjk")
    b.add_bytes_field("plain", stored=True, indexed=False)
    b.add_bytes_field("info", stored=True, indexed=False)
    b.add_text_field("tag", tokenizer_name="raw", index_option="basic")
    b.add_text_field("source", tokenizer_name="raw", index_option="basic")
    b.add_integer_field("date", indexed=True, fast=True)
    b.add_integer_field("order", fast=True)
    b.add_unsigned_field("read", indexed=True)
    b.add_unsigned_field("starred", indexed=True)
    b.add_unsigned_field("annotated", indexed=True)
    b.add_unsigned_field("noted", indexed=True)
    b.add_unsigned_field("seq", stored=True)
    b.add_unsigned_field("version", stored=True)
    return b.build()


SCHEMA = _schema()


def date_number(date: str | None) -> int:
    """`2019-02-12…` → 20190212 (`2019-02` → 20190200); -1 without a date."""
    if not date:
        return -1
    digits = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if not digits:
        return -1
    return int(digits.group(1)) * 10000 + int(digits.group(2) or 0) * 100 + int(
        digits.group(3) or 0)


def _order(date: int, article_id: int) -> int:
    """One number sorting as the article list does: date, newest first, then id."""
    return ((date + 1) << 32) | (article_id & 0xFFFFFFFF)


@dataclass(frozen=True, slots=True)
class Row:
    """What the index holds of one article, as read from the library."""

    id: int
    title: str
    body: str
    tags_text: str
    notes_text: str
    date: str | None
    source: str | None
    read: int
    starred: int
    annotated: int
    noted: int
    tags: tuple[str, ...]

    def document(self) -> Any:
        title = search.normalize(self.title)
        shown = plain_text(self.body)
        plain = search.normalize(shown)
        doc = tantivy.Document()
        doc.add_unsigned("id", self.id)
        for _ in range(TITLE_REPEAT):
            doc.add_text("all", title)
        doc.add_text("all", plain)
        if self.tags_text:
            doc.add_text("all", search.normalize(self.tags_text))
        if self.notes_text:
            doc.add_text("all", search.normalize(self.notes_text))
        doc.add_text("title", title)
        if not self.title.isascii() or not self.body.isascii():
            doc.add_text("cjk", cjk_words(title + "\n" + plain))
            doc.add_text("title_cjk", cjk_words(title))
        doc.add_bytes("plain", shown.encode("utf-8", "surrogatepass"))
        doc.add_bytes("info", search.text_info(shown).encode("utf-8"))
        for tag in self.tags:
            doc.add_text("tag", tag.casefold())
        if self.source:
            doc.add_text("source", self.source.casefold())
        date = date_number(self.date)
        doc.add_integer("date", date)
        doc.add_integer("order", _order(date, self.id))
        doc.add_unsigned("read", int(self.read))
        doc.add_unsigned("starred", int(self.starred))
        doc.add_unsigned("annotated", int(self.annotated))
        doc.add_unsigned("noted", int(self.noted))
        return doc


_ROWS = (
    "SELECT a.id, a.title, a.body, a.tags_text, a.notes_text, a.date, a.source, a.read,"
    " a.starred, EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id),"
    " EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND n.note != '')"
    " FROM articles a WHERE a.id IN ({marks})"
)


def read_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Row]:
    """The indexed form of these articles (those that still exist)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    tags: dict[int, list[str]] = {}
    for article_id, name in conn.execute(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            f" WHERE at.article_id IN ({marks})", list(ids)):
        tags.setdefault(article_id, []).append(name)
    return [Row(*r, tags=tuple(tags.get(r[0], ())))  # type: ignore[misc]
            for r in conn.execute(_ROWS.format(marks=marks), list(ids))]


def log_position(conn: sqlite3.Connection) -> int:
    """The number of the last change written to the library's change log."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_log'").fetchone()
    return int(row[0]) if row else 0


# -- the index ----------------------------------------------------------------


class SearchIndex:
    """The index of one library: opened, caught up and rebuilt on demand.

    Safe to share between threads: one writes at a time (others skip their
    catching up and search what is committed), and tantivy's searchers read a
    fixed set of segments. Another process writing the index (an import)
    makes this one skip its catching up, never wait.
    """

    def __init__(self, path: Path | None, notice: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.notice = notice or (lambda message: None)
        self._index: Any = None
        self._seq = 0
        self._lock = threading.RLock()
        self._checked = False

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
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if reason == "missing" and self._whole_log(conn, count):
            return self._build(conn, empty=True)  # caught up from the log, quietly
        return self._build(conn, reason=f"{reason}): {count} articles" if reason else None)

    @staticmethod
    def _whole_log(conn: sqlite3.Connection, count: int) -> bool:
        """Whether the change log still holds every change since the library began."""
        if count == 0:
            return True
        first = conn.execute("SELECT min(seq) FROM search_log").fetchone()[0]
        return first == 1 and count <= STEP

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
                writer = index.writer(64_000_000, 1)
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
                return True
            lock = _FolderLock(self.path)
            if not lock.acquire():
                return False  # another process is writing the index
            try:
                writer = index.writer(32_000_000, 1)
            except ValueError as exc:
                lock.release()
                if _busy(exc):
                    return False
                raise
            try:
                last = changes[-1][0]
                ids = list(dict.fromkeys(c[1] for c in changes))
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start:start + BATCH]
                    for article_id in chunk:
                        writer.delete_documents_by_query(Q.term_query(SCHEMA, "id", article_id))
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

    def _check(self, conn: sqlite3.Connection, index: Any) -> None:
        """Once per opening: an index holding another number of articles than the
        library (another library's, or a lost log) is rebuilt."""
        if self._checked or conn.in_transaction:
            return
        conn.execute("BEGIN")  # the count and the log position of one snapshot
        try:
            count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            position = log_position(conn)
        finally:
            conn.execute("COMMIT")
        if position != self._seq:
            return  # the library moved on since: checked at the next catching up
        self._checked = True
        if _settled(index.searcher).num_docs - 1 != count:
            with contextlib.suppress(IndexBusy):
                self._index = self._build(
                    conn, reason=f"it does not match the library): {count} articles")

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


# -- queries ------------------------------------------------------------------



def _boolean(clauses: Iterable[tuple[Any, Any]], minimum: int | None = None) -> Any:
    items = list(clauses)
    if minimum is not None and minimum > 1:
        return Q.boolean_query(items, minimum)
    return Q.boolean_query(items)


def _words_query(field: str, words: list[str]) -> Any:
    if len(words) == 1:
        return Q.term_query(SCHEMA, field, words[0])
    phrase: list[str | tuple[int, str]] = list(words)
    return Q.phrase_query(SCHEMA, field, phrase)


def _escape(text: str) -> str:
    return re.sub(r"([\\.+*?()|\[\]{}^$#&\-~])", r"\\\1", text)


def _prefix_query(searcher: Any, field: str, prefix: str) -> Any:
    """Words starting with `prefix`: every one matches; the commonest are also
    scored by BM25 (a match by a rare one alone scores a constant 1)."""
    every = Q.regex_query(SCHEMA, field, _escape(prefix) + ".*")
    if searcher is None or len(prefix) < 3:
        return every
    common = [t for t, _ in searcher.terms_with_prefix(field, prefix, limit=EXPANSIONS)]
    if not common:
        return every
    return _boolean([(SHOULD, every), *((SHOULD, Q.term_query(SCHEMA, field, t))
                                         for t in common)])


def term_query(term: search.Term, searcher: Any = None) -> Any | None:
    """A tantivy query for one term of the query language (None: nothing to find)."""
    parts: list[Any] = []
    segments = term.segments()
    for i, (is_cjk, text) in enumerate(segments):
        last = i == len(segments) - 1
        if is_cjk:
            field = "title_cjk" if term.title_only else "cjk"
            if len(text) == 1:
                parts.append(Q.regex_query(SCHEMA, field, _escape(text) + ".*"))
            else:
                parts.append(_words_query(field, search.cjk_bigrams(text)[:-1]))
            continue
        words = analyze(text)
        if not words:
            continue
        prefix = None
        if last and term.kind in ("prefix", "partial"):
            folded = fold_words(text)
            if folded and len(folded[-1]) <= MAX_PREFIX:
                prefix = folded[-1]
        field = "title" if term.title_only else "all"
        options: list[Any] = []
        if not (last and term.kind == "prefix") or prefix is None:
            options.append(_words_query(field, words))
        if prefix is not None:
            if len(words) == 1:
                options.append(_prefix_query(searcher, field, prefix))
            else:
                start: list[str | tuple[int, str]] = [*words[:-1], prefix]
                options.append(Q.phrase_prefix_query(SCHEMA, field, start))
        match = options[0] if len(options) == 1 else _boolean((SHOULD, o) for o in options)
        if TITLE_BOOST and not term.title_only and not (
                last and term.kind == "prefix" and prefix is not None):
            # The title's own BM25 adds to the whole text's (which holds the title too).
            bonus = Q.boost_query(_words_query("title", words), TITLE_BOOST)
            match = _boolean([(MUST, match), (SHOULD, bonus)])
        parts.append(match)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _boolean((MUST, p) for p in parts)


def filter_query(f: search.Filter, conn: sqlite3.Connection) -> Any:
    """A tantivy query for one filter (never None: a filter matching nothing is empty)."""
    if f.name == "tag":
        if f.value.endswith("*"):
            return Q.regex_query(SCHEMA, "tag", _escape(f.value[:-1].casefold()) + ".*")
        return Q.term_query(SCHEMA, "tag", f.value.casefold())
    if f.name == "source":
        # Part of the source's name, any case: a walk of the few distinct sources.
        return Q.regex_query(SCHEMA, "source", ".*" + _escape(f.value.casefold()) + ".*")
    if f.name in ("before", "after"):
        number = date_number(f.value)
        if f.name == "before":
            return Q.range_query(SCHEMA, "date", tantivy.FieldType.Integer, 0, number,
                                 include_upper=False)
        return Q.range_query(SCHEMA, "date", tantivy.FieldType.Integer, number, None)
    if f.name == "is":
        field, value = {"unread": ("read", 0), "read": ("read", 1),
                        "starred": ("starred", 1), "unstarred": ("starred", 0)}[f.value]
        return Q.term_query(SCHEMA, field, value)
    return Q.term_query(SCHEMA, "noted" if f.value == "notes" else "annotated", 1)


def view_queries(view: str, tag: str | None) -> list[Any]:
    """The article list's view and tag as filters."""
    out = []
    if view == "unread":
        out.append(Q.term_query(SCHEMA, "read", 0))
    elif view == "starred":
        out.append(Q.term_query(SCHEMA, "starred", 1))
    elif view == "annotated":
        out.append(Q.term_query(SCHEMA, "annotated", 1))
    if tag is not None:
        out.append(Q.term_query(SCHEMA, "tag", tag.casefold()))
    return out


def _atom_query(atom: search.Atom, conn: sqlite3.Connection, searcher: Any) -> Any | None:
    if isinstance(atom, search.Filter):
        return filter_query(atom, conn)
    return term_query(atom, searcher)


def _clause_query(clause: search.Clause, conn: sqlite3.Connection,
                  searcher: Any) -> Any | None:
    parts = [q for q in (_atom_query(a, conn, searcher) for a in clause.atoms)
             if q is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _boolean((SHOULD, p) for p in parts)


def _is_stopword(clause: search.Clause) -> bool:
    return (len(clause.atoms) == 1 and isinstance(clause.atoms[0], search.Term)
            and clause.atoms[0].kind == "word" and clause.atoms[0].text in STOPWORDS)


def _loose_words(clause: search.Clause) -> list[str]:
    """The index words of a clause that is one plain word analysed into several."""
    if len(clause.atoms) != 1 or clause.negated:
        return []
    term = clause.atoms[0]
    if not isinstance(term, search.Term) or term.kind != "word" or term.title_only:
        return []
    segments = term.segments()
    if len(segments) != 1 or segments[0][0]:
        return []
    words = analyze(segments[0][1])
    return words if len(words) > 1 else []


def _word_query(word: str) -> Any:
    """One index word in the whole text (the title's BM25 added, if boosted)."""
    if not TITLE_BOOST:
        return Q.term_query(SCHEMA, "all", word)
    return _boolean([(MUST, Q.term_query(SCHEMA, "all", word)),
                     (SHOULD, Q.boost_query(Q.term_query(SCHEMA, "title", word), TITLE_BOOST))])


@dataclass
class Plan:
    """A parsed query as tantivy queries, with the filters and exclusions: `tiers`,
    each finding what the one before it finds and more (see `ranked`); `ranked`
    when the query has words to find (else newest first)."""

    tiers: list[Any]
    ranked: bool


def plan(q: search.Query, conn: sqlite3.Connection, view: str = "all",
         tag: str | None = None, searcher: Any = None) -> Plan | None:
    """How to run a query; None when it can find nothing. One- and two-letter
    prefixes alone (`t*`, or `t` typed) match most of the library: relevance
    means little there, they list newest first."""
    filters: list[Any] = view_queries(view, tag)
    negative: list[Any] = []
    words: list[tuple[search.Clause, Any]] = []
    seen: set[search.Clause] = set()
    for clause in q.clauses:
        if clause in seen:
            continue
        seen.add(clause)
        if clause.textual and not clause.negated and len(words) >= MAX_CLAUSES:
            continue
        query = _clause_query(clause, conn, searcher)
        if query is None:
            continue
        if clause.negated:
            negative.append(query)
        elif clause.textual:
            if len(words) < MAX_CLAUSES:
                words.append((clause, query))
        else:
            filters.append(query)
    base = [(MUST, f) for f in filters] + [(MUST_NOT, n) for n in negative]
    if not words:
        if not filters and not negative:
            return None
        # Everything (but the index's own document), narrowed.
        return Plan([_boolean([(MUST, Q.all_query()), *base,
                               (MUST_NOT, Q.term_query(SCHEMA, "id", _META_ID))])], False)
    strict = _boolean([*((MUST, w) for _, w in words), *base])
    if q.broad:
        return Plan([strict], False)
    # Relaxed, a word written with a hyphen or an apostrophe (`covid-19`, `don't`)
    # counts as its words, each optional like the others.
    loose: list[tuple[bool, Any]] = []  # (is a stopword, query)
    for clause, query in words:
        parts = _loose_words(clause)
        if parts:
            loose.extend((w in STOPWORDS, _word_query(w)) for w in parts)
        else:
            loose.append((_is_stopword(clause), query))
    content = [w for is_stop, w in loose if not is_stop]
    stop = [w for is_stop, w in loose if is_stop]
    if not content:
        content, stop = stop, []
    if len(loose) == 1:
        return Plan([strict], True)

    def relaxed(minimum: int) -> Any:
        # Function words add nothing here (rare in no article, they barely score):
        # left out, the words alone are a plain disjunction of terms, which tantivy
        # answers by block-max WAND, visiting only what can reach the top.
        inner = content[0] if len(content) == 1 else _boolean(
            ((SHOULD, w) for w in content), minimum)
        return _boolean([(MUST, inner), *base]) if base else inner

    if len(content) < LONG_QUERY:
        return Plan([strict, relaxed(1)], True)
    minimum = max(1, math.ceil(RELAX_SHARE * len(content)))
    return Plan([relaxed(minimum), relaxed(1)] if minimum > 1 else [relaxed(1)], True)


# -- related ------------------------------------------------------------------


def related_query(searcher: Any, row: Row, terms: int = 25) -> Any | None:
    """More like this: the article's most telling words (tf-idf), any of them."""
    words = analyze(row.title) * 3 + analyze(plain_text(row.body))
    if not words:
        return None
    counts: dict[str, int] = {}
    for w in words:
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
            counts[w] = counts.get(w, 0) + 1
    total = max(1, int(searcher.num_docs))
    weighted = []
    for word, tf in counts.items():
        df = searcher.doc_freq("all", word)
        if df <= 1 or df > total * 0.5:
            continue
        weighted.append((tf * math.log(total / df), word))
    weighted.sort(reverse=True)
    chosen = weighted[:terms]
    if not chosen:
        return None
    top = chosen[0][0]
    return _boolean([
        *((SHOULD, Q.boost_query(Q.term_query(SCHEMA, "all", w), max(0.1, s / top)))
          for s, w in chosen),
        (MUST_NOT, Q.term_query(SCHEMA, "id", row.id)),
        (MUST_NOT, Q.term_query(SCHEMA, "id", _META_ID)),
    ])


# -- running a plan -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    """One result: the article, its score (0 when unranked) and where tantivy keeps it."""

    id: int
    score: float
    address: Any


def _top(searcher: Any, query: Any, limit: int) -> list[Found]:
    """The best `limit` matches by score, equal scores newest first (as the list).

    Exactly that order whatever `limit`, so that pages are slices of one order:
    when articles of the same score straddle the cut, all of them are fetched
    and ordered by date.
    """
    if limit <= 0:
        return []
    want = limit + 20
    while True:
        hits = searcher.search(query, want, count=False).hits
        if len(hits) < want or len(hits) <= limit or hits[-1][0] < hits[limit - 1][0] \
                or want >= TIE_LIMIT:
            break
        want *= 4
    if not hits:
        return []
    addresses = [a for _, a in hits]
    ids = searcher.fast_field_values("id", addresses)
    order = searcher.fast_field_values("order", addresses)
    found = sorted(zip(hits, ids, order, strict=True), key=lambda h: (-h[0][0], -(h[2] or 0)))
    return [Found(int(i), float(score), a) for (score, a), i, _ in found][:limit]


def _newest(searcher: Any, query: Any, limit: int, offset: int) -> list[Found]:
    if limit <= 0:
        return []
    hits = searcher.search(query, limit, count=False, order_by_field="order",
                           offset=offset).hits
    ids = searcher.fast_field_values("id", [a for _, a in hits])
    return [Found(int(i), 0.0, a) for (_, a), i in zip(hits, ids, strict=True)]


def _tiers(searcher: Any, p: Plan) -> tuple[list[list[Found]], Any]:
    """The results of the tiers finding fewer than a page, and the first tier that
    finds a page or more (or the last)."""
    small: list[list[Found]] = []
    for tier in p.tiers[:-1]:
        found = _top(searcher, tier, PAGE)
        if len(found) >= PAGE:
            return small, tier
        small.append(found)
    return small, p.tiers[-1]


def ranked(searcher: Any, p: Plan, limit: int, offset: int) -> list[Found]:
    """One page of results, best first.

    A few words: those holding every one (AND), by BM25. When they are fewer
    than a page (`PAGE`), those holding any word follow, by BM25 (which counts
    each word found, rarer words more). A long query (`LONG_QUERY` words,
    stopwords aside) finds the articles holding a share of its words
    (`RELAX_SHARE`), or any of them when that is less than a page, by BM25.
    Stopwords add to the score but never make an article a match alone.
    """
    need = limit + offset
    if not p.ranked:
        return _newest(searcher, p.tiers[0], limit, offset)
    small, final = _tiers(searcher, p)
    out: list[Found] = []
    seen: set[int] = set()
    for found in small:
        for f in found:
            if f.id not in seen:
                seen.add(f.id)
                out.append(f)
    if len(out) < need:
        out.extend(f for f in _top(searcher, final, need + len(seen)) if f.id not in seen)
    return out[offset:need]


def count(searcher: Any, p: Plan) -> int:
    """How many articles `ranked` pages through in all."""
    if not p.ranked:
        return int(searcher.search(p.tiers[0], 1, count=True).count)
    _, final = _tiers(searcher, p)
    return int(searcher.search(final, 1, count=True).count)


# -- following an import ----------------------------------------------------------


def follow(library: str, parent: int | None = None, poll: float = 0.5) -> None:
    """Catch the index of `library` up until nothing is left and the process that
    started this one (`parent`, given by it: one killed before this process could
    ask would leave it waiting forever) has finished (it may still be importing)."""
    import os

    if parent is None:
        parent = os.getppid()
    try:
        conn = sqlite3.connect(f"file:{library}?mode=rw", uri=True, timeout=0.5,
                               isolation_level=None)
    except sqlite3.Error:
        return
    index = SearchIndex(index_path(library))
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
                index.prune(conn)
                return
            if idle:
                time.sleep(poll)
    finally:
        conn.close()


class Follower:
    """Keeps a library's search index caught up from a process of its own, started
    by an import: indexing never runs inside the import's transactions, competes
    with it for the interpreter, nor holds up its end (the process finishes
    catching up after the import returns, then stops). One that dies loses
    nothing: the log is in the library, and the next search catches up from the
    index's last commit."""

    def __init__(self, library: str) -> None:
        import os
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader.index", str(library), str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the index to have caught up (benchmarks, tests)."""
        self.process.wait(timeout)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[2].isdigit():
        follow(sys.argv[1], int(sys.argv[2]))
    elif len(sys.argv) == 2:
        follow(sys.argv[1])
