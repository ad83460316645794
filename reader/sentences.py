"""Word, sentence and paragraph boundaries in an article body, for keyboard selection.

Pure functions over character offsets into the body (the same offsets as
`reader.models.Anchor`); no Textual. Every function looks only at the
paragraph around the offset, so a 100,000-word body costs no more than a short
one.

- A *word* is a run of non-whitespace (punctuation stays with its word, as in
  vim's `W`), so extending a selection by a word takes the comma with it.
- A *paragraph* is text between blank lines.
- A *sentence* ends at `.`, `!`, `?`, an ellipsis or `。！？`, with any closing
  quotes or brackets, when what follows does not continue it: a lowercase
  word continues (`e.g. the`, `wait... what`, `"Stop!" he said`); after a
  title (`Mr.`, `Dr.`) nothing ends; after an abbreviation that may close a
  sentence (`Inc.`, `U.S.`, `etc.`, a single initial) only a word that
  usually opens one (`The`, `He`, `But`…) starts a new sentence. A Markdown
  heading, list item or block quote line also starts a new sentence.

`Selection` is the keyboard selection: `start_selection` takes the sentence
under the cursor, `extend` applies a motion (`word`, `sentence_back`, …; the
reading view binds the keys to them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

Span = tuple[int, int]
"""`(start, end)` offsets into the body, end exclusive."""

Unit = Literal["char", "word", "sentence", "paragraph"]


# -- paragraphs ---------------------------------------------------------------

_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
_NON_SPACE = re.compile(r"\S")
_WORD = re.compile(r"\S+")


def _strip(body: str, start: int, end: int) -> Span:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _gap_end_before(body: str, offset: int) -> int:
    """Where the paragraph holding `offset` begins: after the last blank line before it."""
    width = 4096
    while True:
        lo = max(0, offset - width)
        last = None
        for last in _BLANK.finditer(body, lo, offset):  # noqa: B007 - the last one is wanted
            pass
        if last is not None and (last.start() > lo or lo == 0):
            return last.end()
        if lo == 0:
            return 0
        width *= 4


def paragraph_at(body: str, offset: int) -> Span:
    """The paragraph holding `offset` (in a blank gap: the next one, else the last one)."""
    if not body.strip():
        return (len(body), len(body))
    offset = max(0, min(offset, len(body)))
    m = _NON_SPACE.search(body, offset)
    offset = len(body.rstrip()) - 1 if m is None else m.start()
    start = _gap_end_before(body, offset)
    gap = _BLANK.search(body, offset)
    end = gap.start() if gap else len(body)
    return _strip(body, start, end)


def _paragraphs(body: str, offset: int, forward: bool) -> Iterator[Span]:
    """Paragraphs from the one at `offset`, onwards or backwards."""
    span = paragraph_at(body, offset)
    while span[0] < span[1]:
        yield span
        if forward:
            if span[1] >= len(body):
                return
            m = _NON_SPACE.search(body, span[1])
            if m is None:
                return
            span = paragraph_at(body, m.start())
        else:
            head = body[:span[0]].rstrip()
            if not head:
                return
            span = paragraph_at(body, len(head) - 1)


# -- sentences ----------------------------------------------------------------

_CLOSERS = "\"'”’»)]*_"
_OPENERS = "\"'“‘«([*_"
_CANDIDATE = re.compile(
    r"(?:\.\.\.|…|[.!?]+|[。！？]+)[" + re.escape(_CLOSERS) + r"」』）]*"
)
_BLOCK_START = re.compile(r"\n(?=[ \t]*(?:[-*+] |\d{1,3}[.)] |#{1,6} |> ))")
_HEADING_LINE = re.compile(r"(?m)^[ \t]*#{1,6} [^\n]*$")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEVER_END = _word_set("""
    mr mrs ms mx dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep pres rev hon
    messrs mme mlle msgr e.g i.e cf vs viz approx ca no nos fig figs p pp vol vols ch sec
    art ed eds op cit
""")
"""Abbreviations that do not end a sentence whatever follows (titles, `e.g.`, `No. 5`)."""

_MAY_END = _word_set("""
    inc ltd co corp llc plc bros etc al jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue wed thu fri sat sun dept univ assn est
""")
"""Abbreviations that end a sentence only before a word that usually opens one."""

_OPENING_WORDS = _word_set("""
    a an the it its he she they we i you in on at but and or so this that these those there
    then his her their our my your if when while after before as for with what why how who
    yet still now meanwhile however also some many most no not one two both each every all
    since because although though later today yesterday tomorrow here once even just only
    according more other such
""")
"""Words that usually open a sentence: after `U.S.` or `Inc.` they start a new one."""


def _word_before(body: str, end: int, floor: int) -> str:
    start = end
    while start > floor and not body[start - 1].isspace():
        start -= 1
    return body[start:end].lstrip(_OPENERS)


def _word_after(body: str, start: int, limit: int) -> str:
    m = _NON_SPACE.search(body, start, limit)
    if m is None:
        return ""
    end = m.start()
    while end < limit and not body[end].isspace():
        end += 1
    return body[m.start():end].lstrip(_OPENERS)


def _ends_sentence(body: str, m: re.Match[str], floor: int, limit: int) -> bool:
    mark = m.group().rstrip(_CLOSERS + "」』）")
    if mark[-1] in "。！？":
        return True
    if m.end() < limit and not body[m.end()].isspace():
        return False  # 3.14, example.com, "Yahoo!Mail"
    following = _word_after(body, m.end(), limit)
    if not following:
        return True
    first = following[0]
    if first.islower():
        return False
    if mark != ".":
        return True  # ! ? … and "...": anything but a lowercase word begins anew
    word = _word_before(body, m.start(), floor)
    key = word.casefold()
    opening = following.rstrip(",;:.!?\"'”’").casefold() in _OPENING_WORDS
    if key in _NEVER_END:
        return False
    if key in _MAY_END or _INITIALISM.match(word) or (len(word) == 1 and word.isupper()):
        return opening
    return True


def _segments(body: str, start: int, end: int) -> Iterator[Span]:
    """A paragraph cut where a Markdown list item, quote line or heading starts: no
    sentence runs across one."""
    cuts = [start]
    cuts.extend(m.start() + 1 for m in _BLOCK_START.finditer(body, start, end))
    for m in _HEADING_LINE.finditer(body, start, end):
        cuts.extend((m.start(), m.end()))
    cuts.append(end)
    cuts = sorted(set(cuts))
    for a, b in pairwise(cuts):
        span = _strip(body, a, b)
        if span[0] < span[1]:
            yield span


def sentences(body: str, start: int, end: int) -> list[Span]:
    """The sentences of `body[start:end]` (a paragraph), whitespace trimmed."""
    spans: list[Span] = []
    for seg_start, seg_end in _segments(body, start, end):
        s = seg_start
        for m in _CANDIDATE.finditer(body, seg_start, seg_end):
            if m.end() <= s:
                continue
            if _ends_sentence(body, m, seg_start, seg_end):
                span = _strip(body, s, m.end())
                if span[0] < span[1]:
                    spans.append(span)
                s = m.end()
        span = _strip(body, s, seg_end)
        if span[0] < span[1]:
            spans.append(span)
    return spans


_PIECE = 8192
"""Paragraphs longer than two of these are segmented a piece at a time."""


def _pieces(body: str, p_start: int, p_end: int, offset: int, forward: bool) -> Iterator[Span]:
    """A paragraph cut at sentence ends about every `_PIECE` characters, from `offset` on.

    A 100,000-word body with no blank line is one paragraph; segmenting all of
    it at every key press would be slow. The cuts depend only on the paragraph,
    so every call sees the same sentences.
    """
    if p_end - p_start <= 2 * _PIECE:
        yield (p_start, p_end)
        return
    cuts: dict[int, int] = {}

    def cut(k: int) -> int:
        if k <= 0:
            return p_start
        if k not in cuts:
            cuts[k] = p_end
            for m in _CANDIDATE.finditer(body, min(p_end, p_start + k * _PIECE), p_end):
                if _ends_sentence(body, m, p_start, p_end):
                    cuts[k] = m.end()
                    break
        return cuts[k]

    k = max(0, (offset - p_start) // _PIECE)
    while k > 0 and cut(k) > offset:
        k -= 1
    while k >= 0:
        a, b = cut(k), cut(k + 1)
        if a >= p_end:
            return
        if a < b:
            yield (a, b)
        if forward and b >= p_end:
            return
        k += 1 if forward else -1


def _sentences_from(body: str, offset: int, forward: bool) -> Iterator[Span]:
    for p_start, p_end in _paragraphs(body, offset, forward):
        at = min(max(offset, p_start), p_end)
        for a, b in _pieces(body, p_start, p_end, at, forward):
            found = sentences(body, a, b)
            yield from (found if forward else reversed(found))


def _words_from(body: str, offset: int, forward: bool) -> Iterator[Span]:
    if forward:
        # The word holding `offset` first, then the ones after it.
        start = offset
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        for m in _WORD.finditer(body, start):
            yield m.span()
        return
    end = offset
    while end < len(body) and not body[end].isspace():
        end += 1
    while end > 0:
        while end > 0 and body[end - 1].isspace():
            end -= 1
        if end == 0:
            return
        s = end
        while s > 0 and not body[s - 1].isspace():
            s -= 1
        yield s, end
        end = s


def _units(body: str, offset: int, unit: Unit, forward: bool) -> Iterator[Span]:
    if unit == "word":
        return _words_from(body, offset, forward)
    if unit == "sentence":
        return _sentences_from(body, offset, forward)
    if unit == "paragraph":
        return _paragraphs(body, offset, forward)
    raise ValueError(f"unknown unit {unit!r}")


# -- questions ----------------------------------------------------------------


def unit_at(body: str, offset: int, unit: Unit) -> Span:
    """The word, sentence or paragraph holding `offset` (between two: the next one)."""
    offset = max(0, min(offset, len(body)))
    if unit == "char":
        return (offset, min(offset + 1, len(body)))
    last: Span | None = None
    for span in _units(body, offset, unit, forward=True):
        if span[1] > offset:
            return span
        last = span
    if last is not None:
        return last
    for span in _units(body, offset, unit, forward=False):
        return span
    return (offset, offset)


def sentence_at(body: str, offset: int) -> Span:
    """The sentence under the cursor (between two sentences: the next one)."""
    return unit_at(body, offset, "sentence")


def next_end(body: str, offset: int, unit: Unit) -> int:
    """The first end of a unit after `offset`; the end of the body when there is none."""
    if unit == "char":
        return min(offset + 1, len(body))
    for _, end in _units(body, offset, unit, forward=True):
        if end > offset:
            return end
    return len(body)


def next_start(body: str, offset: int, unit: Unit) -> int:
    """The first start of a unit after `offset`; the end of the body when there is none."""
    if unit == "char":
        return min(offset + 1, len(body))
    for start, _ in _units(body, offset, unit, forward=True):
        if start > offset:
            return start
    return len(body)


def prev_start(body: str, offset: int, unit: Unit) -> int:
    """The last start of a unit before `offset`; 0 when there is none."""
    if unit == "char":
        return max(offset - 1, 0)
    for start, _ in _units(body, offset, unit, forward=False):
        if start < offset:
            return start
    return 0


def prev_end(body: str, offset: int, unit: Unit) -> int:
    """The last end of a unit before `offset`; 0 when there is none."""
    if unit == "char":
        return max(offset - 1, 0)
    for _, end in _units(body, offset, unit, forward=False):
        if end < offset:
            return end
    return 0


# -- selection ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    """A keyboard selection: the span it started from and a head that motions move.

    The selection always covers the initial span (`anchor_start:anchor_end`)
    and reaches out to `head` on one `side`: forward motions on the end side
    grow it, backward ones shrink it back to the initial span and then grow it
    on the start side, and the other way round.
    """

    anchor_start: int
    anchor_end: int
    head: int
    side: Literal["start", "end"] = "end"

    @property
    def start(self) -> int:
        return min(self.anchor_start, self.head) if self.side == "start" else self.anchor_start

    @property
    def end(self) -> int:
        return max(self.anchor_end, self.head) if self.side == "end" else self.anchor_end

    @property
    def span(self) -> Span:
        return (self.start, self.end)


def start_selection(body: str, offset: int) -> Selection:
    """`v`: the sentence under the cursor."""
    start, end = sentence_at(body, offset)
    return Selection(start, end, end, "end")


def selection_between(start: int, end: int) -> Selection:
    """A selection made otherwise (mouse, a search hit) that motions can then extend."""
    start, end = min(start, end), max(start, end)
    return Selection(start, end, end, "end")


def move_head(selection: Selection, offset: int) -> Selection:
    """Put the moving end at `offset` (mouse drag, shift+up/down by display line)."""
    if offset >= selection.anchor_end:
        return replace(selection, head=offset, side="end")
    if offset <= selection.anchor_start:
        return replace(selection, head=offset, side="start")
    return replace(selection, head=selection.anchor_end, side="end")


def extend(body: str, selection: Selection, motion: str) -> Selection:
    """Apply a motion: `word`, `sentence`, `paragraph` or `char`, with `_back` for backwards."""
    forward = not motion.endswith("_back")
    unit_name = motion.removesuffix("_back")
    if unit_name not in ("char", "word", "sentence", "paragraph"):
        raise ValueError(f"unknown motion {motion!r}")
    unit: Unit = unit_name  # type: ignore[assignment]
    s = selection
    if s.side == "end":
        if forward:
            return replace(s, head=next_end(body, s.head, unit))
        head = prev_end(body, s.head, unit)
        if head > s.anchor_end:
            return replace(s, head=head)
        if s.head > s.anchor_end:
            return replace(s, head=s.anchor_end)
        return replace(s, head=prev_start(body, s.anchor_start, unit), side="start")
    if not forward:
        return replace(s, head=prev_start(body, s.head, unit))
    head = next_start(body, s.head, unit)
    if head < s.anchor_start:
        return replace(s, head=head)
    if s.head < s.anchor_start:
        return replace(s, head=s.anchor_start)
    return replace(s, head=next_end(body, s.anchor_end, unit), side="end")
