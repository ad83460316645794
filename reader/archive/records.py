"""Articles from any JSON list (or JSON lines) of records that hold their text.

Scrapers, notebooks, datasets and other tools keep collections of articles as one
JSON object per article, each naming its fields its own way: `{"title", "text"}`,
`{"headline", "body", "url", "published"}`, `{"_id", "title", "text"}` (a search
test collection), `{"title", "content_html", "date_published"}`. A list is read
so when most of its first records hold a text under one of the names below; the
exports reader knows by their own marks (wallabag, Omnivore, browsers' bookmarks)
are told apart first, and a list of links without text is a bookmark list.

- text: the first of `body`, `markdown`, `text`, `content_text`, `fulltext`,
  `article`, `content`, `html`, `content_html` that is a non-empty string. HTML
  (`html`, `content_html`, or text that is markup) goes through the same HTML →
  Markdown path as saved pages; plain text keeps its lines as printed (a leading
  `#` or `1.` is not read as Markdown). `body` and `markdown` are Markdown.
- title: `title`, `headline`, `name`; url: `url`, `link`, `href`; date:
  `date`, `published`, `published_at`, `date_published`, `pubDate`, `created_at`,
  `created` (ISO or Unix seconds); author: `author` (a name or `{"name": …}`),
  `authors`, `byline`; tags: `tags`, `keywords`, `categories`.

A JSON Feed (`{"version": "https://jsonfeed.org/version/1.1", "items": […]}`) is read
the same way, as format `jsonfeed`: its items' `content_html` or `content_text`,
`url` (else `external_url`), `date_published`, `authors`, `tags`; the feed's title
as the source, its authors for items that name none.

A record without text but with a link is a stub (its title, link, date and tags,
never fetched), as in read-it-later exports; one with neither is skipped and
counted in one line; the others import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reader.archive import saved
from reader.archive.format import Format, Input, record_sample
from reader.clean import clean_lines, sanitize
from reader.models import ParsedArticle

TEXT_KEYS = ("body", "markdown", "text", "content_text", "fulltext", "article", "content",
             "html", "content_html")
"""Where a record's text is, first found first."""
MARKDOWN_KEYS = frozenset(("body", "markdown"))
HTML_KEYS = frozenset(("html", "content_html"))
TITLE_KEYS = ("title", "headline", "name")
URL_KEYS = ("url", "link", "href")
DATE_KEYS = ("date", "published", "published_at", "date_published", "pubDate", "created_at",
             "created")
AUTHOR_KEYS = ("author", "authors", "byline")
TAG_KEYS = ("tags", "keywords", "categories")
SHARE = 0.5
"""Share of a list's first records that must hold a text for the list to be read so."""
_MARKUP = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|a|img|span|table|article|section|em|"
                     r"strong|blockquote|pre)\b[^>]*>", re.IGNORECASE)


def _text(record: dict[str, Any]) -> tuple[str, str] | None:
    """(key, text) of the record's text, or None."""
    for key in TEXT_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return key, value
    return None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _author(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    elif isinstance(value, list):
        names = [saved.text(v.get("name") if isinstance(v, dict) else v) for v in value]
        value = ", ".join(n for n in names if n)
    return saved.text(value) or None


def _date(value: Any) -> str | None:
    found = saved.iso_date(value)
    if found is None and isinstance(value, str):
        from reader.dates import parse_date

        found = parse_date(sanitize(value)[:200])
    return found


def body(key: str, text: str, url: str | None, title: str) -> str:
    """A record's text as the article's Markdown body."""
    if key in HTML_KEYS or (key not in MARKDOWN_KEYS and _MARKUP.search(text[:20_000])):
        return saved.body_from_html(text, url, title)
    lines = clean_lines(sanitize(text.replace("\r\n", "\n")).split("\n"), title=title)
    if key in MARKDOWN_KEYS:
        return "\n".join(lines)
    from reader.archive.lines import literal

    return "\n".join(literal(line) for line in lines)


def parse(records: list[Any], name: str, tags: tuple[str, ...],
          problems: list[str], fmt: str = "records", source: str | None = None,
          author: str | None = None) -> Iterator[ParsedArticle]:
    """The records' articles, in order (a record with a link but no text a stub);
    records with neither are counted, not kept."""
    bad = 0
    for index, record in enumerate(records, 1):
        if not isinstance(record, dict):
            bad += 1
            continue
        found = _text(record)
        url = saved.link(_first(record, URL_KEYS)) or saved.link(record.get("external_url"))
        if found is None and url is None:
            bad += 1
            continue
        title = saved.text(_first(record, TITLE_KEYS))
        yield saved.article(
            title=title, body=body(*found, url, title) if found else "", name=name,
            fmt=fmt, source=source,
            line=index, url=url, date=_date(_first(record, DATE_KEYS)),
            author=_author(_first(record, AUTHOR_KEYS)) or author,
            tags=tuple(dict.fromkeys((*tags, *saved.tag_list(_first(record, TAG_KEYS))))),
        )
    if bad:
        problems.append(f"{bad} record{'s' if bad != 1 else ''} without text or link skipped")


def _shape(value: Any) -> bool:
    if isinstance(value, dict):  # one record (a JSON lines file of one line)
        return _text(value) is not None
    sample = record_sample(value)
    return bool(sample) and sum(1 for r in sample if _text(r)) >= SHARE * len(sample)


def _read(src: Input) -> Iterator[ParsedArticle]:
    records = [src.value] if isinstance(src.value, dict) else src.records()
    return parse(records, src.name, src.tags, src.problems)


FORMAT = Format("records", _read, reads="json", shape=_shape)


def _jsonfeed(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("items"), list) and \
        "jsonfeed.org/version" in str(value.get("version") or "")


def _read_jsonfeed(src: Input) -> Iterator[ParsedArticle]:
    feed = src.value
    return parse(feed["items"], src.name, src.tags, src.problems, "jsonfeed",
                 saved.text(feed.get("title")) or None,
                 _author(feed.get("authors") or feed.get("author")))


JSONFEED = Format("jsonfeed", _read_jsonfeed, reads="json", shape=_jsonfeed)
