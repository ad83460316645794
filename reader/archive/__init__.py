"""Archive parsers: one module per input format, and `detect` to choose among them.

Parsers are pure: text in, `ParsedArticle`s out. Formats are detected from
content, never from the file name alone; `--format` overrides.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.archive import (
    bookmarks,
    browsers,
    feed,
    html,
    instapaper,
    kindle,
    links,
    listing,
    markdown,
    omnivore,
    own,
    pocket,
    wallabag,
    wxr,
    zipped,
)
from reader.archive.decoding import decode, decode_text, narrow
from reader.archive.markup import FEED_ROOTS, root_element, unknown_xml
from reader.archive.source import (
    SNIFF,
    ArchiveError,
    Sniffed,
    looks_like_markup,
    read_lines,
    refuse_long_lines,
    sniff,
)
from reader.archive.xmlsafe import refuse_entities
from reader.clean import sanitize
from reader.models import ParsedArticle

__all__ = ["FORMATS", "LINK_FORMATS", "ArchiveError", "NotAnArchive", "Parsed", "detect",
           "detect_bytes", "parse_bytes", "parse_file"]

TEXT_FORMATS = ("tagpage", "digest", "markdown", "text")
BYTE_FORMATS = ("html", "feed", "wxr", "wallabag", "omnivore", "pocket", "instapaper",
                "kindle")
"""Formats read whole, as bytes (they decode themselves)."""
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
"""Inside folders and zips, text is imported only from files named like text."""
LINK_FORMATS = ("bookmarks", "pinboard", "delicious", "readability", "elcurator", "firefox",
                "chrome")
"""Bookmark and link exports (every record a stub), read whole as bytes. Detected
from content; `parse_file` and `parse_bytes` take them as `fmt` too."""
FORMATS = TEXT_FORMATS + BYTE_FORMATS + LINK_FORMATS + own.FORMATS
JSON_FORMATS = ("wallabag", "omnivore", "pinboard", "delicious", "readability", "elcurator",
                "firefox", "chrome")
_UNKNOWN_JSON = "JSON, but not an export reader knows (wallabag, Omnivore, bookmarks)"
MAX_BYTES = 512 << 20
"""Byte formats are read whole; larger files are refused."""
SAMPLE_LINES = 3000


class NotAnArchive(ArchiveError):
    """The file is readable but of a kind reader does not import (JSON of another app…).

    Inside a folder or a zip such a file is skipped with this reason, not failed.
    """


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


SHARED_FORMATS = ("feed", "wxr", "wallabag")
"""Formats whose articles several processes can convert together: each parses the
whole file and converts every n-th article (`share=(k, n)`)."""


_JSON = re.compile(rb"^\s*(?:\[\s*(?:[{\]]|$)|\{\s*(?:\"|\}|$))")


def _first_line(head: bytes) -> str:
    return head.removeprefix(codecs.BOM_UTF8)[:4096].split(b"\n", 1)[0].decode(
        "utf-8", errors="replace").strip()


def detect_bytes(head: bytes) -> str | None:
    """The byte format the first bytes of a file announce, or None for text.

    `zip`, `gzip` and `json` are containers rather than formats: a zip is
    expanded by the importer, a gzip file read as what it holds, JSON told apart
    (wallabag, Omnivore, bookmarks…) once loaded. UTF-16/32 is read as UTF-8.
    """
    if zipped.is_zip(head):
        return "zip"
    if zipped.is_gzip(head):
        return "gzip"
    head = narrow(head, head=True)
    if bookmarks.looks_like_bookmarks(head):  # HTML, but no page: before pages and Pocket
        return "bookmarks"
    if pocket.looks_like_ril(head):
        return "pocket"
    if _JSON.match(head.removeprefix(codecs.BOM_UTF8)):
        return "json"
    if kindle.looks_like_clippings(head):
        return "kindle"
    first = _first_line(head)
    if "," in first and pocket.looks_like_pocket_csv(first):
        return "pocket"
    if "," in first and instapaper.looks_like_instapaper_csv(first):
        return "instapaper"
    if html.looks_like_html(head) and not feed.looks_like_feed(head[:512]):
        return "html"
    root = root_element(head)
    if root == b"rss" and wxr.looks_like_wxr(head):
        return "wxr"
    if root in FEED_ROOTS and feed.looks_like_feed(head):
        return "feed"
    if html.looks_like_html(head):
        return "html"
    return None


def _json_value(data: bytes, encoding: str | None) -> Any:
    text = decode(data, encoding) if encoding else decode_text(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"not valid JSON ({exc.msg} on line {exc.lineno})") from None
    except RecursionError:
        raise ArchiveError("JSON nested too deeply") from None


def _json_format(value: Any) -> str:
    """Which export a loaded JSON file is: a browser's tree, or a list of records."""
    if browsers.looks_like_firefox(value):
        return "firefox"
    if browsers.looks_like_chrome(value):
        return "chrome"
    if links.readability_records(value) is not None:
        return "readability"
    if not isinstance(value, list):
        raise NotAnArchive(_UNKNOWN_JSON)
    return _records_format(value)


def _records_format(records: list[Any]) -> str:
    sample = [r for r in records[:50] if isinstance(r, dict)]
    if sample and omnivore.looks_like_omnivore(sample):
        return "omnivore"
    if sample and wallabag.looks_like_wallabag(sample):
        return "wallabag"
    kind = links.records_format(sample) if sample else None
    if kind:
        return kind
    if not records:
        raise ArchiveError("no records in this JSON file")
    raise NotAnArchive(_UNKNOWN_JSON)


def _parse_json(value: Any, kind: str, name: str, tags: tuple[str, ...], problems: list[str],
                lookup: omnivore.Lookup | None,
                share: tuple[int, int] | None = None) -> Iterator[ParsedArticle]:
    if kind == "firefox":
        if not browsers.looks_like_firefox(value):
            raise ArchiveError("not a Firefox bookmarks backup")
        return browsers.parse_firefox(value, name, tags, problems)
    if kind == "chrome":
        if not browsers.looks_like_chrome(value):
            raise ArchiveError("not a Chrome bookmarks file")
        return browsers.parse_chrome(value, name, tags, problems)
    records = links.readability_records(value) if isinstance(value, dict) else value
    if not isinstance(records, list):
        raise NotAnArchive(_UNKNOWN_JSON)
    if kind == "omnivore":
        return omnivore.parse(records, name, tags, problems, lookup)
    if kind == "wallabag":
        return wallabag.parse(records, name, tags, problems, share)
    return links.parse(records, kind, name, tags, problems)


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
    fmt = fmt or own.detect(data[:SNIFF])
    if fmt in own.FORMATS:  # reader's own exports: a library moved, or notes edited elsewhere
        losses: list[str] = []
        return Parsed(path or Path(name), fmt, own.parse(data, name, fmt, tags, losses),
                      losses)
    if fmt in ("feed", "wxr") or looks_like_markup(data[:SNIFF]):
        refuse_entities(data)
    fmt = fmt or detect_bytes(data[:SNIFF])
    problems: list[str] = []
    where = path or Path(name)
    if fmt == "zip":
        raise ArchiveError("a zip file: import it with `reader import`, which opens zips")
    if fmt == "json" or fmt in JSON_FORMATS:
        value = _json_value(data, encoding)
        kind = _json_format(value) if fmt == "json" else fmt
        return Parsed(where, kind, _parse_json(value, kind, name, tags, problems, lookup,
                                               share),
                      problems, shared=share is not None and kind in SHARED_FORMATS)
    if fmt == "bookmarks":
        page = decode(data, encoding)
        return Parsed(where, fmt, bookmarks.parse(page, name, tags, problems), problems)
    if fmt == "pocket" and pocket.looks_like_ril(data[:SNIFF]):
        page = decode(data, encoding)
        return Parsed(where, fmt, pocket.parse_ril(page, name, tags, problems), problems)
    if fmt in ("pocket", "instapaper"):
        text = sanitize(decode(data, encoding) if encoding else decode_text(data))
        parse_csv = pocket.parse_csv if fmt == "pocket" else instapaper.parse
        return Parsed(where, fmt, parse_csv(text, name, tags, problems), problems)
    if fmt == "html":
        return Parsed(where, fmt, html.parse(data, name, tags, encoding), problems)
    if fmt == "kindle":
        text = decode(data, encoding) if encoding else decode_text(data)
        return Parsed(where, fmt, kindle.parse(text, name, tags), problems)
    if fmt == "feed":
        return Parsed(where, fmt, feed.parse(data, name, tags, problems, share), problems,
                      shared=share is not None)
    if fmt == "wxr":
        return Parsed(where, fmt, wxr.parse(data, name, tags, problems, pages, share),
                      problems, shared=share is not None)
    if fmt is None and unknown_xml(data[:SNIFF]):
        raise ArchiveError("XML of an unknown kind (not a feed or WordPress export)")
    text = decode(data, encoding) if encoding else decode_text(data)
    lines = sanitize(text).replace("\r\n", "\n").split("\n")
    refuse_long_lines(lines)
    if not any(line.strip() for line in lines[:SAMPLE_LINES]):
        raise ArchiveError("no text in file")
    detected = fmt is None
    fmt = fmt or detect(lines[:SAMPLE_LINES])
    if fmt in ("markdown", "text"):
        return Parsed(where, fmt, markdown.parse(lines, name, fmt, tags))
    parsed = Parsed(where, fmt, listing.parse(iter(lines), name, tags, fmt=fmt,
                                              markdown=_is_markdown_name(name)))
    return _or_single(parsed, lambda: lines, name, tags) if detected else parsed


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
    whole = BYTE_FORMATS + LINK_FORMATS + own.FORMATS
    if _gzipped(path):
        if path.stat().st_size > MAX_BYTES:
            raise ArchiveError(f"too large for a gzip file ({path.stat().st_size >> 20} MB)")
        return parse_bytes(path.read_bytes(), str(path.resolve()), fmt, tags, encoding, path,
                           pages=pages, share=share)
    sniffed = sniff(path, encoding if fmt not in whole else None)
    byte_format = fmt if fmt in whole else None
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
    name = str(path.resolve())
    if fmt in ("markdown", "text"):
        return Parsed(path, fmt, markdown.parse(list(read_lines(path, sniffed)), name, fmt, tags))
    parsed = Parsed(path, fmt, listing.parse(read_lines(path, sniffed), name, tags, fmt=fmt,
                                             markdown=_is_markdown_name(name)))
    return _or_single(parsed, lambda: list(read_lines(path, sniffed)), name,
                      tags) if detected else parsed


def _is_markdown_name(name: str) -> bool:
    """A dump saved as Markdown keeps its bodies' Markdown; plain text is kept literal."""
    return Path(name).suffix.lower() in TEXT_SUFFIXES - {".txt", ".text"}


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
        parsed.format = "markdown" if markdown.has_markdown(text) else "text"
        yield from markdown.parse(text, name, parsed.format, tags)

    parsed.articles = articles()
    return parsed
