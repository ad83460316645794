"""Snippets: one line of a given width around a text's best passage of hits."""

from __future__ import annotations

import bisect
import re

_SPACE_RUN = re.compile(r"^\s+|\s*(?:[^\S ]| \s)\s*|\s+$")
"""Whitespace that is not one space between words (single spaces stay as they are)."""
_NOT_ONE_SPACE = re.compile(r"^\s|\s$|\s\s|[^\S ]")


def one_line(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Whitespace runs (newlines too) squashed to one space, the spans moved to match."""
    if not _NOT_ONE_SPACE.search(text):
        return text, [(s, min(e, len(text))) for s, e in spans if min(e, len(text)) > s]
    pieces: list[str] = []
    # (old offset where a kept stretch starts, its new offset), in order.
    marks: list[tuple[int, int]] = []
    pos = length = 0
    for m in _SPACE_RUN.finditer(text):
        start, end = m.span()
        if start > pos:
            marks.append((pos, length))
            pieces.append(text[pos:start])
            length += start - pos
        if length:  # leading whitespace goes; a run inside becomes one space
            marks.append((start, length))
            pieces.append(" ")
            length += 1
        pos = end
    if pos < len(text):
        marks.append((pos, length))
        pieces.append(text[pos:])
        length += len(text) - pos
    line = "".join(pieces).rstrip()
    starts = [m[0] for m in marks]

    def moved(old: int) -> int:
        i = bisect.bisect_right(starts, old) - 1
        if i < 0:
            return 0
        at, new = marks[i]
        limit = (marks[i + 1][1] if i + 1 < len(marks) else length)
        return min(new + (old - at), limit)

    out = [(moved(s), min(moved(e), len(line))) for s, e in spans]
    return line, [(s, e) for s, e in out if e > s]


SNIPPET_CHARS = 160


PASSAGE_HITS = 100
"""The best passage is looked for among the first this many hits."""


def best_passage(hits: list[tuple[int, int]], text: str, width: int,
                 one_word: bool = False) -> int:
    """The index of the hit starting the window of `width` characters holding the most
    different words hit, then the most hits (one pass, two pointers). `one_word`:
    the hits are known to be one word (the marks said so)."""
    hits = hits[:PASSAGE_HITS]
    words = [] if one_word else [text[s:e].casefold() for s, e in hits]
    ends = [e for _, e in hits]
    if one_word or words.count(words[0]) == len(words):
        # One word hit: the first window holding the most hits (the ends are in order).
        right = bisect.bisect_right
        held = [right(ends, start + width) - i for i, (start, _) in enumerate(hits)]
        most = max(held)
        return held.index(most) if most > 1 else 0
    # Each word a number, counted in a list; each window's last hit by bisection.
    codes: dict[str, int] = {}
    numbers = [codes.setdefault(w, len(codes)) for w in words]
    counts = [0] * len(codes)
    right = bisect.bisect_right
    best, best_words, best_hits = 0, -1, -1
    different = 0  # different words in the window
    j = -1  # the last hit in the window of hit i
    for i, (start, _) in enumerate(hits):
        last = right(ends, start + width) - 1
        while j < last or j < i:
            j += 1
            w = numbers[j]
            if not counts[w]:
                different += 1
            counts[w] += 1
        if different > best_words or (different == best_words and j - i + 1 > best_hits):
            best, best_words, best_hits = i, different, j - i + 1
        # Hit i leaves the window.
        w = numbers[i]
        counts[w] -= 1
        if not counts[w]:
            different -= 1
    return best


def snippet_around(text: str, hits: list[tuple[int, int]], width: int = SNIPPET_CHARS,
                   one_word: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """One line of `text`, `width` characters or so, centred on its best passage of
    hits (or its start), with the hits in it (`one_word`: see `best_passage`)."""
    width = max(20, width)
    if hits:
        first = best_passage(hits, text, width, one_word)
        last = first
        while last + 1 < len(hits) and hits[last + 1][1] - hits[first][0] <= width:
            last += 1
        passage = hits[last][1] - hits[first][0]
        start = max(0, hits[first][0] - max(0, width - passage) // 2)
        anchor = hits[first][0]
    else:
        start, anchor = 0, 0
    if start:
        space = text.find(" ", start, anchor)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(anchor + 1, start), end)
        end = space if space > start else end
    lead = "…" if start else ""
    tail = "…" if end < len(text) else ""
    # The hits in the line (in order, apart): from the first ending after its start.
    low = bisect.bisect_right(hits, start, key=lambda h: h[1])
    high = bisect.bisect_left(hits, end, lo=low, key=lambda h: h[0])
    shift = start - len(lead)
    spans = [(s - shift, e - shift) for s, e in hits[low:high]]
    if spans:  # the first and last may be cut by the line's ends
        spans[0] = (max(spans[0][0], len(lead)), spans[0][1])
        spans[-1] = (spans[-1][0], min(spans[-1][1], end - shift))
    return one_line(lead + text[start:end] + tail, spans)
