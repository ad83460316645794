"""Listing dumps: a page of many articles pasted as text, split by its own template.

A blog's tag, category or archive page, or a news digest, is one record
template printed N times inside page chrome:

    <chrome: site name, menus, a `Posts tagged` header, a sidebar>
    [date header]              <- above the title (Blogger), maybe shared by a day
    Title                      <- once, or twice (digests print it twice)
    [date / meta line]         <- under it: `Posted on …`, `By ann, …`, `cnn.com · 4 min`
    body …
    [footer]                   <- `Posted in …`, `Tags:`, a footer date, `Read more`
    <next record …>
    <chrome: pagination, sidebar, footer>

Nothing here knows a site. The template is induced from the file itself
(`induce`): every line gets a shape (`reader/archive/lines.py`); shapes that
recur about once per record in a fixed relation to a title-like line are
*anchors* — under the title (`head`), above it (`above`), closing the record
(`foot`), or the title itself printed twice (`double`). Each candidate
template is scored by `score_template` — the one place where segmentations
are compared — and the best one segments the whole file (`segment`). Lines
that recur verbatim in most records (author boxes, share rows) are template,
not text.

Streaming: the template is induced from the first window of lines; later
windows are segmented against it, one record carried over between windows,
so memory stays flat in the file's size.

The rooms, in the order a dump goes through them:

- `template.py`: the `Template` and `Record` types and the thresholds;
- `anchors.py`: where a record's title is, seen from an anchor line;
- `induce.py`: candidate templates, `score_template`, the chosen one completed;
- `segment.py`: the file split into records, each record's head and footer;
- `bodies.py`: bodies cleaned of template lines, records made articles;
- `explain.py`: the template in words for `reader import --preview`;
- this module: the streaming driver (`parse`), window by window.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from reader.archive.lines import (
    BLANK,
    DATE,
    TEXT,
    Line,
    bare,
    classify,
    literal,
    prose,
)
from reader.archive.listing.anchors import (
    could_title,
)
from reader.archive.listing.bodies import (
    _excerpt,
    article,
)
from reader.archive.listing.explain import explain, explain_file
from reader.archive.listing.induce import (
    induce,
    site_template,
    sniff,
)
from reader.archive.listing.segment import (
    segment,
)
from reader.archive.listing.template import (
    FORMAT,
    LEAD_CHARS,
    LEAD_PROSE,
    WINDOW,
    Template,
)
from reader.archive.sites import find_site, load_sites, mark
from reader.archive.tagpage import header_tag
from reader.clean import clean_lines, clean_title
from reader.dates import numeric_order
from reader.models import ParsedArticle, Provenance

__all__ = ["FORMAT", "WINDOW", "Template", "explain", "explain_file", "induce", "parse",
           "segment", "sniff"]


def _page_tags(lines: list[Line], first: int, tags: tuple[str, ...]) -> tuple[str, ...]:
    for line in lines[:first][:200]:
        tag = header_tag(line.text) if line.kind != BLANK else None
        if tag:
            return (tag, *[x for x in tags if x.casefold() != tag.casefold()])
    return tags


def parse(raw: Iterable[str], path: str, tags: tuple[str, ...] = (),
          template: Template | None = None, fmt: str = FORMAT,
          markdown: bool = False) -> Iterator[ParsedArticle]:
    """Split a listing dump into articles, streaming window by window.

    `markdown`: the dump was saved as Markdown, its bodies keep their markup;
    otherwise lines Markdown would misread are kept literal."""
    it = iter(raw)
    texts = list(islice(it, WINDOW))
    next_no = len(texts) + 1
    order = numeric_order(texts)
    lines = classify(texts, 1, order)
    site = find_site(texts, load_sites()) if template is None else None
    if site is not None:
        mark(lines, site)
    t = template or (site_template(lines, site, order) if site else induce(lines, order))
    if t is None:
        # No repeating structure: the whole text is one article.
        yield from _single(lines, path, tags, fmt)
        return
    page_tags: tuple[str, ...] | None = None
    day: str | None = None
    lead: tuple[int, int] | None = None
    while True:
        more = list(islice(it, WINDOW))
        final = not more
        records = segment(lines, t, final=final, lead=lead)
        if page_tags is None:
            page_tags = _page_tags(lines, records[0].start if records else len(lines), tags)
            if records and (intro := _lead_text(lines[:records[0].start], path, page_tags, fmt,
                                                markdown)) is not None:
                yield intro
        keep = records if final else records[:-1]
        for r in keep:
            if r.start != r.title and lines[r.start].kind == DATE:
                day = r.date  # a date header: it dates the posts under it until the next
            elif day is not None and r.date is None:
                r.date = day
            a = article(lines, r, t, path, page_tags, fmt, markdown)
            if a is not None:
                yield a
        if final:
            return
        carry = lines[records[-1].start:] if records else lines[-200:]
        lead = (0, records[-1].title - records[-1].start) if records else None
        fresh = classify(more, next_no, t.order)
        next_no += len(more)
        if site is not None:
            mark(fresh, site)
        lines = carry + fresh


def _lead_text(lines: list[Line], path: str, tags: tuple[str, ...], fmt: str,
               markdown: bool) -> ParsedArticle | None:
    """Running text before the first record is not page chrome: menus and site
    descriptions are short. An article there (a page whose comments were taken
    for the records) is kept as an article of its own rather than lost."""
    prose_lines = [x for x in lines if x.kind == TEXT and prose(x.text)]
    if len(prose_lines) < LEAD_PROSE or sum(len(x.text) for x in prose_lines) < LEAD_CHARS:
        return None
    first = prose_lines[0]
    k = lines.index(first)
    above = [x for x in lines[:k] if x.kind != BLANK]
    title_line = next((x for x in reversed(above[-3:]) if could_title(x)), None)
    title = clean_title(bare(title_line.text)) if title_line else _excerpt(first.text)
    start = lines.index(title_line) if title_line else k
    body = clean_lines([x.text for x in lines[start + 1 if title_line else k:]], title=title)
    if not markdown:
        body = [literal(x) for x in body]
    last = max(x.no for x in lines if x.kind != BLANK)
    return ParsedArticle(title=title, body="\n".join(body),
                         provenance=Provenance(path, fmt, lines[start].no, last), tags=tags)



def _single(lines: list[Line], path: str, tags: tuple[str, ...],
            fmt: str) -> Iterator[ParsedArticle]:
    nonblank = [x for x in lines if x.kind != BLANK]
    if not nonblank:
        return
    title = clean_title(nonblank[0].text)
    body = clean_lines([x.text for x in lines[lines.index(nonblank[0]) + 1:]], title=title)
    yield ParsedArticle(title=title, body="\n".join(body),
                        provenance=Provenance(path, fmt, nonblank[0].no, nonblank[-1].no),
                        tags=tags)
