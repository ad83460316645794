"""Where a query's hits are in a text: offsets, never markup.

`find_in_text` (and `Marker` for many texts) gives the (start, end) of every
hit of a query in a text, by the same analysis as the index (`reader.analysis`),
skipping words in link and image addresses, so the reading view marks exactly
what the search matched.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from reader.search.query import _ZERO_WIDTH, _ZERO_WIDTH_RE, CLOSE, OPEN, Query, parse
from reader.search.textinfo import _non_ascii_words, _parse_info

# -- hits in a text ---------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")

_LATIN1_LOWER = bytes(ord(chr(i).lower()) for i in range(256))
"""`chr(i).lower()` of each of the first 256 characters (each is one of them)."""


def _lower(text: str) -> str:
    """`text.lower()`, at C speed for a text of the first 256 characters (most
    Latin-script texts): `str.lower` goes character by character beyond ASCII."""
    if text.isascii():
        return text.lower()
    try:
        return text.encode("latin-1").translate(_LATIN1_LOWER).decode("latin-1")
    except UnicodeEncodeError:
        return text.lower()


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """`normalize(text)` and, when it differs, each normalised char's offset in `text`."""
    if text.isascii() or (unicodedata.is_normalized("NFKC", text)
                          and not _ZERO_WIDTH_RE.search(text)):
        return text, None
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        piece = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        out.append(piece)
        where.extend([i] * len(piece))
    where.append(len(text))
    return "".join(out), where


def marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with OPEN/CLOSE markers → the plain text and the marked (start, end) spans."""
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    length = 0
    start = -1
    for piece in re.split(f"([{OPEN}{CLOSE}])", marked):
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            if start >= 0 and length > start:
                spans.append((start, length))
            start = -1
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class _Sequence:
    """Index words to find one after another; the last maybe a prefix (or either)."""

    words: tuple[str, ...]
    prefix: str | None
    exact_last: bool


MARKED_TERMS = 64
"""Terms of a query marked at most (a pasted page is searched by its first words)."""


@functools.lru_cache(maxsize=256)
def _cjk_runs(query: Query, title: bool) -> tuple[str, ...]:
    terms = list(dict.fromkeys(query.terms))[:MARKED_TERMS]
    return tuple(dict.fromkeys(text for term in terms if title or not term.title_only
                               for is_cjk, text in term.segments() if is_cjk))


@functools.lru_cache(maxsize=256)
def _sequences(query: Query, title: bool) -> tuple[_Sequence, ...]:
    from reader import analysis

    out: list[_Sequence] = []
    stop: set[_Sequence] = set()
    # The same words once, and no more than the index searches for (`MARKED_TERMS`).
    for term in list(dict.fromkeys(query.terms))[:MARKED_TERMS]:
        if term.title_only and not title:
            continue
        segments = term.segments()
        for i, (is_cjk, text) in enumerate(segments):
            if is_cjk:
                continue
            words = analysis.analyze(text)
            if not words:
                continue
            last = i == len(segments) - 1
            prefix = None
            if last and term.kind in ("prefix", "partial"):
                folded = analysis.fold_words(text)
                prefix = folded[-1] if folded else None
            exact = not (last and term.kind == "prefix" and prefix is not None)
            seq = _Sequence(tuple(words), prefix, exact)
            out.append(seq)
            if (term.kind == "word" and len(segments) == 1 and len(words) == 1
                    and text.lower() in analysis.STOPWORDS):
                stop.add(seq)
    # Beside other words, function words (`the`, `of`) are not marked.
    content = [seq for seq in out if seq not in stop]
    return tuple(dict.fromkeys(content or out))


def _candidate_keys(sequences: tuple[_Sequence, ...]) -> tuple[str, ...] | None:
    """How the words that may match start: as a searched word starts (a stem keeps
    its word's first letters); None when every word must be looked at."""
    from reader.analysis import STOPWORDS

    keys: set[str] = set()
    for seq in sequences:
        # A last word searched as a prefix only (`th*`) is found by its prefix alone.
        words = seq.words if seq.exact_last or seq.prefix is None else seq.words[:-1]
        for word in words:
            # A stem keeps its word's first letters but maybe its last (`hope` of
            # `hoping`); a function word is its own stem (`the`, not `th`).
            keys.add(word if word in STOPWORDS else word[:max(1, min(len(word) - 1, 4))])
        if seq.prefix:
            keys.add(seq.prefix[:4])
    if not keys or not all(k.isascii() and k.isalnum() for k in keys):
        return None
    # A key starting another (`pe`, `peop`) finds its words already.
    ordered = sorted(keys, key=len)
    return tuple(k for i, k in enumerate(ordered)
                 if not any(k.startswith(shorter) for shorter in ordered[:i]))


@functools.lru_cache(maxsize=64)
def _key_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words starting with a key. Each key comes first, its word start checked
    after it: a pattern opening with a literal is scanned for at C speed, one opening
    with a look-behind is tried at every position."""
    return re.compile(_starting(keys) + r"[^\W_]*")


def _starting(words: Iterable[str]) -> str:
    """A pattern for any of `words` at the start of a word (longest first)."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(f"{re.escape(w)}(?<![^\\W_]{re.escape(w)})" for w in ordered) + ")"


@functools.lru_cache(maxsize=256)
def _exact_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Any of `words` as a whole word."""
    return re.compile(_starting(words) + r"(?![^\W_])")


@functools.lru_cache(maxsize=256)
def _phrase_pattern(groups: tuple[frozenset[str], ...]) -> re.Pattern[str]:
    """Words one after another (nothing but spaces and punctuation between), each any
    of its group; the first word is group 1."""
    gap = r"(?![^\W_])[\W_]+"
    rest = "".join(gap + "(?:" + "|".join(map(re.escape, sorted(g, key=len, reverse=True)))
                   + ")" for g in groups[1:])
    return re.compile("(" + _starting(groups[0]) + ")" + rest + r"(?![^\W_])")


_FORMS: dict[str, tuple[str, str]] = {}
"""(stem, folded form) of each lower-case word met, shared by every page of results."""
_FORMS_LIMIT = 200_000


def _forms_of(words: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(stem, folded form) of these lower-case words, analysed once and remembered in
    `_FORMS` (a dictionary of its own returned: another thread may empty the cache)."""
    from reader import analysis

    out: dict[str, tuple[str, str]] = {}
    new: list[str] = []
    for word in words:
        known = _FORMS.get(word)
        if known is None:
            new.append(word)
        else:
            out[word] = known
    if new:
        found = dict(zip(new, zip(analysis.each(new), analysis.each(new, stem=False),
                                  strict=True), strict=True))
        out.update(found)
        if len(_FORMS) + len(found) > _FORMS_LIMIT:
            _FORMS.clear()
        _FORMS.update(found)
    return out


EXACT_WORDS = 4
"""Hit words of a text found by a pattern of their own, up to this many (more: each
candidate word checked)."""


class _HitWords:
    """Which lower-case words are hits of a query's sequences, learnt text by text
    over a page of results, with the patterns that find them (rebuilt only when a
    new hit word turns up)."""

    common_keys = False
    fast = False
    """Whether the last text's hits were found here (`_fast_hits`)."""

    def __init__(self, sequences: tuple[_Sequence, ...]) -> None:
        self.sequences = sequences
        self.seen: set[str] = set()
        self.single: set[str] = set()
        self.groups: list[list[set[str]]] = [[set() for _ in seq.words] for seq in sequences]
        self._phrases: list[re.Pattern[str] | None] = [None] * len(sequences)
        # (sequence, position) of each word to find by its stem; prefixes apart.
        self._by_stem: dict[str, list[tuple[int, int]]] = {}
        self._prefixed: list[tuple[int, _Sequence]] = []
        # The prefixes, when the query is prefixes alone (`t*`, `go` typed).
        self.prefixes_only = {seq.prefix for seq in sequences if seq.prefix} if all(
            len(seq.words) == 1 and not seq.exact_last and seq.prefix for seq in sequences
        ) else set()
        for n, seq in enumerate(sequences):
            last = len(seq.words) - 1
            for k, stem in enumerate(seq.words):
                if k < last or seq.exact_last or seq.prefix is None:
                    self._by_stem.setdefault(stem, []).append((n, k))
            if seq.prefix is not None:
                self._prefixed.append((n, seq))

    def learn(self, words: set[str]) -> None:
        new = words - self.seen
        if not new:
            return
        self.seen |= new
        forms = _forms_of(new)
        for word in new:
            stem, folded = forms[word]
            for n, k in self._by_stem.get(stem, ()):
                self._add(n, k, word)
            for n, seq in self._prefixed:
                if folded.startswith(seq.prefix) or stem.startswith(seq.prefix):  # type: ignore[arg-type]
                    self._add(n, len(seq.words) - 1, word)

    def _add(self, n: int, k: int, word: str) -> None:
        if len(self.sequences[n].words) == 1:
            self.single.add(word)
        elif word not in self.groups[n][k]:
            self.groups[n][k].add(word)
            self._phrases[n] = None

    def phrase_pattern(self, n: int) -> re.Pattern[str] | None:
        if not all(self.groups[n]):
            return None
        if self._phrases[n] is None:
            self._phrases[n] = _phrase_pattern(tuple(frozenset(g) for g in self.groups[n]))
        return self._phrases[n]


RARE_KEYS = 12
"""Up to this many places a key (on average) starts in one text, they are looked at one
by one (`str.find`, no pattern over the whole text)."""


def _rare_keyed(low: str, keys: tuple[str, ...]) -> list[tuple[int, int, str]] | None:
    """(start, end, word) of the words starting with a key, in order, when the keys are
    rare in the text (None, as soon as they are not: use the patterns)."""
    if min(map(len, keys)) < 3:
        return None
    out = []
    seen = 0
    most = RARE_KEYS * len(keys)
    for key in keys:
        pos = low.find(key)
        while pos >= 0:
            seen += 1
            if seen > most:
                return None
            if pos == 0 or not low[pos - 1].isalnum():
                m = _WORD.match(low, pos)
                if m is not None:
                    out.append((pos, m.end(), m.group()))
            pos = low.find(key, pos + 1)
    out.sort()
    return out


def _prefix_hits(norm: str, low: str, known: _HitWords, keys: tuple[str, ...],
                 info: str | None) -> list[tuple[int, int]]:
    """`_fast_hits` of prefixes alone, each its own key: every word a key finds is a
    hit, found in one pass a key."""
    spans = [m.span() for key in keys for m in _key_pattern((key,)).finditer(low)]
    unsorted = len(keys) > 1
    if not norm.isascii():
        # Words with a letter beyond ASCII may fold to a prefix (`Ţara` for `t*`).
        extra = (_parse_info(info) if info is not None and info[:1] == "n"
                 else _non_ascii_words(norm))
        starts = {s for s, _ in spans}
        for start, folded in extra:
            if start in starts or not folded.startswith(keys):
                continue
            m = _WORD.match(low, start)
            if m is None:
                continue
            known.learn({m.group()})
            if m.group() in known.single:
                spans.append(m.span())
                unsorted = True
    if unsorted:
        spans.sort()
    return spans


def _fast_hits(norm: str, low: str, known: _HitWords, keys: tuple[str, ...],
               info: str | None) -> list[tuple[int, int]]:
    """`_word_hits` by regular expressions over the lower-case text: which of its
    distinct candidate words are hits is worked out once a page, then the hits are
    found at C speed (the same hits as the word-by-word walk). One pattern a key:
    one opening with a single literal is scanned for far faster than alternatives."""
    if known.prefixes_only and set(keys) == known.prefixes_only:
        return _prefix_hits(norm, low, known, keys, info)
    known.fast = True
    found = None if known.common_keys else _rare_keyed(low, keys)
    by_key: list[tuple[re.Pattern[str], set[str]]] = []
    if found is None:
        for key in keys:
            pattern = _key_pattern((key,))
            key_words = set(pattern.findall(low))
            if key_words:
                by_key.append((pattern, key_words))
        keyed = set().union(*(w for _, w in by_key))
    else:
        keyed = {w for _, _, w in found}
    words = keyed
    if not norm.isascii():
        # Words with a letter beyond ASCII may fold to a searched word (`Zürich`).
        extra = (_parse_info(info) if info is not None and info[:1] == "n"
                 else _non_ascii_words(norm))
        for start, folded in extra:
            if folded.startswith(keys):
                m = _WORD.match(low, start)
                if m is not None and m.group() not in keyed:
                    words = words | {m.group()}
    if not words:
        return []
    known.learn(words)
    spans: list[tuple[int, int]] = []
    for n, seq in enumerate(known.sequences):
        if len(seq.words) == 1:
            continue
        phrase = known.phrase_pattern(n)
        if phrase is None:
            continue
        pos = 0
        while (m := phrase.search(low, pos)) is not None:
            spans.append(m.span())
            pos = m.end(1)  # phrases may overlap (`the the` in `the the the`)
    parts = 0  # runs of spans in order, each from one pattern
    if spans:
        parts += 1
    if found is not None:
        hits = keyed & known.single
        if hits:
            spans.extend((s, e) for s, e, w in found if w in hits)
            parts += 1
    else:
        for pattern, key_words in by_key:
            hits = key_words & known.single
            if not hits:
                continue
            parts += 1
            if hits == key_words:
                spans.extend(m.span() for m in pattern.finditer(low))
            elif len(hits) <= EXACT_WORDS:
                spans.extend(m.span() for m in _exact_pattern(frozenset(hits)).finditer(low))
            else:
                spans.extend(m.span() for m in pattern.finditer(low) if m.group() in hits)
    if len(words) > len(keyed) and (others := (words - keyed) & known.single):
        # Words found by their folded form only (`Ärger` for `a*`), in order with the rest.
        spans.extend(m.span() for m in _exact_pattern(frozenset(others)).finditer(low))
        parts += 1
    if parts > 1:
        spans.sort()
    return spans


def _candidates(norm: str, keys: tuple[str, ...] | None,
                info: str | None = None) -> list[tuple[int, int]]:
    """The words of `norm` that may match, in order: without keys all of them, else
    those whose folded form starts with a key."""
    if keys is None:
        return [m.span() for m in _WORD.finditer(norm)]
    low = _lower(norm)
    if len(low) != len(norm):
        return [m.span() for m in _WORD.finditer(norm)]
    spans: set[tuple[int, int]] = set()
    starts: set[int] = set()
    if min(map(len, keys)) < 3:
        # Short keys are everywhere inside words: one pass over word starts instead.
        found = [m.span() for m in _key_pattern(keys).finditer(low)]
        if norm.isascii():
            return found
        spans.update(found)
    else:
        for key in keys:
            pos = low.find(key)
            while pos >= 0:
                if pos == 0 or not low[pos - 1].isalnum():
                    starts.add(pos)
                pos = low.find(key, pos + 1)
    if info is not None and info[:1] == "n":
        starts.update(start for start, folded in _parse_info(info) if folded.startswith(keys))
    elif not norm.isascii():
        # Words with a letter beyond ASCII may fold to a searched word (`Zürich`).
        starts.update(start for start, folded in _non_ascii_words(norm)
                      if folded.startswith(keys))
    for start in starts:
        m = _WORD.match(norm, start)
        if m is not None:
            spans.add(m.span())
    return sorted(spans)


def _word_hits(norm: str, sequences: tuple[_Sequence, ...],
               keys: tuple[str, ...] | None, info: str | None = None,
               forms: dict[str, tuple[str, str]] | None = None,
               known: _HitWords | None = None) -> list[tuple[int, int]]:
    """Hits of the sequences among the candidate words; `forms` keeps each word's
    (stem, folded form) across the texts of a page."""
    from reader import analysis

    if keys is not None and known is not None:
        low = _lower(norm)
        if len(low) == len(norm):
            return _fast_hits(norm, low, known, keys, info)
    cands = _candidates(norm, keys, info)
    if not cands:
        return []
    if all(len(q.words) == 1 and not q.exact_last and q.prefix for q in sequences):
        # Prefixes alone: a word is a hit when its folded form starts with one.
        prefixes = tuple(q.prefix for q in sequences if q.prefix)
        if keys is not None and set(keys) == set(prefixes):
            return cands  # found by the prefixes themselves
        ascii_hits = [(s, e) for s, e in cands if norm[s:e].lower().startswith(prefixes)]
        if norm.isascii():
            return ascii_hits
        rest = [(s, e) for s, e in cands if not norm[s:e].isascii()]
        folded = analysis.each([norm[s:e] for s, e in rest], stem=False)
        return sorted(set(ascii_hits) | {span for span, f in zip(rest, folded, strict=True)
                                         if f.startswith(prefixes)})
    surface = [norm[s:e] for s, e in cands]
    forms = {} if forms is None else forms
    new = [w for w in dict.fromkeys(surface) if w not in forms]
    if new:
        new_stems = analysis.each(new)
        new_folds = analysis.each(new, stem=False) if any(q.prefix for q in sequences) \
            else new_stems
        forms.update(zip(new, zip(new_stems, new_folds, strict=True), strict=True))
    stems = [forms[w][0] for w in surface]
    folds = [forms[w][1] for w in surface]
    by_stem: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        by_stem.setdefault(stem, []).append(i)

    def last_ok(i: int, seq: _Sequence) -> bool:
        if seq.exact_last and stems[i] == seq.words[-1]:
            return True
        return seq.prefix is not None and (folds[i].startswith(seq.prefix)
                                           or stems[i].startswith(seq.prefix))

    def adjacent(i: int) -> bool:
        """Whether candidate i + 1 is the word right after candidate i."""
        return i + 1 < len(cands) and _WORD.search(norm, cands[i][1], cands[i + 1][0]) is None

    spans: list[tuple[int, int]] = []
    for seq in sequences:
        n = len(seq.words)
        if n == 1:
            if seq.prefix is None:
                starts = by_stem.get(seq.words[0], [])
            else:
                starts = [i for i in range(len(cands)) if last_ok(i, seq)]
        else:
            starts = by_stem.get(seq.words[0], [])
        for i in starts:
            j = i
            ok = True
            for k in range(1, n):
                if not adjacent(j):
                    ok = False
                    break
                j += 1
                if k < n - 1 and stems[j] != seq.words[k]:
                    ok = False
                    break
            if ok and (n == 1 or last_ok(j, seq)):
                spans.append((cands[i][0], cands[j][1]))
    return spans


class Marker:
    """Finds a query's hits in texts: what the query needs worked out once, for
    the many texts of a page of results (`find_in_text` for one)."""

    def __init__(self, query: Query | str, *, title: bool = False) -> None:
        self.query = parse(query) if isinstance(query, str) else query
        self.sequences = _sequences(self.query, title)
        self.keys = _candidate_keys(self.sequences) if self.sequences else None
        self.cjk = _cjk_runs(self.query, title)
        self._forms: dict[str, tuple[str, str]] = {}
        self._known = _HitWords(self.sequences)
        from reader.analysis import STOPWORDS

        # A function word is never rare in a text: its patterns at once.
        self._known.common_keys = self.keys is not None and not STOPWORDS.isdisjoint(self.keys)
        self.one_word = False
        """Whether the hits last found are all one word (lower-cased): one exact word
        searched and found by the patterns (`snippet_around` need not compare them)."""

    def find(self, text: str, info: str | None = None) -> list[tuple[int, int]]:
        """Every hit in `text`, as sorted, non-overlapping (start, end) offsets.

        `info`: the text's `text_info`, when known; such a text is plain (no
        Markdown addresses to skip)."""
        if not text or not (self.sequences or self.cjk):
            return []
        if info is not None and info[:1] in ("a", "n"):
            norm, where = text, None
        else:
            info = None
            norm, where = _normalized_with_map(text)
        spans: list[tuple[int, int]] = []
        self.one_word = self._known.fast = False
        if self.sequences:
            spans.extend(_word_hits(norm, self.sequences, self.keys, info, self._forms,
                                    self._known))
        for run in self.cjk:
            start = norm.find(run)
            while start >= 0:
                spans.append((start, start + len(run)))
                start = norm.find(run, start + len(run))
        if where is not None:
            spans = [(where[s], where[e - 1] + 1) for s, e in spans]
        if not self.cjk and len(self.sequences) == 1 and len(self.sequences[0].words) == 1:
            simple = True  # one word's hits: words, in order, apart
            self.one_word = (where is None and self._known.fast
                             and self.sequences[0].prefix is None and len(self._known.single) == 1)
        else:
            simple = False
        if spans and info is None:
            from reader.plaintext import url_spans

            urls = url_spans(text)
            if urls:
                spans = [s for s in spans if not _inside(s, urls)]
        return spans if simple else _merge(spans)


def find_in_text(query: Query | str, text: str, *, title: bool = False) -> list[tuple[int, int]]:
    """Every hit of `query` in `text`, as sorted, non-overlapping (start, end) offsets.

    The same words, stems, phrases and prefixes the search matches, folded the
    same way (`reader.analysis`). `title=True` counts `title:` terms too (for
    marking a title). Excluded words and filters mark nothing, nor do words in
    link and image addresses of a Markdown text.
    """
    return Marker(query, title=title).find(text)


def _inside(span: tuple[int, int], areas: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(areas, (span[0], 1 << 62)) - 1
    return i >= 0 and areas[i][0] <= span[0] < areas[i][1]
