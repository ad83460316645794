"""The library: one SQLite file. The only module that talks SQL.

Articles are identified by a hash of their normalised content, so the same
article arriving from two files is stored once with both provenances and its
tags merged. The FTS5 index is kept in sync: new rows are indexed by the
store itself (an FTS5 insert inside a trigger flushes the index at every
statement, which made imports three times slower), updates and deletes by
triggers on the indexed columns only, so reading state (read, starred,
position) never touches the index. Every import of a file is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from reader.clean import comparable, content_key
from reader.models import (
    Anchor,
    Annotation,
    Article,
    ArticleSummary,
    LibraryStats,
    ParsedArticle,
    Provenance,
    Tag,
)

VIEWS = ("all", "unread", "starred", "annotated")
SORTS = ("date", "title")


class StoreError(Exception):
    """The library cannot be opened or written; the message is one line for the user."""


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
}


SCHEMA_VERSION = max(_MIGRATIONS)
"""Migrations are numbered; each runs once, in order, in its own transaction."""


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

    @property
    def total(self) -> int:
        return self.new + self.present + self.merged + self.updated


def article_hash(article: ParsedArticle) -> str:
    return hashlib.sha256(content_key(article.title, article.body).encode()).hexdigest()[:32]


def _word_count(text: str) -> int:
    """Words in a body, near enough for statistics, at C speed (no split)."""
    stripped = text.strip()
    return stripped.count(" ") + stripped.count("\n") + 1 if stripped else 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Store:
    """The library file. Methods read as questions and commands and return models."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False) -> None:
        self.path = ":memory:" if memory or path is None else str(path)
        self._tag_ids: dict[str, int] = {}
        self._seen: set[int] = set()
        self._by_title: dict[str, dict[str, list[tuple[int, int]]]] = {}
        self._updated: list[int] = []
        try:
            if self.path != ":memory:":
                parent = Path(self.path).expanduser().resolve().parent
                parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=10.0)
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # The hash index takes random inserts; past the default 2 MB cache,
                # large imports slow down page by page.
                conn.execute("PRAGMA cache_size = -32768")
            self.conn = conn
            self.db = sqlite_utils.Database(conn)
            self._migrate()
        except sqlite3.DatabaseError as exc:
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
        if version == 0 and self.db.table_names() and "articles" not in self.db.table_names():
            raise StoreError(f"{self.path}: an SQLite file, but not a reader library")
        for target in sorted(n for n in _MIGRATIONS if n > version):
            with self.transaction():
                for statement in _split_sql(_MIGRATIONS[target]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {target}")

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

    def add_articles(self, articles: Iterable[ParsedArticle]) -> FileResult:
        """Store the articles of one file in one transaction; all or nothing."""
        return self.add_keyed((article_hash(a), a) for a in articles)

    def add_keyed(self, keyed: Iterable[tuple[str, ParsedArticle]]) -> FileResult:
        """`add_articles` for articles whose `article_hash` was computed elsewhere."""
        result = FileResult()
        self._seen, self._by_title, self._updated = set(), {}, []
        with self.transaction():
            for key, article in keyed:
                outcome = self._add(key, article)
                setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _add(self, key: str, article: ParsedArticle) -> str:
        """Insert or merge one article inside the caller's transaction."""
        conn = self.conn
        now = _now()
        row = conn.execute("SELECT id FROM articles WHERE hash = ?", (key,)).fetchone()
        previous = self._previous_version(article) if row is None else None
        if previous is not None:
            article_id = previous
            self._update_text(article_id, key, article, now)
            outcome = "updated"
        elif row is None:
            cur = conn.execute(
                "INSERT INTO articles (hash, title, body, date, source, url, author, tags_text,"
                " words, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, article.title, article.body, article.date, article.source, article.url,
                 article.author, " ".join(article.tags), _word_count(article.body), now),
            )
            article_id = int(cur.lastrowid or 0)
            self._index(article_id, article.title, article.body, " ".join(article.tags))
            outcome = "new"
        else:
            article_id = int(row[0])
            outcome = "merged"
        self._seen.add(article_id)
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

    def _previous_version(self, article: ParsedArticle) -> int | None:
        """The stored article this one replaces: same file, same title, new text.

        Re-importing an edited file (or a dump re-parsed by a better parser)
        updates articles in place, so their reading state and highlights stay
        with them. Only files imported before are looked at, and each stored
        article is replaced at most once per import.
        """
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
        """Replace an article's text with a new version of it (the FTS triggers follow)."""
        self.conn.execute(
            "UPDATE articles SET hash = ?, title = ?, body = ?, words = ?,"
            " date = coalesce(?, date), source = coalesce(?, source), url = coalesce(?, url),"
            " author = coalesce(?, author) WHERE id = ?",
            (key, article.title, article.body, _word_count(article.body), article.date,
             article.source, article.url, article.author, article_id),
        )
        p = article.provenance
        self.conn.execute(
            "UPDATE provenance SET format = ?, start_line = ?, end_line = ?, imported_at = ?"
            " WHERE article_id = ? AND path = ?",
            (p.format, p.start_line, p.end_line, now, article_id, p.path),
        )
        self._updated.append(article_id)

    def _index(self, article_id: int, title: str, body: str, tags_text: str,
               notes_text: str = "") -> None:
        """Add a new article to the full-text index (updates go through triggers)."""
        self.conn.execute(
            "INSERT INTO articles_fts (rowid, title, body, tags_text, notes_text)"
            " VALUES (?, ?, ?, ?, ?)",
            (article_id, title, body, tags_text, notes_text),
        )

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
        self.conn.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        self.conn.execute(
            "UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id)
        )

    def set_position(self, article_id: int, position: float) -> None:
        position = min(1.0, max(0.0, position))
        self.conn.execute(
            "UPDATE articles SET position = ? WHERE id = ?", (position, article_id)
        )

    def set_tags(self, article_id: int, tags: Iterable[str]) -> None:
        """Replace an article's tags; tags left with no article are removed."""
        with self.transaction():
            self.conn.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
            self._link_tags(article_id, tags)
            self._refresh_tags_text(article_id)
            self.conn.execute(
                "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM article_tags)"
            )

    # -- questions ------------------------------------------------------------

    def article(self, article_id: int) -> Article | None:
        row = self.conn.execute(
            "SELECT id, title, body, date, source, url, author, read, starred, position"
            " FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], title=row[1], body=row[2], date=row[3], source=row[4], url=row[5],
            author=row[6], tags=self.article_tags(article_id), read=bool(row[7]),
            starred=bool(row[8]), position=float(row[9]),
            provenance=self.provenance(article_id),
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
            clauses.append(
                "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
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
            " (SELECT count(*) FROM annotations n WHERE n.article_id = a.id)"
            f" FROM articles a WHERE a.id IN ({marks})",
            ids,
        ).fetchall()
        by_id = {
            r[0]: ArticleSummary(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), r[6])
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


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the library is busy or read-only ({exc})") from None
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"could not save to the library ({error})") from None
        else:
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
