"""What the index holds of an article: its schema and documents, read from the library."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, pairwise
from operator import itemgetter, or_
from typing import Any

import tantivy

from reader import search
from reader.analysis import STOPWORDS, _analyzer, cjk_words, fold_words, index_analyzer
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
    b.add_text_field("pairs", tokenizer_name="reader_cjk", index_option="freq")
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
        values = [title] * TITLE_REPEAT + [plain]
        if self.tags_text:
            values.append(search.normalize(self.tags_text))
        if self.notes_text:
            values.append(search.normalize(self.notes_text))
        for value in values:
            doc.add_text("all", value)
        first, second, pairs = document_words(
            title, plain, values[TITLE_REPEAT + 1:], (self.tags_text, self.notes_text))
        doc.add_text("pairs", pairs)
        doc.add_text("title", title)
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
    second = _first_two(texts)
    return " ".join({w[:1] for w in second}), " ".join(second)


def _first_two(texts: Sequence[str], second: set[str] | None = None) -> set[str]:
    """The first two letters of every folded word of the texts (`word_starts`)."""
    second = set() if second is None else second
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
    return second


_FIRST_ONE = itemgetter(slice(None, 1))

STARTS_PIECE = 1 << 16
"""Characters of text analysed at a time for `word_starts`."""

_WORDS = index_analyzer()
PAIR_WORDS = frozenset(w for word in STOPWORDS for w in _WORDS.analyze(word))
"""Index words (stems) of the function words: a pair of words one after the other,
either of them one of these, is a word of its own in the `pairs` field."""
_LONG_WORD = re.compile(r"[^\W_]{20,}")
LONG_WORD_BYTES = 80
"""Words this long (UTF-8) are left out of the index (`analysis.index_analyzer`),
leaving a gap: the words either side of one are not one after the other."""


def pair_word(first: str, second: str) -> str:
    """The `pairs` field's word for two index words one after the other (lower-cased
    as the field's analyzer does: folding may leave a capital, `ʀ` → `R`)."""
    return f"{first}_{second}".lower()


def is_paired(words: Sequence[str]) -> bool:
    """Whether two index words one after the other are in the `pairs` field."""
    return len(words) == 2 and (words[0] in PAIR_WORDS or words[1] in PAIR_WORDS)


def word_pairs(values: Sequence[str]) -> str:
    """Each pair of words one after the other in one of these values of the `all`
    field (as the index analyses them) of which one is a function word, as
    `first_second` (space-separated): a phrase of two words such as `"the people"`
    or `"of the"` is one word there, ranked by block-max WAND, where its words'
    positions would be read in nearly every article. Padded with `_` to as many
    words as the `all` field holds, so that its length is the same: BM25 ranks the
    pair's articles as it ranks its phrase's."""
    out: list[str] = []
    count = 0
    for value in values:
        pairs, words = _value_pairs(value)
        out += pairs
        count += words
    return _padded(out, count)


def _padded(pairs: list[str], words: int) -> str:
    return " ".join(pairs) + " _" * (words - len(pairs))


def _value_pairs(value: str) -> tuple[list[str], int]:
    """The pairs of one value of the `all` field and how many words it has there."""
    pieces = [value]
    if max(map(len, value.split()), default=0) >= 20 and _LONG_WORD.search(value):
        # A word left out of the index parts the words either side of it.
        pieces, start = [], 0
        for m in _LONG_WORD.finditer(value):
            if len(m.group().encode("utf-8", "surrogatepass")) >= LONG_WORD_BYTES:
                pieces.append(value[start:m.start()])
                start = m.end()
        pieces.append(value[start:])
    out: list[str] = []
    count = 0
    for piece in pieces:
        words = _WORDS.analyze(piece)
        count += len(words)
        out += _pairs_of(words)
    return out, count


def _pairs_of(words: list[str]) -> list[str]:
    """`first_second` for each two words one after the other, either of them in
    `PAIR_WORDS` (C-level passes: every pair joined, those kept picked out)."""
    if len(words) < 2:
        return []
    paired = list(map(PAIR_WORDS.__contains__, words))
    return list(map("_".join, compress(pairwise(words), map(or_, paired, paired[1:]))))


_FOLD = _analyzer(stem=False)
_STEM = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(
    tantivy.Filter.stemmer("english")).build()
"""A folded word stemmed as the index analyzer stems it (`_FOLD` then this is that
analyzer, for the words it keeps)."""
_STEMS: dict[str, str] = {}
"""Each folded word met → its index word, shared by the documents a process builds."""
_STARTS: dict[str, str] = {}
"""Each folded word met → its first two letters (one string each, its hash kept)."""
STEMS_LIMIT = 200_000
SHORT_WORD = 20
"""A text whose every folded word is shorter than this (characters) has none left out
of the index (`LONG_WORD_BYTES`: 19 characters are 76 bytes at most, and folding never
makes a word shorter: every letter folds to one or more)."""


def _shared_words(text: str) -> tuple[list[str], list[str], set[str]] | None:
    """(folded words, index words, their first two letters) of a normalised text
    from one analysis, the index words from the folded ones through `_STEMS` (the
    same as the index analyzer's), the first letters through `_STARTS`. None
    (analyse it again) for a text longer than `STARTS_PIECE`, one that may hold a
    word left out of the index, or one of a word folded into several. Lists are
    mapped at C level: this runs for every article."""
    if len(text) > STARTS_PIECE:
        return None
    folded: list[str] = _FOLD.analyze(text.replace("\x00", " ") if "\x00" in text else text)
    if max(map(len, folded), default=0) >= SHORT_WORD:
        return None
    stems, starts = _STEMS, _STARTS
    distinct = set(folded)
    new = distinct.difference(stems)
    if new:
        if len(stems) + len(new) > STEMS_LIMIT:
            stems.clear()
            starts.clear()
            new = distinct
        for word in new:
            analysed = _STEM.analyze(word)
            if len(analysed) != 1:
                return None  # never so far: the raw tokenizer keeps the word whole
            stems[word] = analysed[0]
            starts[word] = word[:2]
    return folded, list(map(stems.__getitem__, folded)), set(map(starts.__getitem__, distinct))


def document_words(title: str, plain: str, extra: Sequence[str],
                   raw_extra: Sequence[str]) -> tuple[str, str, str]:
    """(`starts1`, `starts2`, `pairs`) of a document whose `all` field holds the title
    `TITLE_REPEAT` times, the plain text and `extra` (tags and notes, normalised;
    `raw_extra` as stored): the title's and the text's words analysed once for both
    (`word_starts` and `word_pairs` give the same)."""
    second: set[str] = set()
    pairs: list[str] = []
    count = 0
    again: list[str] = list(raw_extra)
    for value, repeat in ((title, TITLE_REPEAT), (plain, 1)):
        shared = _shared_words(value)
        if shared is None:
            again.append(value)
            found, words = _value_pairs(value)
        else:
            _, stems, starts = shared
            second.update(starts)
            found, words = _pairs_of(stems), len(stems)
        pairs += found * repeat
        count += words * repeat
    for value in extra:
        found, words = _value_pairs(value)
        pairs += found
        count += words
    _first_two([t for t in again if t], second)
    return " ".join(set(map(_FIRST_ONE, second))), " ".join(second), _padded(pairs, count)


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
