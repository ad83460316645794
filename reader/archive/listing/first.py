"""The first record's title when records are found by their footers: no footer
opens it, so it is looked for above the first footer (`_first_title`), or, for posts
without titles, its first line of text (`_first_untitled`)."""

from __future__ import annotations

import re
import statistics
from collections import Counter

from reader.archive.lines import (
    BLANK,
    DATE,
    META,
    NAV,
    SEP,
    TEXT,
    TITLE,
    Line,
    chrome_heading,
    key,
    prose,
    words,
)
from reader.archive.listing.anchors import _meta_headline, _next, _prev, could_title
from reader.archive.tagpage import header_tag
from reader.clean import comparable


def _first_untitled(lines: list[Line], anchor: int) -> int | None:
    """The first line of the first untitled post, which ends at `anchor`: the start of
    the run of text right above it."""
    first = None
    j: int | None = anchor
    while (j := _prev(lines, j)) is not None and lines[j].kind in (TEXT, TITLE):  # type: ignore[arg-type]
        if lines[j].kind == TEXT:
            first = j
    return first


def _first_title(lines: list[Line], anchor: int, later: list[int]) -> int | None:
    """The title of the first record when records are found by their footers.

    The record ends at `anchor`; its title is a title-like line before the first
    running text above the anchor, chosen among the few nearest by likeness to
    the file's other titles (word count, blank after it), never a line that
    repeats a later title (a sidebar) or a breadcrumb.
    """
    later_keys = {comparable(lines[t].text) for t in later}
    distances = _title_distances(lines, anchor, later)
    if len(distances) == 1 and distances.total() >= 2:
        # Every other record prints its title as far above its footer (cards of a
        # title and an excerpt): so does the first, whatever stands above it (a
        # site's introduction, its own heading and paragraph).
        found = _title_at(lines, anchor, next(iter(distances)), later_keys)
        if found is not None:
            return found
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
    if first_prose is None and distances:
        return _title_at(lines, anchor, distances.most_common(1)[0][0], later_keys)
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
        # (A meta line right over the first record's text may be its title, as a later
        # record's is found right after its footer: `meta_slot_titles`.)
        if not (could_title(line) or (rank == 0 and _meta_headline(line))) \
                or comparable(line.text) in later_keys or header_tag(line.text) is not None \
                or line.kind in (NAV, DATE, SEP) or (line.kind == META and rank) \
                or chrome_heading(line.text):
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


def _title_distances(lines: list[Line], anchor: int,
                     later: list[int]) -> Counter[tuple[bool, ...]]:
    """How each of the `later` titles stands over the first line after it shaped like
    `anchor` (its footer), counted by shape: for each printed line from the title
    down to the footer, whether a blank line comes before the next (the distance is
    the shape's length)."""
    shape = key(lines[anchor])
    distances: Counter[tuple[bool, ...]] = Counter()
    for t in later:
        gaps: list[bool] = []
        last = t
        for k in range(t + 1, min(len(lines), t + 40)):
            if lines[k].kind == BLANK:
                continue
            gaps.append(k - last > 1)
            if key(lines[k]) == shape:
                distances[tuple(gaps)] += 1
                break
            last = k
    return distances


def _title_at(lines: list[Line], anchor: int, gaps: tuple[bool, ...],
              later_keys: set[str]) -> int | None:
    """The line standing over `anchor` as the other records' titles stand over theirs
    (as many printed lines above, the same blank lines between), when it could be a
    title (not a later title printed again, not page chrome)."""
    j = anchor
    for gap in reversed(gaps):
        above = _prev(lines, j)
        if above is None or (j - above > 1) != gap or lines[above].kind in (NAV, DATE, SEP) \
                or chrome_heading(lines[above].text):
            return None
        j = above
    line = lines[j]
    if not could_title(line) or comparable(line.text) in later_keys \
            or header_tag(line.text) is not None:
        return None
    return j
