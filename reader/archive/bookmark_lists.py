"""Link lists exported as JSON by bookmarking and read-it-later services:
Pinboard, Delicious, readability.com and elCurator.

They hold links, not text: every record is a stub (title, URL, tags, date,
state), never fetched. Each service names its fields its own way:

- Pinboard: `href`, `description` (the title), `tags` space-separated, `time`,
  `toread` (`yes`: unread; `no`: read, as wallabag's importer has it).
- Delicious: `url`, `title`, a list of `tags` (`""` is no tag), `created` (Unix seconds).
- readability.com: `{"bookmarks": […]}` of `article__url`, `article__title`,
  `date_added`, `archive` (read), `favorite` (starred).
- elCurator: `url`, `title`, a list of `tags`, `created_at`, `is_saved` (starred).

Notes and excerpts (Pinboard's `extended`, Delicious's `description`,
readability's `article__excerpt`) are not kept: a stub has no body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reader.archive import saved
from reader.archive.format import Format, Input, record_sample
from reader.models import ParsedArticle

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Shape:
    """How one service writes a link."""

    source: str
    marker: frozenset[str]
    """Keys that, all present, tell this service's records apart."""
    url: str
    title: str
    date: str
    tags: Callable[[Any], tuple[str, ...]]
    read: Callable[[Record], bool | None] = lambda record: None
    starred: Callable[[Record], bool | None] = lambda record: None


def _pinboard_read(record: Record) -> bool | None:
    value = saved.text(record.get("toread")).casefold()
    return None if not value else not saved.flag(value)


def _readability_title(value: Any) -> str:
    title = saved.text(value)
    return "" if title.casefold() == "no title found" else title  # its placeholder


SHAPES = {
    "pinboard": Shape("Pinboard", frozenset({"href", "description", "time"}), "href",
                      "description", "time", lambda tags: saved.tag_list(tags, " \t"),
                      read=_pinboard_read),
    "delicious": Shape("Delicious", frozenset({"url", "title", "created"}), "url", "title",
                       "created", saved.tag_list),
    "readability": Shape("Readability", frozenset({"article__url"}), "article__url",
                         "article__title", "date_added", lambda tags: (),
                         read=lambda r: saved.flag(r.get("archive")),
                         starred=lambda r: saved.flag(r.get("favorite"))),
    "elcurator": Shape("elCurator", frozenset({"url", "is_saved"}), "url", "title",
                       "created_at", saved.tag_list,
                       starred=lambda r: saved.flag(r.get("is_saved"))),
}
"""Formats by name, in the order they are tried."""


def records_format(records: list[Record]) -> str | None:
    """Which service wrote these records (a sample of them), if one of ours."""
    keys = set().union(*(r.keys() for r in records[:20]))
    for fmt, shape in SHAPES.items():
        if shape.marker <= keys:
            return fmt
    return None


def readability_records(value: Any) -> list[Any] | None:
    """The records of a readability.com export (`{"bookmarks": […]}`), else None."""
    if isinstance(value, dict) and isinstance(value.get("bookmarks"), list):
        sample = [r for r in value["bookmarks"][:20] if isinstance(r, dict)]
        if not sample or any("article__url" in r for r in sample):
            return list(value["bookmarks"])
    return None


def parse(records: list[Any], fmt: str, name: str, tags: tuple[str, ...],
          problems: list[str]) -> Iterator[ParsedArticle]:
    shape = SHAPES[fmt]
    bad: list[int] = []
    for index, record in enumerate(records, 1):
        url = saved.link(record.get(shape.url)) if isinstance(record, dict) else None
        if not isinstance(record, dict) or not url:
            bad.append(index)
            continue
        title = (_readability_title if fmt == "readability" else saved.text)(
            record.get(shape.title))
        yield saved.article(
            title=title, body="", name=name, fmt=fmt, line=index, url=url,
            date=saved.iso_date(record.get(shape.date)), source=shape.source,
            tags=tuple(dict.fromkeys((*tags, *shape.tags(record.get("tags"))))),
            read=shape.read(record), starred=shape.starred(record),
        )
    saved.report_skipped(bad, problems)


def _format(kind: str) -> Format:
    def read(src: Input) -> Iterator[ParsedArticle]:
        return parse(src.records(), kind, src.name, src.tags, src.problems)

    def shape(value: Any) -> bool:
        if kind == "readability" and readability_records(value) is not None:
            return True
        sample = record_sample(value)
        return bool(sample) and records_format(sample) == kind

    return Format(kind, read, reads="json", shape=shape, links=True)


FORMATS = tuple(_format(kind) for kind in SHAPES)
"""One per service, in the order of `SHAPES`."""
