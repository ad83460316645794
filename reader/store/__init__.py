"""The library: one SQLite file. The only module that talks SQL.

Articles are identified by a hash of their normalised content, so the same
article arriving from two files is stored once with both provenances and its
tags merged; one body under different titles or URLs is different articles
(`Store._identify`). The FTS5 index is kept in sync: new rows are indexed by the
store itself (an FTS5 insert inside a trigger flushes the index at every
statement, which made imports three times slower), updates and deletes by
triggers on the indexed columns only, so reading state (read, starred,
position) never touches the index. Every import of a file is one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.models import (
    Anchor,
    Annotation,
    AnnotationEntry,
    Article,
    ArticleSummary,
    LibraryStats,
    ParsedArticle,
    Provenance,
    SearchHit,
    Tag,
)

if TYPE_CHECKING:
    from reader.index import SearchIndex
    from reader.search import Query

# The search, cleaning and anchoring modules are imported where they are used:
# the interface opens the store before its first frame and needs none of them
# to show it (they cost ≈ 16 ms of start-up).

VIEWS = ("all", "unread", "starred", "annotated")
GROWING_FORMATS = ("kindle",)
"""Formats whose articles grow between exports (a book's clippings): a newer file
updates the article of the same title and author, from whichever file it came."""
SORTS = ("date", "title")


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


# The search index follows deletes and edits of indexed columns (inserts are
# written by `Store._index`, with the extra columns computed in Python).
_FTS_TRIGGERS = """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, tags_text, notes_text,
                                  title_extra, body_extra)
        VALUES ('delete', old.id, old.title, old.body, old.tags_text, old.notes_text,
                old.title_extra, old.body_extra);
    END;
    CREATE TRIGGER articles_fts_update
    AFTER UPDATE OF title, body, tags_text, notes_text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, tags_text, notes_text,
                                  title_extra, body_extra)
        VALUES ('delete', old.id, old.title, old.body, old.tags_text, old.notes_text,
                old.title_extra, old.body_extra);
        INSERT INTO articles_fts (rowid, title, body, tags_text, notes_text, title_extra,
                                  body_extra)
        VALUES (new.id, new.title, new.body, new.tags_text, new.notes_text, new.title_extra,
                new.body_extra);
    END;
"""

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        date TEXT,
        source TEXT,
        url TEXT,
        author TEXT,
        tags_text TEXT NOT NULL DEFAULT '',
        notes_text TEXT NOT NULL DEFAULT '',
        words INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        position REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_by_date ON articles (date DESC, id DESC);
    CREATE INDEX articles_by_title ON articles (title COLLATE NOCASE, id);

    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE article_tags (
        tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (tag_id, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_tags_by_article ON article_tags (article_id, tag_id);

    CREATE TABLE provenance (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        UNIQUE (article_id, path, start_line, end_line)
    );
    CREATE INDEX provenance_by_path ON provenance (path);

    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        quote TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        start INTEGER,
        end INTEGER,
        note TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL DEFAULT 'yellow',
        anchored_by TEXT NOT NULL DEFAULT 'exact',
        orphan INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX annotations_by_article ON annotations (article_id);

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, tags_text, notes_text,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, tags_text, notes_text)
        VALUES ('delete', old.id, old.title, old.body, old.tags_text, old.notes_text);
    END;
    CREATE TRIGGER articles_fts_update
    AFTER UPDATE OF title, body, tags_text, notes_text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, tags_text, notes_text)
        VALUES ('delete', old.id, old.title, old.body, old.tags_text, old.notes_text);
        INSERT INTO articles_fts (rowid, title, body, tags_text, notes_text)
        VALUES (new.id, new.title, new.body, new.tags_text, new.notes_text);
    END;
    """,
    # Search (reader.search): porter stemming over unicode61, and an extra column
    # each for title and body holding CJK bigrams and NFKC/zero-width-normalised
    # word forms (empty for ASCII text). The extras are derived from title and
    # body by `Store._index` / `Store._reindex_extra`, not by the triggers, so an
    # UPDATE of the extras alone never fires them. Prefix indexes for one and two
    # characters: `t*` typed in the search box would otherwise merge the doclists
    # of thousands of terms, for the ranking and again for each snippet.
    2: """
    DROP TRIGGER IF EXISTS articles_fts_delete;
    DROP TRIGGER IF EXISTS articles_fts_update;
    DROP TABLE IF EXISTS articles_fts;
    ALTER TABLE articles ADD COLUMN title_extra TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN body_extra TEXT NOT NULL DEFAULT '';
    UPDATE articles SET title_extra = reader_index_extra(title),
        body_extra = reader_index_extra(body)
    WHERE NOT reader_is_ascii(title) OR NOT reader_is_ascii(body);
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, tags_text, notes_text, title_extra, body_extra,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """ + _FTS_TRIGGERS + """
    """,
    # Annotations: the library-wide list is newest first; the orphan review asks
    # for orphans only.
    3: """
    CREATE INDEX IF NOT EXISTS annotations_by_created ON annotations (created_at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS annotations_orphans ON annotations (article_id) WHERE orphan = 1;
    """,
    # Read-it-later imports: links saved without their text (Pocket, Instapaper)
    # are stubs, identified by their URL; a full copy of the same URL fills the
    # stub in, a stub of a stored article merges into it.
    4: """
    ALTER TABLE articles ADD COLUMN stub INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX IF NOT EXISTS articles_by_url ON articles (url) WHERE url IS NOT NULL;
    """,
    # The body last: SQLite keeps a row's first bytes on its b-tree page and the
    # rest in overflow pages, so with the body fourth every read of a date, a
    # read flag or a source (the article list, filters, search results) walked
    # the body's overflow chain. Same ids, so the search index stays valid.
    # What lists and filters ask (date, read, starred, source) is also kept in
    # two narrow indexes: in list order, and by id for search candidates.
    5: """
    DROP TRIGGER IF EXISTS articles_fts_delete;
    DROP TRIGGER IF EXISTS articles_fts_update;
    CREATE TABLE articles_new (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        date TEXT,
        source TEXT,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        stub INTEGER NOT NULL DEFAULT 0,
        words INTEGER NOT NULL DEFAULT 0,
        position REAL NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        url TEXT,
        author TEXT,
        tags_text TEXT NOT NULL DEFAULT '',
        notes_text TEXT NOT NULL DEFAULT '',
        title_extra TEXT NOT NULL DEFAULT '',
        body_extra TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL
    );
    INSERT INTO articles_new (id, hash, title, date, source, read, starred, stub, words,
        position, added_at, url, author, tags_text, notes_text, title_extra, body_extra, body)
    SELECT id, hash, title, date, source, read, starred, stub, words, position, added_at,
        url, author, tags_text, notes_text, title_extra, body_extra, body FROM articles;
    DROP TABLE articles;
    ALTER TABLE articles_new RENAME TO articles;
    CREATE INDEX articles_by_date ON articles (date DESC, id DESC, read, starred, source);
    CREATE INDEX articles_by_title ON articles (title COLLATE NOCASE, id);
    CREATE INDEX articles_by_url ON articles (url) WHERE url IS NOT NULL;
    CREATE INDEX articles_facets ON articles (id, date, read, starred, source);
    """ + _FTS_TRIGGERS + """
    """,
    # Deleted articles leave a tombstone so that re-importing their file does not
    # bring them back (`restore=True` does), keyed as `_add` recognises an
    # article: its content hash, its link (stubs), and its title in each file
    # it came from (the next version of an edited file).
    6: """
    CREATE TABLE deleted (
        hash TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        url TEXT,
        stub INTEGER NOT NULL DEFAULT 0,
        deleted_at TEXT NOT NULL
    );
    CREATE INDEX deleted_by_url ON deleted (url) WHERE url IS NOT NULL;
    CREATE TABLE deleted_places (
        path TEXT NOT NULL,
        title_key TEXT NOT NULL,
        hash TEXT NOT NULL REFERENCES deleted (hash) ON DELETE CASCADE,
        PRIMARY KEY (path, title_key, hash)
    ) WITHOUT ROWID;
    CREATE INDEX deleted_places_by_hash ON deleted_places (hash);
    """,
    # Search moves to its own index beside the library (reader.index): the FTS5
    # table and its triggers go; every change search sees is logged, in the same
    # transaction, for the index to catch up from (AUTOINCREMENT: a number is
    # never reused once the log is pruned).
    7: """
    DROP TRIGGER IF EXISTS articles_fts_delete;
    DROP TRIGGER IF EXISTS articles_fts_update;
    DROP TABLE IF EXISTS articles_fts;
    CREATE TABLE IF NOT EXISTS search_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL
    );
    CREATE TRIGGER IF NOT EXISTS search_log_insert AFTER INSERT ON articles BEGIN
        INSERT INTO search_log (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER IF NOT EXISTS search_log_update
    AFTER UPDATE OF title, body, tags_text, notes_text, date, source, read, starred
    ON articles BEGIN
        INSERT INTO search_log (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER IF NOT EXISTS search_log_delete AFTER DELETE ON articles BEGIN
        INSERT INTO search_log (article_id) VALUES (old.id);
    END;
    CREATE TRIGGER IF NOT EXISTS search_log_annotation_insert AFTER INSERT ON annotations BEGIN
        INSERT INTO search_log (article_id) VALUES (new.article_id);
    END;
    CREATE TRIGGER IF NOT EXISTS search_log_annotation_delete AFTER DELETE ON annotations BEGIN
        INSERT INTO search_log (article_id) VALUES (old.article_id);
    END;
    """,
}

_REBUILDS = {5}
"""Migrations that rebuild a table others refer to: foreign keys are off while they
run (dropping the old table would otherwise cascade to tags, provenance and
highlights) and checked before they commit."""


SCHEMA_VERSION = max(_MIGRATIONS)
"""Migrations are numbered; each runs once, in order, in its own transaction."""


def slow_upgrade(path: str | Path) -> bool:
    """Whether opening the library at `path` will rebuild a large table first (seconds
    for a large library), so that a caller can say so. Never raises."""
    try:
        path = Path(path)
        if path.stat().st_size < 32 << 20:
            return False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return any(version < n <= SCHEMA_VERSION for n in _REBUILDS)


@dataclass(slots=True)
class FileResult:
    """What importing one file did to the library."""

    new: int = 0
    present: int = 0
    """Articles already stored from this very place (a re-import)."""
    merged: int = 0
    """Articles already stored from elsewhere: provenance added, tags merged."""
    updated: int = 0
    """Articles of a re-imported file whose text changed: replaced in place."""
    stubs: int = 0
    """New stubs: saved links without their text (not counted in `new`)."""
    annotations: int = 0
    """Highlights and notes from the export newly stored (orphans included)."""
    orphans: int = 0
    """Of those, the ones whose quote could not be found in the body."""
    unplaced: int = 0
    """Exported highlights whose article is not in the library (not stored)."""
    orphaned: int = 0
    """Highlights stored before that lost their place when their article's text changed."""
    deleted: int = 0
    """Articles deleted from the library before, left out (not counted in `new`)."""
    restored: int = 0
    """Deleted articles brought back (`restore=True`), also counted as what they became."""

    @property
    def total(self) -> int:
        return self.new + self.present + self.merged + self.updated + self.stubs + self.deleted


@dataclass(frozen=True, slots=True)
class Deletion:
    """One article that deleting removes (or removed), for a caller to name."""

    id: int
    title: str
    highlights: int
    """Highlights and notes that go with it."""
    notes: int
    """Of those, the ones with a note."""


def article_hash(article: ParsedArticle) -> str:
    from reader.clean import comparable, content_key

    if article.stub:
        # No body to identify a stub by: its link does (two stubs of one link are one).
        key = "stub\x00" + (article.url or "").strip() + "\x00" + (
            "" if article.url else comparable(article.title))
        return hashlib.sha256(key.encode()).hexdigest()[:32]
    return hashlib.sha256(content_key(article.title, article.body).encode()).hexdigest()[:32]


class Prepared(NamedTuple):
    """An article with what can be computed before the library is locked: its hash
    and its extra search columns (done in the parsing processes during imports)."""

    key: str
    article: ParsedArticle
    title_extra: str
    body_extra: str


def prepare(article: ParsedArticle) -> Prepared:
    # The extra columns of the old FTS5 index stay empty: the search index
    # (reader.index) derives its CJK words itself, off the import's path.
    return Prepared(article_hash(article), article, "", "")


def _url_key(url: str | None) -> str:
    """A URL as compared for identity: trimmed, without a trailing slash or fragment."""
    return (url or "").strip().split("#", 1)[0].rstrip("/")


def _same_title(a: str, b: str) -> bool:
    """Titles (`comparable` forms) of one article: equal, or one is the other with a
    publication after it (`title` and `title - site`)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return bool(short) and long.startswith(short + " ") and long[len(short) + 1:][:1] in "-|·:"


def _word_count(text: str) -> int:
    """Words in a body, near enough for statistics, at C speed (no split)."""
    stripped = text.strip()
    return stripped.count(" ") + stripped.count("\n") + 1 if stripped else 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Store:
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
        self._seen: set[int] = set()
        self._by_title: dict[str, dict[str, list[tuple[int, int]]]] = {}
        self._updated: list[int] = []
        self._last_id = 0
        self._orphaned, self._restoring, self._graves = 0, False, False
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
            self._migrate()
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

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer reader (schema {version}, this reader "
                f"knows {SCHEMA_VERSION}); upgrade reader to open it"
            )
        tables = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables and "articles" not in tables:
            raise StoreError(f"{self.path}: an SQLite file, but not a reader library")
        pending = sorted(n for n in _MIGRATIONS if n > version)
        if pending and self.read_only:
            raise StoreError(f"{self.path} needs upgrading to this version's format, and it "
                             "is read-only; open it once where it can be written")
        if pending:
            from reader import search

            search.register(self.conn)  # SQL functions the search migration uses
        for target in pending:
            rebuild = target in _REBUILDS
            if rebuild:
                self.conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction():
                    for statement in _split_sql(_MIGRATIONS[target]):
                        self.conn.execute(statement)
                    if rebuild and self.conn.execute("PRAGMA foreign_key_check").fetchone():
                        raise StoreError(f"{self.path}: damaged library (broken references)")
                    self.conn.execute(f"PRAGMA user_version = {target}")
            finally:
                if rebuild:
                    self.conn.execute("PRAGMA foreign_keys = ON")
        if version and self.path != ":memory:" and any(n in _REBUILDS for n in pending):
            # A rebuilt table leaves the old one's pages free: give them back, or
            # the file stays half as large again until imports reuse them.
            self.conn.execute("VACUUM")

    def set_timeout(self, seconds: float) -> None:
        """How long a write waits for another process's write before `StoreBusy`."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def data_version(self) -> int:
        """A number that changes when another connection commits to the library (cheap:
        SQLite keeps it in memory); this connection's own writes leave it as it is."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @functools.cached_property
    def db(self) -> Any:
        """The library as a `sqlite_utils.Database`, for ad-hoc use (loaded on demand:
        importing sqlite-utils costs start-up time the interface should not pay)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

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

    def transaction(self) -> _Transaction:
        """`with store.transaction():` — all or nothing."""
        # Tag ids are cached only within a transaction: a rollback or another
        # process may change them between transactions.
        self._tag_ids = {}
        return _Transaction(self.conn)

    # -- writing articles -----------------------------------------------------

    def add_articles(self, articles: Iterable[ParsedArticle], *,
                     restore: bool = False) -> FileResult:
        """Store the articles of one file in one transaction; all or nothing.

        Articles deleted before are left out, or brought back with `restore`.
        """
        return self.add_prepared((prepare(a) for a in articles), restore=restore)

    def add_prepared(self, prepared: Iterable[Prepared], *,
                     restore: bool = False) -> FileResult:
        """`add_articles` for articles `prepare`d elsewhere (in a parsing process)."""
        result = FileResult()
        self._seen, self._by_title, self._updated = set(), {}, []
        self._orphaned, self._restoring = 0, restore
        with self.transaction():
            self._graves = self._tombstones()
            for item in prepared:
                # reader's own exports carry more than a parser finds (see reader.archive.own)
                extras = getattr(item.article, "extras", None)
                if extras is not None and extras.standalone:
                    outcome = self._apply_standalone(extras, result)
                else:
                    outcome = self._add(item, result)
                    if extras is not None and outcome != "deleted":
                        self._apply_extras(self._last_id, extras, result)
                setattr(result, outcome, getattr(result, outcome) + 1)
        result.orphaned = self._orphaned
        return result

    def _add(self, item: Prepared, result: FileResult | None = None) -> str:
        """Insert or merge one article inside the caller's transaction."""
        key, article = item.key, item.article
        conn = self.conn
        now = _now()
        row, key = self._identify(key, article)
        grave = self._grave(key, article, result) if row is None and self._graves else None
        if grave == "deleted":
            return "deleted"
        # A restored article is itself, not the next version of a namesake.
        previous = (self._previous_version(article)
                    if row is None and not article.stub and grave is None else None)
        growing = article.provenance.format in GROWING_FORMATS
        if row is None and previous is None and grave is None and growing:
            previous = self._same_book(article)
        if previous is not None and growing:
            article = self._grown(previous, article)
            key = article_hash(article)
        same_url = self._same_link(article) if row is None and previous is None else None
        if (row is None and previous is None and same_url is None and self._graves
                and self._grave(key, article, result, anywhere=True)):
            return "deleted"
        if previous is not None:
            article_id = previous
            self._update_text(article_id, key, article, now)
            outcome = "updated"
        elif same_url is not None and not article.stub:
            # The full text of a link saved before as a stub: the stub is filled in.
            article_id = same_url
            self._update_text(article_id, key, article, now)
            conn.execute("UPDATE articles SET stub = 0 WHERE id = ?", (article_id,))
            outcome = "merged"
        elif same_url is not None:
            article_id = same_url
            outcome = "merged"
        elif row is None:
            tags_text = " ".join(article.tags)
            title_extra, body_extra = item.title_extra, item.body_extra
            cur = conn.execute(
                "INSERT INTO articles (hash, title, body, date, source, url, author, tags_text,"
                " words, added_at, read, starred, stub, title_extra, body_extra)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, article.title, article.body, article.date, article.source, article.url,
                 article.author, tags_text, _word_count(article.body), now,
                 int(bool(article.read)), int(bool(article.starred)), int(article.stub),
                 title_extra, body_extra),
            )
            article_id = int(cur.lastrowid or 0)
            outcome = "stubs" if article.stub else "new"
        else:
            article_id = int(row[0])
            outcome = "merged"
        if outcome == "merged" and (article.read or article.starred):
            # State from another export only adds: a star is never taken away by an import.
            conn.execute(
                "UPDATE articles SET read = max(read, ?), starred = max(starred, ?) WHERE id = ?",
                (int(bool(article.read)), int(bool(article.starred)), article_id))
        if article.highlights:
            self._attach_highlights(article_id, article, now, result)
        self._seen.add(article_id)
        self._last_id = article_id
        p = article.provenance
        cur = conn.execute(
            "INSERT OR IGNORE INTO provenance (article_id, path, format, start_line, end_line,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, p.path, p.format, p.start_line, p.end_line, now),
        )
        if outcome == "merged" and cur.rowcount == 0:
            outcome = "present"
        if article.tags and self._link_tags(article_id, article.tags) and outcome == "merged":
            self._refresh_tags_text(article_id)
        if outcome == "merged":
            conn.execute(
                "UPDATE articles SET date = coalesce(date, ?), source = coalesce(source, ?),"
                " url = coalesce(url, ?), author = coalesce(author, ?) WHERE id = ?",
                (article.date, article.source, article.url, article.author, article_id),
            )
        return outcome

    def _same_book(self, article: ParsedArticle) -> int | None:
        """For a growing record (a book's clippings), the article it grew from,
        imported from any file: same format, title and author."""
        row = self.conn.execute(
            "SELECT a.id FROM articles a WHERE a.title = ? COLLATE NOCASE"
            " AND coalesce(a.author, '') = ? AND EXISTS (SELECT 1 FROM provenance p"
            " WHERE p.article_id = a.id AND p.format = ?) ORDER BY a.id LIMIT 1",
            (article.title, article.author or "", article.provenance.format)).fetchone()
        return int(row[0]) if row else None

    def _grown(self, article_id: int, article: ParsedArticle) -> ParsedArticle:
        """A growing record's new text keeps the passages the stored one holds and
        the new file no longer does (a clippings file cleared on the device)."""
        old = self.conn.execute("SELECT body FROM articles WHERE id = ?",
                                (article_id,)).fetchone()[0]
        have = set(article.body.split("\n\n"))
        kept = [p for p in old.split("\n\n") if p.strip() and p not in have]
        if not kept:
            return article
        return replace(article, body="\n\n".join([*kept, article.body] if article.body
                                                   else kept))

    def _identify(self, key: str, article: ParsedArticle) -> tuple[tuple[int] | None, str]:
        """The stored article this one is, and the hash it is stored under.

        The same text is the same article only under the same title or URL:
        different titles, or different URLs, with one body (a placeholder post,
        a feed's shared summary) are different articles, stored under the body's
        hash extended by their title and URL.
        """
        rows = self.conn.execute(
            "SELECT id, title, url, hash FROM articles WHERE hash >= ? AND hash < ?",
            (key, key + ";")).fetchall()
        if not rows or article.stub:
            return ((int(rows[0][0]),) if rows else None), key
        from reader.clean import comparable

        url = _url_key(article.url)
        title = comparable(article.title)
        for article_id, stored_title, stored_url, _ in rows:
            other = _url_key(stored_url)
            if url and other:
                if url == other:
                    return (int(article_id),), key
            elif _same_title(comparable(stored_title), title):
                return (int(article_id),), key
        taken = {r[3] for r in rows}
        salt = title + "\x00" + url
        for n in range(len(rows) + 1):
            distinct = key + ":" + hashlib.sha256(f"{salt}\x00{n}".encode()).hexdigest()[:16]
            if distinct not in taken:
                break
        return None, distinct

    def _apply_extras(self, article_id: int, extras: Any, result: FileResult) -> None:
        """What an article of reader's own export carries beyond a parser's article: its
        other provenances, reading position and highlights as they were."""
        now = _now()
        for p in extras.provenance:
            self.conn.execute(
                "INSERT OR IGNORE INTO provenance (article_id, path, format, start_line,"
                " end_line, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, p.path, p.format, p.start_line, p.end_line, now))
        if extras.position:
            self.conn.execute("UPDATE articles SET position = max(position, ?) WHERE id = ?",
                              (extras.position, article_id))
        for annotation in extras.annotations:
            self._import_annotation(article_id, annotation, result)

    def _import_annotation(self, article_id: int, annotation: Annotation,
                            result: FileResult) -> None:
        """Store an exported highlight on an article: its id kept when free, its place
        kept when its quote is still there, else found again; never twice."""
        anchor = annotation.anchor
        if self.conn.execute(
                "SELECT 1 FROM annotations WHERE article_id = ? AND (id = ? OR quote = ?"
                " AND (start IS ? OR orphan = 1))",
                (article_id, annotation.id, anchor.quote, anchor.start)).fetchone():
            return
        body = self.conn.execute("SELECT body FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()[0]
        if anchor.start is None or body[anchor.start:anchor.end] != anchor.quote:
            from reader.anchoring import Anchorer

            try:
                anchor = Anchorer(body).anchor(anchor.quote, anchor.prefix, anchor.suffix)
            except Exception:  # a bug in anchoring must not cost a highlight
                anchor = Anchor(anchor.quote, anchor.prefix, anchor.suffix, None, None,
                                "orphan")
        taken = annotation.id <= 0 or self.conn.execute(
            "SELECT 1 FROM annotations WHERE id = ?", (annotation.id,)).fetchone()
        now = _now()
        self.conn.execute(
            "INSERT INTO annotations (id, article_id, quote, prefix, suffix, start, end, note,"
            " color, anchored_by, orphan, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (None if taken else annotation.id, article_id, anchor.quote, anchor.prefix,
             anchor.suffix, anchor.start, anchor.end, annotation.note, annotation.color,
             anchor.method, int(anchor.orphan), annotation.created_at or now,
             annotation.updated_at or annotation.created_at or now))
        if annotation.note:
            self._refresh_notes_text(article_id)
        result.annotations += 1
        result.orphans += int(anchor.orphan)

    def _apply_standalone(self, extras: Any, result: FileResult) -> str:
        """Notes edited in a notes app (by highlight id), or exported highlights placed on
        the article of their URL or holding their quote; `updated` when anything changed."""
        changed = False
        for annotation_id, note in extras.notes:
            row = self.conn.execute("SELECT article_id, note FROM annotations WHERE id = ?",
                                    (annotation_id,)).fetchone()
            if row is None:
                result.unplaced += 1
            elif row[1] != note:
                self.conn.execute("UPDATE annotations SET note = ?, updated_at = ? WHERE id = ?",
                                  (note, _now(), annotation_id))
                self._refresh_notes_text(row[0])
                changed = True
        for annotation in extras.annotations:
            anchor = annotation.anchor
            row = self.conn.execute(
                "SELECT id FROM articles WHERE url = ? ORDER BY stub, id LIMIT 1",
                (extras.url,)).fetchone() if extras.url else None
            if row is None and anchor.start is not None and anchor.quote:
                row = self.conn.execute(
                    "SELECT id FROM articles WHERE substr(body, ?, ?) = ? ORDER BY id LIMIT 1",
                    (anchor.start + 1, len(anchor.quote), anchor.quote)).fetchone()
            if row is None:
                result.unplaced += 1
                continue
            before = result.annotations
            self._import_annotation(int(row[0]), annotation, result)
            changed = changed or result.annotations > before
        return "updated" if changed else "present"

    def _same_link(self, article: ParsedArticle) -> int | None:
        """For a stub, the stored article of the same URL; for a full article, its stub."""
        if not article.url:
            return None
        row = self.conn.execute(
            "SELECT id FROM articles WHERE url = ? AND stub = ? ORDER BY id LIMIT 1",
            (article.url, 0 if article.stub else 1)).fetchone()
        return int(row[0]) if row else None

    def _attach_highlights(self, article_id: int, article: ParsedArticle, now: str,
                           result: FileResult | None) -> None:
        """Store an export's highlights on its article, placed in the stored body.

        A highlight already there (the same quote, or the same note for a note
        without a quote) is not added again, so importing twice duplicates nothing.
        """
        body = self.conn.execute("SELECT body FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()[0]
        from reader.anchoring import Anchorer

        anchorer = Anchorer(body)
        notes = False
        for highlight in article.highlights:
            if highlight.quote:
                known = self.conn.execute(
                    "SELECT 1 FROM annotations WHERE article_id = ? AND quote = ?",
                    (article_id, highlight.quote)).fetchone()
                if known is None:
                    try:
                        anchor = anchorer.anchor(highlight.quote, highlight.prefix,
                                                 highlight.suffix)
                    except Exception:  # a bug in anchoring must not cost a highlight
                        anchor = Anchor(highlight.quote, highlight.prefix, highlight.suffix,
                                        None, None, "orphan")
                    known = self.conn.execute(
                        "SELECT 1 FROM annotations WHERE article_id = ? AND quote = ?",
                        (article_id, anchor.quote)).fetchone()
            else:
                anchor = Anchor("", "", "", None, None, "orphan")
                known = self.conn.execute(
                    "SELECT 1 FROM annotations WHERE article_id = ? AND quote = '' AND note = ?",
                    (article_id, highlight.note)).fetchone()
            if known is not None:
                continue
            self.conn.execute(
                "INSERT INTO annotations (article_id, quote, prefix, suffix, start, end, note,"
                " color, anchored_by, orphan, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'yellow', ?, ?, ?, ?)",
                (article_id, anchor.quote, anchor.prefix, anchor.suffix, anchor.start,
                 anchor.end, highlight.note, anchor.method, int(anchor.orphan), now, now),
            )
            notes = notes or bool(highlight.note)
            if result is not None:
                result.annotations += 1
                result.orphans += int(anchor.orphan)
        if notes:
            self._refresh_notes_text(article_id)

    def _previous_version(self, article: ParsedArticle) -> int | None:
        """The stored article this one replaces: same file, same title, new text.

        Re-importing an edited file (or a dump re-parsed by a better parser)
        updates articles in place, so their reading state and highlights stay
        with them. Only files imported before are looked at, and each stored
        article is replaced at most once per import.
        """
        from reader.clean import comparable
        path = article.provenance.path
        if path not in self._by_title:
            by_title: dict[str, list[tuple[int, int]]] = {}
            rows = self.conn.execute(
                "SELECT a.id, a.title, p.start_line FROM provenance p"
                " JOIN articles a ON a.id = p.article_id WHERE p.path = ?", (path,))
            for article_id, title, start in rows:
                by_title.setdefault(comparable(title), []).append((article_id, start))
            self._by_title[path] = by_title
        candidates = [
            (abs(start - article.provenance.start_line), article_id)
            for article_id, start in self._by_title[path].get(comparable(article.title), [])
            if article_id not in self._seen
        ]
        return min(candidates)[1] if candidates else None

    def _update_text(self, article_id: int, key: str, article: ParsedArticle, now: str) -> None:
        """Replace an article's text with a new version of it (the search log follows)."""
        self.conn.execute(
            "UPDATE articles SET hash = ?, title = ?, body = ?, words = ?,"
            " date = coalesce(?, date), source = coalesce(?, source), url = coalesce(?, url),"
            " author = coalesce(?, author) WHERE id = ?",
            (key, article.title, article.body, _word_count(article.body), article.date,
             article.source, article.url, article.author, article_id),
        )
        placed = {r[0] for r in self.conn.execute(
            "SELECT id FROM annotations WHERE article_id = ? AND orphan = 0", (article_id,))}
        # The new text and its re-placed highlights commit together.
        self._reanchor(article_id)
        if placed:
            self._orphaned += len(placed.intersection(r[0] for r in self.conn.execute(
                "SELECT id FROM annotations WHERE article_id = ? AND orphan = 1", (article_id,))))
        p = article.provenance
        self.conn.execute(
            "UPDATE provenance SET format = ?, start_line = ?, end_line = ?, imported_at = ?"
            " WHERE article_id = ? AND path = ?",
            (p.format, p.start_line, p.end_line, now, article_id, p.path),
        )
        self._updated.append(article_id)

    def _link_tags(self, article_id: int, tags: Iterable[str]) -> int:
        """Attach tags (created as needed); how many links were new."""
        added = 0
        for name in dict.fromkeys(t.strip() for t in tags if t.strip()):
            tag_id = self._tag_ids.get(name.casefold())
            if tag_id is None:
                self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
                tag_id = self.conn.execute(
                    "SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
                self._tag_ids[name.casefold()] = tag_id
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO article_tags (tag_id, article_id) VALUES (?, ?)",
                (tag_id, article_id),
            )
            added += cur.rowcount
        return added

    def _refresh_tags_text(self, article_id: int) -> None:
        self.conn.execute(
            "UPDATE articles SET tags_text = (SELECT coalesce(group_concat(t.name, ' '), '')"
            " FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?)"
            " WHERE id = ?",
            (article_id, article_id),
        )

    # -- reading state --------------------------------------------------------

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self.transaction():
            self.conn.execute("UPDATE articles SET read = ? WHERE id = ?",
                              (int(read), article_id))

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        with self.transaction():
            self.conn.execute("UPDATE articles SET starred = ? WHERE id = ?",
                              (int(starred), article_id))

    def set_position(self, article_id: int, position: float) -> None:
        position = min(1.0, max(0.0, position))
        with self.transaction():
            self.conn.execute("UPDATE articles SET position = ? WHERE id = ?",
                              (position, article_id))

    def set_tags(self, article_id: int, tags: Iterable[str]) -> None:
        """Replace an article's tags; tags left with no article are removed."""
        with self.transaction():
            self.conn.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
            self._link_tags(article_id, tags)
            self._refresh_tags_text(article_id)
            self.conn.execute(
                "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM article_tags)"
            )

    # -- deleting -------------------------------------------------------------

    def deletions(self, ids: Iterable[int]) -> list[Deletion]:
        """What deleting these articles would remove: one `Deletion` per stored
        article, in the order given (unknown ids left out, repeats once)."""
        found = []
        for article_id in dict.fromkeys(ids):
            row = self.conn.execute(
                "SELECT a.title, count(n.id), coalesce(sum(n.note != ''), 0) FROM articles a"
                " LEFT JOIN annotations n ON n.article_id = a.id WHERE a.id = ? GROUP BY a.id",
                (article_id,)).fetchone()
            if row is not None:
                found.append(Deletion(article_id, row[0], row[1], row[2]))
        return found

    def delete_articles(self, ids: Iterable[int]) -> list[Deletion]:
        """Delete articles with their highlights, notes, tags, provenance and reading
        state, in one transaction; what went (see `deletions`).

        Each leaves a tombstone: importing its file again leaves it out unless
        `add_articles(…, restore=True)`. Tags left without articles are removed.
        """
        from reader.clean import comparable
        with self.transaction():
            gone = self.deletions(ids)
            now = _now()
            for d in gone:
                self.conn.execute(
                    "INSERT OR IGNORE INTO deleted (hash, title, url, stub, deleted_at)"
                    " SELECT hash, title, url, stub, ? FROM articles WHERE id = ?", (now, d.id))
                self.conn.execute(
                    "INSERT OR IGNORE INTO deleted_places (path, title_key, hash)"
                    " SELECT DISTINCT p.path, ?, a.hash FROM provenance p"
                    " JOIN articles a ON a.id = p.article_id WHERE a.id = ?",
                    (comparable(d.title), d.id))
                tag_ids = [r[0] for r in self.conn.execute(
                    "SELECT tag_id FROM article_tags WHERE article_id = ?", (d.id,))]
                # Links, provenance and highlights follow by cascade, the index by trigger.
                self.conn.execute("DELETE FROM articles WHERE id = ?", (d.id,))
                for tag_id in tag_ids:
                    self.conn.execute(
                        "DELETE FROM tags WHERE id = ? AND NOT EXISTS"
                        " (SELECT 1 FROM article_tags WHERE tag_id = ?)", (tag_id, tag_id))
        return gone

    def _grave(self, key: str, article: ParsedArticle, result: FileResult | None,
               anywhere: bool = False) -> str | None:
        """`deleted` when an arriving article was deleted before: by its hash, or
        (`anywhere`: nothing stored matched it) by its link as `_same_link` pairs
        them, or by its title in the same file. With `restore`, every tombstone it
        matches goes (on the first call, so that it is counted once): `restored`."""
        clauses = ["hash = ?"]
        params: list[Any] = [key]
        if anywhere or self._restoring:
            from reader.clean import comparable
            clauses.append("hash IN (SELECT hash FROM deleted_places"
                           " WHERE path = ? AND title_key = ?)")
            params += [article.provenance.path, comparable(article.title)]
            if article.url:
                clauses.append("(url = ? AND (stub = 1 OR ?))")
                params += [article.url, int(article.stub)]
        graves = [r[0] for r in self.conn.execute(
            f"SELECT hash FROM deleted WHERE {' OR '.join(clauses)}", params)]
        if not graves:
            return None
        if not self._restoring:
            return "deleted"
        for grave in graves:
            self.conn.execute("DELETE FROM deleted WHERE hash = ?", (grave,))
        if result is not None:
            result.restored += 1
        self._graves = self._tombstones()
        return "restored"

    def _tombstones(self) -> bool:
        """Whether any article was deleted (imports skip the checks when none was)."""
        return self.conn.execute("SELECT 1 FROM deleted LIMIT 1").fetchone() is not None

    # -- questions ------------------------------------------------------------

    def article(self, article_id: int) -> Article | None:
        row = self.conn.execute(
            "SELECT id, title, body, date, source, url, author, read, starred, position, stub"
            " FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], title=row[1], body=row[2], date=row[3], source=row[4], url=row[5],
            author=row[6], tags=self.article_tags(article_id), read=bool(row[7]),
            starred=bool(row[8]), position=float(row[9]),
            provenance=self.provenance(article_id), stub=bool(row[10]),
        )

    def article_tags(self, article_id: int) -> tuple[str, ...]:
        rows = self.conn.execute(
            "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            " WHERE at.article_id = ? ORDER BY t.name COLLATE NOCASE",
            (article_id,),
        )
        return tuple(r[0] for r in rows)

    def provenance(self, article_id: int) -> tuple[Provenance, ...]:
        rows = self.conn.execute(
            "SELECT path, format, start_line, end_line FROM provenance WHERE article_id = ?"
            " ORDER BY id",
            (article_id,),
        )
        return tuple(Provenance(*r) for r in rows)

    def _filter(self, view: str, tag: str | None) -> tuple[str, list[Any]]:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        clauses: list[str] = []
        params: list[Any] = []
        if view == "unread":
            clauses.append("a.read = 0")
        elif view == "starred":
            clauses.append("a.starred = 1")
        elif view == "annotated":
            clauses.append("a.id IN (SELECT article_id FROM annotations)")
        if tag is not None:
            # `+a.id`: checked against the tag's list while the list index is read
            # in order, not used to fetch and sort every article of a large tag.
            clauses.append(
                "+a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
                " ON t.id = at.tag_id WHERE t.name = ?)"
            )
            params.append(tag)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    @staticmethod
    def _order(sort: str) -> str:
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        if sort == "title":
            return " ORDER BY a.title COLLATE NOCASE, a.id"
        return " ORDER BY a.date DESC, a.id DESC"

    def article_ids(self, *, view: str = "all", tag: str | None = None,
                    sort: str = "date") -> list[int]:
        """Every matching article id, in list order (cheap: ids only, from indexes)."""
        where, params = self._filter(view, tag)
        sql = "SELECT a.id FROM articles a" + where + self._order(sort)
        return [r[0] for r in self.conn.execute(sql, params)]

    def summaries(self, ids: list[int]) -> list[ArticleSummary]:
        """The list rows for these ids, in the given order (one page at a time)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.date, a.source, a.read, a.starred,"
            " (SELECT count(*) FROM annotations n WHERE n.article_id = a.id), a.stub"
            f" FROM articles a WHERE a.id IN ({marks})",
            ids,
        ).fetchall()
        by_id = {
            r[0]: ArticleSummary(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), r[6],
                                 bool(r[7]))
            for r in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    def articles(self, *, view: str = "all", tag: str | None = None, sort: str = "date",
                 offset: int = 0, limit: int = 100) -> list[ArticleSummary]:
        """One page of the article list."""
        where, params = self._filter(view, tag)
        sql = (
            "SELECT a.id FROM articles a" + where + self._order(sort) + " LIMIT ? OFFSET ?"
        )
        ids = [r[0] for r in self.conn.execute(sql, [*params, limit, offset])]
        return self.summaries(ids)

    def count(self, *, view: str = "all", tag: str | None = None) -> int:
        where, params = self._filter(view, tag)
        return int(self.conn.execute("SELECT count(*) FROM articles a" + where,
                                     params).fetchone()[0])

    def tags(self) -> list[Tag]:
        """Every tag with its article count, by name."""
        rows = self.conn.execute(
            "SELECT t.name, count(at.article_id) FROM tags t"
            " JOIN article_tags at ON at.tag_id = t.id"
            " GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        )
        return [Tag(name, count) for name, count in rows]

    def view_counts(self) -> dict[str, int]:
        """Counts for the tag pane's virtual views."""
        row = self.conn.execute(
            "SELECT count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0),"
            " (SELECT count(DISTINCT article_id) FROM annotations) FROM articles"
        ).fetchone()
        return {"all": row[0], "unread": row[1], "starred": row[2], "annotated": row[3]}

    def stats(self) -> LibraryStats:
        counts = self.view_counts()
        one = self.conn.execute
        return LibraryStats(
            articles=counts["all"],
            unread=counts["unread"],
            starred=counts["starred"],
            tags=one("SELECT count(*) FROM tags").fetchone()[0],
            annotations=one("SELECT count(*) FROM annotations").fetchone()[0],
            files=one("SELECT count(DISTINCT path) FROM provenance").fetchone()[0],
            words=one("SELECT coalesce(sum(words), 0) FROM articles").fetchone()[0],
            path=self.path,
        )

    def iter_articles(self, *, tag: str | None = None) -> Iterator[Article]:
        """Every article (or every one with `tag`), oldest first, for export."""
        where, params = self._filter("all", tag)
        ids = [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a" + where + " ORDER BY a.id", params)]
        for article_id in ids:
            article = self.article(article_id)
            if article is not None:
                yield article

    # -- search ---------------------------------------------------------------
    # The index (reader.index) is derived from the library and caught up from
    # `search_log` before each search; see that module.

    @functools.cached_property
    def search_index(self) -> SearchIndex:
        """The library's search index (opened, rebuilt and caught up on first use)."""
        from reader.index import SearchIndex, index_path

        path = None if self.path == ":memory:" else index_path(self.path)
        return SearchIndex(path, notice=self._search_notice)

    @functools.cached_property
    def search_notices(self) -> list[str]:
        """One-line messages about the index (rebuilt, and why), oldest first."""
        return []

    def _search_notice(self, message: str) -> None:
        self.search_notices.append(message)
        if self.on_search_notice is not None:
            self.on_search_notice(message)

    _told_behind = False
    on_search_notice: Any = None
    """Called with each index message as it happens (the command line prints them)."""

    def _searcher(self) -> Any:
        """A searcher of the index, caught up first when it can be (None when the
        index is being built by another process: searches find nothing meanwhile)."""
        from reader.index import IndexBusy

        index = self.search_index
        try:
            if not index.sync(self.conn, wait=False) and not self._told_behind:
                behind = index.pending(self.conn)
                if behind:
                    self._told_behind = True
                    index.notice(f"The search index is catching up with {behind} changes"
                                 " (after an import): results may be incomplete for a moment.")
            return index.searcher(self.conn)
        except IndexBusy:
            index.notice("The search index is being built by another process: try again"
                         " in a moment.")
            return None
        except (ValueError, OSError):
            # Damaged while open: rebuilt from the library, never an error for a search.
            count = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            index.notice(f"Rebuilding the search index (damaged): {count} articles.")
            try:
                index.rebuild(self.conn)
            except IndexBusy:
                return None
            return index.searcher(self.conn)

    def reindex(self, progress: Any = None) -> int:
        """Rebuild the search index from the library; how many articles it holds."""
        index = self.search_index
        count = index.rebuild(self.conn, progress)
        index.prune(self.conn)
        return count

    def search(self, query: str | Query, *, view: str = "all", tag: str | None = None,
               limit: int = 50, offset: int = 0, live: bool = False,
               width: int | None = None) -> list[SearchHit]:
        """One page of results, best first (see `reader.index.ranked`).

        `query` is text in the query language (never an error) or a parsed
        `search.Query`; `view`/`tag` narrow it as in the article list; `live`
        completes the last word as it is typed (`clim` finds climate too);
        `width` sizes the snippets (characters).
        """
        from reader import index, search
        q = query if isinstance(query, search.Query) else search.parse(query, live=live)
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if q.empty or limit <= 0:
            return []
        searcher = self._searcher()
        if searcher is None:
            return []
        try:
            p = index.plan(q, self.conn, view, tag, searcher)
            if p is None:
                return []
            found = index.ranked(searcher, p, max(0, limit), max(0, offset))
        except ValueError:
            return []  # a query the index refuses (none known): nothing found, no error
        return self._search_hits(q, searcher, found, width or search.SNIPPET_CHARS)

    def search_count(self, query: str | Query, *, view: str = "all",
                     tag: str | None = None, live: bool = False) -> int:
        """How many articles `search` would find in all."""
        from reader import index, search
        q = query if isinstance(query, search.Query) else search.parse(query, live=live)
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if q.empty:
            return 0
        searcher = self._searcher()
        if searcher is None:
            return 0
        try:
            p = index.plan(q, self.conn, view, tag, searcher)
            return 0 if p is None else index.count(searcher, p)
        except ValueError:
            return 0

    def related(self, article_id: int, limit: int = 20,
                width: int | None = None) -> list[SearchHit]:
        """The articles most like this one (more like this: its most telling words)."""
        from reader import index, search
        searcher = self._searcher()
        rows = index.read_rows(self.conn, [article_id])
        if searcher is None or not rows or limit <= 0:
            return []
        query = index.related_query(searcher, rows[0])
        if query is None:
            return []
        found = index.ranked(searcher, index.Plan([query], True), limit, 0)
        words = " OR ".join(dict.fromkeys(
            w for w in index.analyze(rows[0].title) if w not in index.STOPWORDS))
        return self._search_hits(search.parse(words), searcher, found,
                                 width or search.SNIPPET_CHARS)

    def index_follower(self) -> Any:
        """A process keeping the search index caught up while this store imports
        (None for a library in memory: its searches catch up themselves)."""
        if self.path == ":memory:":
            return None
        from reader.index import Follower

        return Follower(self.path)

    def _search_hits(self, q: Query, searcher: Any, found: list[Any],
                     width: int) -> list[SearchHit]:
        """Results in their order: meta and tags from the library, snippet and marks
        from the article's plain text as indexed (no Markdown, no addresses)."""
        from reader import search
        if not found:
            return []
        ids = [f.id for f in found]
        marks = ",".join("?" * len(ids))
        meta = {r[0]: r[1:] for r in self.conn.execute(
            f"SELECT id, title, date, source, read, starred FROM articles WHERE id IN ({marks})",
            ids)}
        tags: dict[int, list[str]] = {}
        for article_id, name in self.conn.execute(
                "SELECT at.article_id, t.name FROM article_tags at JOIN tags t"
                f" ON t.id = at.tag_id WHERE at.article_id IN ({marks})"
                " ORDER BY t.name COLLATE NOCASE", ids):
            tags.setdefault(article_id, []).append(name)
        body_marker = search.Marker(q)
        title_marker = search.Marker(q, title=True)
        hits = []
        for f in found:
            if f.id not in meta:
                continue  # deleted since the index last caught up
            title, date, source, read, starred = meta[f.id]
            doc = searcher.doc(f.address)
            stored, info = doc.get_first("plain"), doc.get_first("info")
            plain = bytes(stored).decode("utf-8", "replace") if stored else ""
            body_hits = body_marker.find(plain, bytes(info).decode() if info else None)
            title_hits = title_marker.find(title)
            snippet, snippet_hits = search.snippet_around(plain, body_hits, width)
            hits.append(SearchHit(
                id=f.id, title=title, date=date, source=source,
                tags=tuple(tags.get(f.id, ())), score=f.score, snippet=snippet,
                snippet_hits=tuple(snippet_hits), title_hits=tuple(title_hits),
                hit_count=len(body_hits) + len(title_hits), read=bool(read),
                starred=bool(starred),
            ))
        return hits

    # -- annotations --------------------------------------------------------

    def add_annotation(self, article_id: int, anchor: Anchor, note: str = "",
                       color: str = "yellow") -> int:
        """Store a highlight (and its note) in its own transaction; its id."""
        now = _now()
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO annotations (article_id, quote, prefix, suffix, start, end, note,"
                " color, anchored_by, orphan, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, anchor.quote, anchor.prefix, anchor.suffix, anchor.start,
                 anchor.end, note, color, anchor.method, int(anchor.orphan), now, now),
            )
            if note:
                self._refresh_notes_text(article_id)
        return int(cur.lastrowid or 0)

    def annotations(self, article_id: int) -> list[Annotation]:
        """An article's highlights, in reading order (orphans last)."""
        rows = self.conn.execute(
            "SELECT id, article_id, quote, prefix, suffix, start, end, anchored_by, note, color,"
            " created_at, updated_at FROM annotations WHERE article_id = ?"
            " ORDER BY orphan, start, id",
            (article_id,),
        )
        return [
            Annotation(r[0], r[1], Anchor(r[2], r[3], r[4], r[5], r[6], r[7]), r[8], r[9],
                       r[10], r[11])
            for r in rows
        ]

    def _refresh_notes_text(self, article_id: int) -> None:
        self.conn.execute(
            "UPDATE articles SET notes_text = (SELECT coalesce(group_concat(note, ' '), '')"
            " FROM annotations WHERE article_id = ? AND note != '') WHERE id = ?",
            (article_id, article_id),
        )

    def annotation(self, annotation_id: int) -> Annotation | None:
        row = self.conn.execute(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations n WHERE n.id = ?", (annotation_id,)
        ).fetchone()
        return _annotation(row) if row else None

    def set_note(self, annotation_id: int, note: str) -> bool:
        """Replace a highlight's note (its own transaction); False when there is no such one."""
        return self._edit_annotation(annotation_id, "note = ?", (note,), notes_changed=True)

    def set_color(self, annotation_id: int, color: str) -> bool:
        """Change a highlight's colour; False when there is no such highlight."""
        return self._edit_annotation(annotation_id, "color = ?", (color,))

    def reattach_annotation(self, annotation_id: int, anchor: Anchor) -> bool:
        """Place a highlight (an orphan, usually) on a new anchor, e.g. `make_anchor` of a
        selection; False when there is no such highlight."""
        return self._edit_annotation(
            annotation_id,
            "quote = ?, prefix = ?, suffix = ?, start = ?, end = ?, anchored_by = ?, orphan = ?",
            (anchor.quote, anchor.prefix, anchor.suffix, anchor.start, anchor.end, anchor.method,
             int(anchor.orphan)),
        )

    def _edit_annotation(self, annotation_id: int, assignments: str, values: tuple[Any, ...],
                         *, notes_changed: bool = False) -> bool:
        with self.transaction():
            # No RETURNING: SQLite before 3.35 is still common in system Pythons.
            row = self.conn.execute("SELECT article_id FROM annotations WHERE id = ?",
                                    (annotation_id,)).fetchone()
            if row is not None:
                self.conn.execute(
                    f"UPDATE annotations SET {assignments}, updated_at = ? WHERE id = ?",
                    (*values, _now(), annotation_id),
                )
                if notes_changed:
                    self._refresh_notes_text(row[0])
        return row is not None

    def delete_annotation(self, annotation_id: int) -> bool:
        """Delete a highlight and its note (its own transaction); False when there was none."""
        with self.transaction():
            row = self.conn.execute("SELECT article_id, note FROM annotations WHERE id = ?",
                                    (annotation_id,)).fetchone()
            if row is not None:
                self.conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
                if row[1]:
                    self._refresh_notes_text(row[0])
        return row is not None

    def _annotation_filter(self, query: str | None, tag: str | None, since: str | None,
                           orphans: bool, article_id: int | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if orphans:
            clauses.append("n.orphan = 1")
        if article_id is not None:
            clauses.append("n.article_id = ?")
            params.append(article_id)
        if tag is not None:
            clauses.append(
                "n.article_id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
                " ON t.id = at.tag_id WHERE t.name = ?)"
            )
            params.append(tag)
        if since:
            # ISO timestamps compare as text: '2024-05-01T09:00…' >= '2024-05-01'.
            clauses.append("n.updated_at >= ?")
            params.append(since)
        if query and query.strip():
            self.conn.create_function("reader_fold", 1, _fold_for_search, deterministic=True)
            for word in query.split():
                clauses.append(
                    "instr(reader_fold(n.quote || ' ' || n.note || ' ' || a.title), ?) > 0")
                params.append(_fold_for_search(word))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def all_annotations(self, *, query: str | None = None, tag: str | None = None,
                        since: str | None = None, orphans: bool = False,
                        article_id: int | None = None, limit: int | None = None,
                        offset: int = 0) -> list[AnnotationEntry]:
        """Highlights across the library, newest first, with their article's title.

        `query`: every word must occur in the quote, the note or the title (case
        and accents ignored). `tag`: articles with this tag. `since`: changed on
        or after this `YYYY-MM-DD`. `orphans`: only the ones that lost their place.
        """
        where, params = self._annotation_filter(query, tag, since, orphans, article_id)
        sql = (
            f"SELECT {_ANNOTATION_COLUMNS}, a.title, a.source, a.date, a.url,"
            " (SELECT group_concat(t.name, char(31)) FROM article_tags at"
            "  JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)"
            " FROM annotations n JOIN articles a ON a.id = n.article_id" + where
            + " ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?"
        )
        rows = self.conn.execute(sql, [*params, -1 if limit is None else limit, offset])
        return [
            AnnotationEntry(
                _annotation(r), r[12], r[13], r[14], r[15],
                tuple(sorted(r[16].split("\x1f"), key=str.casefold)) if r[16] else (),
            )
            for r in rows
        ]

    def count_annotations(self, *, query: str | None = None, tag: str | None = None,
                          since: str | None = None, orphans: bool = False) -> int:
        """How many highlights `all_annotations` would list (without limit)."""
        where, params = self._annotation_filter(query, tag, since, orphans, None)
        return int(self.conn.execute(
            "SELECT count(*) FROM annotations n JOIN articles a ON a.id = n.article_id" + where,
            params).fetchone()[0])

    def orphans(self, article_id: int | None = None) -> list[AnnotationEntry]:
        """Highlights that could not be placed in their article's current text, for review."""
        return self.all_annotations(orphans=True, article_id=article_id)

    def reanchor_article(self, article_id: int) -> dict[str, int]:
        """Re-attach every highlight of an article to its current body, in one transaction.

        Counts by method (`position`, `exact`, `context`, `fuzzy`, `orphan`; every
        key present). Nothing is ever deleted: a highlight that cannot be placed
        becomes an orphan keeping its quote, context and note, and orphans are
        tried again. An unknown article gives all zeros.
        """
        with self.transaction():
            return self._reanchor(article_id)

    def _reanchor(self, article_id: int) -> dict[str, int]:
        """`reanchor_article` inside the caller's transaction."""
        counts = dict.fromkeys(ANCHOR_METHODS, 0)
        row = self.conn.execute("SELECT body FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        if row is None:
            return counts
        from reader.anchoring import Anchorer

        anchorer = Anchorer(row[0])
        rows = self.conn.execute(
            "SELECT id, quote, prefix, suffix, start, end, anchored_by FROM annotations"
            " WHERE article_id = ?", (article_id,)).fetchall()
        for annotation_id, quote, prefix, suffix, start, end, method in rows:
            old = Anchor(quote, prefix, suffix, start, end, method)
            try:
                new = anchorer.reanchor(old)
            except Exception:  # a bug in anchoring must not cost a highlight its place in
                new = Anchor(quote, prefix, suffix, None, None, "orphan")  # the review list
            counts[new.method] = counts.get(new.method, 0) + 1
            if new != old:
                self.conn.execute(
                    "UPDATE annotations SET quote = ?, prefix = ?, suffix = ?, start = ?,"
                    " end = ?, anchored_by = ?, orphan = ? WHERE id = ?",
                    (new.quote, new.prefix, new.suffix, new.start, new.end, new.method,
                     int(new.orphan), annotation_id),
                )
        return counts


ANCHOR_METHODS = ("position", "exact", "context", "fuzzy", "orphan")
"""How a highlight was attached to its article's text (`annotations.anchored_by`)."""

_ANNOTATION_COLUMNS = (
    "n.id, n.article_id, n.quote, n.prefix, n.suffix, n.start, n.end, n.anchored_by, n.note,"
    " n.color, n.created_at, n.updated_at"
)


def _annotation(r: Any) -> Annotation:
    return Annotation(r[0], r[1], Anchor(r[2], r[3], r[4], r[5], r[6], r[7]), r[8], r[9],
                      r[10], r[11])


def _fold_for_search(text: str | None) -> str:
    """Case and accents folded, for matching what a person types against quotes and notes."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _desc(date: str | None) -> tuple[int, str]:
    """A sort key putting later dates first and undated articles last."""
    if date is None:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in date))


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


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (triggers keep their inner semicolons)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
