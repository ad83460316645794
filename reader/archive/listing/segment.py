"""Segmentation: the whole window split into records by the template."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from reader.archive.lines import (
    BLANK,
    BLANK_LINE,
    DATE,
    JUNK,
    META,
    NAV,
    NO_LEAD,
    SEP,
    SPONSORED,
    TEXT,
    TITLE,
    Line,
    card_meta,
    chrome_heading,
    file_name,
    has_key,
    hashtags,
    key,
    prose,
    verbatim,
    words,
)
from reader.archive.listing.anchors import (
    _above_title,
    _after_footer,
    _copy_of,
    _doubles,
    _first_body,
    _head_title,
    _kicker_above,
    _next,
    _prev,
    _slot_line,
    _text_follows,
    could_title,
    mark_repeats,
    meta_slot_titles,
    over_dek,
    retitle_doubles,
    shaped_lines,
)
from reader.archive.listing.bodies import (
    _clean_body,
    _gutter,
)
from reader.archive.listing.first import _first_title, _first_untitled
from reader.archive.listing.template import (
    _BYLINE,
    Record,
    Template,
)
from reader.archive.names import name_shaped
from reader.archive.tagpage import header_tag, may_be_header
from reader.clean import comparable
from reader.dates import date_lead, parse_date

# --- segmentation -------------------------------------------------------------


def _starts(lines: list[Line], t: Template,
            marked: list[int] | None = None) -> list[tuple[int, int]]:
    """(record start, title index) pairs, in order; `marked`: `shaped_lines(lines)`,
    when the caller has it."""
    out: dict[int, int] = {}
    k = t.anchor
    anchor_kind = (k or "").split(":", 1)[0]
    # The lines of the anchor's kind or shape, picked out in one comprehension (among
    # the shaped lines unless the anchor may be text).
    found = ([i for i, line in enumerate(lines) if line.kind == anchor_kind or line.shape == k]
             if marked is None or anchor_kind == TEXT else
             [i for i in marked if (line := lines[i]).kind == anchor_kind or line.shape == k]) \
        if t.start != "double" and k else []
    heads: list[tuple[int, int | None]] = []  # (anchor, the title above it)
    aboves: list[tuple[int, int | None]] = []  # (a date header, the title under it)
    for i in found:
        line = lines[i]
        # (A line whose shape a site template named may have another kind.)
        if not ((line.kind == anchor_kind and has_key(line, k)) or line.shape == k):
            continue
        if t.start == "title":
            out[i] = i
            continue
        if t.start == "head":
            heads.append((i, _head_title(lines, i, t.dek)))
        elif t.start == "above":
            aboves.append((i, _above_title(lines, i)))
    for _, title in meta_slot_titles(lines, heads):
        out[title] = title
    for i, title in meta_slot_titles(lines, aboves, below=True):
        out[i] = title
    if t.start == "double":
        for d in _doubles(lines, marked) if t.records != 1 else [_next(lines, -1) or 0]:
            out[d] = d
    if t.opener is not None:
        taken = set(out.values()) | {c for v in out.values() if (c := _copy_of(lines, v))}
        opener_kind = t.opener.split(":", 1)[0]
        for i, line in enumerate(lines):
            if line.kind != opener_kind or not has_key(line, t.opener):
                continue
            p = _prev(lines, i)
            if p is None or i - p > 3 or not could_title(lines[p]) or p in taken:
                continue
            q = _prev(lines, p)
            if q is not None and p - q <= 3 and q in taken:
                continue
            if q is not None and p - q <= 3 and could_title(lines[q]) and _copy_of(lines, q) == p:
                p = q
            if p not in taken:
                out[p] = p
                taken.add(p)
    if t.foot is not None:
        foot_kind = t.foot.split(":", 1)[0]
        foot = t.foot
        feet = [i for i in (range(len(lines)) if marked is None or foot_kind == TEXT
                            else marked)
                if ((line := lines[i]).kind == foot_kind and has_key(line, foot))
                or line.shape == foot]
        known = sorted(out)
        after: dict[int, int | None] = {
            a: _after_footer(lines, a, untitled=True) for a in feet} if t.untitled else dict(
            meta_slot_titles(lines, [(a, _after_footer(lines, a)) for a in feet], below=True))
        for a in feet:
            begins = after.get(a)
            if begins is None:
                continue
            title = begins
            at = bisect_right(known, a)
            nxt = known[at] if at < len(known) else None
            if nxt is None and t.start != "foot" and known and a > known[-1] \
                    and not _text_follows(lines, title):
                continue  # after the last record's footer: page chrome
            if nxt is not None and title >= nxt - (2 if t.start == "above" else 0) \
                    and t.start != "foot":
                continue
            if nxt is not None and not any(
                    lines[j].kind == TEXT and prose(lines[j].text) for j in range(title, nxt)):
                continue
            head = _prev(lines, title)
            if head is not None and head > a and lines[head].kind == DATE:
                out[head] = title  # a day's date header right above the title
            else:
                out[title] = title
        if t.start == "foot" and feet and not any(s < feet[0] for s in out):
            # (A record already found before the first footer, by its opening line, is
            # the first: nothing above it is looked for.)
            later = [out[s] for s in sorted(out)]
            first = _first_untitled(lines, feet[0]) if t.untitled else _first_title(
                lines, feet[0], later)
            if first is not None and (not out or first < min(out)):
                out[first] = first
    pairs = sorted(out.items())
    # A record cannot end before it has begun: a start with no text between it
    # and the previous title (a doubled caption, a standfirst) belongs to that record.
    kept: list[tuple[int, int]] = []
    for s, title in pairs:
        if kept:
            prev_title = kept[-1][1]
            head_end = prev_title - 1 if t.untitled else _copy_of(lines, prev_title) or prev_title
            if not any(lines[j].kind in (TEXT, TITLE) for j in range(head_end + 1, s)) \
                    and not (t.start == "head" and _anchored(lines, t, head_end + 1, s)):
                # Two starts with nothing between: after a footer the first is the
                # title (the second a doubled caption); before any footer, the first
                # is page chrome (an author's name printed twice). (But for a title
                # with its own anchor under it: a post listed by its title and date.)
                p = _prev(lines, kept[-1][0])
                if p is None or lines[p].kind not in (SEP, META, DATE, JUNK):
                    kept[-1] = (s, title)
                continue
        kept.append((s, title))
    return kept


_YEAR_HEADING = re.compile(r"^[#*_=\-–—\s]*(?:1[89]|20|21)\d\d[#*_=\-–—\s]*(?:\(\d+\))?$")
"""A year alone on its line (`2024`, `## 2024`, `— 2024 —`, `2024 (12)`): a group heading."""


def _anchored(lines: list[Line], t: Template, start: int, stop: int) -> bool:
    """Whether a line of the template's anchor lies in `lines[start:stop]`."""
    kind = (t.anchor or "").split(":", 1)[0]
    return any(lines[j].kind == kind and has_key(lines[j], t.anchor) for j in range(start, stop))


def _records(lines: list[Line], t: Template, final: bool,
             lead: tuple[int, int] | None = None,
             marked: list[int] | None = None) -> list[Record]:
    starts = _starts(lines, t, marked)
    if lead is not None:
        # The record carried over from the previous window opens this one, whatever
        # can be seen of its context here.
        starts = [lead, *[(s, title) for s, title in starts if s > lead[1]]]
    records: list[Record] = []
    for n, (s, title) in enumerate(starts):
        end = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(lines) - 1
        if s == title and t.start != "head" and (p := _prev(lines, title)) is not None \
                and lines[p].kind == DATE and not has_key(lines[p], t.foot) \
                and (not records or p > records[-1].title + 1):
            s = p  # a date header right above the title (Blogger's day headers)
        r = Record(s, title, _copy_of(lines, title), end=end)
        if t.kicker and s == title \
                and (k := _kicker_above(lines, title, t.kicker_gap)) is not None \
                and (not records or k > records[-1].title + 1):
            r.start = r.kicker = k
            if records:
                records[-1].end = min(records[-1].end, k - 1)
        elif t.dek and (k := over_dek(lines, title, settled=True)) is not None \
                and (not records or k > records[-1].title + 1):
            r.dek, r.title, r.copy = title, k, None
            r.start = min(s, k)
            if records:
                records[-1].end = min(records[-1].end, r.start - 1)
        elif t.dek and (under := _next(lines, title)) is not None and under <= end \
                and over_dek(lines, under, settled=True) == title:
            r.dek = under  # the title itself was found (its standfirst opens like the others)
        if s != title and lines[s].kind == DATE:
            r.date = lines[s].date
        records.append(r)
    # Pagination or a sidebar heading between records: what follows it up to the
    # next record is chrome. At the end of the file, a short run of records after
    # it is a widget repeating posts (`Popular Posts`): the listing ends there.
    # A year printed alone above a record heads the posts of that year (an archive
    # grouped by year): it is no part of the record before it.
    for n in range(1, len(records)):
        p = _prev(lines, records[n].start)
        if p is None or p <= records[n - 1].title:
            continue
        if _YEAR_HEADING.match(lines[p].text):
            records[n - 1].end = min(records[n - 1].end, p - 1)
            continue
        if not ((lines[p].kind == NAV and not _gutter(lines[p].text))
                or chrome_heading(lines[p].text)):
            continue
        if final and len(records) - n < n:
            del records[n:]
            break
        records[n - 1].end = min(records[n - 1].end, p - 1)
    if t.foot is not None:
        for r in records:
            _close_at_foot(lines, r, t.foot)
    records = _fold_comments(lines, records)
    breaks = _page_breaks(lines, marked) if len(records) > 1 else []
    for r in records[:-1] if breaks else ():
        _cut_page_breaks(lines, r, breaks)
    if final and records:
        _cut_trailing_chrome(lines, records[-1], records)
    return records


_REPLY = re.compile(r"^(?:reply|antworten|répondre|responder|rispondi|reageren|balas|"
                    r"回复|回覆|返信)(?:\s*↓)?$", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_SAYS_WORDS = ("says", "said", "schreibt", "sagt", "dit", "dice", "diz", "zegt", "berkata")
_SAYS = re.compile(rf"\b(?:{'|'.join(_SAYS_WORDS)})\s*:?$", re.IGNORECASE)


def _says(title: str) -> bool:
    """`Ann says:`: `_SAYS.search(title)`, an ASCII title first tested by its last word."""
    if title.isascii() and not title.rstrip(":").rstrip().lower().endswith(_SAYS_WORDS):
        return False
    return _SAYS.search(title) is not None


def _is_comment(lines: list[Line], r: Record) -> bool:
    """A reader's comment under an article: a name (`Ann says:`), a date, a short
    text and a `Reply` link."""
    title = lines[r.title].text
    says = _says(title)
    if not says and words(title) > 4:
        return False
    span: list[Line] = []
    size = 0
    for i in range(r.title + 1, r.end + 1):
        x = lines[i]
        if x.kind != BLANK:
            size += len(x.text)
            if size > 1500:
                return False  # an article's text, not a comment
            span.append(x)
    if not span:
        return False
    if says:
        return True
    # A `Reply` link closing it, under a name and a time of day.
    return _REPLY.match(span[-1].text) is not None and any(
        x.kind == DATE and _TIME.search(x.text) for x in span[:2])


def _fold_comments(lines: list[Line], records: list[Record]) -> list[Record]:
    """Comments printed under an article are part of it, not articles of their own."""
    comments = [_is_comment(lines, r) for r in records]
    if not any(comments) or all(comments):
        return records
    out: list[Record] = []
    for r, comment in zip(records, comments, strict=True):
        if out and comment:
            out[-1].end = r.end
            continue
        out.append(r)
    return out


def _close_at_foot(lines: list[Line], r: Record, foot: str) -> None:
    """End the record at its last foot line's zone; what follows is chrome."""
    last = next((i for i in range(r.end, r.title, -1) if has_key(lines[i], foot)), None)
    if last is None:
        return
    j = last
    while True:
        n = _next(lines, j)
        if n is None or n > r.end or lines[n].kind not in (SEP, META, JUNK, DATE):
            break
        if SPONSORED.match(lines[n].text):
            break
        j = n
    r.end = j


def _cut_trailing_chrome(lines: list[Line], r: Record, records: list[Record]) -> None:
    """The last record ends where pagination, a sidebar heading or a sidebar
    repeating the titles begins."""
    titles = {comparable(lines[x.title].text) for x in records}
    seen_text = False
    for i in range(r.title + 1, r.end + 1):
        line = lines[i]
        if line.kind == BLANK or i == r.copy:
            continue
        if seen_text and ((line.kind == NAV and not _gutter(line.text))
                          or chrome_heading(line.text) or comparable(line.text) in titles):
            p = _prev(lines, i)
            r.end = p if p is not None and p >= r.title else r.title
            return
        if line.kind in (TEXT, TITLE):
            seen_text = True


_header_tag = lru_cache(maxsize=4096)(header_tag)
"""`header_tag`, cached: a digest prints every title twice, a theme its meta lines
in every record."""


_HEADER_WORDS = ("tag", "categor", "topic", "label", "about", "filed")
"""Every page header `header_tag` reads holds one of these words (in any case)."""


def _may_name_tag(text: str) -> bool:
    """Whether `text` may be a page header: a text in ASCII holds one of `_HEADER_WORDS`
    (a few scans at C speed, where `header_tag` squashes it and runs a regex; a text
    beyond ASCII is left to it: `ı` matches `i` there)."""
    if not text.isascii():
        return True
    low = text.lower()
    return "tag" in low or "categor" in low or "topic" in low or "label" in low \
        or "about" in low or "filed" in low


def _page_breaks(lines: list[Line], marked: list[int] | None = None) -> list[int]:
    """Pagers and page headers (`Posts tagged ‘x’`): where a page pasted after another
    begins its chrome; `marked`: `shaped_lines(lines)`, when the caller has it."""
    return [i for i in (range(len(lines)) if marked is None else marked)
            if ((x := lines[i]).kind == NAV and sum(ch.isalpha() for ch in x.text) >= 4)
            or ((x.kind == TITLE or x.kind == META) and len(x.text) <= 120
                and may_be_header(x.text) and _may_name_tag(x.text)
                and _header_tag(x.text) is not None)]


def _cut_page_breaks(lines: list[Line], r: Record, breaks: list[int]) -> None:
    """A record ends before a pager or a page header printed after its text."""
    k = bisect_right(breaks, r.title)
    if k == len(breaks) or breaks[k] > r.end:
        return
    i = breaks[k]
    if any(lines[j].kind in (TEXT, TITLE) for j in range(r.title + 1, i)):
        p = _prev(lines, i)
        r.end = p if p is not None and p >= r.title else r.title


def segment(lines: list[Line], t: Template, final: bool = True,
            lead: tuple[int, int] | None = None,
            shaped: list[int] | None = None) -> list[Record]:
    """Split lines into records with the template; fill in each record's body and date.

    `lead`: (start, title) of a record carried over from the previous window;
    `shaped`: `shaped_lines(lines)`, when the caller has it."""
    marked = shaped_lines(lines) if shaped is None else shaped  # (what the passes look at)
    retitle_doubles(lines, marked)
    mark_repeats(lines, marked)
    records = _records(lines, t, final, lead, marked)
    free = -1
    for r in records:
        _fill(lines, r, t, free)
        free = r.end
        b = _first_body(r)
        if b is not None and (file_name(b.text) or (
                t.slot and _slot_line(lines, r, b) and not card_meta(b.text))):
            k = r.body.index(b) + 1
            while k < len(r.body) and r.body[k].kind == BLANK:
                k += 1
            r.body = r.body[k:]
    if t.foot is not None:
        _tags_over_titles(lines, records, t.foot)
    return records


_TAG_HEAD = re.compile(r"^(?:tags?|labels?|categor(?:y|ies)|schlagwörter|kategorien?|"
                       r"étiquettes|etiquetas|topics?)\s*:?$", re.IGNORECASE)


def _tags(lines: list[Line], tag_lines: list[int]) -> tuple[str, ...]:
    """The words of these lines of hashtags, each once, in order."""
    return tuple(dict.fromkeys(word.lstrip("#") for k in tag_lines
                               for word in lines[k].text.replace(",", " ").split()))


def _tags_over_titles(lines: list[Line], records: list[Record], foot: str) -> None:
    """A line of hashtags right over a title, after the footer that closes the record
    above, is the next post's (a theme printing each card's tags over its title); one
    in the closing footer's own block (no blank line between) is its record's."""
    for n, r in enumerate(records):
        k = r.end + 1
        while k < len(lines) and lines[k].kind != BLANK and k <= r.end + 4:
            if lines[k].kind == META and hashtags(lines[k].text):
                r.tag_lines.append(k)
            k += 1
        p = _prev(lines, r.start)
        if p is None or lines[p].kind != META or not hashtags(lines[p].text) \
                or (n and lines[p - 1].kind != BLANK):  # (in the footer's block: its card's)
            continue
        if n:
            above = records[n - 1]
            if p <= above.title or not any(has_key(lines[j], foot)
                                           for j in range(above.title + 1, p)):
                continue
            above.tag_lines = [k for k in above.tag_lines if k != p]
        r.tag_lines.insert(0, p)
    for r in records:
        r.tags = _tags(lines, r.tag_lines)


def _lead_author(line: Line) -> str | None:
    """The author's name printed before a date (`Ann Lee · Mar 3, 2021`, `By Ann Lee,
    March 3`), or None."""
    if key(line) == NO_LEAD:
        return None  # nothing printed before the date (the shape key says so, read once)
    lead = date_lead(line.text).rstrip(" ·•|,-–—").strip()
    if not lead:
        return None
    if (m := _BYLINE.match(lead)) is not None:
        lead = m.group(1)
    return lead if name_shaped(lead) else None


_OVER = frozenset((BLANK, META, DATE))
"""Kinds of line between an author's name printed over a record and the record."""
_FOOTER = frozenset((BLANK, SEP, META, JUNK, NAV))
"""Kinds of line a record's footer zone is made of (dates too, which date it)."""


def _fill(lines: list[Line], r: Record, t: Template, free: int = -1) -> None:
    """The record's date, author and body. `free`: the index of the last line of the
    record before it (-1: none)."""
    # Printed over the record, after the one before: the author's name over the date
    # (`mark_repeats`), a card's date over its title (`Ann Lee` / `Jan 3 '21` / title).
    over: str | None = None
    k = r.start - 1
    stop = max(free, r.start - 6, -1)
    while k > stop and lines[k].kind in _OVER:
        over = over or lines[k].date
        k -= 1
    if k > stop and lines[k].repeat:
        r.author = lines[k].text
    elif lines[r.start].kind == DATE:  # a date header (`Ann Lee · Jan 3 '21`)
        r.author = _lead_author(lines[r.start])
    i = r.title if t.untitled else (r.copy if r.copy is not None else r.title) + 1
    if r.dek is not None:
        i = r.dek + 1  # the standfirst opens the body (below); its date and meta follow it
    # Head zone: date and meta lines, bylines, template lines under the title.
    boilerplate = t.boilerplate
    while i <= r.end:
        line = lines[i]
        kind = line.kind
        if kind == BLANK:
            i += 1
            continue
        if kind == DATE:
            r.date = r.date or line.date
            r.author = r.author or _lead_author(line)
            i += 1
            continue
        if kind != TEXT and len(line.text) < 60 and (m := _BYLINE.match(line.text)):
            r.author = r.author or m.group(1)
            i += 1
            continue
        if line.repeat:  # an author's name over the date (`mark_repeats`)
            r.author = r.author or line.text
            i += 1
            continue
        if kind in (META, JUNK) or (boilerplate and verbatim(line) in boilerplate):
            i += 1
            continue
        break
    end = r.end
    # Footer zone: meta, separators, dates, tag lists, template lines after the text.
    while end >= i:
        line = lines[end]
        if line.kind in _FOOTER or (boilerplate and verbatim(line) in boilerplate):
            end -= 1
            continue
        if line.kind == DATE:
            r.date = r.date or line.date
            end -= 1
            continue
        break
    if r.date is None:
        # `This entry was posted on Sunday, April 7th, 2019 …` in the footer.
        r.date = next((d for x in lines[end + 1:r.end + 1] if x.kind == META
                       and (d := parse_date(x.text, t.order))), None)
    # A tag list: `Tags` then one short tag a line, at the end of the body.
    for k in range(end, max(i - 1, end - 30), -1):
        if lines[k].kind == TEXT and len(lines[k].text) > 40:
            break  # running text: no tag list below it
        if lines[k].kind == META and _TAG_HEAD.match(lines[k].text):
            tail = [x for x in lines[k + 1:end + 1] if x.kind != BLANK]
            if all(len(x.text) <= 40 and not prose(x.text) for x in tail):
                end = k - 1
                while end >= i and lines[end].kind == BLANK:
                    end -= 1
            break
    # A line of hashtags in the head or the footer zone: the post's own tags.
    r.tag_lines = [k for k in (*range(r.title + 1, i), *range(end + 1, r.end + 1))
                   if lines[k].kind == META and hashtags(lines[k].text)]
    r.tags = _tags(lines, r.tag_lines)
    r.body = _clean_body(lines[i:end + 1], t, r)
    if r.dek is not None:
        r.body = [lines[r.dek], BLANK_LINE, *r.body]
    if not any(x.kind != BLANK for x in r.body):
        # A post listed without its text (a social platform's card): what the card
        # prints (`#rust #beginners`, `12 reactions`) is all there is of it.
        # One paragraph a line, as the card shows them (not run together into one).
        after = (r.copy if r.copy is not None else r.title) + 1
        card = [x for x in lines[after:r.end + 1] if x.kind == META and card_meta(x.text)]
        r.body = [y for x in card for y in (BLANK_LINE, x)][1:]
    if r.date is None:
        for x in lines[end + 1:r.end + 1]:
            if x.kind == DATE:
                r.date = x.date
                break
    if r.date is None:
        r.date = over
