"""Anchors: the lines that find a record's title (under it, above it, after a footer,
or the title printed twice), and the navigation helpers they share."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import pairwise

from reader.archive.chrome import same_title
from reader.archive.lines import (
    BLANK,
    DATE,
    JUNK,
    META,
    NAV,
    RELATED,
    SEP,
    SPONSORED,
    TEXT,
    TITLE,
    Line,
    card_meta,
    chrome_heading,
    cross_link,
    hashtags,
    paragraph,
    prose,
    section_label,
    title_like,
    undated_slot,
    words,
)
from reader.archive.listing.template import (
    _BYLINE,
    _SUFFIX,
    HEAD_REACH,
    Record,
)
from reader.archive.names import name_shaped
from reader.clean import comparable
from reader.dates import date_rest

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


def shaped_lines(lines: list[Line]) -> list[int]:
    """The indices of a window's lines that are neither blank nor a paragraph (text of
    more than 250 characters, or ending with one full stop): every line a title, an
    anchor, a footer, a pager or a page header can be. Half a window's lines are
    blank and most others paragraphs, so the passes of `segment` over these (one
    comprehension over the window, once) test a tenth of its lines. Kinds changed
    after (`retitle_doubles` makes shaped lines titles) leave it right: no line
    becomes text or blank."""
    return [i for i, x in enumerate(lines)
            if x.kind != BLANK and (x.kind != TEXT or not paragraph(x.text))]


def could_title(line: Line) -> bool:
    """A title-shaped line: short, no sentence's full stop at its end (an ellipsis ends
    a headline, but not an excerpt cut short: sixteen words or more)."""
    if line.titleish is None:
        text = line.text
        line.titleish = line.kind in (TITLE, TEXT) and len(text) <= 250 \
            and (not text.endswith(".") or (text.endswith("..") and words(text) <= 15)) \
            and title_like(text) and not cross_link(text)
    return line.titleish


def _copy_of(lines: list[Line], t: int) -> int | None:
    """The index of a second printing of title `t`, if the next line (after at most
    two blanks) prints it again."""
    line = lines[t]
    if line.kind == BLANK:
        return None
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
    named = False  # an author's name between: its title's block is above it
    while j is not None and hops < HEAD_REACH:
        line = lines[j]
        if line.kind in (META, JUNK) or line.repeat or _BYLINE.match(line.text):
            if byline is None and _BYLINE.match(line.text) and could_title(line):
                byline = j
            named = named or line.repeat or byline is not None
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
        if (j == a - 1 or named) and line.kind in (TEXT, TITLE) \
                and over_dek(lines, j) is not None:
            return j  # a standfirst that reads as a sentence, its title above it
        break
    return byline  # `By the Sea`: no title above it, so the "byline" is the title


def mark_repeats(lines: list[Line], shaped: list[int] | None = None) -> None:
    """Flag the short title-like lines right above a date or meta line (blank lines
    between or not) that print an author's name, never a record's title: one printed
    there three times or more, or twice under another title-shaped line (`Title`,
    `Ann Lee`, `March 3, 2019`; four words at most); and when most of the lines
    printed so under a title recur, every one of them (the author of one post only).
    `shaped`: `shaped_lines(lines)`, when the caller has it."""
    # (Comprehensions: a loop over every line costs more.)
    if shaped is None:
        shaped = shaped_lines(lines)
    # Printed lines with nothing but blank lines between (a paragraph is never one of
    # the lines looked at here, so it only parts two).
    printed = [lines[i] for i in shaped]
    apart = [any(lines[k].kind != BLANK for k in range(i + 1, j))
             for i, j in pairwise(shaped)]
    above = Counter([x.text for (x, below), gap in zip(pairwise(printed), apart, strict=True)
                     if x.kind == TITLE and len(x.text) <= 80 and not gap
                     and (below.kind == DATE or below.kind == META)])
    repeated = {text for text, n in above.items() if n >= 3}
    repeated |= _names_over_dates(printed, apart)
    pairs = [(up, x) for up, x, below, gap_up, gap_below
             in zip(printed, printed[1:], printed[2:], apart, apart[1:], strict=False)
             if x.kind == TITLE and len(x.text) <= 80 and not gap_up and not gap_below
             and (below.kind == DATE or below.kind == META)
             and up.kind == TITLE and could_title(up) and could_title(x)
             and words(x.text) <= 4]
    # Under a title printed once there: not under a kicker (a source's name printed
    # over every title), whose titles are printed again in a sidebar.
    ups = Counter([up.text for up, _ in pairs])
    stacked = [x for up, x in pairs if ups[up.text] == 1]
    if stacked:
        names = Counter([x.text for x in stacked])
        recurring = {text for text, n in names.items() if n >= 2}
        repeated |= recurring
        if len(stacked) >= 3 and 2 * sum(names[text] for text in recurring) >= len(stacked):
            repeated |= set(names)
    if not repeated:
        return
    for x in [x for x in lines if x.kind == TITLE and x.text in repeated]:
        x.repeat = True


def _names_over_dates(printed: list[Line], apart: list[bool]) -> set[str]:
    """The lines right over the dates when most records are a social platform's cards
    (`Ann Lee`, `Jan 3 '21`, the title, `#tags`, `12 reactions`): an author's name
    over the date and the title under it. Names that need not recur, told by their
    shape, the headline under the date (not itself over a date, as in a list of titles
    and dates) and what the card prints (`lines.card_meta`), which a blog whose titles
    read like names does not."""
    at = [k for k, x in enumerate(printed) if x.kind == DATE or undated_slot(x)]
    names: list[str] = []
    for n, k in enumerate(at):
        if k == 0 or k + 1 >= len(printed):
            continue
        up, under = printed[k - 1], printed[k + 1]
        if apart[k - 1] or up.kind != TITLE or under.kind != TITLE \
                or not name_shaped(up.text) or not could_title(under):
            continue
        if k + 2 < len(printed) and not apart[k + 1] and k + 2 in at[n + 1:n + 2]:
            continue  # the line under the date is over the next one: a list of titles
        card = printed[k + 2:at[n + 1] if n + 1 < len(at) else len(printed)]
        if any(x.kind == META and card_meta(x.text) for x in card):
            names.append(up.text)
    if len(names) >= 3 and 3 * len(names) >= 2 * len(at):
        return set(names)
    return set()


_SHAPED = frozenset((DATE, META, SEP, NAV))
"""Kinds of template line a title may look like (meta, separators, pagers, dated
lines). Junk is not among them: alt text and captions are printed twice as junk
(`Image result for …`)."""
DOUBLE_ELSEWHERE = 3
"""A doubled title's text may be printed once more in the window (a table of contents,
a sidebar); a template line is printed in every record."""


def retitle_doubles(lines: list[Line], marked: list[int] | None = None) -> None:
    """Make title lines of a line printed twice (the second printing after at most
    two blank lines) with text under it, whatever its shape: a digest prints every
    title so, and a title may open like page meta (`Posted in Paris: the letters of
    …`, `Tags of the City`, `No Comment From the Minister`, `Older Posts Never Die`).
    A template line is told apart by its text printed in other records too, a share
    row or a bare date by reading like no headline (fewer than three words, or a date
    with nothing after it). Run before anchors are looked for, so that every rule
    after sees the pair as the title it is. `marked`: `shaped_lines(lines)`, when the
    caller has it."""
    shaped = _SHAPED
    counts: list[Counter[str]] = []
    done = -1
    n = len(lines)
    found = [i for i, x in enumerate(lines) if x.kind in shaped] if marked is None \
        else [i for i in marked if lines[i].kind in shaped]
    for i in found:
        x = lines[i]
        text = x.text
        # Three words: an ASCII line of fewer than two spaces has fewer, a date line
        # with words after its date more than three; most meta lines, separators and
        # dates go at this first test.
        if i <= done or (text.count(" ") < (4 if x.kind == DATE else 2) and text.isascii()):
            continue
        # The other printing: under this line, else above it (a copy with a suffix
        # may have another shape); first told apart by its first letter.
        first = lines[i].text[:1].casefold()
        below = i + 1
        while below < n and below < i + 4 and lines[below].kind == BLANK:
            below += 1
        above = i - 1
        while above >= 0 and above > i - 4 and lines[above].kind == BLANK:
            above -= 1
        for a, b in ((i, below), (above, i)):
            if a < 0 or b >= n or b - a > 3 or lines[a].kind == BLANK \
                    or lines[b].kind == BLANK:
                continue
            other = lines[b if a == i else a].text[:1]
            if other.casefold() != first and other.isalnum() and first.isalnum():
                continue
            if _doubled(lines, a, b, counts):
                for line in (lines[a], lines[b]):
                    if line.kind in shaped:
                        line.kind, line.date = TITLE, None
                        line.shape = line.titleish = line.copy = None
                done = b
                break


def _headline(text: str, kind: str) -> bool:
    """Whether a line could be a doubled title: three words or more, shaped like a
    headline, and not a bare date."""
    return (" " in text or not text.isascii()) and words(text) >= 3 and title_like(text) \
        and (not text.endswith(".") or text.endswith("..")) \
        and (kind != DATE or bool(date_rest(text)))


def _doubled(lines: list[Line], a: int, b: int, counts: list[Counter[str]]) -> bool:
    """Whether lines `a` and `b` are a title printed twice (see `retitle_doubles`);
    `counts`: empty, or the window's lines counted by text (counted once, when needed)."""
    first, second = lines[a].text, lines[b].text
    if not _same(first, second):
        return False
    if not (_headline(first, lines[a].kind) and _headline(second, lines[b].kind)):
        return False
    if not _body_after(lines, b, b + 40):
        return False
    if not counts:
        counts.append(Counter(line.text for line in lines if line.kind != BLANK))
    if counts[0][first] > DOUBLE_ELSEWHERE or counts[0][second] > DOUBLE_ELSEWHERE:
        return False  # printed in other records: a template line
    p, n = _prev(lines, a), _next(lines, b)
    return not ((p is not None and a - p <= 3 and lines[p].text == first)
                or (n is not None and n - b <= 3 and lines[n].text == second))


def _body_after(lines: list[Line], i: int, stop: int) -> bool:
    """Whether some text (not only meta) follows line `i` before index `stop`."""
    return any(lines[k].kind in (TEXT, TITLE) for k in range(i + 1, min(stop, len(lines))))


def card_after(lines: list[Line], i: int, stop: int) -> bool:
    """Whether a social platform's card meta (`#tags`, `12 reactions`) follows title `i`
    before index `stop`: a post listed without its text, as such pages list them."""
    return any(lines[k].kind == META and card_meta(lines[k].text)
               for k in range(i + 1, min(stop, len(lines))))


def _beside(lines: list[Line], a: int, below: bool) -> list[int]:
    """The printed lines nearest anchor `a` over it (under it when `below`), nearest
    first, as far as a title may stand from its anchor."""
    out: list[int] = []
    j: int | None = a
    while len(out) <= HEAD_REACH and j is not None:
        j = _next(lines, j) if below else _prev(lines, j)
        if j is not None:
            out.append(j)
    return out


def _meta_headline(line: Line) -> bool:
    """A meta line that reads like a headline (`Posted in Paris: a week of rain`): the
    title of a post where titles are expected, not an author's name printed there."""
    return line.kind == META and not line.repeat and not hashtags(line.text) \
        and _headline(line.text, META)


def meta_slot_titles(lines: list[Line], found: list[tuple[int, int | None]],
                     below: bool = False) -> list[tuple[int, int]]:
    """(anchor, title) of the records `found` (each anchor and the title found beside
    it, or None): over the anchor (`_head_title`), or under it for a date header
    above titles (`below`), with a title shaped like page meta (`Posted in Paris: a
    week of rain`, `Tags of the City: …`) put right.

    Where most records print their title in one slot (the first printed line over the
    anchor, or the second, under a byline), a record whose line in that slot is a
    meta line that reads like a headline (three words or more, not ending like a
    sentence, not printed in the other records as a template line is) has that line
    for its title, instead of a line further off (page chrome over the first post,
    a byline, the text of the post before) or none (the record would join the one
    before). A record whose title stands nearer than the slot keeps it, unless it is
    a byline taken for want of a title."""
    near = [_beside(lines, a, below) for a, _ in found]
    slots = Counter(seen.index(title) for seen, (_, title) in zip(near, found, strict=True)
                    if title in seen)
    kept = [(a, title) for a, title in found if title is not None]
    if not slots:
        return kept
    slot, n = slots.most_common(1)[0]
    if n < 2 or 2 * n < len(found):
        return kept
    taken = {title for _, title in kept}
    counts: Counter[str] | None = None
    out: list[tuple[int, int]] = []
    for seen, (a, title) in zip(near, found, strict=True):
        p = seen[slot] if slot < len(seen) else None
        if p is not None and p not in taken and _meta_headline(lines[p]) \
                and (title is None or title not in seen[:slot]
                     or _BYLINE.match(lines[title].text) is not None) \
                and (not below or _body_after(lines, p, p + 40)):
            if counts is None:
                counts = Counter(line.text for line in lines if line.kind == META)
            if counts[lines[p].text] <= DOUBLE_ELSEWHERE:
                out.append((a, p))
                continue
        if title is not None:
            out.append((a, title))
    return out


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
        if line.kind in (SEP, META, JUNK, DATE) or _label_over_title(lines, j2) \
                or (line.repeat and _over_date(lines, j2)):
            j = j2  # (an author's name over the next post's date: `mark_repeats`)
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


def _label_over_title(lines: list[Line], i: int) -> bool:
    """Whether line `i` is a digest's section label (`NEWS`, `TOP STORIES`) over the
    title it heads; a short title in capitals (`KILN - FIRING`) has text under it."""
    if not section_label(lines[i].text):
        return False
    n = _next(lines, i)
    return n is not None and could_title(lines[n])


def _over_date(lines: list[Line], i: int) -> bool:
    """Whether line `i` stands right over a date (`Ann Lee` / `Jan 3 '21`)."""
    n = i + 1
    return n < len(lines) and (lines[n].kind == DATE or undated_slot(lines[n]))


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


def _doubles(lines: list[Line], marked: list[int] | None = None) -> list[int]:
    """Titles printed twice (with text under them); `marked`: `shaped_lines(lines)`,
    when the caller has it."""
    out: list[int] = []
    n = len(lines)
    after = -1
    # Title-shaped lines only (running text ends with a full stop or is long), picked
    # out in one comprehension (the loop below is the slower place to skip them).
    shaped = [i for i in (range(n) if marked is None else marked)
              if ((line := lines[i]).kind == TITLE or line.kind == TEXT)
              and not paragraph(line.text)]
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



def _kicker_above(lines: list[Line], t: int, gap: bool = False) -> int | None:
    """A short line printed right above title `t` (no blank between): a kicker.

    `gap`: the kicker stands a blank line or two above the title instead."""
    k = t - 1
    if gap:
        if k < 0 or lines[k].kind != BLANK:
            return None
        above = _prev(lines, k)
        if above is None or t - above > 3:
            return None
        k = above
    if k < 0 or lines[k].kind not in (TITLE, TEXT) or not could_title(lines[k]):
        return None
    text = lines[k].text
    if words(text) > 5 or text.endswith((":", "?", "!")) or (k > 0 and lines[k - 1].kind in (
            TITLE, TEXT) and could_title(lines[k - 1])):
        return None
    return k


_ENDS = (".", "!", "?", "…", ".)", ".”", ".\"")
"""How a paragraph ends: a title-shaped line after it opens a block of its own."""


def over_dek(lines: list[Line], t: int, settled: bool = False) -> int | None:
    """The title above line `t` when `t` is its standfirst or excerpt (`Why the ferry
    stopped` / `The timetable changed three times in one winter, and …`): a
    title-shaped line of three words or more that opens its block (a blank line or
    nothing above it), right above a sentence (a full stop, an ellipsis) or a line
    three words longer; or a blank line above such a sentence, when what stands over
    the title is no short line of text (it is a previous post's date or meta, or
    the full stop of its last paragraph: Ghost's cards). Never a
    label (`Update:`); a name over a title (`Ann Lee`) has fewer words. Where the page
    is `settled` as one of standfirsts (`Template.dek`), any title-shaped line so
    placed is the title, one that reads like meta (`Posted in Paris: …`) too."""
    k = t - 1
    gap = k >= 0 and lines[k].kind == BLANK
    if gap:
        k -= 1
    if k < 0 or not (could_title(lines[k]) or (settled and _meta_headline(lines[k]))):
        return None  # (a title that reads like meta, where the page prints titles so)
    if k > 0 and lines[k - 1].kind != BLANK:
        return None
    if gap and not settled and (p := _prev(lines, k)) is not None \
            and lines[p].kind in (TEXT, TITLE) and not lines[p].text.endswith(_ENDS):
        return None  # maybe the end of the text above (a short last line), over text
    text, dek = lines[k].text, lines[t].text
    if words(text) < 3 or text.endswith((":", "?", "!")):
        return None
    sentence = (dek.endswith(".") and not dek.endswith("..")) or dek.endswith(("…", "..."))
    if settled or sentence:
        return k
    if gap or words(dek) < words(text) + 3:
        return None
    return k


def _first_body(r: Record) -> Line | None:
    return next((x for x in r.body if x.kind != BLANK), None)


def _slot_line(lines: list[Line], r: Record, b: Line) -> bool:
    """A short line opening the body that is not the title again (an image's alt text)."""
    more = sum(1 for x in r.body if x.kind != BLANK) > 1
    return more and words(b.text) <= 3 and len(b.text) <= 30 and not b.text.endswith(":") \
        and comparable(b.text) != comparable(lines[r.title].text)
