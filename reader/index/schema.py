"""What the index holds of an article: its schema and documents, read from the library."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from reader import search
from reader.analysis import cjk_words, fold_words
from reader.plaintext import plain_text

TITLE_REPEAT = 2
"""Times the title is written into the whole text: its words count that much more."""

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot

_META_ID = 0
"""The id of the document holding the index's version and the last log row applied."""

def _schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    b.add_text_field("all", tokenizer_name="reader")
    b.add_text_field("title", tokenizer_name="reader")
    b.add_text_field("cjk", tokenizer_name="reader_cjk")
    b.add_text_field("title_cjk", tokenizer_name="reader_cjk")
    b.add_text_field("starts1", tokenizer_name="reader_cjk", index_option="basic")
    b.add_text_field("starts2", tokenizer_name="reader_cjk", index_option="basic")
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
        first, second = word_starts(title, plain, self.tags_text, self.notes_text)
        doc.add_text("starts1", first)
        doc.add_text("starts2", second)
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


def word_starts(*texts: str) -> tuple[str, str]:
    """The first letter, and the first two letters, of every word of the texts, folded
    as the index folds them (space-separated, each once): a one- or two-letter prefix
    is one of these (`t*`, `go` typed), not every word it starts."""
    second: set[str] = set()
    for text in texts:
        # A piece at a time, so that a very long article's words are never all listed.
        start = 0
        while start < len(text):
            end = start + STARTS_PIECE
            if end < len(text):  # cut after a space: never inside a word
                space = text.find(" ", end)
                end = len(text) if space < 0 else space + 1
            second.update(w[:2] for w in set(fold_words(text[start:end])))
            start = end
    return " ".join({w[:1] for w in second}), " ".join(second)


STARTS_PIECE = 1 << 16
"""Characters of text analysed at a time for `word_starts`."""


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
