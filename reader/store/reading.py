"""Reading the library: articles, the list's views and sorts, counts, tags and
reading state (read, starred, position)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reader.models import Article, ArticleSummary, LibraryStats, Provenance, Tag
from reader.store.base import Room

VIEWS = ("all", "unread", "starred", "annotated")
SORTS = ("date", "title")


class Reading(Room):
    """Questions about articles, and the state a person changes while reading."""

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
