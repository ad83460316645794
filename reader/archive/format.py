"""What a format module declares: a `Format` descriptor, and the `Input` its reader gets.

A format is one module exporting `FORMAT` (or `FORMATS`, when it reads several)
and one line in `reader.archive.REGISTRY`, whose order is the order formats are
recognised in. `reader.archive` opens the file, recognises the format and calls
its `read`; the module never needs to know about the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from reader.archive.decoding import decode, decode_text
from reader.archive.source import NotAnArchive
from reader.models import ParsedArticle

if TYPE_CHECKING:
    from reader.archive.omnivore import Lookup

UNKNOWN_JSON = "JSON, but not an export reader knows (wallabag, Omnivore, bookmarks)"


@dataclass(slots=True)
class Input:
    """A file as a format's reader gets it: its bytes, or its JSON value, or its lines."""

    data: bytes
    """The whole file (UTF-16/32 narrowed to UTF-8 unless an encoding was given); empty
    for a text format read line by line from disk."""
    name: str
    """What the articles' provenance names (the file's resolved path, or `a.zip!/inner`)."""
    tags: tuple[str, ...] = ()
    encoding: str | None = None
    problems: list[str] = field(default_factory=list)
    """Losses found while reading (bad records, a feed cut short): reported, not raised."""
    lookup: Lookup | None = None
    """Reads the other files of an Omnivore export (content, highlights)."""
    pages: bool = False
    """WordPress exports: the site's pages as well as its posts."""
    share: tuple[int, int] | None = None
    """(k, n): convert only every n-th article from the k-th (formats with `shared`)."""
    value: Any = None
    """A JSON format's loaded value."""
    lines: Iterable[str] = ()
    """A text format's lines (streamed from disk for a large file)."""

    def page(self) -> str:
        """The file as a page: decoded with its declared or detected encoding."""
        return decode(self.data, self.encoding)

    def text(self) -> str:
        """The file as plain text: the given encoding, else UTF-8 or a detected one."""
        return decode(self.data, self.encoding) if self.encoding else decode_text(self.data)

    def records(self) -> list[Any]:
        """A JSON export's records: the list itself, or readability.com's `bookmarks`."""
        from reader.archive.bookmark_lists import readability_records

        records = readability_records(self.value) if isinstance(self.value, dict) else self.value
        if not isinstance(records, list):
            raise NotAnArchive(UNKNOWN_JSON)
        return records


def record_sample(value: Any) -> list[dict[str, Any]]:
    """The first records of a JSON list that are objects (what JSON formats are told
    apart by); none for anything but a list."""
    if not isinstance(value, list):
        return []
    return [r for r in value[:50] if isinstance(r, dict)]


Reads = Literal["bytes", "json", "lines"]


@dataclass(frozen=True, slots=True)
class Format:
    """One input format: its name, how it is recognised and how its articles are read."""

    name: str
    """As `--format` takes it and provenance records it."""
    read: Callable[[Input], Iterator[ParsedArticle]] | None
    """The articles of a file of this format. None only for a container (JSON) whose
    format is told apart once it is opened."""
    reads: Reads = "bytes"
    """What `read` gets: the whole file as bytes, its loaded JSON value (the file is
    read whole), or its lines (streamed)."""
    sniff: Callable[[bytes], bool] | None = None
    """Recognises the format from a file's first bytes (UTF-16/32 narrowed). None when
    it is recognised otherwise: a JSON value by `shape`, text by its lines
    (`reader.archive.detect`), reader's own exports by `reader.archive.own.detect`.
    When two entries share a name (one format written two ways), a forced format is
    read by the first whose `sniff` matches, else by the last."""
    shape: Callable[[Any], bool] | None = None
    """JSON formats: recognises a loaded value."""
    shared: bool = False
    """Several processes can convert a large file's articles together (`Input.share`)."""
    xml: bool = False
    """XML: entity declarations are refused before it is parsed, whatever its start."""
    links: bool = False
    """A bookmark or link export: every record a stub (a link without its text)."""

    @property
    def records(self) -> bool:
        """Its provenance counts JSON records, not lines."""
        return self.reads == "json"
