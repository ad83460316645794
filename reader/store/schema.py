"""The library's schema: its numbered migrations and how they run.

Each migration runs once, in order, in its own transaction (`migrate`); the
version is SQLite's `user_version`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.store.base import StoreError, _Transaction

# The FTS5 index of migrations 2 to 6 followed deletes and edits of indexed
# columns by these triggers (inserts were written by the store itself, with the
# extra columns computed in Python); migration 7 drops both for reader.index.
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
    # body by the store as it wrote an article, not by the triggers, so an
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


def migrate(conn: sqlite3.Connection, path: str, read_only: bool) -> None:
    """Bring the library at `path` (open on `conn`) up to `SCHEMA_VERSION`."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer reader (schema {version}, this reader "
            f"knows {SCHEMA_VERSION}); upgrade reader to open it"
        )
    tables = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables and "articles" not in tables:
        raise StoreError(f"{path}: an SQLite file, but not a reader library")
    pending = sorted(n for n in _MIGRATIONS if n > version)
    if pending and read_only:
        raise StoreError(f"{path} needs upgrading to this version's format, and it "
                         "is read-only; open it once where it can be written")
    if pending:
        from reader import search

        search.register(conn)  # SQL functions the search migration uses
    for target in pending:
        rebuild = target in _REBUILDS
        if rebuild:
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with _Transaction(conn):
                for statement in _split_sql(_MIGRATIONS[target]):
                    conn.execute(statement)
                if rebuild and conn.execute("PRAGMA foreign_key_check").fetchone():
                    raise StoreError(f"{path}: damaged library (broken references)")
                conn.execute(f"PRAGMA user_version = {target}")
        finally:
            if rebuild:
                conn.execute("PRAGMA foreign_keys = ON")
    if version and path != ":memory:" and any(n in _REBUILDS for n in pending):
        # A rebuilt table leaves the old one's pages free: give them back, or
        # the file stays half as large again until imports reuse them.
        conn.execute("VACUUM")


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
