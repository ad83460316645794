"""Archive parsers: one module per input format, and `detect` to choose among them.

Parsers are pure: text in, `ParsedArticle`s out. Formats are detected from
content, never from the file name alone; `--format` overrides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from reader.archive import digest, markdown, tagpage
from reader.archive.blocks import blocks
from reader.archive.source import (
    SNIFF,
    ArchiveError,
    Sniffed,
    looks_like_markup,
    read_lines,
    sniff,
)
from reader.models import ParsedArticle

__all__ = ["FORMATS", "ArchiveError", "Parsed", "detect", "parse_file"]

FORMATS = ("tagpage", "digest", "markdown", "text")
SAMPLE_LINES = 3000


@dataclass(slots=True)
class Parsed:
    """A file opened for import: its detected format and a stream of its articles."""

    path: Path
    format: str
    articles: Iterator[ParsedArticle]


def detect(lines: list[str]) -> str:
    """The format of a text archive, from its first lines."""
    sample = list(islice(blocks(lines), tagpage.MODE_SCAN_BLOCKS))
    if not sample:
        raise ArchiveError("no text in file")
    if tagpage.find_header(sample) is not None:
        return "tagpage"
    separators, doubled = digest.count_items(sample)
    posts = tagpage.count_posts(sample)
    if separators and (doubled or separators >= 2) and separators * 2 >= posts:
        return "digest"
    if posts >= 2:
        return "tagpage"
    if doubled >= 2:
        return "digest"
    return "markdown" if markdown.has_markdown(lines) else "text"


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
    path: Path, fmt: str | None = None, tags: tuple[str, ...] = (), encoding: str | None = None
) -> Parsed:
    """Open `path`, detect its format (unless given) and stream its articles.

    Raises ArchiveError with a one-line reason when the file cannot be read;
    errors found later while streaming (bad bytes deep in a large file) are
    raised from the iterator.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ArchiveError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sniffed = sniff(path, encoding)
    if fmt is None and looks_like_markup(sniffed.head):
        raise ArchiveError("HTML/XML files are not supported yet")
    sample = _sample(path, sniffed)
    if not any(line.strip() for line in sample):
        raise ArchiveError("no text in file")
    fmt = fmt or detect(sample)
    name = str(path.resolve())
    if fmt in ("markdown", "text"):
        return Parsed(path, fmt, markdown.parse(list(read_lines(path, sniffed)), name, fmt, tags))
    module = tagpage if fmt == "tagpage" else digest
    return Parsed(path, fmt, module.parse(read_lines(path, sniffed), name, tags))
