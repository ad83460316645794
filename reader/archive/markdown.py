"""Markdown and plain-text files: one article each, YAML or TOML front matter honoured.

    ---
    title: …
    date: 2020-06-01
    tags: [a, b]          (or `tags: a, b`)
    source: …
    url: …
    ---
    # Title               (used when the front matter has none; dropped from the body)

or, as Hugo and Zola write it, TOML between `+++` lines (`title = "…"`,
`date = 2020-06-01`, `tags = ["a", "b"]`, and `[taxonomies] tags = […]`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from reader.archive.format import Format, Input
from reader.clean import clean_title, is_junk, slug_title, squash
from reader.dates import date_line, parse_date
from reader.models import ParsedArticle, Provenance

_HEADING = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def front_matter(lines: list[str]) -> tuple[dict[str, Any], int]:
    """(front matter mapping, number of lines it takes), or ({}, 0).

    YAML between `---` lines (Jekyll, Hugo, Obsidian…) or TOML between `+++`
    lines (Hugo, Zola). Front matter that does not parse is left in the body.
    """
    opening = lines[0].strip().lstrip("\ufeff") if lines else ""
    if opening not in ("---", "+++"):
        return {}, 0
    closing = ("---", "...") if opening == "---" else ("+++",)
    for i in range(1, min(len(lines), 500)):
        if lines[i].strip() in closing:
            import yaml  # here: few files have front matter, and yaml takes 20 ms to load

            block = "\n".join(lines[1:i])
            try:
                data = yaml.safe_load(block) if opening == "---" else tomllib.loads(block)
            except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError):
                return {}, 0
            return (data if isinstance(data, dict) else {}), i + 1
    return {}, 0


def has_markdown(lines: list[str]) -> bool:
    return bool(front_matter(lines)[1]) or any(_HEADING.match(ln) for ln in lines[:200])


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = squash(clean_title(str(value)))
    return text or None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return parse_date(str(value)) if value is not None else None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    out: list[str] = []
    for item in items:
        tag = squash(clean_title(str(item))).lstrip("#")
        if tag and tag.casefold() not in {t.casefold() for t in out}:
            out.append(tag)
    return tuple(out)


def parse(
    lines: list[str], path: str, fmt: str, tags: tuple[str, ...] = ()
) -> Iterator[ParsedArticle]:
    """The file as one article."""
    meta, skip = front_matter(lines)
    for table in ("taxonomies", "extra"):  # Zola keeps tags and authors in tables
        if isinstance(meta.get(table), dict):
            meta = {**meta[table], **meta}
    body = [ln.rstrip().replace("\u00a0", " ") for ln in lines[skip:]]
    first = skip
    while body and not body[0].strip():
        body.pop(0)
        first += 1
    while body and not body[-1].strip():
        body.pop()
    if body and body[0].lstrip().startswith("<!--"):
        # A leading HTML comment (a generator's note, a licence header) is not text.
        end = next((i for i, ln in enumerate(body[:200]) if "-->" in ln), None)
        if end is not None and not body[end].split("-->", 1)[1].strip():
            del body[: end + 1]
            while body and not body[0].strip():
                body.pop(0)
    title = _text(meta.get("title"))
    if body:
        heading = _HEADING.match(body[0])
        setext = len(body) > 1 and _SETEXT.match(body[1]) and body[0].strip()
        if heading or setext:
            found = heading.group(1) if heading else body[0]
            if title is None or squash(found) == title:
                title = title or squash(found)
                del body[: 1 if heading else 2]
        elif title is None and fmt == "text" and len(body) > 1 and not body[1].strip():
            candidate = body[0].strip()
            if (len(candidate) <= 200 and not candidate.endswith((".", ":"))
                    and any(c.isalnum() for c in candidate)):
                title = squash(candidate)
                body.pop(0)
    while body and not body[0].strip():
        body.pop(0)
    date = _date(meta.get("date") or meta.get("published"))
    if date is None and body and (found_date := date_line(body[0].strip())):
        date = found_date
        body.pop(0)
    if fmt == "text":
        body = [ln for ln in body if not is_junk(squash(ln))]
    text = "\n".join(body).strip("\n")
    if title is None:
        words = "\n".join(ln for ln in text.split("\n") if any(c.isalnum() for c in ln))
        title = slug_title(words) if words else PurePath(path).stem
    all_tags = _tags(meta.get("tags") or meta.get("tag")) + _tags(meta.get("categories"))
    merged = tuple(dict.fromkeys([*all_tags, *tags]))
    yield ParsedArticle(
        title=clean_title(title),
        body=text,
        provenance=Provenance(path, fmt, 1, max(1, len(lines))),
        date=date,
        source=_text(meta.get("source") or meta.get("site")),
        url=_text(meta.get("url") or meta.get("link")),
        author=_text(meta.get("author") or meta.get("authors")),
        tags=merged,
    )


def _format(fmt: str) -> Format:
    def read(src: Input) -> Iterator[ParsedArticle]:
        return parse(list(src.lines), src.name, fmt, src.tags)

    return Format(fmt, read, reads="lines")


MARKDOWN = _format("markdown")
"""A post in Markdown (front matter, headings, emphasis kept)."""
TEXT = _format("text")
"""One article of plain text, kept as it is written."""
