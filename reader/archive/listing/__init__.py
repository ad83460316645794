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
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from reader.archive.blocks import same_title
from reader.archive.lines import (
    ANY_DATE,
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
    classify,
    file_name,
    has_key,
    key,
    literal,
    prose,
    section_label,
    title_like,
    verbatim,
    words,
)
from reader.archive.sites import Site, find_site, load_sites, mark
from reader.archive.tagpage import header_tag
from reader.clean import clean_lines, clean_title, comparable, split_source
from reader.dates import date_rest, numeric_order, parse_date
from reader.models import ParsedArticle, Provenance

FORMAT = "tagpage"
WINDOW = 4000
"""Lines segmented at a time; the template is induced from the first window."""
MIN_RECORDS = 2
MIN_SCORE = 1.5
"""A file is a listing when its best segmentation scores this much: two records,
at most one exception."""
MIN_CONSISTENCY = 0.6
"""Share of an anchor's occurrences that must sit in the same relation to a title."""
HEAD_REACH = 3
"""Non-blank lines an anchor may sit under its title (bylines, a doubled title between)."""
LEAD_PROSE, LEAD_CHARS = 3, 400
"""Running text before the first record, this much of it, is an article, not chrome."""
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|oleh|written\s+by|posted\s+by)\s+"
                     r"(\S+(?:\s+\S+){0,3})$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:\u2013|\u2014|-|\|)\s+(?P<source>[^|–—]{2,60})$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


@dataclass(slots=True)
class Template:
    """What one file's records look like: which shapes anchor them and where."""

    start: str
    """How records are found: `head`, `above`, `double` or `foot`."""
    anchor: str | None
    """The shape key of the anchor (`date:posted`, `meta:cnn.com ·`), None for `double`."""
    foot: str | None = None
    """The shape key of a line closing every record, when there is one."""
    boilerplate: frozenset[str] = frozenset()
    """Lines (compared loosely) printed in most records: template, not text."""
    opener: str | None = None
    """The shape key of a first body line most records share (`End TOC …`): such a
    line under a title-like line opens a record even where no anchor is printed."""
    kicker: bool = False
    """Whether most records print a short line (a source, a section) right above the
    title: the record starts there; the line is neither text nor the source (a source
    is only a title's suffix)."""
    untitled: bool = False
    """Posts without titles, found by their footers: each opens with its text."""
    slot: bool = False
    """Whether most records print a short line (an image's alt text) before their text."""
    order: str | None = None
    """Day/month order of all-numeric dates in this file: `dmy`, `mdy` or None."""
    sources: bool = False
    """Whether title suffixes (` – CNET`) name sources in this file."""
    records: int = 0
    """Records the induction sample holds."""
    score: float = 0.0
    user: str | None = None
    """The name of the per-site template that forced this one, if any."""

    def describe(self) -> list[str]:
        """The template in words, for `reader import --preview`."""
        where = {
            "title": "title lines matching the site's pattern",
            "head": "a line under each title",
            "above": "a line above each title (a date header)",
            "double": "each title printed twice",
            "foot": "a line closing each record",
        }[self.start]
        out = [f"records found by {where}" + (f": {shape_name(self.anchor)}" if self.anchor
                                               else "")]
        if self.foot and self.foot != self.anchor:
            out.append(f"records closed by {shape_name(self.foot)}")
        if self.kicker:
            out.append("a short line right above each title (kicker), not text")
        if self.untitled:
            out.append("posts without titles: each opens with its text")
        if self.order:
            out.append(f"numeric dates read {self.order}")
        if self.sources:
            out.append("title suffixes name the source")
        if self.boilerplate:
            out.append(f"{len(self.boilerplate)} line(s) repeated in most records dropped as "
                       "template")
        if self.user:
            out.append(f"site template {self.user!r}")
        return out


def shape_name(shape: str) -> str:
    """A shape key in words: `date:posted on` → `a date line (posted on …)`."""
    kind, _, detail = shape.partition(":")
    if kind == "site":
        return f"the site template's {detail} pattern"
    if kind == "date":
        return "a date line" + ("" if detail in ("", "*") else f" ({detail} …)")
    if kind == "sep":
        return "a separator line (Read more …)"
    if detail == "age":
        return "a meta line with an age (… 2d, 3 hours ago)"
    if detail and not detail[0].isalnum():
        return "a meta line shaped " + " ".join(["…", *(f"{mark} …" for mark in detail)])
    return f"a {kind} line ({detail} …)"


@dataclass(slots=True)
class Record:
    """One article's lines in a window, before cleaning."""

    start: int
    """Index (in the window) of the record's first line: title or date header."""
    title: int
    copy: int | None = None
    """Index of the second printing of the title, if any."""
    kicker: int | None = None
    """Index of a source line printed right above the title, if the template has one."""
    date: str | None = None
    author: str | None = None
    end: int = -1
    """Index of the record's last line (inclusive)."""
    body: list[Line] = field(default_factory=list)


# --- navigation helpers -------------------------------------------------------


def _next(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].kind != BLANK:
            return j
    return None


def _prev(lines: list[Line], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].kind != BLANK:
            return j
    return None


def could_title(line: Line) -> bool:
    """A title-shaped line: short, no sentence's full stop at its end."""
    if line.titleish is None:
        text = line.text
        line.titleish = line.kind in (TITLE, TEXT) and len(text) <= 250 \
            and (not text.endswith(".") or text.endswith(("...", ".."))) and title_like(text)
    return line.titleish


def _copy_of(lines: list[Line], t: int) -> int | None:
    """The index of a second printing of title `t`, if the next line (after at most
    two blanks) prints it again."""
    line = lines[t]
    if line.copy is not None:
        return t + line.copy if line.copy else None
    line.copy = 0
    j = _next(lines, t)
    if j is None or j - t > 3 or lines[j].kind not in (TITLE, TEXT):
        return None
    a, b = line.text, lines[j].text
    if a[:1].casefold() != b[:1].casefold() and a[:1].isalnum() and b[:1].isalnum():
        return None  # two printings of a title start alike (quotes aside)
    if not _same(a, b):
        return None
    line.copy = j - t
    return j


@lru_cache(maxsize=4096)
def _same(a: str, b: str) -> bool:
    return same_title(a, b) or _suffixed(a, b)


def _suffixed(a: str, b: str) -> bool:
    """`Title | Site` and `Title`: one copy carries a suffix the other lacks."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    m = _SUFFIX.match(longer)
    return m is not None and comparable(m.group("title")) == comparable(shorter)


# --- anchors ------------------------------------------------------------------


def _head_title(lines: list[Line], a: int) -> int | None:
    """The title above anchor `a` (an anchor under its title), or None."""
    j = _prev(lines, a)
    hops = 0
    byline: int | None = None
    while j is not None and hops < HEAD_REACH:
        line = lines[j]
        if line.kind in (META, JUNK) or line.repeat or _BYLINE.match(line.text):
            if byline is None and _BYLINE.match(line.text) and could_title(line):
                byline = j
            j, hops = _prev(lines, j), hops + 1
            continue
        if could_title(line):
            p = _prev(lines, j)
            if p is not None and RELATED.match(lines[p].text):
                return None  # a `Related` block's link and date, not a record
            if p is not None and j - p <= 3 and could_title(lines[p]) \
                    and same_title(lines[p].text, line.text):
                return p
            return j
        break
    return byline  # `By the Sea`: no title above it, so the "byline" is the title


def mark_repeats(lines: list[Line]) -> None:
    """Flag short title-like lines printed three times or more right above a date
    or meta line: an author's name the template prints, never a record's title."""
    above: Counter[str] = Counter()
    for i, x in enumerate(lines[:-1]):
        if x.kind == TITLE and len(x.text) <= 80 and lines[i + 1].kind in (DATE, META):
            above[x.text] += 1
    if not above:
        return
    for x in lines:
        if x.kind == TITLE and above.get(x.text, 0) >= 3:
            x.repeat = True


def _body_after(lines: list[Line], i: int, stop: int) -> bool:
    """Whether some text (not only meta) follows line `i` before index `stop`."""
    return any(lines[k].kind in (TEXT, TITLE) for k in range(i + 1, min(stop, len(lines))))


def _above_title(lines: list[Line], a: int) -> int | None:
    """The title under anchor `a` (a date header above its title), or None."""
    t = _next(lines, a)
    if t is None or not could_title(lines[t]):
        return None
    n = _next(lines, t)
    if n is None or lines[n].kind == DATE:
        return None
    c = _copy_of(lines, t)
    after = _next(lines, c) if c is not None else n
    if after is None or lines[after].kind not in (TEXT, TITLE, JUNK, META):
        return None
    return t


def _after_footer(lines: list[Line], a: int, stop: int | None = None,
                  untitled: bool = False) -> int | None:
    """The first line after the footer zone that starts at `a` that could be a title
    (or, for untitled posts, that is text)."""
    j = a
    stop = len(lines) if stop is None else stop
    while True:
        j2 = _next(lines, j)
        if j2 is None or j2 >= stop:
            return None
        line = lines[j2]
        if line.kind in (SEP, META, JUNK, DATE) or section_label(line.text):
            j = j2
            continue
        if SPONSORED.match(line.text):
            # A sponsored block: skip to the next blank-separated block.
            k = j2 + 1
            while k < len(lines) and lines[k].kind != BLANK:
                k += 1
            j = _next(lines, k) or len(lines)
            if j >= len(lines):
                return None
            j -= 1
            continue
        if untitled:
            return j2 if line.kind == TEXT else None
        return j2 if could_title(line) else None


def _first_untitled(lines: list[Line], anchor: int) -> int | None:
    """The first line of the first untitled post, which ends at `anchor`: the start of
    the run of text right above it."""
    first = None
    j: int | None = anchor
    while (j := _prev(lines, j)) is not None and lines[j].kind in (TEXT, TITLE):  # type: ignore[arg-type]
        if lines[j].kind == TEXT:
            first = j
    return first


def _text_follows(lines: list[Line], t: int) -> bool:
    """Whether running text follows title `t` before any pagination or sidebar."""
    for j in range(t + 1, min(len(lines), t + 40)):
        line = lines[j]
        if line.kind == NAV or chrome_heading(line.text):
            return False
        if line.kind == TEXT and prose(line.text):
            return True
    return False


def _foot_consistent(lines: list[Line], a: int) -> bool:
    if _head_title(lines, a) is not None:
        return False  # right under a title: it opens the record, it does not close one
    p = _prev(lines, a)
    while p is not None and lines[p].kind in (DATE, META, SEP, JUNK):
        if lines[p].kind == DATE and _head_title(lines, p) is not None:
            return False  # a title's date and meta lines: the head, not a footer
        p = _prev(lines, p)
    if p is None or lines[p].kind not in (TEXT, TITLE):
        return False
    t = _after_footer(lines, a)
    return t is None or _next(lines, t) is not None


def _doubles(lines: list[Line]) -> list[int]:
    out: list[int] = []
    n = len(lines)
    # Title-shaped lines only (running text ends with a full stop or is long).
    shaped = [i for i, x in enumerate(lines) if (x.kind == TITLE or x.kind == TEXT)
              and len(x.text) <= 250 and (x.text[-1] != "." or x.text.endswith(".."))]
    after = -1
    for i in shaped:
        if i <= after:
            continue
        line = lines[i]
        j = i + 1
        while j < n and j <= i + 3 and lines[j].kind == BLANK:
            j += 1
        if j >= n or lines[j].kind not in (TITLE, TEXT):
            continue
        x, y = line.text[0], lines[j].text[0]
        if x != y and x.isalnum() and y.isalnum() and x.casefold() != y.casefold():
            continue
        if could_title(line) and not section_label(line.text):
            c = _copy_of(lines, i)
            if c is not None and _body_after(lines, c, c + 40):
                out.append(i)
                after = c
    return out


# --- induction ----------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    start: str
    anchor: str | None
    titles: list[int]
    occurrences: int
    untitled: bool = False


def _unclosed(lines: list[Line], titles: list[int], foot: str | None) -> int:
    """Records of a footer-closed template that print no footer."""
    titles = sorted(set(titles))
    if not titles:
        return 0
    bounds = [*titles[1:], len(lines)]
    return sum(1 for t, stop in zip(titles, bounds, strict=True)
               if not any(has_key(lines[j], foot) for j in range(t + 1, stop)))


def score_template(lines: list[Line], titles: list[int], occurrences: int,
                   closed: bool, unclosed: int = 0, untitled: bool = False,
                   unanchored: int = 0) -> float:
    """How well a segmentation explains the file: the one scoring function.

    Each record found counts one; its exceptions are subtracted: anchor
    occurrences it could not place (a date line with no title above it, half a
    point each), records with no text (one), titles that read like sentences
    (one; not for posts without titles, which open with their text), running
    text left before the first record (lost content, half a point a paragraph),
    and, for records found by their footer, records that print none (half a
    point each); records the template's anchor does not find (started only
    after another record's footer) count a quarter point each. A template whose
    records are also closed by a separate footer line gains a tenth per record.
    Ties go to the order of `_ORDER` (under-title anchors first, the commonest
    layout).
    """
    titles = sorted(set(titles))
    if len(titles) < MIN_RECORDS:
        return float("-inf")
    records = len(titles)
    misplaced = max(0, occurrences - records)
    empty = 0
    sentence = 0
    for k, t in enumerate(titles):
        stop = titles[k + 1] if k + 1 < len(titles) else min(len(lines), t + 400)
        if not _body_after(lines, _copy_of(lines, t) or t, stop):
            empty += 1
        text = lines[t].text
        if not untitled and text.endswith((".", "!", "?")) and words(text) > 6:
            sentence += 1
    before = sum(1 for line in lines[: titles[0]] if line.kind == TEXT and prose(line.text))
    score = records - misplaced * 0.5 - empty - sentence - before * 0.5 - unclosed * 0.5 \
        - unanchored * 0.25
    if closed:
        score += 0.1 * records
    return score


_ORDER = ("head", "double", "above", "foot")


def _candidates(lines: list[Line]) -> tuple[list[_Candidate], str | None]:
    mark_repeats(lines)
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.kind in (DATE, META, SEP):
            groups.setdefault(key(line), []).append(i)
        if line.kind == DATE:
            groups.setdefault(ANY_DATE, []).append(i)
    cands: list[_Candidate] = []
    best_foot: tuple[float, str] | None = None
    for k, occ in groups.items():
        if len(occ) < MIN_RECORDS:
            continue
        kind = k.split(":", 1)[0]
        if kind in (DATE, META):
            heads = [t for a in occ if (t := _head_title(lines, a)) is not None
                     and _body_after(lines, a, a + 60)]
            if len(heads) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
                cands.append(_Candidate("head", k, heads, len(occ)))
        if kind == DATE:
            aboves = [t for a in occ if (t := _above_title(lines, a)) is not None]
            if len(aboves) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
                cands.append(_Candidate("above", k, aboves, len(occ)))
        feet = [a for a in occ if _foot_consistent(lines, a)]
        if len(feet) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
            strength = len(feet) / len(occ) + len(feet) * 0.01
            if best_foot is None or strength > best_foot[0]:
                best_foot = (strength, k)
            titles = [t for a in feet if (t := _after_footer(lines, a)) is not None]
            first = _first_title(lines, occ[0], titles)
            if first is not None:
                titles.insert(0, first)
            cands.append(_Candidate("foot", k, titles, len(occ)))
            texts = [t for a in feet if (t := _after_footer(lines, a, untitled=True)) is not None]
            # An untitled post's footer says more than a date (`· 12 notes`, `Reply`); a
            # bare date over paragraphs is a dated section of one text.
            said = sum(1 for a in feet if lines[a].kind != DATE or date_rest(lines[a].text)
                       or ((n := _next(lines, a)) is not None and lines[n].kind in (META, SEP)))
            if len(texts) >= max(MIN_RECORDS - 1, MIN_CONSISTENCY * (len(feet) - 1)) \
                    and len(texts) > len(titles) and said >= MIN_CONSISTENCY * len(feet):
                # Posts without titles (a microblog): each opens with its text.
                first = _first_untitled(lines, occ[0])
                cands.append(_Candidate("foot", k, ([first] if first is not None else [])
                                        + texts, len(occ), untitled=True))
    doubles = _doubles(lines)
    if len(doubles) >= MIN_RECORDS:
        cands.append(_Candidate("double", None, doubles, len(doubles)))
    return cands, best_foot[1] if best_foot else None


def _first_title(lines: list[Line], anchor: int, later: list[int]) -> int | None:
    """The title of the first record when records are found by their footers.

    The record ends at `anchor`; its title is a title-like line before the first
    running text above the anchor, chosen among the few nearest by likeness to
    the file's other titles (word count, blank after it), never a line that
    repeats a later title (a sidebar) or a breadcrumb.
    """
    later_keys = {comparable(lines[t].text) for t in later}
    median = statistics.median([words(lines[t].text) for t in later]) if later else 6
    blank_after = Counter(lines[t + 1].kind == BLANK for t in later if t + 1 < len(lines))
    gap_mode = blank_after.most_common(1)[0][0] if blank_after else True
    start = anchor
    # Walk up over the body: back to the first prose line of this record.
    first_prose = None
    j: int | None = anchor
    while j is not None:
        j = _prev(lines, j)
        if j is None:
            break
        line = lines[j]
        if line.kind == TEXT and prose(line.text):
            first_prose = j
        if line.kind in (NAV,) or chrome_heading(line.text) or (
                line.kind == DATE and j != anchor) or lines[j].kind == SEP:
            break
    if first_prose is None:
        return None
    start = first_prose
    best: tuple[float, int] | None = None
    j = start
    for rank in range(4):
        j = _prev(lines, j) if j is not None else None
        if j is None:
            break
        line = lines[j]
        if not could_title(line) or comparable(line.text) in later_keys \
                or header_tag(line.text) is not None \
                or line.kind in (NAV, DATE, SEP, META) or chrome_heading(line.text):
            continue
        score = -abs(words(line.text) - median) - rank * 1.5
        if re.search(r"[»›/|]|^\S+_\S+$|^\S*\d{3,}\S*$", line.text):
            score -= 4
        if (j + 1 < len(lines) and lines[j + 1].kind == BLANK) != gap_mode:
            score -= 1
        if best is None or score > best[0]:
            best = (score, j)
    if best is None:
        return None
    # A site's one-line description above the first title: a title-like line
    # further down, after a single paragraph, that reads far more like the
    # file's titles, is the first record's title.
    chosen, score = best[1], best[0]
    prose_seen = 0
    for k in range(chosen + 1, anchor):
        line = lines[k]
        if line.kind == TEXT and prose(line.text):
            prose_seen += 1
            if prose_seen > 1:
                break
        elif could_title(line) and prose_seen == 1 and comparable(line.text) not in later_keys:
            n = _next(lines, k)
            if n is not None and lines[n].kind == TEXT and prose(lines[n].text) \
                    and -abs(words(line.text) - median) >= score + 2:
                return k
    return chosen


def induce(lines: list[Line], order: str | None = None) -> Template | None:
    """The record template that best explains these lines, or None (not a listing)."""
    cands, foot = _candidates(lines)
    best: tuple[float, int, Template] | None = None
    for cand in cands:
        closing = cand.anchor if cand.start == "foot" else foot
        if cand.start != "foot" and closing is not None and (
                closing == cand.anchor or (ANY_DATE in (closing, cand.anchor)
                and closing.startswith("date:") and (cand.anchor or "").startswith("date:"))):
            closing = None  # the line that opens a record does not also close one
        t = Template(cand.start, cand.anchor, closing, order=order, untitled=cand.untitled)
        titles = [title for _, title in _starts(lines, t)]
        if closing is not None and closing != cand.anchor and sum(
                1 for x in lines if has_key(x, closing)) < 0.5 * len(titles):
            # A closing line printed under few records closes none (a stray
            # `PUBLISHED:` line in two bodies is text).
            t.foot = None
            titles = [title for _, title in _starts(lines, t)]
        s = score_template(lines, titles, cand.occurrences if cand.start != "double" else 0,
                           t.foot is not None and t.foot != t.anchor,
                           _unclosed(lines, titles, t.foot) if cand.start == "foot" else 0,
                           untitled=t.untitled,
                           unanchored=len(set(titles) - set(cand.titles)))
        rank = -_ORDER.index(cand.start)
        if best is None or (s, rank) > (best[0], best[1]):
            t.score, t.records = s, len(titles)
            best = (s, rank, t)
    if best is None or best[0] < MIN_SCORE:
        return _one_item(lines, order)
    return complete(lines, best[2])


def complete(lines: list[Line], template: Template) -> Template:
    """Fill in what a template's records share: template lines, sources, openers."""
    records = _records(lines, template, final=True)
    kickers = sum(1 for r in records if _kicker_above(lines, r.title) is not None)
    if len(records) >= 3 and kickers >= max(3, 0.6 * len(records)):
        template.kicker = True
        records = _records(lines, template, final=True)
    template.boilerplate = _boilerplate(lines, records)
    template.sources = _sources(lines, records, template)
    for r in records:
        _fill(lines, r, template)
    firsts = [(r, _first_body(r)) for r in records]
    openers = Counter(k for _, b in firsts if b is not None and b.kind in (TEXT, TITLE)
                      and not (k := key(b)).endswith(":"))
    if openers:
        k, n = openers.most_common(1)[0]
        if n >= max(3, 0.5 * len(records)):
            template.opener = k
    slots = sum(1 for r, b in firsts if b is not None and _slot_line(lines, r, b))
    template.slot = len(records) >= 3 and slots >= max(3, 0.75 * len(records))
    return template


def _kicker_above(lines: list[Line], t: int) -> int | None:
    """A short line printed right above title `t` (no blank between): a kicker."""
    k = t - 1
    if k < 0 or lines[k].kind not in (TITLE, TEXT) or not could_title(lines[k]):
        return None
    text = lines[k].text
    if words(text) > 5 or text.endswith((":", "?", "!")) or (k > 0 and lines[k - 1].kind in (
            TITLE, TEXT) and could_title(lines[k - 1])):
        return None
    return k


def _first_body(r: Record) -> Line | None:
    return next((x for x in r.body if x.kind != BLANK), None)


def _slot_line(lines: list[Line], r: Record, b: Line) -> bool:
    """A short line opening the body that is not the title again (an image's alt text)."""
    more = sum(1 for x in r.body if x.kind != BLANK) > 1
    return more and words(b.text) <= 3 and len(b.text) <= 30 and not b.text.endswith(":") \
        and comparable(b.text) != comparable(lines[r.title].text)


def _one_item(lines: list[Line], order: str | None) -> Template | None:
    """A digest of one item: its title printed twice at the top, a separator after
    its text. One record, cleaned like any other (never a split)."""
    first = _next(lines, -1)
    if first is None or not could_title(lines[first]) or _copy_of(lines, first) is None:
        return None
    if not any(line.kind == SEP for line in lines[first:]):
        return None
    return Template("double", None, "sep:", order=order, records=1, sources=True)


def _boilerplate(lines: list[Line], records: list[Record]) -> frozenset[str]:
    if len(records) < 3:
        return frozenset()
    seen: Counter[str] = Counter()
    for r in records:
        keys = {lines[i].text for i in range(r.start, r.end + 1)
                if lines[i].kind != BLANK and len(lines[i].text) <= 300
                and i not in (r.title, r.copy)}
        keys = {k for k in keys if sum(ch.isalpha() for ch in k[:20]) >= 3}
        seen.update(keys)
    need = max(3, 0.6 * len(records))
    titles = {verbatim(lines[r.title]) for r in records}
    return frozenset(k for k, n in seen.items() if n >= need and k not in titles)


def _sources(lines: list[Line], records: list[Record], template: Template) -> bool:
    if template.start == "double":
        return True
    # A suffix that ends two different titles names a publication.
    titles = {lines[r.title].text for r in records}
    suffixes = Counter(m.group("source").strip() for text in titles
                       if (m := _SUFFIX.match(text)))
    return any(n >= 2 for n in suffixes.values())


# --- segmentation -------------------------------------------------------------


def _starts(lines: list[Line], t: Template) -> list[tuple[int, int]]:
    """(record start, title index) pairs, in order."""
    out: dict[int, int] = {}
    k = t.anchor
    anchor_kind = (k or "").split(":", 1)[0]
    for i, line in enumerate(lines) if t.start != "double" else ():
        if (line.kind != anchor_kind and line.shape is None) or not has_key(line, k):
            continue
        if t.start == "title":
            out[i] = i
            continue
        if t.start == "head":
            title = _head_title(lines, i)
            if title is not None:
                out[title] = title
        elif t.start == "above":
            title = _above_title(lines, i)
            if title is not None:
                out[i] = title
    if t.start == "double":
        for d in _doubles(lines) if t.records != 1 else [_next(lines, -1) or 0]:
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
        feet = [i for i, line in enumerate(lines)
                if (line.kind == foot_kind or line.shape is not None) and has_key(line, t.foot)]
        known = sorted(out)
        for a in feet:
            title = _after_footer(lines, a, untitled=t.untitled)
            if title is None:
                continue
            nxt = next((s for s in known if s > a), None)
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
        if t.start == "foot" and feet:
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
            if not any(lines[j].kind in (TEXT, TITLE) for j in range(head_end + 1, s)):
                # Two starts with nothing between: after a footer the first is the
                # title (the second a doubled caption); before any footer, the first
                # is page chrome (an author's name printed twice).
                p = _prev(lines, kept[-1][0])
                if p is None or lines[p].kind not in (SEP, META, DATE, JUNK):
                    kept[-1] = (s, title)
                continue
        kept.append((s, title))
    return kept


def _records(lines: list[Line], t: Template, final: bool,
             lead: tuple[int, int] | None = None) -> list[Record]:
    starts = _starts(lines, t)
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
        if t.kicker and s == title and (k := _kicker_above(lines, title)) is not None \
                and (not records or k > records[-1].title + 1):
            r.start = r.kicker = k
            if records:
                records[-1].end = min(records[-1].end, k - 1)
        if s != title and lines[s].kind == DATE:
            r.date = lines[s].date
        records.append(r)
    # Pagination or a sidebar heading between records: what follows it up to the
    # next record is chrome. At the end of the file, a short run of records after
    # it is a widget repeating posts (`Popular Posts`): the listing ends there.
    for n in range(1, len(records)):
        p = _prev(lines, records[n].start)
        if p is None or p <= records[n - 1].title or not (
                (lines[p].kind == NAV and not _gutter(lines[p].text))
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
    breaks = _page_breaks(lines) if len(records) > 1 else []
    for r in records[:-1] if breaks else ():
        _cut_page_breaks(lines, r, breaks)
    if final and records:
        _cut_trailing_chrome(lines, records[-1], records)
    return records


_REPLY = re.compile(r"^(?:reply|antworten|répondre|responder|rispondi|reageren|balas|"
                    r"回复|回覆|返信)(?:\s*↓)?$", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_SAYS = re.compile(r"\b(?:says|said|schreibt|sagt|dit|dice|diz|zegt|berkata)\s*:?$", re.IGNORECASE)


def _is_comment(lines: list[Line], r: Record) -> bool:
    """A reader's comment under an article: a name (`Ann says:`), a date, a short
    text and a `Reply` link."""
    title = lines[r.title].text
    if words(title) > 4 and not _SAYS.search(title):
        return False
    span = [x for x in lines[r.title + 1:r.end + 1] if x.kind != BLANK]
    if not span or sum(len(x.text) for x in span) > 1500:
        return False
    if _SAYS.search(title):
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


def _page_breaks(lines: list[Line]) -> list[int]:
    """Pagers and page headers (`Posts tagged ‘x’`): where a page pasted after another
    begins its chrome."""
    return [i for i, x in enumerate(lines)
            if (x.kind == NAV and sum(ch.isalpha() for ch in x.text) >= 4)
            or ((x.kind == TITLE or x.kind == META) and len(x.text) <= 120
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
            lead: tuple[int, int] | None = None) -> list[Record]:
    """Split lines into records with the template; fill in each record's body and date.

    `lead`: (start, title) of a record carried over from the previous window."""
    mark_repeats(lines)
    records = _records(lines, t, final, lead)
    for r in records:
        _fill(lines, r, t)
        b = _first_body(r)
        if b is not None and (file_name(b.text) or (t.slot and _slot_line(lines, r, b))):
            k = r.body.index(b) + 1
            while k < len(r.body) and r.body[k].kind == BLANK:
                k += 1
            r.body = r.body[k:]
    return records


_TAG_HEAD = re.compile(r"^(?:tags?|labels?|categor(?:y|ies)|schlagwörter|kategorien?|"
                       r"étiquettes|etiquetas|topics?)\s*:?$", re.IGNORECASE)


def _fill(lines: list[Line], r: Record, t: Template) -> None:
    i = r.title if t.untitled else (r.copy if r.copy is not None else r.title) + 1
    # Head zone: date and meta lines, bylines, template lines under the title.
    while i <= r.end:
        line = lines[i]
        if line.kind == DATE:
            r.date = r.date or line.date
            i += 1
            continue
        if (m := _BYLINE.match(line.text)) and len(line.text) < 60 and line.kind != TEXT:
            r.author = r.author or m.group(1)
            i += 1
            continue
        if line.kind == BLANK or line.kind in (META, JUNK) or verbatim(line) in t.boilerplate:
            i += 1
            continue
        break
    end = r.end
    # Footer zone: meta, separators, dates, tag lists, template lines after the text.
    while end >= i:
        line = lines[end]
        if line.kind in (BLANK, SEP, META, JUNK, NAV) or verbatim(line) in t.boilerplate:
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
    body = [x for x in lines[i:end + 1]]
    r.body = _clean_body(body, t)
    if r.date is None:
        for x in lines[end + 1:r.end + 1]:
            if x.kind == DATE:
                r.date = x.date
                break


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


def _clean_body(body: list[Line], t: Template) -> list[Line]:
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
        cut = GLUED.search(last.text, tail)
        if cut and cut.start() > 0:
            out[-1] = Line(last.no, last.text[: cut.start()].rstrip(), last.kind, last.date)
    return out


# --- articles -----------------------------------------------------------------


def _title_and_source(lines: list[Line], r: Record, t: Template) -> tuple[str, str | None]:
    raw = bare(lines[r.title].text)
    title = clean_title(raw)
    if r.copy is not None:
        other = clean_title(bare(lines[r.copy].text))
        a, b = comparable(title), comparable(other)
        if a != b and (a.startswith(b) or b.startswith(a)):
            longer, shorter = (title, other) if len(title) > len(other) else (other, title)
            m = _SUFFIX.match(longer)
            if m and comparable(m.group("title")) == comparable(shorter):
                return clean_title(m.group("title")), m.group("source").strip()
    if t.sources:
        return split_source(title)
    m = _SUFFIX.match(title)
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
        # `literal` changes only lines that begin like Markdown: test that inline.
        body = [literal(x) if x[:1] in MD_FIRST or x[:1].isspace() else x for x in body]
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
        tags=tags,
    )


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
    first_no = 1
    order = numeric_order(texts)
    lines = classify(texts, first_no, order)
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
        first_no = carry[0].no if carry else first_no
        fresh = classify(more, (lines[-1].no + 1) if lines else 1, t.order)
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


def site_template(lines: list[Line], site: Site, order: str | None) -> Template:
    """The template a user's site file names (its lines already marked)."""
    t = Template(site.start, site.anchor, site.foot, order=order, user=site.name)
    t.records = len(_starts(lines, t))
    return complete(lines, t)


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


def sniff(sample: list[str]) -> Template | None:
    """The template of a text sample when it is a listing of several records
    (a user's site template for it first, when one matches)."""
    order = numeric_order(sample)
    lines = classify(sample, 1, order)
    site = find_site(sample, load_sites())
    if site is not None:
        mark(lines, site)
        return site_template(lines, site, order)
    return induce(lines, order)


def _show(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def explain(sample: list[str]) -> list[str]:
    """What `reader import --preview` says about a dump's template: how records
    were found, which lines were titles, dates and separators, what was chrome,
    and a site template file to start from when it is wrong."""
    problems: list[str] = []
    load_sites(problems=problems)
    notes = [f"site template ignored: {p}" for p in problems]
    t = sniff(sample)
    if t is None:
        return [*notes, "no repeating record structure: the text is one article"]
    order = t.order
    lines = classify(sample, 1, order)
    site = find_site(sample, load_sites()) if t.user else None
    if site is not None:
        mark(lines, site)
    records = [r for r in segment(lines, t, final=True) if r.body]
    out = [*notes, *t.describe()]
    if records:
        first = records[0]
        out.append(f"titles: {len(records)} lines, first line {lines[first.title].no} "
                   f"{_show(lines[first.title].text)}")
        dates = [x for x in lines if x.kind == DATE]
        if t.anchor and t.anchor.startswith(("date:", "site:date")):
            sample_line = next((x for x in lines if has_key(x, t.anchor)), None)
            if sample_line is not None:
                out.append(f"dates: lines like {_show(sample_line.text)} "
                           f"(line {sample_line.no})")
        elif dates:
            out.append(f"dates: {len(dates)} date lines, e.g. line {dates[0].no}")
        if t.foot and t.foot != t.anchor:
            sep = next((x for x in lines if has_key(x, t.foot)), None)
            if sep is not None:
                out.append(f"separators: lines like {_show(sep.text)} (line {sep.no})")
        if first.start > 0:
            out.append(f"chrome: lines 1-{lines[first.start - 1].no} before the first record")
        last = records[-1]
        if last.end + 1 < len(lines) and any(x.text for x in lines[last.end + 1:]):
            out.append(f"chrome: lines {lines[last.end + 1].no}-{lines[-1].no} after the last "
                       "record" + (" (first window only)" if len(sample) >= WINDOW else ""))
        for text in sorted(t.boilerplate)[:5]:
            out.append(f"template line (dropped): {_show(text)}")
    from reader.archive.sites import example, sites_dir

    out.append(f"wrong? save a site template as {sites_dir() / 'SITE.toml'}, e.g.:")
    out += ["  " + x for x in example(lines, t.start, t.anchor, t.foot).split("\n")]
    return out


def explain_file(path: Path) -> list[str]:
    """`explain` for a dump on disk (its first window of lines)."""
    from reader.archive.source import read_lines
    from reader.archive.source import sniff as sniff_file

    lines = list(islice(read_lines(path, sniff_file(path)), WINDOW))
    return explain([x.replace("\r", "") for x in lines])
