"""reader's own exports, read back: a library restored, moved, or its notes edited elsewhere.

- `reader-json`: `reader export articles --format json` or `jsonl`. Each article
  comes back with its tags, dates, read and starred state, reading position,
  every provenance and its highlights (anchors, notes, colours, times).
- `reader-markdown`: `reader export articles --format markdown`, one file per
  article or several in one document: the front matter carries the state.
- `web-annotations`: `reader export annotations --format json` (W3C Web
  Annotations), placed on the library's articles by URL or by their text.
- `reader-notes`: a folder of `reader export annotations --out DIR` files, kept
  in a notes app: the notes written there, between a highlight's marks, come back
  (matched by the highlight's id); nothing else in the file is read.

The extras an article export carries beyond `ParsedArticle` ride along in a
`Extras` on an `ExportedArticle`; `Store.add_prepared` applies them in the
file's transaction. Entries that are not articles (notes, annotations to place)
are `ExportedArticle`s with `standalone` set: the store applies them alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.clean import sanitize
from reader.models import Anchor, Annotation, ParsedArticle, Provenance

NAMES = ("reader-json", "reader-markdown", "reader-notes", "web-annotations")
"""reader's own exports, recognised before any other format (`detect`)."""
MARKER = re.compile(r"<!-- reader:(\d+)(?: ([^<>]*?))? -->")
"""Opens a highlight's region in an annotation Markdown export (with a digest of what was
written, `<!-- reader:N 3f2a9c01b7de -->`); `<!-- /reader:N -->` closes it."""
_JSON_HEAD = re.compile(rb'^\s*\[\s*\{\s*"id"\s*:\s*\d+\s*,\s*"title"\s*:')
_JSONL_HEAD = re.compile(rb'^\s*\{\s*"id"\s*:\s*\d+\s*,\s*"title"\s*:')
_STATE = re.compile(rb'"starred": (?:true|false), "stub": (?:true|false), "(?:position|body)": ')
"""The keys every version of the articles export wrote together (a long body may push
the provenance, once written after it, out of the first bytes)."""
_W3C_HEAD = re.compile(rb'^\s*\[\s*\{\s*"@context"\s*:\s*"http://www\.w3\.org/ns/anno\.jsonld"')
_MARKDOWN_HEAD = re.compile(rb"^---\r?\n(?:.*\r?\n)*?provenance:\s*\r?\n\s*- ")
_NOTES_HEAD = re.compile(rb"<!-- reader:\d+(?: [^<>]*?)? -->\r?\n")
ARTICLE_KEYS = frozenset({"id", "title", "body", "tags", "provenance"})
ORPHAN_LINE = "*Not found in the current text of the article.*"
DELETED = "deleted"
"""Written in the opening mark of a highlight deleted in reader (`<!-- reader:N deleted -->`):
its region's text stays in the file, and imports pass over it."""


@dataclass(frozen=True, slots=True)
class Extras:
    """What an export holds about an article beyond a `ParsedArticle`'s fields."""

    provenance: tuple[Provenance, ...] = ()
    """Every place the article came from after the first (that one is the article's)."""
    position: float = 0.0
    annotations: tuple[Annotation, ...] = ()
    """Highlights with their anchors, notes, colours and times; ids kept where free."""
    notes: tuple[tuple[int, str], ...] = ()
    """(highlight id, note) edited in a notes app; only with `standalone`."""
    url: str | None = None
    """Where `annotations` go when `standalone`: the article with this URL, else the one
    holding each quote at its position."""
    standalone: bool = False
    """Not an article: notes to update, or highlights to place on stored articles."""


@dataclass(frozen=True, slots=True)
class ExportedArticle(ParsedArticle):
    """An article (or, `standalone`, notes or highlights) read from reader's own export."""

    extras: Extras | None = None


def detect(head: bytes) -> str | None:
    """Which of reader's exports the first bytes of a file are, if any."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    first = head.split(b"\n", 2)[1 if head.lstrip().startswith(b"[\n") else 0]
    if (_JSON_HEAD.match(head) or _JSONL_HEAD.match(head)) and (
            b'"provenance"' in first or _STATE.search(first)):
        return "reader-json"
    if _W3C_HEAD.match(head):
        return "web-annotations"
    if head.startswith(b"---") and _MARKDOWN_HEAD.match(head) and re.search(
            rb"\n(?:read|starred): (?:true|false)\r?\n", head):
        return "reader-markdown"
    if _NOTES_HEAD.search(head) and not re.match(rb"\s*<(?!!-- reader:)", head):
        return "reader-notes"  # (a page or feed quoting the marks stays what it is)
    return None


def parse(data: bytes, name: str, fmt: str, tags: tuple[str, ...],
          problems: list[str]) -> Iterator[ParsedArticle]:
    """The articles (or standalone entries) of one of reader's exports."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"not valid UTF-8 (byte {exc.start}): reader writes its exports "
                           "as UTF-8") from None
    if fmt == "reader-json":
        return _articles(_json_records(text), name, tags, problems)
    if fmt == "web-annotations":
        return _web_annotations(_json_records(text), name, problems)
    if fmt == "reader-markdown":
        return _markdown_articles(text, name, tags, problems)
    if fmt == "reader-notes":
        return iter([_notes(text, name)])
    raise ArchiveError(f"unknown format {fmt!r}")


# -- JSON -------------------------------------------------------------------------


def _json_records(text: str) -> list[Any]:
    try:
        if text.lstrip().startswith("["):
            value = json.loads(text)
        else:  # JSON lines
            value = []
            for number, line in enumerate(text.splitlines(), 1):
                try:
                    if line.strip():
                        value.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ArchiveError(f"not valid JSON ({exc.msg} on line {number})") from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"not valid JSON ({exc.msg} on line {exc.lineno})") from None
    except RecursionError:
        raise ArchiveError("JSON nested too deeply") from None
    if not isinstance(value, list):
        raise ArchiveError("not a list of records")
    return value


def _text(value: Any, limit: int | None = None) -> str:
    text = sanitize(value) if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _optional(value: Any) -> str | None:
    text = _text(value)
    return text if text.strip() else None


def _date(value: Any) -> str | None:
    text = _optional(value)
    return text if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def _provenance(value: Any, name: str, record: int) -> tuple[Provenance, ...]:
    found: list[Provenance] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        start, end = item.get("start_line"), item.get("end_line")
        start = start if isinstance(start, int) and start > 0 else 1
        end = end if isinstance(end, int) and end >= start else start
        found.append(Provenance(_text(item["path"]), _text(item.get("format")) or "unknown",
                                start, end))
    return tuple(found) or (Provenance(name, "reader-json", record, record),)


def _annotation(item: Any, article_id: int = 0) -> Annotation | None:
    if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
        return None
    start, end = item.get("start"), item.get("end")
    placed = isinstance(start, int) and isinstance(end, int) and 0 <= start <= end
    anchor = Anchor(_text(item["quote"]), _text(item.get("prefix")), _text(item.get("suffix")),
                    start if placed else None, end if placed else None,
                    _text(item.get("method")) or ("exact" if placed else "orphan"))
    annotation_id = item.get("id")
    return Annotation(annotation_id if isinstance(annotation_id, int) else 0, article_id,
                      anchor, _text(item.get("note")), _text(item.get("color")) or "yellow",
                      _text(item.get("created_at")), _text(item.get("updated_at")))


def _article(record: dict[str, Any], name: str, record_no: int, tags: tuple[str, ...],
             fmt: str) -> ExportedArticle:
    places = _provenance(record.get("provenance"), name, record_no)
    if fmt != "reader-json" and places[0].path == name:
        places = (Provenance(name, fmt, record_no, record_no),)
    kept = tuple(t for t in (_text(t).strip() for t in record.get("tags") or []
                             if isinstance(t, str)) if t)
    position = record.get("position")
    notes = tuple(a for a in (_annotation(x) for x in record.get("annotations") or []) if a)
    return ExportedArticle(
        title=_text(record.get("title")) or "Untitled",
        body=_text(record.get("body")),
        provenance=places[0],
        date=_date(record.get("date")),
        source=_optional(record.get("source")),
        url=_optional(record.get("url")),
        author=_optional(record.get("author")),
        tags=tuple(dict.fromkeys((*kept, *tags))),
        read=record.get("read") is True,
        starred=record.get("starred") is True,
        stub=record.get("stub") is True,
        extras=Extras(
            provenance=places[1:],
            position=min(1.0, max(0.0, float(position)))
            if isinstance(position, int | float) else 0.0,
            annotations=notes),
    )


def _articles(records: list[Any], name: str, tags: tuple[str, ...],
              problems: list[str]) -> Iterator[ParsedArticle]:
    bad = 0
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict) or not record.keys() >= ARTICLE_KEYS:
            bad += 1
            continue
        yield _article(record, name, n, tags, "reader-json")
    if bad:
        problems.append(f"{bad} record{'s' if bad != 1 else ''} not an article of reader's "
                        "export, skipped")


# -- W3C Web Annotations ------------------------------------------------------------


def _web_annotations(records: list[Any], name: str,
                     problems: list[str]) -> Iterator[ParsedArticle]:
    bad = 0
    for n, record in enumerate(records, 1):
        found = _web_annotation(record)
        if found is None:
            bad += 1
            continue
        annotation, url = found
        yield ExportedArticle(
            title="", body="", provenance=Provenance(name, "web-annotations", n, n),
            extras=Extras(annotations=(annotation,), url=url, standalone=True))
    if bad:
        problems.append(f"{bad} record{'s' if bad != 1 else ''} not a text annotation, "
                        "skipped")


def _web_annotation(record: Any) -> tuple[Annotation, str | None] | None:
    if not isinstance(record, dict) or record.get("type") != "Annotation":
        return None
    target = record.get("target")
    if not isinstance(target, dict):
        return None
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for selector in target.get("selector") or []:
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = selector
    if not isinstance(quote.get("exact"), str):
        return None
    body = record.get("body")
    note = body.get("value") if isinstance(body, dict) else ""
    style = target.get("styleClass")
    color = style.removeprefix("reader-") if isinstance(style, str) else "yellow"
    ident = record.get("id")
    number = (ident.rsplit(":", 1)[-1] if isinstance(ident, str) else "")
    item = {"id": int(number) if number.isdigit() else 0, "quote": quote["exact"],
            "prefix": quote.get("prefix"), "suffix": quote.get("suffix"),
            "start": position.get("start"), "end": position.get("end"),
            "method": "position" if position else "orphan", "note": note, "color": color,
            "created_at": _iso(record.get("created")),
            "updated_at": _iso(record.get("modified") or record.get("created"))}
    annotation = _annotation(item)
    if annotation is None:
        return None
    source = target.get("source")
    url = source if isinstance(source, str) and re.match(r"https?://", source) else None
    return annotation, _optional(url)


def _iso(stamp: Any) -> str:
    """`2024-05-01T09:00:00Z` as the library writes times (`2024-05-01T09:00:00+00:00`)."""
    if not isinstance(stamp, str):
        return ""
    return stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp


# -- Markdown articles ----------------------------------------------------------------

_NEXT_ARTICLE = re.compile(r"(?<=\n)\n(?=---\ntitle: )")


def _markdown_articles(text: str, name: str, tags: tuple[str, ...],
                       problems: list[str]) -> Iterator[ParsedArticle]:
    text = text.replace("\r\n", "\n")
    bad = 0
    for n, chunk in enumerate(_NEXT_ARTICLE.split(text), 1):
        record = _markdown_record(chunk)
        if record is None:
            bad += 1
            continue
        yield _article(record, name, n, tags, "reader-markdown")
    if bad:
        problems.append(f"{bad} part{'s' if bad != 1 else ''} not an article of reader's "
                        "Markdown export, skipped")


def _markdown_record(chunk: str) -> dict[str, Any] | None:
    match = re.match(r"---\n(.*?)\n---\n\n# [^\n]*\n\n", chunk, re.S)
    if match is None:
        return None
    import yaml  # here: only this export needs it, and it takes 20 ms to load

    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str):
        return None
    body = chunk[match.end():]
    record = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in meta.items()}
    record["body"] = body[:-1] if body.endswith("\n") else body
    return record


# -- notes kept in a notes app ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """A highlight's marked region in an annotation Markdown file."""

    id: int
    start: int
    end: int
    inner: str
    """The text between the marks."""
    stamp: str
    """The digest of what reader wrote in the region (empty when there is none)."""


def regions(text: str) -> Iterator[Region]:
    """Each highlight's region in an annotation Markdown file, in file order."""
    for opening in MARKER.finditer(text):
        number = opening.group(1)
        closing = text.find(f"<!-- /reader:{number} -->", opening.end())
        if closing < 0:
            continue
        end = closing + len(f"<!-- /reader:{number} -->")
        yield Region(int(number), opening.start(), end, text[opening.end():closing],
                     opening.group(2) or "")


def region_note(inner: str) -> str:
    """The note inside a highlight's region: what follows its block id (`^reader-N`),
    whatever it holds; without the block id, what follows the quote's paragraphs."""
    block = re.search(r"^\^reader-\d+[ \t]*$", inner, re.M)
    if block is not None:
        rest = inner[block.end():].strip("\n")
    else:
        paragraphs = re.split(r"\n[ \t]*\n", inner.strip("\n"))
        while paragraphs and paragraphs[0].lstrip().startswith(">"):
            paragraphs.pop(0)
        rest = "\n\n".join(paragraphs)
    if rest.startswith(ORPHAN_LINE):
        rest = rest[len(ORPHAN_LINE):]
    return sanitize(rest.strip("\n")).strip()


def _notes(text: str, name: str) -> ParsedArticle:
    text = text.replace("\r\n", "\n")
    found = list(regions(text))
    if not found:
        raise ArchiveError("no highlight marks (<!-- reader:N -->) in this notes file")
    notes = tuple((region.id, region_note(region.inner)) for region in found
                  if region.stamp != DELETED)
    return ExportedArticle(title="", body="", provenance=Provenance(name, "reader-notes", 1, 1),
                           extras=Extras(notes=notes, standalone=True))


# -- writing ------------------------------------------------------------------------------


def annotation_record(annotation: Annotation) -> dict[str, Any]:
    """A highlight as the articles export carries it (everything a restore needs)."""
    anchor = annotation.anchor
    return {"id": annotation.id, "quote": anchor.quote, "prefix": anchor.prefix,
            "suffix": anchor.suffix, "start": anchor.start, "end": anchor.end,
            "method": anchor.method, "note": annotation.note, "color": annotation.color,
            "created_at": annotation.created_at, "updated_at": annotation.updated_at}


def _format(fmt: str) -> Format:
    def read(src: Input) -> Iterator[ParsedArticle]:
        return parse(src.data, src.name, fmt, src.tags, src.problems)

    return Format(fmt, read)


FORMATS = tuple(_format(fmt) for fmt in NAMES)
