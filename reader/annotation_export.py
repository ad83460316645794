"""Highlights and notes out of the library: Markdown for note apps, W3C Web Annotation JSON.

Markdown: per article, YAML front matter (title, source, date, tags, url), the
title as a heading, then each highlight as a block quote followed by its
stable block id (`^reader-<id>`, on its own line as Obsidian wants it after a
quote) and its note, between two HTML comments (`<!-- reader:<id> -->` and
`<!-- /reader:<id> -->`, hidden by Obsidian and Logseq) that mark what reader
owns. `article_markdown` makes one file per article; `sync_folder` writes them
into a folder kept in a notes app, changing only the marked regions (and the
front matter's own keys) so that what the user wrote around them stays;
`document_markdown` puts every article in one document under one front matter.

Readwise CSV: the columns Readwise imports (Highlight, Title, Author, URL,
Note, Location, Date), which other read-it-later tools exchange.

JSON: a list of annotations in the W3C Web Annotation data model
(https://www.w3.org/TR/annotation-model/): the note as a `TextualBody`, the
target selected by a `TextQuoteSelector` (exact, prefix, suffix) and, when
the highlight is placed, a `TextPositionSelector` (code point offsets into the
article's text as the library holds it). Orphans keep the quote selector only.
The colour is a CSS class of the target.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from reader.archive.own import DELETED, ORPHAN_LINE, regions
from reader.clipboard import block_quote
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


def front_matter(meta: dict[str, Any]) -> str:
    """`meta` as YAML front matter between `---` lines, empty values left out."""
    kept = {k: v for k, v in meta.items() if v not in (None, "", [], ())}
    text = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000).strip()
    return f"---\n{text}\n---\n"


def _inner(entry: AnnotationEntry) -> str:
    """What a highlight's region holds: quote, block id, orphan notice, note."""
    annotation = entry.annotation
    parts = [block_quote(annotation.anchor.quote), f"^{block_id(annotation.id)}"]
    if annotation.anchor.orphan:
        parts.append(ORPHAN_LINE)
    if annotation.note.strip():
        parts.append(annotation.note.strip("\n"))
    return "\n\n".join(parts)


def _highlight_markdown(entry: AnnotationEntry) -> str:
    """One highlight's marked region."""
    inner, number = _inner(entry), entry.annotation.id
    return f"<!-- reader:{number} {_digest(inner)} -->\n{inner}\n<!-- /reader:{number} -->\n"


def _digest(inner: str) -> str:
    """What reader wrote in a region, in short: tells a re-export whether the highlight
    changed in reader since (the region's text itself may have been edited since)."""
    return hashlib.sha256(inner.encode()).hexdigest()[:12]


def _article_meta(entry: AnnotationEntry) -> dict[str, Any]:
    return {"title": entry.title, "source": entry.source, "date": entry.date,
            "tags": list(entry.tags), "url": entry.url}


def article_markdown(group: list[AnnotationEntry]) -> str:
    """One article's highlights as a Markdown file with front matter."""
    first = group[0]
    body = "\n".join(_highlight_markdown(e) for e in group)
    listed = _exported_line({e.annotation.id: _digest(_inner(e)) for e in group})
    return (f"{front_matter(_article_meta(first))}\n# {_heading(first.title)}\n\n{body}\n"
            f"{listed}")


def document_markdown(groups: list[list[AnnotationEntry]],
                      now: dt.datetime | None = None) -> str:
    """Every group in one Markdown document, one front matter on top."""
    now = now or dt.datetime.now(dt.UTC)
    count = sum(len(g) for g in groups)
    meta = {"title": "Highlights", "exported": now.replace(microsecond=0).isoformat(),
            "articles": len(groups), "highlights": count}
    out = [front_matter(meta), "\n# Highlights\n"]
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


def article_file_name(article_id: int, title: str) -> str:
    """An article's Markdown file in an export folder: its id and a slug of its title."""
    slug = re.sub(r"[^\w]+", "-", title.casefold()).strip("-")[:60] or "untitled"
    return f"{article_id:06d}-{slug}.md"


def file_name(group: list[AnnotationEntry]) -> str:
    """The file one article's highlights go to: stable across exports."""
    return article_file_name(group[0].annotation.article_id, group[0].title)


# -- a folder kept in a notes app --------------------------------------------------


def sync_folder(folder: Path, groups: list[list[AnnotationEntry]],
                library: set[int] | None = None) -> tuple[int, int]:
    """Write each article's highlights into `folder`, updating files written before.

    A file already there (found by its article's id, whatever its title became) is
    changed only inside the marked regions of highlights changed in reader since the
    file was written (the opening mark holds a digest of what was written) and in its
    front matter's keys that reader writes; new highlights go after the one before
    them in reading order, unless the file lists them as exported before (its last
    line) and they have not changed since: a region removed in the notes app stays
    removed. Highlights not exported now (filtered out) keep their region as it is;
    given every highlight id in the `library`, the regions of highlights deleted
    there are marked deleted (their text stays, and importing the folder passes
    over them). Files are replaced whole or not at all.
    Returns (files written, files left as they were).
    """
    folder.mkdir(parents=True, exist_ok=True)
    known: dict[int, Path] = {}
    for path in sorted(folder.glob("*.md")):
        number = re.match(r"(\d{6,})-", path.name)
        if number:
            known.setdefault(int(number.group(1)), path)
    written: set[Path] = set()
    unchanged = 0
    for group in groups:
        path = known.get(group[0].annotation.article_id) or folder / file_name(group)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        new = article_markdown(group) if old is None else merge_markdown(old, group)
        if library is not None:
            new = mark_deleted(new, library)
        if new == old:
            unchanged += 1
            continue
        _replace(path, new)
        written.add(path)
    exported = {group[0].annotation.article_id for group in groups}
    for article_id, path in known.items():
        if library is None or article_id in exported:
            continue
        old = path.read_text(encoding="utf-8")
        new = mark_deleted(old, library)
        if new != old:
            _replace(path, new)
            written.add(path)
    return len(written), unchanged


def _replace(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.partial")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def mark_deleted(text: str, library: set[int]) -> str:
    """`text` with the regions of highlights no longer in the library marked deleted."""
    for region in reversed(list(regions(text))):
        if region.id not in library and region.stamp != DELETED:
            closing = text.index("-->", region.start) + 3
            text = (text[:region.start] + f"<!-- reader:{region.id} {DELETED} -->"
                    + text[closing:])
    return text


def merge_markdown(old: str, group: list[AnnotationEntry]) -> str:
    """`old` (a file exported before, perhaps edited) with `group`'s highlights brought
    up to date: only their marked regions and the front matter's own keys change."""
    text = _merge_front_matter(old.replace("\r\n", "\n"), _article_meta(group[0]))
    match = _EXPORTED.search(text)
    listed = dict(re.findall(r"(\d+)=([0-9a-f]+)", match.group(1))) if match else {}
    for n, entry in enumerate(group):
        block, digest = _highlight_markdown(entry), _digest(_inner(entry))
        key = str(entry.annotation.id)
        found = {r.id: r for r in regions(text)}
        spans = {number: (r.start, r.end) for number, r in found.items()}
        here = found.get(entry.annotation.id)
        if here is None and listed.get(key) == digest:
            continue  # removed in the notes app, unchanged in reader since: left out
        listed[key] = digest
        if here is not None:
            if here.stamp == digest:
                continue  # unchanged in reader since written: edits made there stay
            start, end = here.start, here.end
            end += text[end:end + 1] == "\n"
            text = text[:start] + block + text[end:]
            continue
        before = [spans[e.annotation.id] for e in group[:n] if e.annotation.id in spans]
        after = [spans[e.annotation.id] for e in group[n + 1:] if e.annotation.id in spans]
        if before:
            at = before[-1][1]
            at += text[at:at + 1] == "\n"
            text = text[:at] + "\n" + block + text[at:]
        elif after:
            at = after[0][0]
            text = text[:at] + block + "\n" + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + block
    line = _exported_line({int(k): v for k, v in listed.items()})
    match = _EXPORTED.search(text)
    if match:
        return text[:match.start()] + line + text[match.end():]
    return text.rstrip("\n") + "\n\n" + line


_EXPORTED = re.compile(r"<!-- reader:exported((?: \d+=[0-9a-f]+)*) -->\n?")
"""The last line of an article's file: every highlight exported into it, with the digest
of what was written, so that a region removed in the notes app is not written again
until the highlight changes in reader."""


def _exported_line(digests: dict[int, str]) -> str:
    pairs = "".join(f" {number}={digest}" for number, digest in sorted(digests.items()))
    return f"<!-- reader:exported{pairs} -->\n"


def _merge_front_matter(text: str, meta: dict[str, Any]) -> str:
    """The front matter's keys that reader writes set to `meta`; the user's kept."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if match is None:
        return text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return text  # the user's own YAML, broken: left alone
    if not isinstance(data, dict):
        return text
    ours = {k: v for k, v in meta.items() if v not in (None, "", [], ())}
    current = {k: (v.isoformat() if isinstance(v, dt.date) else v)
               for k, v in data.items() if k in meta}
    if current == ours:
        return text
    merged = {k: v for k, v in data.items() if k not in meta or k in ours} | ours
    return front_matter(merged) + text[match.end():]


# -- Readwise CSV ------------------------------------------------------------------

READWISE_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")


def readwise_csv(entries: Iterable[AnnotationEntry], authors: dict[int, str | None]) -> str:
    """Highlights as Readwise's CSV import: one row each, per article in reading order.

    Author is the article's author (else its source); Location the highlight's
    character offset in the article (empty for an orphan); Date when it was made,
    `YYYY-MM-DD HH:MM:SS` in UTC. A note on the whole article (no quote) is skipped:
    Readwise needs highlighted text.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(READWISE_COLUMNS)
    for group in by_article(entries):
        for entry in group:
            annotation = entry.annotation
            if not annotation.anchor.quote.strip():
                continue
            start = annotation.anchor.start
            stamp = _w3c_time(annotation.created_at)
            writer.writerow([
                annotation.anchor.quote, entry.title,
                authors.get(annotation.article_id) or entry.source or "", entry.url or "",
                annotation.note, "" if start is None else start,
                stamp.replace("T", " ").removesuffix("Z") if stamp else ""])
    return out.getvalue()


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
