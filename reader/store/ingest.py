"""Articles arriving: adding them, knowing which stored article one is, deleting.

An article is identified by a hash of its normalised content (`article_hash`),
narrowed by its title and URL (`Ingest._identify`); a re-imported file updates
its articles in place (`_previous_version`); a deleted article leaves a
tombstone that keeps it out of later imports (`_grave`) unless restored.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from reader.models import ParsedArticle
from reader.store.annotations import Annotations
from reader.store.base import _now
from reader.store.reading import Reading

GROWING_FORMATS = ("kindle",)
"""Formats whose articles grow between exports (a book's clippings): a newer file
updates the article of the same title and author, from whichever file it came."""


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


def article_hash(article: ParsedArticle, body: str | None = None) -> str:
    """The hash an article is identified by; `body`: `comparable(article.body)`, when
    the caller has it."""
    from reader.clean import comparable, content_key

    if article.stub:
        # No body to identify a stub by: its link does (two stubs of one link are one).
        key = "stub\x00" + (article.url or "").strip() + "\x00" + (
            "" if article.url else comparable(article.title))
        return hashlib.sha256(key.encode()).hexdigest()[:32]
    key = content_key(article.title, article.body, comparable_body=body)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class Prepared(NamedTuple):
    """An article with what can be computed before the library is locked: its hash
    and its extra search columns (done in the parsing processes during imports)."""

    key: str
    article: ParsedArticle
    title_extra: str
    body_extra: str
    words: int = -1
    """Words in the article's body (`_word_count`), -1 when not counted yet."""


def prepare(article: ParsedArticle) -> Prepared:
    # The extra columns of the old FTS5 index stay empty: the search index
    # (reader.index) derives its CJK words itself, off the import's path. The body's
    # comparable form gives both its hash and its words (one pass over it, not two).
    from reader.clean import comparable

    body = comparable(article.body)
    return Prepared(article_hash(article, body), article, "", "", _words(body))


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
    """Words in a body: the words `str.split` finds, at C speed (no string a word)."""
    from reader.clean import comparable

    return _words(comparable(text))


def _words(comparable_text: str) -> int:
    """`_word_count` of a text from its `comparable` form, whose words are one space
    apart, with none before or after."""
    return comparable_text.count(" ") + 1 if comparable_text else 0



class IdSet:
    """A set of article ids at one bit each: an import of a million-article file
    remembers which stored articles it has met in 125 KB rather than a Python set's
    60 MB, so the importer's memory stays flat in the file's size."""

    __slots__ = ("_bits", "_others")

    def __init__(self) -> None:
        self._bits = bytearray()
        self._others: set[int] = set()  # ids below zero, which the library never gives

    def add(self, article_id: int) -> None:
        if article_id < 0:
            self._others.add(article_id)
            return
        byte = article_id >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        self._bits[byte] |= 1 << (article_id & 7)

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, int):
            return False
        if article_id < 0:
            return article_id in self._others
        byte = article_id >> 3
        return byte < len(self._bits) and bool(self._bits[byte] >> (article_id & 7) & 1)


class Ingest(Annotations, Reading):
    """Adding, identifying and deleting articles (highlights and tags as they arrive)."""

    _seen: IdSet
    _by_title: dict[str, dict[str, list[tuple[int, int]]]]
    _updated: list[int]
    _last_id: int
    _orphaned: int
    _restoring: bool
    _graves: bool
    _second: tuple[int, str] = (0, "")

    def _clock(self) -> str:
        """`_now()`, read again once a second (an import stamps thousands of articles)."""
        second = int(time.time())
        if second != self._second[0]:
            self._second = (second, _now())
        return self._second[1]

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
        self._seen, self._by_title, self._updated = IdSet(), {}, []
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
        now = self._clock()
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
            # OR ROLLBACK: a failing insert rolls the file's transaction back, as the
            # import would (all or nothing per file); so SQLite keeps no statement
            # journal for the search log's trigger (a copy of every page the insert
            # touches; a fifth of the writer's time, measured).
            cur = conn.execute(
                "INSERT OR ROLLBACK INTO articles (hash, title, body, date, source, url, author,"
                " tags_text,"
                " words, added_at, read, starred, stub, title_extra, body_extra)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, article.title, article.body, article.date, article.source, article.url,
                 article.author, tags_text,
                 item.words if item.words >= 0 else _word_count(article.body), now,
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


    def _same_link(self, article: ParsedArticle) -> int | None:
        """For a stub, the stored article of the same URL; for a full article, its stub."""
        if not article.url:
            return None
        row = self.conn.execute(
            "SELECT id FROM articles WHERE url = ? AND stub = ? ORDER BY id LIMIT 1",
            (article.url, 0 if article.stub else 1)).fetchone()
        return int(row[0]) if row else None


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
        if not self._by_title[path]:
            return None  # a file imported for the first time
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
