"""Highlights and notes out of the library: Markdown for note apps, W3C Web Annotation JSON.

Markdown: per article, YAML front matter (title, source, date, tags, url), the
title as a heading, then each highlight as a block quote followed by its
stable block id (`^reader-<id>`, on its own line as Obsidian wants it after a
quote) and its note. `article_markdown` makes one file per article;
`document_markdown` puts every article in one document under one front matter.

JSON: a list of annotations in the W3C Web Annotation data model
(https://www.w3.org/TR/annotation-model/): the note as a `TextualBody`, the
target selected by a `TextQuoteSelector` (exact, prefix, suffix) and, when
the highlight is placed, a `TextPositionSelector` (code point offsets into the
article's text as the library holds it). Orphans keep the quote selector only.
The colour is a CSS class of the target.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import yaml

from reader.models import AnnotationEntry

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_URN = "urn:reader:annotation:"
ARTICLE_URN = "urn:reader:article:"


def block_id(annotation_id: int) -> str:
    """The stable block reference of a highlight in Markdown exports."""
    return f"reader-{annotation_id}"


def by_article(entries: Iterable[AnnotationEntry]) -> list[list[AnnotationEntry]]:
    """Entries grouped per article (articles in order of first appearance), each group
    in reading order with orphans last."""
    groups: dict[int, list[AnnotationEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.annotation.article_id, []).append(entry)
    return [sorted(group, key=_reading_order) for group in groups.values()]


def _reading_order(entry: AnnotationEntry) -> tuple[int, int, int]:
    anchor = entry.annotation.anchor
    return (int(anchor.orphan), anchor.start or 0, entry.annotation.id)


# -- Markdown -------------------------------------------------------------------


def _front_matter(meta: dict[str, Any]) -> str:
    kept = {k: v for k, v in meta.items() if v not in (None, "", [], ())}
    text = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000).strip()
    return f"---\n{text}\n---\n"


def _quote_block(text: str) -> str:
    lines = text.strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() if line.strip() else ">" for line in lines)


def _highlight_markdown(entry: AnnotationEntry) -> str:
    annotation = entry.annotation
    parts = [_quote_block(annotation.anchor.quote), f"^{block_id(annotation.id)}"]
    if annotation.anchor.orphan:
        parts.append("*Not found in the current text of the article.*")
    if annotation.note.strip():
        parts.append(annotation.note.strip("\n"))
    return "\n\n".join(parts) + "\n"


def _article_meta(entry: AnnotationEntry) -> dict[str, Any]:
    return {"title": entry.title, "source": entry.source, "date": entry.date,
            "tags": list(entry.tags), "url": entry.url}


def article_markdown(group: list[AnnotationEntry]) -> str:
    """One article's highlights as a Markdown file with front matter."""
    first = group[0]
    body = "\n".join(_highlight_markdown(e) for e in group)
    return f"{_front_matter(_article_meta(first))}\n# {_heading(first.title)}\n\n{body}"


def document_markdown(groups: list[list[AnnotationEntry]],
                      now: dt.datetime | None = None) -> str:
    """Every group in one Markdown document, one front matter on top."""
    now = now or dt.datetime.now(dt.UTC)
    count = sum(len(g) for g in groups)
    meta = {"title": "Highlights", "exported": now.replace(microsecond=0).isoformat(),
            "articles": len(groups), "highlights": count}
    out = [_front_matter(meta), "\n# Highlights\n"]
    for group in groups:
        first = group[0]
        out.append(f"\n## {_heading(first.title)}\n\n")
        facts = [x for x in (first.source, first.date) if x]
        if first.url:
            facts.append(f"<{first.url}>")
        if first.tags:
            facts.append(" ".join(f"#{_tag(t)}" for t in first.tags))
        if facts:
            out.append(" · ".join(facts) + "\n\n")
        out.append("\n".join(_highlight_markdown(e) for e in group))
    return "".join(out)


def _heading(title: str) -> str:
    return " ".join(title.split()) or "Untitled"


def _tag(tag: str) -> str:
    return re.sub(r"[^\w/-]+", "-", tag).strip("-") or "tag"


def file_name(group: list[AnnotationEntry]) -> str:
    """The file one article's highlights go to: stable across exports."""
    first = group[0]
    slug = re.sub(r"[^\w]+", "-", first.title.casefold()).strip("-")[:60] or "untitled"
    return f"{first.annotation.article_id:06d}-{slug}.md"


# -- W3C Web Annotation -------------------------------------------------------------


def _w3c_time(stamp: str) -> str | None:
    """An ISO timestamp as xsd:dateTime in UTC (`2024-05-01T09:00:00Z`)."""
    if not stamp:
        return None
    try:
        parsed = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def web_annotation(entry: AnnotationEntry) -> dict[str, Any]:
    """One highlight as a W3C Web Annotation."""
    annotation = entry.annotation
    anchor = annotation.anchor
    selectors: list[dict[str, Any]] = [{
        "type": "TextQuoteSelector",
        "exact": anchor.quote,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }]
    if not anchor.orphan:
        selectors.append({"type": "TextPositionSelector", "start": anchor.start,
                          "end": anchor.end})
    target: dict[str, Any] = {
        "source": entry.url or f"{ARTICLE_URN}{annotation.article_id}",
        "selector": selectors,
        "styleClass": f"reader-{_css_ident(annotation.color)}",
    }
    result: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": f"{ANNOTATION_URN}{annotation.id}",
        "type": "Annotation",
        "motivation": "commenting" if annotation.note.strip() else "highlighting",
    }
    created, modified = _w3c_time(annotation.created_at), _w3c_time(annotation.updated_at)
    if created:
        result["created"] = created
    if modified:
        result["modified"] = modified
    if annotation.note.strip():
        result["body"] = {"type": "TextualBody", "value": annotation.note,
                          "format": "text/markdown", "purpose": "commenting"}
    result["target"] = target
    result["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".reader-{_css_ident(annotation.color)} "
                 f"{{ background-color: {_css_ident(annotation.color)}; }}",
    }
    return result


def _css_ident(color: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", color) or "yellow"


def web_annotations(entries: Iterable[AnnotationEntry]) -> list[dict[str, Any]]:
    """Highlights as W3C Web Annotations, per article in reading order."""
    return [web_annotation(e) for group in by_article(entries) for e in group]
