"""Archive parsers: one module per input format, registered in `REGISTRY`, and the
detection that chooses among them.

Parsers are pure: text in, `ParsedArticle`s out. Formats are detected from
content, never from the file name alone; `--format` overrides. Each format
module exports a `Format` (`reader/archive/format.py`); its line in `REGISTRY`
is its place in detection: first bytes (`detect_bytes`), then a JSON value's
shape, then a text's lines (`detect`); reader's own exports before all.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.archive import (
    bookmark_lists,
    bookmarks,
    browsers,
    dumps,
    feed,
    html,
    instapaper,
    kindle,
    listing,
    markdown,
    omnivore,
    own,
    pocket,
    records,
    wallabag,
    wxr,
    zipped,
)
from reader.archive.decoding import decode, decode_text, narrow
from reader.archive.format import UNKNOWN_JSON, Format, Input
from reader.archive.markup import unknown_xml
from reader.archive.source import (
    SNIFF,
    TEXT_SUFFIXES,
    ArchiveError,
    NotAnArchive,
    Sniffed,
    looks_like_markup,
    read_lines,
    refuse_long_lines,
    sniff,
)
from reader.archive.xmlsafe import refuse_entities, without_forbidden_start
from reader.clean import sanitize
from reader.models import ParsedArticle

__all__ = ["FORMATS", "LINK_FORMATS", "RECORD_FORMATS", "REGISTRY", "TEXT_SUFFIXES",
           "ArchiveError", "Format", "NotAnArchive", "Parsed", "detect", "detect_bytes",
           "parse_bytes", "parse_file"]

_JSON = re.compile(rb"^\s*(?:\[\s*(?:[{\]]|$)|\{\s*(?:\"|\}|$))")


def _looks_like_json(head: bytes) -> bool:
    """An array of objects or an object, by its first characters."""
    return _JSON.match(head.removeprefix(codecs.BOM_UTF8)) is not None


JSON = Format("json", None, reads="json", sniff=_looks_like_json)
"""JSON, a container: which export it is is told from the loaded value (`Format.shape`)."""

REGISTRY: tuple[Format, ...] = (
    # Recognised from their first bytes, in this order (the first that matches):
    bookmarks.FORMAT,  # HTML, but no page: before pages and Pocket
    pocket.RIL,
    JSON,
    kindle.FORMAT,
    pocket.CSV,
    instapaper.FORMAT,
    html.PAGE,
    wxr.FORMAT,
    feed.FORMAT,
    html.FORMAT,
    # JSON, recognised from the loaded value, in this order:
    browsers.FIREFOX,
    browsers.CHROME,
    omnivore.FORMAT,
    wallabag.FORMAT,
    records.JSONFEED,
    records.FORMAT,  # records holding text, named any way: before lists of links
    *bookmark_lists.FORMATS,
    # Text, recognised from its lines (`detect`):
    dumps.TAGPAGE,
    dumps.DIGEST,
    markdown.MARKDOWN,
    markdown.TEXT,
    # reader's own exports, recognised before anything else (`own.detect`):
    *own.FORMATS,
)
"""Every format reader reads. A new format is a module exporting a `Format` and one line
here; its place in the list is its place in detection."""



def _by_name(registry: tuple[Format, ...]) -> dict[str, tuple[Format, ...]]:
    """Registry entries by format name, in registry order (a format written two ways
    has two)."""
    found: dict[str, tuple[Format, ...]] = {}
    for entry in registry:
        found[entry.name] = (*found.get(entry.name, ()), entry)
    return found


_BY_NAME = _by_name(REGISTRY)
FORMATS = tuple(name for name in _BY_NAME if name != JSON.name)
"""The formats `--format` can force."""
_SNIFFED = tuple(entry for entry in REGISTRY if entry.sniff is not None)
_SHAPED = tuple(entry for entry in REGISTRY if entry.shape is not None)
RECORD_FORMATS = tuple(name for name in FORMATS if _BY_NAME[name][0].records)
"""JSON formats: their provenance counts records, not lines."""
_WHOLE = tuple(name for name in FORMATS if _BY_NAME[name][0].reads != "lines")
"""Formats read whole (as bytes or JSON); text is streamed line by line."""
SHARED_FORMATS = tuple(name for name in FORMATS if _BY_NAME[name][0].shared)
"""Formats whose articles several processes can convert together: each parses the
whole file and converts every n-th article (`share=(k, n)`)."""
LINK_FORMATS = tuple(name for name in FORMATS if _BY_NAME[name][0].links)
"""Bookmark and link exports: every record a stub."""
MAX_BYTES = 512 << 20
"""Byte formats are read whole; larger files are refused."""
SAMPLE_LINES = 3000


@dataclass(slots=True)
class Parsed:
    """A file opened for import: its detected format and a stream of its articles."""

    path: Path
    format: str
    articles: Iterator[ParsedArticle]
    problems: list[str] = field(default_factory=list)
    """Losses found while streaming (a feed cut short, bad items): reported, not raised."""
    shared: bool = False
    """Only this process's share of the articles is in `articles` (see SHARED_FORMATS)."""


def detect_bytes(head: bytes) -> str | None:
    """The byte format the first bytes of a file announce, or None for text.

    `zip`, `gzip` and `json` are containers rather than formats: a zip is
    expanded by the importer, a gzip file read as what it holds, JSON told apart
    (wallabag, Omnivore, bookmarks…) once loaded. UTF-16/32 is read as UTF-8.
    Formats are tried in `REGISTRY` order.
    """
    if zipped.is_zip(head):
        return "zip"
    if zipped.is_gzip(head):
        return "gzip"
    head = without_forbidden_start(narrow(head, head=True))
    for entry in _SNIFFED:
        assert entry.sniff is not None
        if entry.sniff(head):
            return entry.name
    return None


def _variant(fmt: str, head: bytes) -> Format:
    """The registry entry that reads `fmt`: of a format written two ways, the first
    whose first bytes match, else the last."""
    entries = _BY_NAME[fmt]
    for entry in entries[:-1]:
        if entry.sniff is not None and entry.sniff(head):
            return entry
    return entries[-1]


def _json_value(data: bytes, encoding: str | None) -> Any:
    text = decode(data, encoding) if encoding else decode_text(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return _json_lines(text)
        raise ArchiveError(f"not valid JSON ({exc.msg} on line {exc.lineno})") from None
    except RecursionError:
        raise ArchiveError("JSON nested too deeply") from None


def _json_lines(text: str) -> list[Any]:
    """JSON lines (one value a line) as the list of its values."""
    values = []
    number = 0
    try:
        for line in text.split("\n"):
            number += 1
            if line.strip():
                values.append(json.loads(line))
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"not valid JSON lines ({exc.msg} on line {number})") from None
    except RecursionError:
        raise ArchiveError("JSON nested too deeply") from None
    return values


def _json_format(value: Any) -> Format:
    """Which export a loaded JSON file is: a browser's tree, or a list of records."""
    for entry in _SHAPED:
        assert entry.shape is not None
        if entry.shape(value):
            return entry
    if isinstance(value, list) and not value:
        raise ArchiveError("no records in this JSON file")
    raise NotAnArchive(UNKNOWN_JSON)


def parse_bytes(data: bytes, name: str, fmt: str | None = None, tags: tuple[str, ...] = (),
                encoding: str | None = None, path: Path | None = None,
                lookup: omnivore.Lookup | None = None, *, pages: bool = False,
                share: tuple[int, int] | None = None) -> Parsed:
    """Detect and parse a file already in memory (a zip entry, a small file).

    `lookup` reads the other files of an Omnivore export (content, highlights);
    `pages` imports a WordPress export's pages as well as its posts; `share`
    (k, n) converts only this process's share of a SHARED_FORMATS file.
    """
    if zipped.is_gzip(data):
        data = zipped.gunzip(data, MAX_BYTES)
        fmt = None if fmt == "gzip" else fmt
    if not encoding:
        data = narrow(data)
    if not data.strip():
        raise ArchiveError("empty file")
    where = path or Path(name)
    problems: list[str] = []
    source = Input(data, name, tags, encoding, problems, lookup, pages, share)
    fmt = fmt or own.detect(data[:SNIFF])
    if fmt in own.NAMES:  # reader's own exports: a library moved, or notes edited elsewhere
        return Parsed(where, fmt, _read(_BY_NAME[fmt][0], source), problems)
    known = _BY_NAME.get(fmt) if fmt else None
    if (known and known[0].xml) or looks_like_markup(data[:SNIFF]):
        refuse_entities(data)
    fmt = fmt or detect_bytes(data[:SNIFF])
    if fmt == "zip":
        raise ArchiveError("a zip file: import it with `reader import`, which opens zips")
    if fmt in _BY_NAME and _BY_NAME[fmt][0].reads == "json":
        source.value = _json_value(data, encoding)
        entry = _json_format(source.value) if fmt == JSON.name else _BY_NAME[fmt][0]
        return Parsed(where, entry.name, _read(entry, source), problems,
                      shared=share is not None and entry.shared)
    if fmt in _WHOLE:
        entry = _variant(fmt, data[:SNIFF])
        return Parsed(where, fmt, _read(entry, source), problems,
                      shared=share is not None and entry.shared)
    if fmt is None and unknown_xml(data[:SNIFF]):
        raise ArchiveError("XML of an unknown kind (not a feed or WordPress export)")
    text = decode(data, encoding) if encoding else decode_text(data)
    lines = sanitize(text).replace("\r\n", "\n").split("\n")
    refuse_long_lines(lines)
    if not any(line.strip() for line in lines[:SAMPLE_LINES]):
        raise ArchiveError("no text in file")
    detected = fmt is None
    fmt = fmt or detect(lines[:SAMPLE_LINES])
    return _text(where, fmt, lambda: lines, name, tags, detected)


def _read(entry: Format, source: Input) -> Iterator[ParsedArticle]:
    assert entry.read is not None
    return entry.read(source)


def _text(where: Path, fmt: str, lines: Callable[[], Iterable[str]], name: str,
          tags: tuple[str, ...], detected: bool) -> Parsed:
    """A text file's articles: `lines()` gives its lines afresh each time it is called."""
    entries = _BY_NAME.get(fmt)
    if entries is None or entries[0].reads != "lines":
        raise ArchiveError(f"unknown format {fmt!r}")
    problems: list[str] = []
    parsed = Parsed(where, fmt, _read(entries[0], Input(b"", name, tags, problems=problems,
                                                        lines=lines())), problems)
    if detected and fmt not in (markdown.MARKDOWN.name, markdown.TEXT.name):
        return _or_single(parsed, lambda: list(lines()), name, tags)
    return parsed


def detect(lines: list[str]) -> str:
    """The format of a text archive, from its first lines.

    A text is a listing dump (`tagpage`, or `digest` for news digests) when its
    lines repeat a record template (`reader/archive/listing.py`), whatever its
    header says; otherwise it is one article. A post with front matter is
    Markdown, whatever its body looks like.
    """
    if markdown.front_matter(lines)[0]:
        return "markdown"
    if not any(line.strip() for line in lines):
        raise ArchiveError("no text in file")
    template = listing.sniff(lines)
    if template is not None:
        return "digest" if template.start == "double" or template.sources else "tagpage"
    return "markdown" if markdown.has_markdown(lines) else "text"


def _gzipped(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return zipped.is_gzip(fh.read(2))
    except OSError:
        return False  # sniff says why


def _sample(path: Path, sniffed: Sniffed) -> list[str]:
    lines: list[str] = []
    size = 0
    for line in read_lines(path, sniffed):
        lines.append(line)
        size += len(line) + 1
        if size >= SNIFF or len(lines) >= SAMPLE_LINES:
            break
    return lines


def parse_file(
    path: Path, fmt: str | None = None, tags: tuple[str, ...] = (), encoding: str | None = None,
    *, pages: bool = False, share: tuple[int, int] | None = None,
) -> Parsed:
    """Open `path`, detect its format (unless given) and stream its articles.

    Raises ArchiveError with a one-line reason when the file cannot be read;
    errors found later while streaming (bad bytes deep in a large file) are
    raised from the iterator.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ArchiveError(f"unknown format {fmt!r}; choose one of "
                           f"{', '.join(FORMATS)}")
    if _gzipped(path):
        if path.stat().st_size > MAX_BYTES:
            raise ArchiveError(f"too large for a gzip file ({path.stat().st_size >> 20} MB)")
        return parse_bytes(path.read_bytes(), str(path.resolve()), fmt, tags, encoding, path,
                           pages=pages, share=share)
    sniffed = sniff(path, encoding if fmt not in _WHOLE else None)
    byte_format = fmt if fmt in _WHOLE else None
    if fmt is None:
        head = narrow(sniffed.head, head=True) if not encoding else sniffed.head
        if looks_like_markup(head):
            refuse_entities(head)
        byte_format = own.detect(sniffed.head) or detect_bytes(sniffed.head)
        if byte_format == "zip":
            raise ArchiveError("a zip file: import it with `reader import`, which opens zips")
        if byte_format is None and unknown_xml(head):
            raise ArchiveError("XML of an unknown kind (not a feed or WordPress export)")
    if byte_format is not None:
        if path.stat().st_size > MAX_BYTES:
            raise ArchiveError(f"too large for a {byte_format} file "
                               f"({path.stat().st_size >> 20} MB)")
        return parse_bytes(path.read_bytes(), str(path.resolve()), byte_format, tags, encoding,
                           path, pages=pages, share=share)
    sample = _sample(path, sniffed)
    if not any(line.strip() for line in sample):
        raise ArchiveError("no text in file")
    detected = fmt is None
    fmt = fmt or detect(sample)
    return _text(path, fmt, lambda: read_lines(path, sniffed), str(path.resolve()), tags,
                 detected)


def _or_single(parsed: Parsed, lines: Callable[[], list[str]], name: str,
               tags: tuple[str, ...]) -> Parsed:
    """A detected dump that splits into no articles is one Markdown or text article.

    (A changelog or a notes file can look like a dated list of posts.)
    """
    dump = parsed.articles

    def articles() -> Iterator[ParsedArticle]:
        first = next(dump, None)
        if first is not None:
            yield first
            yield from dump
            return
        text = lines()
        parsed.problems.clear()  # nothing is left out of the one article
        parsed.format = "markdown" if markdown.has_markdown(text) else "text"
        yield from markdown.parse(text, name, parsed.format, tags)

    parsed.articles = articles()
    return parsed
