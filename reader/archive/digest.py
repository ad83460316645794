"""Digest dumps: news items, each with its title printed twice, ending in `Read More`.

    Huawei can survive without Android – CNET   <- title
    Huawei can survive without Android – CNET   <- the same title again (or not)
    <body paragraphs>
    Read More                                   <- separator (or none, for the last)

Items are delimited by their separator lines; the doubled title (adjacent or
with a blank line between, copies may differ in quote or dash style) names
each item. A title suffix naming a publication becomes `source`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from reader.archive.blocks import Block, blocks, is_prose, is_title_like, same_title
from reader.clean import clean_lines, clean_title, is_separator, split_source
from reader.dates import date_line
from reader.models import ParsedArticle, Provenance

FORMAT = "digest"
LEAD_SCAN_BLOCKS = 12


def doubled_title(items: list[Block]) -> tuple[int, int] | None:
    """If the blocks open with a doubled title: (blocks used, lines used in the last one)."""
    if not items:
        return None
    b = items[0]
    if len(b.lines) >= 2 and same_title(b.lines[0], b.lines[1]):
        return 1, 2
    if len(b.lines) == 1 and len(items) > 1 and same_title(b.first, items[1].first):
        return 2, 1
    return None


def count_items(sample: list[Block]) -> tuple[int, int]:
    """(separators, doubled titles) in a sample, for format detection."""
    separators = doubled = 0
    for i, b in enumerate(sample):
        if any(is_separator(ln) for ln in b.lines):
            separators += 1
        if is_title_like(b.first) and doubled_title(sample[i: i + 2]):
            doubled += 1
    return separators, doubled


def parse(lines: Iterable[str], path: str, tags: tuple[str, ...] = ()) -> Iterator[ParsedArticle]:
    """Split a digest dump into articles, streaming: one item in memory at a time."""
    item: list[Block] = []
    first_item = True
    for b in blocks(lines):
        sep = next((i for i, ln in enumerate(b.lines) if is_separator(ln)), None)
        if sep is None:
            item.append(b)
            continue
        if sep:
            item.append(Block(b.start, b.lines[:sep], b.blanks_before))
        yield from _item(item, path, tags, end=b.start + sep, lead=first_item)
        first_item = False
        item = []
        rest = b.lines[sep + 1:]
        if rest:
            item.append(Block(b.start + sep + 1, rest))
    if item and _is_trailing_item(item):
        yield from _item(item, path, tags, end=item[-1].end, lead=first_item)


def _is_trailing_item(item: list[Block]) -> bool:
    """Whether what follows the last separator is an item rather than page chrome."""
    return doubled_title(item) is not None or (
        is_title_like(item[0].first) and any(is_prose(b) for b in item[1:])
    )


def _item(
    item: list[Block], path: str, tags: tuple[str, ...], end: int, lead: bool
) -> Iterator[ParsedArticle]:
    if lead:
        # Page chrome may precede the first item: start at its doubled title.
        for i in range(min(len(item), LEAD_SCAN_BLOCKS)):
            if is_title_like(item[i].first) and doubled_title(item[i:]):
                item = item[i:]
                break
    if not item:
        return
    start = item[0].start
    raw_title = item[0].first
    used = doubled_title(item)
    if used is None:
        body_blocks = [Block(item[0].start + 1, item[0].lines[1:]), *item[1:]]
    else:
        nblocks, nlines = used
        last = item[nblocks - 1]
        # When one copy carries the source suffix and the other does not, keep the longer.
        raw_title = max(raw_title, last.lines[nlines - 1], key=len)
        body_blocks = [Block(last.start + nlines, last.lines[nlines:]), *item[nblocks:]]
    body_blocks = [b for b in body_blocks if b.lines]
    date = None
    if body_blocks and (date := date_line(body_blocks[0].first)):
        body_blocks[0] = Block(body_blocks[0].start + 1, body_blocks[0].lines[1:])
    lines: list[str] = []
    for b in body_blocks:
        if lines:
            lines.append("")
        lines.extend(b.lines)
    title, source = split_source(clean_title(raw_title))
    body = clean_lines(lines, title=title)
    yield ParsedArticle(
        title=title,
        body="\n".join(body),
        provenance=Provenance(path, FORMAT, start, end),
        date=date,
        source=source,
        tags=tags,
    )
