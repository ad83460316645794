"""The data the rest of the program passes around: small frozen dataclasses.

Parsers produce `ParsedArticle`s (with their `ImportedHighlight`s); the store
turns them into `Article`s and answers questions with `ArticleSummary`, `Tag`,
`LibraryStats` and `SearchHit`. A highlight is an `Anchor` (where its quote
sits) inside an `Annotation`; an `AnnotationEntry` is one with its article's
title and facts, for lists and exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an article came from: a file, its format and a 1-based line range."""

    path: str
    format: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article as an archive parser found it, cleaned, not yet stored."""

    title: str
    body: str
    provenance: Provenance
    date: str | None = None
    """`YYYY-MM-DD`, or None when the archive printed no date."""
    source: str | None = None
    url: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    read: bool | None = None
    """Reading state the export recorded (read-it-later exports); None: leave as is."""
    starred: bool | None = None
    stub: bool = False
    """A saved link without its text (Pocket, Instapaper): never fetched, marked in the list."""
    highlights: tuple[ImportedHighlight, ...] = ()
    """Highlights and notes the export held, anchored against `body` when stored."""


@dataclass(frozen=True, slots=True)
class ImportedHighlight:
    """A highlight as an export recorded it, not yet placed in the body."""

    quote: str
    """The highlighted text; empty for a note on the whole article."""
    note: str = ""
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the article list shows for one article; no body."""

    id: int
    title: str
    date: str | None
    source: str | None
    read: bool
    starred: bool
    highlight_count: int = 0
    stub: bool = False
    """A saved link without its text (imported from Pocket or Instapaper)."""


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article with its reading state."""

    id: int
    title: str
    body: str
    date: str | None
    source: str | None
    url: str | None
    author: str | None
    tags: tuple[str, ...]
    read: bool = False
    starred: bool = False
    position: float = 0.0
    """How far the reader got, as a fraction of the article (0..1)."""
    provenance: tuple[Provenance, ...] = field(default=())
    stub: bool = False
    """A saved link without its text (imported from Pocket or Instapaper)."""


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag and how many articles carry it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class LibraryStats:
    """Counts for `reader stats` and the interface's status line."""

    articles: int
    unread: int
    starred: int
    tags: int
    annotations: int
    files: int
    words: int
    path: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a highlighted passage sits in an article's body, and how it was found.

    `start`/`end` are character offsets into the body; both are None for an
    orphan (a quote that could not be placed and is kept for review).
    """

    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    method: str = "exact"
    """`position`, `exact`, `context`, `fuzzy`, or `orphan`."""

    @property
    def orphan(self) -> bool:
        return self.start is None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A highlight, with its note, on one article."""

    id: int
    article_id: int
    anchor: Anchor
    note: str = ""
    color: str = "yellow"
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class AnnotationEntry:
    """A highlight with the article it sits in: library-wide lists, orphan review, export."""

    annotation: Annotation
    title: str
    source: str | None = None
    date: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. Marks are (start, end) offsets, never markup (SPEC §6)."""

    id: int
    title: str
    date: str | None
    source: str | None
    tags: tuple[str, ...]
    score: float
    """Relevance (higher is better): the search index's BM25 score of the article for
    the query (its words' scores summed); 0 when results are listed newest first
    (filters alone, or a one- or two-letter prefix alone)."""
    snippet: str
    """One line of the body around the best hits ('…' where it was cut)."""
    snippet_hits: tuple[tuple[int, int], ...] = ()
    title_hits: tuple[tuple[int, int], ...] = ()
    hit_count: int = 0
    """Hits in the title and body."""
    read: bool = False
    starred: bool = False
