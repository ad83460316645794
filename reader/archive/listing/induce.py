"""Template induction: candidate anchors tried, segmentations scored, the best kept."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reader.archive.lines import (
    ANY_DATE,
    BLANK,
    DATE,
    DAY_KEY,
    META,
    SEP,
    TEXT,
    TITLE,
    Line,
    classify,
    has_key,
    key,
    prose,
    verbatim,
    words,
)
from reader.archive.listing.anchors import (
    DOUBLE_ELSEWHERE,
    _above_title,
    _after_footer,
    _body_after,
    _copy_of,
    _doubles,
    _first_body,
    _foot_consistent,
    _head_title,
    _headline,
    _kicker_above,
    _next,
    _slot_line,
    card_after,
    could_title,
    mark_repeats,
    meta_slot_titles,
    over_dek,
    retitle_doubles,
)
from reader.archive.listing.first import _first_title, _first_untitled
from reader.archive.listing.segment import (
    _fill,
    _records,
    _starts,
)
from reader.archive.listing.template import (
    _SUFFIX,
    MIN_CONSISTENCY,
    MIN_RECORDS,
    MIN_SCORE,
    Record,
    Template,
)
from reader.archive.sites import Site, find_site, load_sites, mark
from reader.dates import date_rest, numeric_order

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
        if not _body_after(lines, _copy_of(lines, t) or t, stop) \
                and not card_after(lines, t, stop):
            empty += 1
        text = lines[t].text
        if not untitled and text.endswith((".", "!", "?")) and words(text) > 6 \
                and over_dek(lines, t) is None:  # (a standfirst under its title reads so)
            sentence += 1
    before = sum(1 for line in lines[: titles[0]] if line.kind == TEXT and prose(line.text))
    score = records - misplaced * 0.5 - empty - sentence - before * 0.5 - unclosed * 0.5 \
        - unanchored * 0.25
    if closed:
        score += 0.1 * records
    return score


_ORDER = ("head", "double", "above", "foot")


def _candidates(lines: list[Line]) -> tuple[list[_Candidate], str | None]:
    retitle_doubles(lines)
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
        if k == ANY_DATE and len(occ) < 3 and len({key(lines[a]) for a in occ}) > 1:
            continue  # date lines of different shapes are one slot only if it recurs
        kind = k.split(":", 1)[0]
        if kind == META and len(occ) <= DOUBLE_ELSEWHERE and _headline(lines[occ[0]].text, META) \
                and all(lines[a].text == lines[occ[0]].text for a in occ):
            continue  # one headline printed again (a post titled like meta, in a sidebar)
        if kind in (DATE, META):
            heads = [t for _, t in meta_slot_titles(
                lines, [(a, _head_title(lines, a)) for a in occ if _body_after(lines, a, a + 60)])]
            if len(heads) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
                cands.append(_Candidate("head", k, heads, len(occ)))
        if kind == DATE or k == DAY_KEY:  # (a date header, with its year or without)
            aboves = [t for _, t in meta_slot_titles(
                lines, [(a, _above_title(lines, a)) for a in occ], below=True)]
            if len(aboves) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
                cands.append(_Candidate("above", k, aboves, len(occ)))
        feet = [a for a in occ if _foot_consistent(lines, a)]
        if len(feet) >= max(MIN_RECORDS, MIN_CONSISTENCY * len(occ)):
            strength = len(feet) / len(occ) + len(feet) * 0.01
            if best_foot is None or strength > best_foot[0]:
                best_foot = (strength, k)
            titles = [t for _, t in meta_slot_titles(
                lines, [(a, _after_footer(lines, a)) for a in feet], below=True)]
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
    if len(records) >= 3 and _deks(lines, records):
        template.dek = True
        records = _records(lines, template, final=True)
    elif len(records) >= 3 and kickers >= max(3, 0.6 * len(records)):
        template.kicker = True
        records = _records(lines, template, final=True)
    elif len(records) >= 3 and _gap_kickers(lines, records):
        template.kicker = template.kicker_gap = True
        records = _records(lines, template, final=True)
    template.boilerplate = _boilerplate(lines, records)
    template.sources = _sources(lines, records, template)
    free = -1
    for r in records:
        _fill(lines, r, template, free)
        free = r.end
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


def _deks(lines: list[Line], records: list[Record]) -> bool:
    """Whether most records print their title right above a standfirst, the line the
    anchor took for the title (`anchors.over_dek`). Such titles never recur; a kicker
    over a headline (a source, a section) mostly does."""
    texts = [lines[k].text for r in records if (k := over_dek(lines, r.title)) is not None]
    return len(texts) >= max(3, 0.6 * len(records)) and len(set(texts)) == len(texts)


def _gap_kickers(lines: list[Line], records: list[Record]) -> bool:
    """Whether most records print a kicker a blank line above their title.

    With a blank between, a short line above a title may as well be the end of
    the previous record's text; a kicker names a source or a section, so some
    name recurs (printed above two titles or more)."""
    texts = [lines[k].text for r in records
             if (k := _kicker_above(lines, r.title, gap=True)) is not None]
    return len(texts) >= max(3, 0.6 * len(records)) and len(set(texts)) < len(texts)


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


def site_template(lines: list[Line], site: Site, order: str | None) -> Template:
    """The template a user's site file names (its lines already marked)."""
    t = Template(site.start, site.anchor, site.foot, order=order, user=site.name)
    t.records = len(_starts(lines, t))
    return complete(lines, t)


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
