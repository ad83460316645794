"""Instapaper CSV exports: `URL,Title,Selection,Folder`, newer ones add
`Timestamp` and `Tags`.

Instapaper exports links, not text: every record is a stub, never fetched
(its `Selection`, the passage the user picked, is kept as a quote). As in
wallabag's importer, Archive and Starred mean read, Starred means starred,
and any other folder than Unread/Archive/Starred becomes a tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from reader.archive import saved
from reader.archive.format import Format, Input
from reader.archive.pocket import csv_header, first_line, rows
from reader.clean import sanitize
from reader.models import ParsedArticle

SOURCE = "Instapaper"
_FOLDERS = ("unread", "archive", "starred")


def looks_like_instapaper_csv(first_line: str) -> bool:
    return {"url", "title", "folder"} <= csv_header(first_line)


def _tags(value: str | None) -> tuple[str, ...]:
    value = (value or "").strip()
    if value.startswith("["):
        try:
            return saved.tag_list(json.loads(value))
        except ValueError:
            pass
    return saved.tag_list(value, ",")


def parse(text: str, name: str, tags: tuple[str, ...],
          problems: list[str]) -> Iterator[ParsedArticle]:
    bad: list[int] = []
    for line, row in rows(text):
        url = saved.link(row.get("url"))
        if not url:
            bad.append(line)
            continue
        folder = saved.text(row.get("folder"))
        kind = folder.casefold()
        selection = saved.note_text(row.get("selection"))
        body = "\n".join("> " + part for part in selection.split("\n")) if selection else ""
        article = saved.article(
            title=saved.text(row.get("title")), body=body, name=name, fmt="instapaper",
            line=line, url=url, date=saved.iso_date(row.get("timestamp")), source=SOURCE,
            tags=tuple(dict.fromkeys((*tags, *_tags(row.get("tags")),
                                      *((folder,) if folder and kind not in _FOLDERS else ())))),
            read=kind in ("archive", "starred"), starred=kind == "starred",
        )
        # A selection is a passage, not the article: the record stays a stub.
        yield article if article.stub else _as_stub(article)
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        problems.append(f"{len(bad)} record{'s' if len(bad) != 1 else ''} skipped: no web "
                        f"link (line {shown})")


def _as_stub(article: ParsedArticle) -> ParsedArticle:
    from dataclasses import replace

    return replace(article, stub=True)


def _looks_like_csv(head: bytes) -> bool:
    first = first_line(head)
    return "," in first and looks_like_instapaper_csv(first)


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(sanitize(src.text()), src.name, src.tags, src.problems)


FORMAT = Format("instapaper", _read, sniff=_looks_like_csv)
