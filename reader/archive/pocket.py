"""Pocket exports: the CSV (`title,url,time_added,tags,status`) and the old
`ril_export.html` (`<h1>Unread</h1>` / `<h1>Read Archive</h1>` lists of links
with `time_added` and `tags` attributes).

Pocket exports links, not text: every record is a stub (title, URL, tags,
date), never fetched. `status` `archive` and the Read Archive list mark it read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

from reader.archive import saved
from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.clean import sanitize
from reader.models import ParsedArticle

SOURCE = "Pocket"


def csv_header(first_line: str) -> set[str]:
    """The column names of a CSV header line, case folded."""
    try:
        row = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return set()
    return {cell.strip().casefold() for cell in row}


def looks_like_pocket_csv(first_line: str) -> bool:
    return {"title", "url", "time_added"} <= csv_header(first_line)


def looks_like_ril(head: bytes) -> bool:
    """The old HTML export: Pocket's title, or its lists of links with `time_added`."""
    head = head[:16384]
    return b"time_added=" in head and (b"Pocket Export" in head or bool(
        re.search(rb"<h1>\s*(?:Unread|Read Archive)\s*</h1>", head, re.IGNORECASE)))


def rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV records with the line each starts on; keys case folded. Quoted newlines kept."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except StopIteration:
        return
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, dict(zip(header, row, strict=False))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ArchiveError(f"not a readable CSV file (line {reader.line_num}: {exc})") from None


def parse_csv(text: str, name: str, tags: tuple[str, ...],
              problems: list[str]) -> Iterator[ParsedArticle]:
    bad: list[int] = []
    for line, row in rows(text):
        url = saved.link(row.get("url"))
        title = saved.text(row.get("title"))
        if not url:
            bad.append(line)
            continue
        yield saved.article(
            title=title, body="", name=name, fmt="pocket", line=line, url=url,
            date=saved.iso_date(row.get("time_added")), source=SOURCE,
            tags=tuple(dict.fromkeys((*tags, *saved.tag_list(row.get("tags", ""), "|,")))),
            read=(row.get("status") or "").strip().casefold() in ("archive", "archived", "read"),
        )
    _report(bad, problems)


def _report(bad: list[int], problems: list[str]) -> None:
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        problems.append(f"{len(bad)} record{'s' if len(bad) != 1 else ''} skipped: no web "
                        f"link (line {shown})")


def parse_ril(page: str, name: str, tags: tuple[str, ...],
              problems: list[str]) -> Iterator[ParsedArticle]:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(page)
    except Exception as exc:  # lxml raises ParserError / ValueError on junk
        raise ArchiveError(f"not a readable HTML page ({exc})") from None
    bad: list[int] = []
    read = False
    for node in doc.iter("h1", "a"):
        if node.tag == "h1":
            read = "read" in node.text_content().casefold().split()
            continue
        line = node.sourceline or 1
        url = saved.link(node.get("href"))
        if not url:
            bad.append(line)
            continue
        yield saved.article(
            title=saved.text(node.text_content()), body="", name=name, fmt="pocket",
            line=line, url=url, date=saved.iso_date(node.get("time_added")), source=SOURCE,
            tags=tuple(dict.fromkeys((*tags, *saved.tag_list(node.get("tags") or "", ",|")))),
            read=read,
        )
    _report(bad, problems)


def first_line(head: bytes) -> str:
    """The first line of a file's first bytes, as text (a CSV file's header)."""
    return head.removeprefix(codecs.BOM_UTF8)[:4096].split(b"\n", 1)[0].decode(
        "utf-8", errors="replace").strip()


def _looks_like_csv(head: bytes) -> bool:
    first = first_line(head)
    return "," in first and looks_like_pocket_csv(first)


def _read_ril(src: Input) -> Iterator[ParsedArticle]:
    return parse_ril(src.page(), src.name, src.tags, src.problems)


def _read_csv(src: Input) -> Iterator[ParsedArticle]:
    return parse_csv(sanitize(src.text()), src.name, src.tags, src.problems)


RIL = Format("pocket", _read_ril, sniff=looks_like_ril)
"""Pocket's old HTML export (recognised before JSON: it is a page of links)."""
CSV = Format("pocket", _read_csv, sniff=_looks_like_csv)
"""Pocket's CSV export."""
