"""Records to articles: bodies cleaned of template lines, titles and sources; and the
text left out of every article, said (`Losses`)."""

from __future__ import annotations

import re

from reader.archive.lines import (
    BLANK,
    DATE,
    GLUED,
    JUNK,
    MD_FIRST,
    META,
    NAV,
    RELATED,
    SEP,
    SPONSORED,
    TEXT,
    TITLE,
    Line,
    bare,
    chrome_heading,
    has_key,
    literal,
    prose,
    title_like,
    words,
)
from reader.archive.listing.anchors import _copy_of, could_title
from reader.archive.listing.template import (
    _DOMAIN,
    _SUFFIX,
    FORMAT,
    Record,
    Template,
)
from reader.archive.tagpage import header_tag
from reader.clean import (
    clean_lines,
    clean_title,
    comparable,
    may_be_mojibake,
    needs_sanitizing,
    split_source,
)
from reader.models import ParsedArticle, Provenance

_SPECIAL = frozenset((SEP, JUNK, META))


_GUTTERS = frozenset("".join(str(i) for i in range(1, n + 1)) for n in range(2, 400))


def _gutter(text: str) -> bool:
    """`12345678910…`: the numbers 1 to n written one after another."""
    return text in _GUTTERS


def _plain(body: list[Line], boilerplate: frozenset[str]) -> bool:
    """Whether a body holds only text: nothing for `_clean_body` to take out."""
    for x in body:
        kind = x.kind
        if kind == BLANK:
            continue  # never special, never `1`, `12…` or boilerplate (made of lines)
        text = x.text
        if kind in _SPECIAL or text == "1" or text[:2] == "12" \
                or (boilerplate and text in boilerplate) \
                or (kind == TITLE and len(text) < 50 and RELATED.match(text)):
            return False
    return True


def _unseen_title(body: list[Line], k: int, t: Template) -> bool:
    """Whether `body[k]`, a meta-shaped line after the body's text, is the title of a
    record the split did not see: a headline right above the template's anchor line
    (or right under it, for a date header above titles)."""
    if t.anchor is None or t.start not in ("head", "above"):
        return False
    text = body[k].text
    if len(text) > 120 or text.count(" ") < 2 or not title_like(text) \
            or (text.endswith(".") and not text.endswith("..")):
        return False
    step = 1 if t.start == "head" else -1
    j = k + step
    while 0 <= j < len(body) and abs(j - k) <= 3 and body[j].kind == BLANK:
        j += step
    return 0 <= j < len(body) and has_key(body[j], t.anchor)


def _clean_body(body: list[Line], t: Template, r: Record | None = None) -> list[Line]:
    """`body` without template lines; a line left out that is not template (see
    `_unseen_title`) is listed in `r.lost`."""
    boilerplate = t.boilerplate
    if _plain(body, boilerplate):
        out = body
        while out and out[-1].kind == BLANK:
            out = out[:-1]
        return _cut_glued(out)
    out = []
    k = 0
    while k < len(body):
        line = body[k]
        kind = line.kind
        if kind == BLANK:
            out.append(line)
            k += 1
            continue
        if len(line.text) < 50 and RELATED.match(line.text):
            rest = [x for x in body[k + 1:] if x.kind != BLANK]
            if all(not prose(x.text) for x in rest):
                break
        if kind in (SEP, JUNK) or (kind == META and len(line.text) < 80) \
                or (boilerplate and line.text in boilerplate):
            if r is not None and kind == META and out and line.text not in boilerplate \
                    and _unseen_title(body, k, t):
                r.lost = [*(r.lost or ()), line]
            k += 1
            continue
        if line.text == "1":
            # A code block's line-number gutter: 1, 2, 3 … one a line.
            run = k
            expect = 1
            while run < len(body) and (body[run].kind == BLANK or body[run].text == str(expect)):
                if body[run].kind != BLANK:
                    expect += 1
                run += 1
            if expect > 2:
                k = run
                continue
            nxt = next((x for x in body[k + 1:] if x.kind != BLANK), None)
            if nxt is not None and not prose(nxt.text) and not nxt.text[:1].isdigit():
                k += 1  # the gutter of a one-line code block
                continue
        if line.text[:2] == "12" and _gutter(line.text):
            k += 1  # the same gutter copied as one line: `1234567`
            continue
        out.append(line)
        k += 1
    while out and out[-1].kind == BLANK:
        out.pop()
    return _cut_glued(out)


def _cut_glued(out: list[Line]) -> list[Line]:
    """A separator glued to the last paragraph after its ellipsis is cut off it."""
    if out and len(out[-1].text) > 40:
        last = out[-1]
        tail = len(last.text) - 80 if len(last.text) > 80 else 0  # the separator is short
        end = last.text[tail:]
        cut = GLUED.search(last.text, tail) if "…" in end or "..." in end else None
        if cut and cut.start() > 0:
            out[-1] = Line(last.no, last.text[: cut.start()].rstrip(), last.kind, last.date)
    return out


# --- articles -----------------------------------------------------------------


def _clean_title(text: str) -> str:
    """`clean_title`, without sanitising again what `read_lines` sanitised."""
    if needs_sanitizing(text) or may_be_mojibake(text):
        return clean_title(text)
    return " ".join(text.split())


def _may_have_suffix(title: str) -> bool:
    """Whether `title` holds a dash or bar `_SUFFIX` may split it at (scans at C speed:
    most titles hold none, and the regex tries every place in them)."""
    return "-" in title or "|" in title or "\u2013" in title or "\u2014" in title


def _title_and_source(lines: list[Line], r: Record, t: Template) -> tuple[str, str | None]:
    raw = bare(lines[r.title].text)
    title = _clean_title(raw)
    if r.copy is not None and lines[r.copy].text != lines[r.title].text:
        other = _clean_title(bare(lines[r.copy].text))
        a, b = comparable(title), comparable(other)
        if a != b and (a.startswith(b) or b.startswith(a)):
            longer, shorter = (title, other) if len(title) > len(other) else (other, title)
            m = _SUFFIX.match(longer)
            if m and comparable(m.group("title")) == comparable(shorter):
                return clean_title(m.group("title")), m.group("source").strip()
    if t.sources:
        return split_source(title)
    m = _SUFFIX.match(title) if _may_have_suffix(title) else None
    if m and _DOMAIN.match(m.group("source").strip()):
        return clean_title(m.group("title")), m.group("source").strip()
    return title, None


def _excerpt(text: str, limit: int = 8) -> str:
    """A title for an untitled post: its first words."""
    words_ = clean_title(text).split()
    return " ".join(words_[:limit]) + ("…" if len(words_) > limit else "")


def article(lines: list[Line], r: Record, t: Template, path: str,
            tags: tuple[str, ...], fmt: str = FORMAT,
            markdown: bool = False) -> ParsedArticle | None:
    title, source = _title_and_source(lines, r, t) if not t.untitled else (
        _excerpt(lines[r.title].text), None)
    body = clean_lines([x.text for x in r.body], title=title)
    if not markdown:
        # `literal` changes only lines that begin like Markdown (`clean_lines` stripped them).
        body = [literal(x) if x[:1] in MD_FIRST else x for x in body]
    if not body:
        return None
    last = r.end
    while last > r.start and lines[last].kind == BLANK:
        last -= 1
    return ParsedArticle(
        title=title,
        body="\n".join(body),
        provenance=Provenance(path, fmt, lines[r.start].no, lines[last].no),
        date=r.date,
        author=r.author,
        source=source,
        tags=_with_own(tags, r.tags),
    )


def _with_own(page: tuple[str, ...], own: tuple[str, ...]) -> tuple[str, ...]:
    """The page's tags, then the post's own (`#rust` is the page's `rust`)."""
    if not own:
        return page
    seen = {tag.lstrip("#").casefold() for tag in page}
    return page + tuple(tag for tag in own if tag.casefold() not in seen)


# --- what no article holds ----------------------------------------------------


MAX_LOSSES = 100
"""Places of text left out said one by one per file; past them, one line counts the rest."""


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "”"


def _span(first: Line, last: Line) -> str:
    return f"line {first.no}" if first.no == last.no else f"lines {first.no}-{last.no}"


_PAGER = re.compile(
    r"^[\W\d_]*(?:(?:prev(?:ious)?|next|older|newer|first|last|page|posts?|entries|zurück|"
    r"weiter|vorherige|nächste|précédent|suivant|anterior|siguiente|precedente|successivo|"
    r"vorige|volgende|sebelumnya|berikutnya)[\W\d_]*)+$", re.IGNORECASE)
"""A pager of several words and arrows (`« Prev Next »`, `← Older · Newer →`)."""


def _chrome(line: Line) -> bool:
    """A line after which the rest of a gap between records is page chrome: pagination,
    a sidebar heading, a page header (a second page pasted), a sponsored block."""
    text = line.text
    return (line.kind == NAV and not _gutter(text)) or chrome_heading(text) \
        or SPONSORED.match(text) is not None \
        or (len(text) < 80 and _PAGER.match(text) is not None) \
        or (len(text) <= 120 and line.kind in (TITLE, META) and header_tag(text) is not None)


class Losses:
    """Text a listing dump's split leaves out of every article that is neither page
    chrome nor template, said in `problems`, one line each (the file's line numbers,
    what was left out and why): running text after a record's end (a footer closed
    it) and before the next record or the page's chrome (`between`), a record with a
    title and no text (`empty`, and `lead` for the first, which the split takes for
    chrome), and a meta-shaped title of a record the split did not see, left out of
    the body it joined (`unseen`).

    Page chrome (before the first record; after pagination, a sidebar heading or a
    sponsored block), template lines (dates, meta, separators, share rows, lines
    printed in most records) and a `Related` block's links are left out by design
    and not said. A record with no text is
    said rather than kept as an article of its title alone: such a record is as
    often a line of chrome taken for a title (a pager, a widget's heading) as a
    post, the line says its whole title, and a dump whose every record is empty is
    still read as one article, as before."""

    __slots__ = ("more", "problems", "said")

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.said = 0
        self.more = 0

    def _say(self, line: str) -> None:
        if self.said < MAX_LOSSES:
            self.problems.append(line)
            self.said += 1
        else:
            self.more += 1

    def _untexted(self, title: Line) -> None:
        self._say(f"line {title.no}: the title {_quote(bare(title.text))} has no text under "
                  "it; not imported")

    def empty(self, lines: list[Line], r: Record, t: Template) -> None:
        """Record `r` gave no article: its title is said, unless it is chrome."""
        head = lines[r.title]
        if t.untitled or head.kind not in (TITLE, TEXT) or _chrome(head):
            return
        self._untexted(head)

    def lead(self, lines: list[Line], first: Record) -> None:
        """A doubled title right before the first record, with nothing but template lines
        under it: the first item of a digest, printed without text (the split takes a
        start with no text before the next for chrome when nothing precedes it)."""
        c = first.start - 1
        while c >= 0 and lines[c].kind in (BLANK, SEP, META, JUNK):
            c -= 1
        if c < 1:
            return
        p = c - 1
        while p >= 0 and c - p <= 3 and lines[p].kind == BLANK:
            p -= 1
        if p < 0 or c - p > 3 or _copy_of(lines, p) != c or not could_title(lines[p]) \
                or words(lines[p].text) < 3 or _chrome(lines[p]):
            return
        self._untexted(lines[p])

    def unseen(self, lines: list[Line], r: Record) -> None:
        """Titles of records the split did not see, left out of record `r`'s body."""
        for line in r.lost or ():
            self._say(f"line {line.no}: {_quote(bare(line.text))}, the title of a post inside "
                      f"the post {_quote(bare(lines[r.title].text), 40)} (line "
                      f"{lines[r.title].no}), read as a meta line; not imported")

    def between(self, lines: list[Line], r: Record, after: Record | None,
                titles: frozenset[str] = frozenset()) -> None:
        """Running text after record `r` ended and before record `after` begins, or
        (`after` None: `r` is the file's last record) before the page's end, up to any
        pagination, sidebar or sponsored block, which is chrome, as is a line repeating
        one of `titles` (a sidebar listing the posts)."""
        found: list[Line] = []
        for i in range(r.end + 1, after.start if after is not None else len(lines)):
            line = lines[i]
            kind = line.kind
            if kind in (BLANK, DATE, SEP):
                continue
            if _chrome(line) or (titles and comparable(line.text) in titles):
                break
            if kind == TEXT and prose(line.text):
                found.append(line)
        if not found:
            return
        n = len(found)
        what = "a paragraph" if n == 1 else f"{n} paragraphs"
        where = "between two posts" if after is not None else "after the last post"
        self._say(f"{_span(found[0], found[-1])}: {what} {where}, after "
                  f"{_quote(bare(lines[r.title].text), 40)} (line {lines[r.title].no}), "
                  f"not imported: {_quote(found[0].text)}")

    def close(self) -> None:
        """The file is split: the places past `MAX_LOSSES` counted in one line."""
        if self.more:
            self.problems.append(f"{self.more} more places with text not imported (only the "
                                 f"first {MAX_LOSSES} are listed)")
            self.more = 0
