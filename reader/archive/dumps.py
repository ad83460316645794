"""Listing dumps as formats: a tag or archive page (`tagpage`) and a news digest
(`digest`), both split by `reader.archive.listing` from the template it induces.

Text is told apart by its lines rather than its first bytes (`reader.archive.detect`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.archive import listing
from reader.archive.format import Format, Input
from reader.archive.source import TEXT_SUFFIXES
from reader.models import ParsedArticle


def saved_as_markdown(name: str) -> bool:
    """A dump saved as Markdown keeps its bodies' Markdown; plain text is kept literal."""
    return Path(name).suffix.lower() in TEXT_SUFFIXES - {".txt", ".text"}


def _format(fmt: str) -> Format:
    def read(src: Input) -> Iterator[ParsedArticle]:
        return listing.parse(iter(src.lines), src.name, src.tags, fmt=fmt,
                             markdown=saved_as_markdown(src.name), problems=src.problems)

    return Format(fmt, read, reads="lines")


TAGPAGE = _format("tagpage")
"""A blog's tag, category or archive page: one record template printed N times."""
DIGEST = _format("digest")
"""A news digest: each title printed twice, or with its source under it."""
