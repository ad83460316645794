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

from bisect import bisect_left
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
    Losses,
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
from reader.clean import clean_lines, clean_title, comparable
from reader.dates import numeric_order
from reader.models import ParsedArticle, Provenance

__all__ = ["FORMAT", "WINDOW", "Part", "Template", "explain", "explain_file", "induce",
           "parse", "segment", "sniff"]


def _page_tags(lines: list[Line], first: int, tags: tuple[str, ...]) -> tuple[str, ...]:
    for line in lines[:first][:200]:
        tag = header_tag(line.text) if line.kind != BLANK else None
        if tag:
            return (tag, *[x for x in tags if x.casefold() != tag.casefold()])
    return tags


class _Splitter:
    """A listing dump split window by window: what one window hands the next (the
    record carried over, the day of a date header, the page's tags)."""

    def __init__(self, first: list[str], path: str, tags: tuple[str, ...],
                 template: Template | None, fmt: str, markdown: bool,
                 problems: list[str] | None = None) -> None:
        self.path, self.tags, self.fmt, self.markdown = path, tags, fmt, markdown
        self.losses = Losses(problems if problems is not None else [])
        self.next_no = len(first) + 1
        order = numeric_order(first)
        self.shaped: list[int] | None = []
        """`anchors.shaped_lines(self.lines)`, kept as the window goes (None: not
        known, when a site's patterns give lines their kinds)."""
        self.lines = classify(first, 1, order, self.shaped)
        self.site = find_site(first, load_sites()) if template is None else None
        if self.site is not None:
            mark(self.lines, self.site)
            self.shaped = None
        self.template = template or (site_template(self.lines, self.site, order) if self.site
                                     else induce(self.lines, order))
        self.page_tags: tuple[str, ...] | None = None
        self.day: str | None = None
        self.lead: tuple[int, int] | None = None
        self.carry: list[Line] = []
        self.carry_shaped: list[int] | None = []

    def window(self, final: bool, quiet: bool = False) -> Iterator[ParsedArticle]:
        """The articles of the lines at hand (all but the last record, carried over,
        unless `final`); `quiet`: only the state is wanted, no article."""
        t, lines = self.template, self.lines
        assert t is not None
        records = segment(lines, t, final=final, lead=self.lead, shaped=self.shaped)
        if self.page_tags is None:
            self.page_tags = _page_tags(lines, records[0].start if records else len(lines),
                                        self.tags)
            if records and not quiet and (intro := _lead_text(
                    lines[:records[0].start], self.path, self.page_tags, self.fmt,
                    self.markdown)) is not None:
                yield intro
            elif records and not quiet:
                self.losses.lead(lines, records[0])
        keep = records if final else records[:-1]
        for n, r in enumerate(keep):
            if r.start != r.title and lines[r.start].kind == DATE:
                self.day = r.date  # a date header: it dates the posts under it until the next
            elif self.day is not None and r.date is None:
                r.date = self.day
            if not quiet:
                a = article(lines, r, t, self.path, self.page_tags, self.fmt, self.markdown)
                if a is not None:
                    yield a
                else:
                    self.losses.empty(lines, r, t)
                if r.lost:
                    self.losses.unseen(lines, r)
                if n + 1 < len(records):
                    self.losses.between(lines, r, records[n + 1])
        if final and not quiet:
            if records:
                self.losses.between(lines, records[-1], None, frozenset(
                    comparable(lines[x.title].text) for x in records))
            self.losses.close()
        if not final:
            start = records[-1].start if records else max(0, len(lines) - 200)
            self.carry = lines[start:]
            self.carry_shaped = None if self.shaped is None else [
                i - start for i in self.shaped[bisect_left(self.shaped, start):]]
            self.lead = (0, records[-1].title - records[-1].start) if records else None

    def feed(self, more: list[str]) -> None:
        """The next window's lines, after the record carried over."""
        assert self.template is not None
        shaped: list[int] = []
        fresh = classify(more, self.next_no, self.template.order, shaped)
        self.next_no += len(more)
        if self.site is not None:
            mark(fresh, self.site)
        self.shaped = None if self.site is not None or self.carry_shaped is None else \
            self.carry_shaped + [i + len(self.carry) for i in shaped]
        self.lines = self.carry + fresh

    def state(self) -> tuple[object, ...]:
        """What the next window's split depends on besides its own lines: the part
        carried over (its place and what its lines remember of earlier windows)."""
        return (self.next_no, len(self.carry), self.lead, self.day,
                tuple((x.repeat, x.copy, x.kind) for x in self.carry))


def parse(raw: Iterable[str], path: str, tags: tuple[str, ...] = (),
          template: Template | None = None, fmt: str = FORMAT,
          markdown: bool = False, problems: list[str] | None = None
          ) -> Iterator[ParsedArticle]:
    """Split a listing dump into articles, streaming window by window.

    `markdown`: the dump was saved as Markdown, its bodies keep their markup;
    otherwise lines Markdown would misread are kept literal. `problems`: where
    text left out of every article that is not page chrome or template is said,
    one line each (`losses`), once the articles around it are out."""
    it = iter(raw)
    split = _Splitter(list(islice(it, WINDOW)), path, tags, template, fmt, markdown, problems)
    if split.template is None:
        # No repeating structure: the whole text is one article.
        yield from _single(split.lines, path, tags, fmt)
        return
    while True:
        more = list(islice(it, WINDOW))
        yield from split.window(final=not more)
        if not more:
            return
        split.feed(more)


class Part:
    """The articles of windows `start` to `stop` (excluded; None: to the end) of a
    listing dump, split as `parse` splits the whole file, so that processes can
    split one dump together: each part's `entry` state must equal the previous
    part's `exit` state (checked by whoever joins them), and the parts joined in
    order are then exactly what `parse` yields.

    `head`: the file's first `WINDOW` lines (the template is induced from them);
    `rest`: its lines from the window before `start` on (one window split to learn
    the state there), or from window 1 when `start` is 0 or 1."""

    def __init__(self, head: list[str], path: str, tags: tuple[str, ...], fmt: str,
                 markdown: bool, start: int, stop: int | None) -> None:
        self.head, self.path, self.tags, self.fmt, self.markdown = (head, path, tags, fmt,
                                                                    markdown)
        self.start, self.stop = start, stop
        self.problems: list[str] = []
        """Text the part's windows left out of every article (see `parse`)."""
        self.template: Template | None = None
        self.page_tags: tuple[str, ...] | None = None
        self.entry: tuple[object, ...] | None = None
        """The state entering window `start` (known once the first article is out)."""
        self.exit: tuple[object, ...] | None = None
        """The state entering window `stop` (known once every article is out)."""

    def articles(self, rest: Iterable[str]) -> Iterator[ParsedArticle]:
        it = iter(rest)
        split = _Splitter(self.head, self.path, self.tags, None, self.fmt, self.markdown,
                          self.problems)
        self.template = split.template
        if split.template is None:
            self.entry = self.exit = ()
            if self.start == 0:
                yield from _single(split.lines, self.path, self.tags, self.fmt)
            return
        window = 0
        if self.start > 0:
            # The first window quietly: the page's tags (and, for a part from window 1,
            # the very state the whole file's split hands on).
            for _ in split.window(final=False, quiet=True):
                pass
            if self.start > 1:
                # The window before `start`, split afresh with nothing carried into it.
                split.carry, split.carry_shaped, split.lead = [], [], None
                split.next_no = (self.start - 1) * WINDOW + 1
                split.feed(list(islice(it, WINDOW)))
                for _ in split.window(final=False, quiet=True):
                    pass
            self.entry, self.page_tags = split.state(), split.page_tags
            split.feed(list(islice(it, WINDOW)))
            window = self.start
        else:
            self.entry = ()
        while True:
            more = list(islice(it, WINDOW)) if self.stop is None or window + 1 < self.stop \
                else []
            final = not more and self.stop is None
            yield from split.window(final=final)
            self.page_tags = split.page_tags
            if not more:
                self.exit = None if final else split.state()
                return
            split.feed(more)
            window += 1


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
