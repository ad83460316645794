"""Highlights and notes: stored, edited, listed across the library, re-anchored,
and arriving with an import (placed in the stored text, never twice)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.models import Anchor, Annotation, AnnotationEntry, ParsedArticle
from reader.store.base import Room, _now

if TYPE_CHECKING:
    from reader.store.ingest import FileResult

ANCHOR_METHODS = ("position", "exact", "context", "fuzzy", "orphan")
"""How a highlight was attached to its article's text (`annotations.anchored_by`)."""

_ANNOTATION_COLUMNS = (
    "n.id, n.article_id, n.quote, n.prefix, n.suffix, n.start, n.end, n.anchored_by, n.note,"
    " n.color, n.created_at, n.updated_at"
)


def _annotation(r: Any) -> Annotation:
    return Annotation(r[0], r[1], Anchor(r[2], r[3], r[4], r[5], r[6], r[7]), r[8], r[9],
                      r[10], r[11])


class Annotations(Room):
    """Highlights and their notes."""

    _folding: sqlite3.Connection | None = None
    """The connection `reader_fold` is registered on (once per connection)."""

    def _fold_in_sql(self) -> Callable[[str], str]:
        """`search.fold`, made callable in this connection's SQL as `reader_fold(text)`
        (registered once per connection; NULL folds to '')."""
        from reader.search import fold

        if self._folding is not self.conn:
            self.conn.create_function("reader_fold", 1, lambda text: fold(text or ""),
                                      deterministic=True)
            self._folding = self.conn
        return fold

    def _insert_annotation(self, article_id: int, anchor: Anchor, note: str, color: str,
                           created_at: str, updated_at: str,
                           annotation_id: int | None = None) -> int:
        """Write one highlight inside the caller's transaction (a new id unless
        `annotation_id`); its id. The article's notes text is the caller's."""
        cur = self.conn.execute(
            "INSERT INTO annotations (id, article_id, quote, prefix, suffix, start, end, note,"
            " color, anchored_by, orphan, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (annotation_id, article_id, anchor.quote, anchor.prefix, anchor.suffix,
             anchor.start, anchor.end, note, color, anchor.method, int(anchor.orphan),
             created_at, updated_at))
        return int(cur.lastrowid or 0)

    def add_annotation(self, article_id: int, anchor: Anchor, note: str = "",
                       color: str = "yellow") -> int:
        """Store a highlight (and its note) in its own transaction; its id."""
        now = _now()
        with self.transaction():
            annotation_id = self._insert_annotation(article_id, anchor, note, color, now, now)
            if note:
                self._refresh_notes_text(article_id)
        return annotation_id

    def annotations(self, article_id: int) -> list[Annotation]:
        """An article's highlights, in reading order (orphans last)."""
        rows = self.conn.execute(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations n WHERE n.article_id = ?"
            " ORDER BY n.orphan, n.start, n.id",
            (article_id,),
        )
        return [_annotation(r) for r in rows]

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
            fold = self._fold_in_sql()
            for word in query.split():
                clauses.append(
                    "instr(reader_fold(n.quote || ' ' || n.note || ' ' || a.title), ?) > 0")
                params.append(fold(word))
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
        self._insert_annotation(
            article_id, anchor, annotation.note, annotation.color, annotation.created_at or now,
            annotation.updated_at or annotation.created_at or now,
            None if taken else annotation.id)
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
            self._insert_annotation(article_id, anchor, highlight.note, "yellow", now, now)
            notes = notes or bool(highlight.note)
            if result is not None:
                result.annotations += 1
                result.orphans += int(anchor.orphan)
        if notes:
            self._refresh_notes_text(article_id)

