"""Omnivore exports: the zip (`metadata_*.json`, `content/<slug>.html`,
`highlights/<slug>.md`) and a `metadata_*.json` batch on its own.

Each batch is a JSON array of records with `slug`, `title`, `url`, `author`,
`description`, `state` (`Active`, `Archived`), `labels`, `savedAt`,
`publishedAt`. The readable HTML of an item sits in `content/<slug>.html` (a
PDF item has `content/<slug>.pdf`: no text); without it the record is a stub.
Highlights are Markdown: each one `> quote` lines, then maybe a paragraph of
`#label` words, then maybe a note paragraph; a page note is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from reader.archive import saved
from reader.archive.format import Format, Input, record_sample
from reader.models import ImportedHighlight, ParsedArticle

Lookup = Callable[[str], bytes | None]
"""The bytes of another file of the export, by its path inside it (None: absent)."""

METADATA = re.compile(r"^metadata(?:_\d+_to_\d+)?\.json$")
"""Names of the export's record batches."""
SIDECARS = ("content/", "highlights/")
"""Folders of the export read through a batch, never imported on their own."""

_KEYS = {"slug", "savedAt"}


def looks_like_omnivore(records: list[dict[str, Any]]) -> bool:
    keys = set().union(*(r.keys() for r in records[:20]))
    return keys >= _KEYS


def _decode(data: bytes | None) -> str:
    if not data:
        return ""
    from reader.archive.decoding import decode

    return decode(data)


_LABELS = re.compile(r"^#\S+(?:\s+#\S+)*$")


def parse_highlights(markdown: str) -> tuple[ImportedHighlight, ...]:
    """Omnivore's highlight Markdown: quotes with their labels and notes, page notes."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", saved.note_text(markdown))]
    found: list[tuple[str, list[str], list[str]]] = []  # quote, labels, note paragraphs
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        lines = paragraph.split("\n")
        if all(line.startswith(">") for line in lines):
            # Blank lines inside a quote are written as `> ` lines: a blank line
            # between quote paragraphs separates two highlights.
            quote = "\n".join(line[1:].removeprefix(" ") for line in lines)
            found.append((quote.strip(), [], []))
        elif found and found[-1][0] and not found[-1][2] and _LABELS.match(paragraph.strip()):
            found[-1][1].extend(w.lstrip("#") for w in paragraph.split())
        elif found and found[-1][0]:
            found[-1][2].append(paragraph.strip())
        else:
            found.append(("", [], [paragraph.strip()]))
    highlights = []
    for quote, labels, notes in found:
        note = "\n\n".join(notes)
        if labels:
            note = (note + "\n\n" if note else "") + " ".join("#" + label for label in labels)
        if quote or note:
            highlights.append(ImportedHighlight(quote=quote, note=note))
    return tuple(highlights)


def parse(records: list[Any], name: str, tags: tuple[str, ...], problems: list[str],
          lookup: Lookup | None = None) -> Iterator[ParsedArticle]:
    bad: list[int] = []
    for index, record in enumerate(records, 1):
        if not isinstance(record, dict):
            bad.append(index)
            continue
        url = saved.link(record.get("url"))
        title = saved.text(record.get("title"))
        if not url and not title:
            bad.append(index)
            continue
        slug = record.get("slug") if isinstance(record.get("slug"), str) else ""
        slug = slug if slug and "/" not in slug and "\\" not in slug and ".." not in slug else ""
        body = ""
        highlights: tuple[ImportedHighlight, ...] = ()
        if lookup is not None and slug:
            body = saved.body_from_html(_decode(lookup(f"content/{slug}.html")), url, title)
            highlights = parse_highlights(_decode(lookup(f"highlights/{slug}.md")))
        state = record.get("state")
        yield saved.article(
            title=title, body=body, name=name, fmt="omnivore", line=index, url=url,
            date=saved.iso_date(record.get("publishedAt")) or saved.iso_date(
                record.get("savedAt")),
            source=(saved.text(record.get("siteName")) or None),
            author=saved.text(record.get("author")) or None,
            tags=tuple(dict.fromkeys((*tags, *saved.tag_list(record.get("labels"))))),
            read=state == "Archived" or (isinstance(record.get("readingProgress"), (int, float))
                                         and record["readingProgress"] >= 100),
            highlights=highlights,
        )
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        problems.append(f"{len(bad)} record{'s' if len(bad) != 1 else ''} skipped: no URL "
                        f"and no title (record {shown})")


def _shape(value: Any) -> bool:
    sample = record_sample(value)
    return bool(sample) and looks_like_omnivore(sample)


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.records(), src.name, src.tags, src.problems, src.lookup)


FORMAT = Format("omnivore", _read, reads="json",
                shape=_shape)
