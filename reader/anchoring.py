"""Where a highlighted passage sits in an article's body, found again after the body changed.

A highlight keeps its quote, some context before and after it, and its
character offsets. When the body changes (re-import after a parser
improvement, an edited source file), `reanchor` places the quote again,
trying in order:

1. `position` — the quote is still at its old offset (and no other
   occurrence fits the context better);
2. `exact` — the quote occurs once elsewhere;
3. `context` — the quote occurs several times: the stored prefix and suffix
   decide, then closeness to the old offset;
4. `fuzzy` — the quote matches once whitespace and typographic quotes and
   dashes are folded, or it matches approximately (small edits): exact seeds
   of the quote vote for candidate places, each candidate is aligned with
   `difflib` (its ends also tried where the old context now is), and the
   best alignment wins if it is similar enough on its own, or a little less
   similar but still between its old neighbours (a short quote needs one or
   the other to be strong). An exact match whose context is gone loses to a
   folded match that kept it (a copy elsewhere versus the re-wrapped original);
5. `orphan` — nothing fits; the anchor keeps the quote and context, with no
   offsets, for the orphan review list.

Every step is bounded: exact searches run in C (`str.find`), the approximate
step aligns only short windows around a few candidates, so a 100,000-word body
costs milliseconds per highlight. For many highlights on one body, build one
`Anchorer` and call it for each: the folded copy of the body is made once.

The returned anchor describes the *current* body: its quote is the text now
at `start:end` and its prefix and suffix are re-read around it, so the next
re-anchoring starts from what the reader saw last. An orphan keeps its last
known quote and context.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher

from reader.models import Anchor

CONTEXT = 32
"""Characters of context kept before and after a new highlight."""

FUZZY_MIN_LENGTH = 12
"""Shorter quotes are placed only by exact (or whitespace-folded) matching."""

_MAX_OCCURRENCES = 2000
"""Occurrences of one quote considered; beyond that the quote says little."""
_MAX_SEED_HITS = 64
"""A seed found more often than this is too common to vote."""
_MAX_SEEDS = 16
_SNAP = 12
"""At most this many letters are added to reach a word boundary after a fuzzy match."""
_WEAK_CONTEXT = 0.25
"""Below this share of its context in place, an exact match is checked against others."""
_SUPPORTED_RATIO = 0.6
"""The least similarity a fuzzy match needs when its old neighbours surround it."""
_ANCHOR_SEED = 16
"""Characters of context looked for to fix the ends of a fuzzy match."""
_MAX_CANDIDATES = 4
_RATIO_SCORED = 24
"""Occurrences whose context is also compared with difflib (the best by adjacency)."""


def _fold_table() -> dict[int, str]:
    table = {cp: " " for cp in range(0x3001) if chr(cp).isspace()}
    table.update({cp: " " for cp in (0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)})
    table.update({cp: " " for cp in range(0x2000, 0x200B)})
    table.update({ord(c): "'" for c in "‘’‚‛′`"})
    table.update({ord(c): '"' for c in "“”„‟″«»"})
    table.update({ord(c): "-" for c in "‐‑‒–—―−"})
    return table


_FOLD = _fold_table()
"""One character for one: whitespace to a space, curly quotes and dashes to ASCII."""
_SPACES = re.compile(r" {2,}")


def fold(text: str) -> str:
    """Text as the fuzzy step compares it: folded characters, whitespace runs squashed."""
    return _SPACES.sub(" ", text.translate(_FOLD))


def make_anchor(body: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    """The anchor of a new selection `body[start:end]`, whitespace trimmed from both ends.

    Offsets are clamped to the body. Raises ValueError when the selection holds
    nothing but whitespace.
    """
    start = max(0, min(start, len(body)))
    start, end = _trim(body, start, max(start, min(end, len(body))))
    if start == end:
        raise ValueError("empty selection")
    return _anchor_at(body, start, end, "exact", context)


def reanchor(body: str, anchor: Anchor) -> Anchor:
    """Place a stored anchor in `body`: by position, exact match, context, fuzzy, or orphan."""
    return Anchorer(body).reanchor(anchor)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """`start:end` without the whitespace at either end."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _anchor_at(body: str, start: int, end: int, method: str, context: int) -> Anchor:
    return Anchor(
        quote=body[start:end],
        prefix=body[max(0, start - context):start],
        suffix=body[end:end + context],
        start=start,
        end=end,
        method=method,
    )


def _orphan(quote: str, prefix: str, suffix: str) -> Anchor:
    return Anchor(quote=quote, prefix=prefix, suffix=suffix, start=None, end=None,
                  method="orphan")


def _common_prefix_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _context_fold(text: str) -> str:
    """`fold` that keeps paragraph breaks apart from spaces: context is about places."""
    return fold(_PARAGRAPH_BREAK.sub("\ue000", text))


class _Context:
    """A highlight's stored prefix and suffix, folded once."""

    __slots__ = ("parts", "prefix", "prefix_size", "raw_prefix", "raw_suffix", "suffix",
                 "suffix_size")

    def __init__(self, prefix: str, suffix: str) -> None:
        self.raw_prefix = prefix
        self.raw_suffix = suffix
        self.prefix = _context_fold(prefix) if prefix.strip() else ""
        self.suffix = _context_fold(suffix) if suffix.strip() else ""
        self.prefix_size = len(prefix)
        self.suffix_size = len(suffix)
        self.parts = bool(self.prefix) + bool(self.suffix)


class Anchorer:
    """Anchors quotes in one body; reuse it for every highlight of an article."""

    def __init__(self, body: str) -> None:
        self.body = body
        self._folded: str | None = None
        self._seg_folded: list[int] = []
        self._seg_body: list[int] = []

    # -- public -------------------------------------------------------------

    def reanchor(self, anchor: Anchor) -> Anchor:
        """Place a stored anchor in this body (orphans are tried again too)."""
        return self.anchor(anchor.quote, anchor.prefix, anchor.suffix, anchor.start)

    def anchor(self, quote: str, prefix: str = "", suffix: str = "",
               start: int | None = None) -> Anchor:
        """Place `quote`: position, exact, context, fuzzy, else orphan."""
        if not quote or quote.isspace():
            return _orphan(quote, prefix, suffix)
        context = max(len(prefix), len(suffix)) or CONTEXT
        body = self.body
        size = len(quote)
        # The unchanged body: quote and both contexts still in place.
        if (start is not None and start >= 0 and body.startswith(quote, start)
                and body.endswith(prefix, 0, start)
                and body.startswith(suffix, start + size)):
            return _anchor_at(body, start, start + size, "position", context)

        ctx = _Context(prefix, suffix)
        found = self._occurrences(quote)
        if found:
            spans = [(s, s + size) for s in found]
            best = spans[0] if len(spans) == 1 else self._by_context(spans, ctx, start)
            single = "exact" if len(spans) == 1 else "context"
            method = "position" if best[0] == start else single
            if ctx.parts and self._adjacency(best, ctx) < _WEAK_CONTEXT:
                # The same words elsewhere with the right surroundings but other
                # whitespace (a re-wrapped paragraph) beat a copy in the wrong place.
                other = self._folded_match(quote, ctx, start)
                if (other is not None and other != best
                        and self._adjacency(other, ctx) > self._adjacency(best, ctx) + 0.25):
                    return _anchor_at(body, other[0], other[1], "fuzzy", context)
            return _anchor_at(body, best[0], best[1], method, context)

        span = self._fuzzy(quote, ctx, start)
        if span is None:
            return _orphan(quote, prefix, suffix)
        return _anchor_at(body, span[0], span[1], "fuzzy", context)

    # -- exact and context ----------------------------------------------------

    def _occurrences(self, quote: str) -> list[int]:
        return _find_all(self.body, quote, _MAX_OCCURRENCES)

    def _around(self, span: tuple[int, int], context: _Context) -> tuple[str, str]:
        """The folded text just before and just after a span, as long as the context."""
        s, e = span
        before = _context_fold(self.body[max(0, s - 2 * context.prefix_size - 8):s])
        after = _context_fold(self.body[e:e + 2 * context.suffix_size + 8])
        return before, after

    def _adjacency(self, span: tuple[int, int], context: _Context) -> float:
        """How much of the stored context is still right next to the span (0..1)."""
        if not context.parts:
            return 0.0
        before, after = self._around(span, context)
        score = 0.0
        if context.prefix:
            score += _common_suffix_length(context.prefix, before) / len(context.prefix)
        if context.suffix:
            score += _common_prefix_length(context.suffix, after) / len(context.suffix)
        return score / context.parts

    def _by_context(self, spans: list[tuple[int, int]], context: _Context,
                    start: int | None) -> tuple[int, int]:
        """The span whose surroundings best match the stored context; then the nearest."""

        def distance(span: tuple[int, int]) -> int:
            return abs(span[0] - start) if start is not None else span[0]

        if not context.parts:
            return min(spans, key=distance)
        scored = sorted(((self._adjacency(s, context), s) for s in spans),
                        key=lambda t: (-t[0], distance(t[1])))
        # Adjacent characters decide most cases; difflib settles the rest (an edit
        # right next to the quote), among the best few only.
        finalists = scored[:_RATIO_SCORED]

        def similarity(item: tuple[float, tuple[int, int]]) -> tuple[float, int]:
            adjacency, span = item
            before, after = self._around(span, context)
            ratio = 0.0
            if context.prefix:
                ratio += SequenceMatcher(None, context.prefix, before[-len(context.prefix):],
                                         autojunk=False).ratio()
            if context.suffix:
                ratio += SequenceMatcher(None, context.suffix, after[:len(context.suffix)],
                                         autojunk=False).ratio()
            return (-(adjacency + ratio / context.parts), distance(span))

        return min(finalists, key=similarity)[1]

    # -- fuzzy --------------------------------------------------------------

    def _fold_body(self) -> str:
        """The folded body and the map back to body offsets, made once."""
        if self._folded is None:
            translated = self.body.translate(_FOLD)
            pieces: list[str] = []
            seg_folded = [0]
            seg_body = [0]
            last = 0
            length = 0
            for m in _SPACES.finditer(translated):
                a, b = m.span()
                pieces.append(translated[last:a + 1])
                length += a + 1 - last
                # The one space left stands for the run; what follows maps past it.
                seg_folded.append(length)
                seg_body.append(b)
                last = b
            pieces.append(translated[last:])
            self._folded = "".join(pieces)
            self._seg_folded = seg_folded
            self._seg_body = seg_body
        return self._folded

    def _to_body(self, offset: int) -> int:
        i = bisect_right(self._seg_folded, offset) - 1
        return self._seg_body[i] + (offset - self._seg_folded[i])

    def _span_to_body(self, start: int, end: int) -> tuple[int, int]:
        s = self._to_body(start)
        return _trim(self.body, s, self._to_body(end - 1) + 1 if end > start else s)

    def _folded_match(self, quote: str, ctx: _Context,
                      start: int | None) -> tuple[int, int] | None:
        """The quote found with whitespace, quotes and dashes folded, best context first."""
        folded = self._fold_body()
        q = fold(quote).strip()
        if not q:
            return None
        hits = _find_all(folded, q, _MAX_OCCURRENCES)
        if not hits:
            return None
        spans = [self._span_to_body(h, h + len(q)) for h in hits]
        return spans[0] if len(spans) == 1 else self._by_context(spans, ctx, start)

    def _fuzzy(self, quote: str, ctx: _Context, start: int | None) -> tuple[int, int] | None:
        # Whitespace, quotes and dashes changed, the words did not.
        found = self._folded_match(quote, ctx, start)
        if found is not None:
            return found
        folded = self._fold_body()
        q = fold(quote).strip()
        if len(q) < FUZZY_MIN_LENGTH:
            return None
        # Similar enough on its own, or less similar but still between its old
        # neighbours; a short quote needs to be very close to stand alone.
        alone = 0.75 if len(q) >= 40 else 0.9
        prefix_tail = fold(ctx.raw_prefix)[-_ANCHOR_SEED:].lstrip()
        suffix_head = fold(ctx.raw_suffix)[:_ANCHOR_SEED].rstrip()
        best: tuple[float, int, int, int] | None = None
        for lo, hi in self._candidates(folded, q):
            aligned = _align(q, folded, lo, hi, prefix_tail, suffix_head)
            if aligned is None or aligned[0] < _SUPPORTED_RATIO:
                continue
            ratio, s, e = aligned
            body_span = self._span_to_body(s, e)
            if body_span[0] >= body_span[1]:
                continue
            adjacency = self._adjacency(body_span, ctx)
            if ratio < alone and adjacency < 0.5:
                continue
            closeness = -abs(body_span[0] - start) if start is not None else 0
            key = (ratio + 0.25 * adjacency, closeness, *body_span)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None:
            return None
        return self._snap(best[2], best[3], quote, ctx.raw_prefix, ctx.raw_suffix)

    def _snap(self, start: int, end: int, quote: str, prefix: str,
              suffix: str) -> tuple[int, int]:
        """Whole words at the ends when the quote held whole words (`bridge` → `bridges`)."""
        body = self.body
        if quote[-1].isalnum() and not suffix[:1].isalnum():
            limit = min(len(body), end + _SNAP)
            while end < limit and body[end].isalnum():
                end += 1
        if quote[0].isalnum() and not prefix[-1:].isalnum():
            limit = max(0, start - _SNAP)
            while start > limit and body[start - 1].isalnum():
                start -= 1
        return start, end

    def _candidates(self, folded: str, q: str) -> list[tuple[int, int]]:
        """Windows of the folded body where seeds of the quote agree on a start."""
        length = len(q)
        seed = max(4, min(24, length // 6))
        count = min(_MAX_SEEDS, max(2, length // seed))
        if count > 1:
            offsets = sorted({round(i * (length - seed) / (count - 1)) for i in range(count)})
        else:
            offsets = [0]
        votes: list[tuple[int, int]] = []
        for index, offset in enumerate(offsets):
            piece = q[offset:offset + seed]
            if not piece.strip():
                continue
            hits = _find_all(folded, piece, _MAX_SEED_HITS + 1)
            if len(hits) > _MAX_SEED_HITS:
                continue
            votes.extend((h - offset, index) for h in hits)
        if not votes:
            return []
        votes.sort()
        tolerance = max(4, length // 5)
        clusters: list[tuple[int, int, int]] = []  # (seeds agreeing, low diagonal, high)
        group_lo = votes[0][0]
        group_hi = votes[0][0]
        seeds = {votes[0][1]}
        for diagonal, index in votes[1:]:
            if diagonal - group_hi <= tolerance:
                group_hi = diagonal
                seeds.add(index)
                continue
            clusters.append((len(seeds), group_lo, group_hi))
            group_lo = group_hi = diagonal
            seeds = {index}
        clusters.append((len(seeds), group_lo, group_hi))
        clusters.sort(key=lambda c: -c[0])
        strongest = clusters[0][0]
        slack = max(24, length // 3)
        windows = []
        for agreeing, lo, hi in clusters[:_MAX_CANDIDATES]:
            if agreeing * 2 < strongest:
                break
            windows.append((max(0, lo - slack), min(len(folded), hi + length + slack)))
        return windows


def _find_all(text: str, needle: str, limit: int) -> list[int]:
    hits: list[int] = []
    i = text.find(needle)
    while i != -1 and len(hits) < limit:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def _align(q: str, text: str, lo: int, hi: int, prefix_tail: str = "",
           suffix_head: str = "") -> tuple[float, int, int] | None:
    """The best approximate occurrence of `q` in `text[lo:hi]`: (similarity, start, end).

    The ends are tried where the matching blocks put them and where the old
    context (`prefix_tail`, `suffix_head`) says the passage begins and ends.
    """
    window = text[lo:hi]
    matcher = SequenceMatcher(None, q, window, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    # Stray one- or two-letter matches in the slack around the passage would
    # stretch the span; trust the solid blocks for its ends.
    solid = [b for b in blocks if b.size >= 3] or blocks
    if not solid:
        return None
    first, last = solid[0], solid[-1]
    starts = {first.b, max(0, first.b - first.a)}
    tail = len(q) - (last.a + last.size)
    ends = {last.b + last.size, min(len(window), last.b + last.size + tail)}
    # The context nearest the surest part of the match (its longest block).
    surest = max(solid, key=lambda b: b.size)
    if prefix_tail:
        at = window.rfind(prefix_tail, 0, surest.b + len(prefix_tail))
        if at != -1:
            starts.add(at + len(prefix_tail))
    if suffix_head:
        at = window.find(suffix_head, max(0, surest.b + surest.size - len(suffix_head)))
        if at != -1:
            ends.add(at)
    best: tuple[float, int, int] | None = None
    for s in sorted(starts):
        for e in sorted(ends):
            if e <= s:
                continue
            m = SequenceMatcher(None, q, window[s:e].strip(), autojunk=False)
            if best is not None and m.quick_ratio() <= best[0]:
                continue
            ratio = m.ratio()
            if best is None or ratio > best[0]:
                best = (ratio, lo + s, lo + e)
    return best
