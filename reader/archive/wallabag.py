"""wallabag JSON exports, version 1 and 2 (2.6 included).

v2 records carry `is_archived`/`is_starred` (booleans or 0/1), a list of
`tags`, `published_at`/`published_by` and `annotations` in annotator.js shape
(`quote`, `text`, `ranges`). v1 records carry `is_read`/`is_fav` and a
comma-separated `tags` string (and numeric keys duplicating the named ones).
`content` is the article's stored HTML, converted like a saved page. A record
with neither URL nor title is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from reader.archive import saved
from reader.archive.format import Format, Input, record_sample
from reader.models import ImportedHighlight, ParsedArticle

MARKERS = ({"is_archived"}, {"is_starred"}, {"is_read", "is_fav"})
"""Key sets that make a JSON array of records a wallabag export."""


def looks_like_wallabag(records: list[dict[str, Any]]) -> bool:
    keys = set().union(*(r.keys() for r in records[:20]))
    return any(marker <= keys for marker in MARKERS) and ("content" in keys or "url" in keys)


def _highlights(record: dict[str, Any]) -> tuple[ImportedHighlight, ...]:
    found = []
    for item in record.get("annotations") or ():
        if not isinstance(item, dict):
            continue
        quote, note = saved.note_text(item.get("quote")), saved.note_text(item.get("text"))
        if quote or note:
            found.append(ImportedHighlight(quote=quote, note=note))
    return tuple(found)


def _author(record: dict[str, Any]) -> str | None:
    names = record.get("published_by")
    if isinstance(names, list):
        names = ", ".join(n for n in (saved.text(x) for x in names) if n)
    return saved.text(names) or None


def parse(records: list[Any], name: str, tags: tuple[str, ...],
          problems: list[str], share: tuple[int, int] | None = None) -> Iterator[ParsedArticle]:
    """Articles of a wallabag export, in record order.

    `share` (k, n): only every n-th record from the k-th is converted and
    returned (n processes convert a large export together; record numbers
    order them back). Bad records are reported by every share alike.
    """
    bad: list[int] = []
    for index, record in enumerate(records, 1):
        if not isinstance(record, dict):
            bad.append(index)
            continue
        title = saved.text(record.get("title"))
        if not saved.text(record.get("url")) and not title:
            # `given_url` alone is what was typed, not what was saved: not enough.
            bad.append(index)
            continue
        if share is not None and (index - 1) % share[1] != share[0]:
            continue
        url = saved.link(record.get("url")) or saved.link(record.get("given_url"))
        v1 = "is_read" in record or "is_fav" in record
        read = saved.flag(record.get("is_read") if v1 else record.get("is_archived"))
        starred = saved.flag(record.get("is_fav") if v1 else record.get("is_starred"))
        source = saved.text(record.get("domain_name")) or (urlsplit(url).hostname if url
                                                          else None)
        yield saved.article(
            title=title, body=saved.body_from_html(record.get("content"), url, title),
            name=name, fmt="wallabag", line=index, url=url,
            date=saved.iso_date(record.get("published_at")) or saved.iso_date(
                record.get("created_at")),
            source=source, author=_author(record),
            tags=tuple(dict.fromkeys((*tags, *saved.tag_list(record.get("tags"))))),
            read=read, starred=starred, highlights=_highlights(record),
        )
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        problems.append(f"{len(bad)} record{'s' if len(bad) != 1 else ''} skipped: no URL "
                        f"and no title (record {shown})")


def _shape(value: Any) -> bool:
    sample = record_sample(value)
    return bool(sample) and looks_like_wallabag(sample)


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.records(), src.name, src.tags, src.problems, src.share)


FORMAT = Format("wallabag", _read, reads="json",
                shape=_shape, shared=True)
