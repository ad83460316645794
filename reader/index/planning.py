"""A parsed query as tantivy queries (`plan`), run a page at a time (`ranked`)."""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import tantivy

from reader import search
from reader.analysis import STOPWORDS, analyze, fold_words
from reader.index.schema import (
    _META_ID,
    MUST,
    MUST_NOT,
    SCHEMA,
    SHOULD,
    Q,
    Row,
    date_number,
    is_paired,
    pair_word,
)
from reader.plaintext import plain_text

PAGE = 50
"""A query whose words all match fewer articles than this is relaxed (see `plan`)."""
TITLE_BOOST = 0.0
"""The title's own BM25 on top of the whole text's (0: none; see `schema.TITLE_REPEAT`)."""
MAX_CLAUSES = 64
"""Words beyond this many in one query are ignored (a pasted page still searches)."""
RELAX_SHARE = 0.1
"""Share of a long query's words an article must hold (stopwords aside)."""
LONG_QUERY = 5
"""From this many words (stopwords aside), a sentence or a question: articles holding a
share of its words (`RELAX_SHARE`) are ranked together, not those holding all first."""
EXPANSIONS = 16
"""A prefix's commonest words scored by BM25 (see `_prefix_query`)."""
MAX_PREFIX = 24
"""A longer prefix is searched as a whole word (its automaton would be too large)."""
COMMON_PHRASE_DOCS = 1_000
COMMON_PHRASE_SHARE = 0.75
"""A phrase whose every word is in more articles than these is checked in the best
matches of its words only (see `Plan.loose`)."""
CHECKED = 200
"""Best matches of a common phrase's words checked for the phrase at first (×4 while a
page needs more)."""
CHECK_SHARE = 0.25
"""Below this share of them holding the phrase, it is searched for in all articles."""
TIE_LIMIT = 20_000
"""At most this many results are fetched to order one score's ties by date."""

def _boolean(clauses: Iterable[tuple[Any, Any]], minimum: int | None = None) -> Any:
    items = list(clauses)
    if minimum is not None and minimum > 1:
        return Q.boolean_query(items, minimum)
    return Q.boolean_query(items)


def _words_query(field: str, words: list[str], loose: bool = False,
                 searcher: Any = None) -> Any:
    """Words one after another (a phrase), or anywhere in the text (`loose`).

    Two words of which one is a function word (`"the people"`) are one word of the
    `pairs` field (`schema.word_pairs`); a longer phrase holding such pairs reads
    its words' positions only in the articles holding them all."""
    if len(words) == 1:
        return Q.term_query(SCHEMA, field, words[0])
    if loose:
        return _boolean((MUST, Q.term_query(SCHEMA, field, w)) for w in words)
    if field == "all" and is_paired(words):
        return _pair_query(searcher, words[0], words[1])
    phrase: list[str | tuple[int, str]] = list(words)
    query = Q.phrase_query(SCHEMA, field, phrase)
    pairs = [pair_word(a, b) for a, b in pairwise(words)
             if is_paired((a, b))] if field == "all" else []
    if not pairs:
        return query
    return _boolean([(MUST, query), *((MUST, Q.const_score_query(
        Q.term_query(SCHEMA, "pairs", w), 0.0)) for w in dict.fromkeys(pairs))])


def _idf(doc_freq: int, docs: int) -> float:
    """BM25's inverse document frequency, as tantivy computes it."""
    return math.log(1.0 + (docs - doc_freq + 0.5) / (doc_freq + 0.5))


def _pair_query(searcher: Any, first: str, second: str) -> Any:
    """A phrase of two words as the `pairs` field's word, its BM25 scaled to the
    phrase's (whose weight is the sum of its words' inverse frequencies): the same
    articles, in the order of the pair's frequency in each (the phrase's), its
    length counted in such pairs rather than in words."""
    word = pair_word(first, second)
    query = Q.term_query(SCHEMA, "pairs", word)
    if searcher is None:
        return query
    docs = max(1, int(searcher.num_docs))
    found = searcher.doc_freq("pairs", word)
    if not found:
        return query
    weight = _idf(searcher.doc_freq("all", first), docs) + _idf(
        searcher.doc_freq("all", second), docs)
    return Q.boost_query(query, weight / _idf(found, docs))


def _escape(text: str) -> str:
    return re.sub(r"([\\.+*?()|\[\]{}^$#&\-~])", r"\\\1", text)


def _prefix_query(searcher: Any, field: str, prefix: str) -> Any:
    """Words starting with `prefix`: every one matches; the commonest are also
    scored by BM25 (a match by a rare one alone scores a constant 1)."""
    if field == "all" and len(prefix) <= 2:
        # One- and two-letter prefixes: the words' first letters (`schema.word_starts`),
        # one term (no pattern walked over the field's words), not the thousands of
        # words they start. A constant score as the words' own pattern gives.
        starts = Q.term_query(SCHEMA, f"starts{len(prefix)}", prefix)
        return Q.const_score_query(starts, 1.0)
    every = Q.regex_query(SCHEMA, field, _escape(prefix) + ".*")
    if searcher is None or len(prefix) < 3:
        return every
    common = [t for t, _ in searcher.terms_with_prefix(field, prefix, limit=EXPANSIONS)]
    if not common:
        return every
    return _boolean([(SHOULD, every), *((SHOULD, Q.term_query(SCHEMA, field, t))
                                         for t in common)])


def term_query(term: search.Term, searcher: Any = None, loose: bool = False) -> Any | None:
    """A tantivy query for one term of the query language (None: nothing to find)."""
    parts: list[Any] = []
    segments = term.segments()
    for i, (is_cjk, text) in enumerate(segments):
        last = i == len(segments) - 1
        if is_cjk:
            field = "title_cjk" if term.title_only else "cjk"
            if len(text) == 1:
                parts.append(Q.regex_query(SCHEMA, field, _escape(text) + ".*"))
            else:
                parts.append(_words_query(field, search.cjk_bigrams(text)[:-1]))
            continue
        words = analyze(text)
        if not words:
            continue
        prefix = None
        if last and term.kind in ("prefix", "partial"):
            folded = fold_words(text)
            if folded and len(folded[-1]) <= MAX_PREFIX:
                prefix = folded[-1]
        field = "title" if term.title_only else "all"
        options: list[Any] = []
        if not (last and term.kind == "prefix") or prefix is None:
            options.append(_words_query(field, words, loose, searcher))
        if prefix is not None:
            if len(words) == 1:
                options.append(_prefix_query(searcher, field, prefix))
            else:
                start: list[str | tuple[int, str]] = [*words[:-1], prefix]
                options.append(Q.phrase_prefix_query(SCHEMA, field, start))
        match = options[0] if len(options) == 1 else _boolean((SHOULD, o) for o in options)
        if TITLE_BOOST and not term.title_only and not (
                last and term.kind == "prefix" and prefix is not None):
            # The title's own BM25 adds to the whole text's (which holds the title too).
            bonus = Q.boost_query(_words_query("title", words), TITLE_BOOST)
            match = _boolean([(MUST, match), (SHOULD, bonus)])
        parts.append(match)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _boolean((MUST, p) for p in parts)


def filter_query(f: search.Filter, conn: sqlite3.Connection) -> Any:
    """A tantivy query for one filter (never None: a filter matching nothing is empty)."""
    if f.name == "tag":
        if f.value.endswith("*"):
            return Q.regex_query(SCHEMA, "tag", _escape(f.value[:-1].casefold()) + ".*")
        return Q.term_query(SCHEMA, "tag", f.value.casefold())
    if f.name == "source":
        # Part of the source's name, any case: a walk of the few distinct sources.
        return Q.regex_query(SCHEMA, "source", ".*" + _escape(f.value.casefold()) + ".*")
    if f.name in ("before", "after"):
        number = date_number(f.value)
        if f.name == "before":
            return Q.range_query(SCHEMA, "date", tantivy.FieldType.Integer, 0, number,
                                 include_upper=False)
        return Q.range_query(SCHEMA, "date", tantivy.FieldType.Integer, number, None)
    if f.name == "is":
        field, value = {"unread": ("read", 0), "read": ("read", 1),
                        "starred": ("starred", 1), "unstarred": ("starred", 0)}[f.value]
        return Q.term_query(SCHEMA, field, value)
    return Q.term_query(SCHEMA, "noted" if f.value == "notes" else "annotated", 1)


def view_queries(view: str, tag: str | None) -> list[Any]:
    """The article list's view and tag as filters."""
    out = []
    if view == "unread":
        out.append(Q.term_query(SCHEMA, "read", 0))
    elif view == "starred":
        out.append(Q.term_query(SCHEMA, "starred", 1))
    elif view == "annotated":
        out.append(Q.term_query(SCHEMA, "annotated", 1))
    if tag is not None:
        out.append(Q.term_query(SCHEMA, "tag", tag.casefold()))
    return out


def _atom_query(atom: search.Atom, conn: sqlite3.Connection, searcher: Any,
                loose: bool = False) -> Any | None:
    if isinstance(atom, search.Filter):
        return filter_query(atom, conn)
    return term_query(atom, searcher, loose)


def _clause_query(clause: search.Clause, conn: sqlite3.Connection,
                  searcher: Any, loose: bool = False) -> Any | None:
    parts = [q for q in (_atom_query(a, conn, searcher, loose) for a in clause.atoms)
             if q is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _boolean((SHOULD, p) for p in parts)


def _weighted(query: Any, times: int) -> Any:
    return Q.boost_query(query, float(times)) if times > 1 else query


def _is_stopword(clause: search.Clause) -> bool:
    return (len(clause.atoms) == 1 and isinstance(clause.atoms[0], search.Term)
            and clause.atoms[0].kind == "word" and clause.atoms[0].text in STOPWORDS)


def _loose_words(clause: search.Clause) -> list[str]:
    """The index words of a clause that is one plain word analysed into several."""
    if len(clause.atoms) != 1 or clause.negated:
        return []
    term = clause.atoms[0]
    if not isinstance(term, search.Term) or term.kind != "word" or term.title_only:
        return []
    segments = term.segments()
    if len(segments) != 1 or segments[0][0]:
        return []
    words = analyze(segments[0][1])
    return words if len(words) > 1 else []


def _word_query(word: str) -> Any:
    """One index word in the whole text (the title's BM25 added, if boosted)."""
    if not TITLE_BOOST:
        return Q.term_query(SCHEMA, "all", word)
    return _boolean([(MUST, Q.term_query(SCHEMA, "all", word)),
                     (SHOULD, Q.boost_query(Q.term_query(SCHEMA, "title", word), TITLE_BOOST))])


@dataclass
class Plan:
    """A parsed query as tantivy queries, with the filters and exclusions: `tiers`,
    each finding what the one before it finds and more (see `ranked`); `ranked`
    when the query has words to find (else newest first)."""

    tiers: list[Any]
    ranked: bool
    loose: list[Any] | None = None
    """The tiers with their phrases' words anywhere, when a phrase is of common words:
    ranked first, the phrase checked in their best matches only (see `_best`)."""


def _common_phrase(q: search.Query, searcher: Any) -> bool:
    """Whether a phrase searched for is of words found in many articles: checking
    its words' positions in all of them would cost more than a search may."""
    if searcher is None:
        return False
    total = max(1, int(searcher.num_docs))
    for clause in q.clauses:
        if clause.negated:
            continue
        for atom in clause.atoms:
            if not isinstance(atom, search.Term) or atom.kind != "phrase" or atom.title_only:
                continue
            for is_cjk, text in atom.segments():
                words = [] if is_cjk else analyze(text)
                if len(words) > 1 and not is_paired(words) and min(
                        searcher.doc_freq("all", w) for w in words) > max(
                        COMMON_PHRASE_DOCS, COMMON_PHRASE_SHARE * total):
                    return True
    return False


def plan(q: search.Query, conn: sqlite3.Connection, view: str = "all",
         tag: str | None = None, searcher: Any = None) -> Plan | None:
    """How to run a query; None when it can find nothing. One- and two-letter
    prefixes alone (`t*`, or `t` typed) match most of the library: relevance
    means little there, they list newest first."""
    exact = _plan(q, conn, view, tag, searcher, anywhere=False)
    if exact is not None and exact.ranked and _common_phrase(q, searcher):
        loose = _plan(q, conn, view, tag, searcher, anywhere=True)
        if loose is not None and len(loose.tiers) == len(exact.tiers):
            exact.loose = loose.tiers
    return exact


def _plan(q: search.Query, conn: sqlite3.Connection, view: str, tag: str | None,
          searcher: Any, *, anywhere: bool) -> Plan | None:
    filters: list[Any] = view_queries(view, tag)
    negative: list[Any] = []
    words: list[tuple[search.Clause, Any]] = []
    # A word written more than once weighs as many times (BM25's query term
    # frequency): a question that names its subject twice is mostly about it.
    written = Counter(q.clauses)
    for clause in written:
        if clause.textual and not clause.negated and len(words) >= MAX_CLAUSES:
            continue
        query = _clause_query(clause, conn, searcher, anywhere and not clause.negated)
        if query is None:
            continue
        if clause.negated:
            negative.append(query)
        elif clause.textual:
            if len(words) < MAX_CLAUSES:
                words.append((clause, _weighted(query, written[clause])))
        else:
            filters.append(query)
    base = [(MUST, f) for f in filters] + [(MUST_NOT, n) for n in negative]
    if not words:
        if not filters and not negative:
            return None
        # Everything (but the index's own document), narrowed.
        return Plan([_boolean([(MUST, Q.all_query()), *base,
                               (MUST_NOT, Q.term_query(SCHEMA, "id", _META_ID))])], False)
    strict = _boolean([*((MUST, w) for _, w in words), *base])
    if q.broad:
        return Plan([strict], False)
    # Relaxed, a word written with a hyphen or an apostrophe (`covid-19`, `don't`)
    # counts as its words, each optional like the others.
    loose: list[tuple[bool, Any]] = []  # (is a stopword, query)
    for clause, query in words:
        parts = _loose_words(clause)
        if parts:
            loose.extend((w in STOPWORDS, _weighted(_word_query(w), written[clause]))
                         for w in parts)
        else:
            loose.append((_is_stopword(clause), query))
    content = [w for is_stop, w in loose if not is_stop]
    stop = [w for is_stop, w in loose if is_stop]
    if not content:
        content, stop = stop, []
    if len(loose) == 1:
        return Plan([strict], True)

    def relaxed(minimum: int) -> Any:
        # Function words add nothing here (rare in no article, they barely score):
        # left out, the words alone are a plain disjunction of terms, which tantivy
        # answers by block-max WAND, visiting only what can reach the top.
        inner = content[0] if len(content) == 1 else _boolean(
            ((SHOULD, w) for w in content), minimum)
        return _boolean([(MUST, inner), *base]) if base else inner

    if len(content) < LONG_QUERY:
        return Plan([strict, relaxed(1)], True)
    minimum = max(1, math.ceil(RELAX_SHARE * len(content)))
    return Plan([relaxed(minimum), relaxed(1)] if minimum > 1 else [relaxed(1)], True)


# -- related ------------------------------------------------------------------


def related_query(searcher: Any, row: Row, terms: int = 25) -> Any | None:
    """More like this: the article's most telling words (tf-idf), any of them."""
    words = analyze(row.title) * 3 + analyze(plain_text(row.body))
    if not words:
        return None
    counts: dict[str, int] = {}
    for w in words:
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
            counts[w] = counts.get(w, 0) + 1
    total = max(1, int(searcher.num_docs))
    weighted = []
    for word, tf in counts.items():
        df = searcher.doc_freq("all", word)
        if df <= 1 or df > total * 0.5:
            continue
        weighted.append((tf * math.log(total / df), word))
    weighted.sort(reverse=True)
    chosen = weighted[:terms]
    if not chosen:
        return None
    top = chosen[0][0]
    return _boolean([
        *((SHOULD, Q.boost_query(Q.term_query(SCHEMA, "all", w), max(0.1, s / top)))
          for s, w in chosen),
        (MUST_NOT, Q.term_query(SCHEMA, "id", row.id)),
        (MUST_NOT, Q.term_query(SCHEMA, "id", _META_ID)),
    ])


# -- running a plan -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    """One result: the article, its score (0 when unranked) and where tantivy keeps it."""

    id: int
    score: float
    address: Any


def _top(searcher: Any, query: Any, limit: int) -> list[Found]:
    """The best `limit` matches by score, equal scores newest first (as the list).

    Exactly that order whatever `limit`, so that pages are slices of one order:
    when articles of the same score straddle the cut, all of them are fetched
    and ordered by date.
    """
    if limit <= 0:
        return []
    want = limit + 20
    while True:
        hits = searcher.search(query, want, count=False).hits
        if len(hits) < want or len(hits) <= limit or hits[-1][0] < hits[limit - 1][0] \
                or want >= TIE_LIMIT:
            break
        want *= 4
    if not hits:
        return []
    addresses = [a for _, a in hits]
    ids = searcher.fast_field_values("id", addresses)
    order = searcher.fast_field_values("order", addresses)
    found = sorted(zip(hits, ids, order, strict=True), key=lambda h: (-h[0][0], -(h[2] or 0)))
    return [Found(int(i), float(score), a) for (score, a), i, _ in found][:limit]


def _newest(searcher: Any, query: Any, limit: int, offset: int) -> list[Found]:
    if limit <= 0:
        return []
    hits = searcher.search(query, limit, count=False, order_by_field="order",
                           offset=offset).hits
    ids = searcher.fast_field_values("id", [a for _, a in hits])
    return [Found(int(i), 0.0, a) for (_, a), i in zip(hits, ids, strict=True)]


def _holding(searcher: Any, exact: Any, found: list[Found]) -> set[int]:
    """Which of these articles the exact query matches (positions read for them only)."""
    if not found:
        return set()
    among = Q.const_score_query(Q.term_set_query(SCHEMA, "id", [f.id for f in found]), 0.0)
    hits = searcher.search(_boolean([(MUST, exact), (MUST, among)]), len(found),
                           count=False).hits
    return {int(i) for i in searcher.fast_field_values("id", [a for _, a in hits])}


def _best(searcher: Any, p: Plan, tier: int, limit: int) -> list[Found]:
    """The best `limit` matches of one tier. With a common phrase (`Plan.loose`), the
    articles holding its words are ranked (block-max WAND) and, in that order, those
    holding the phrase kept: its positions are read for as many as a page needs, not
    for every article holding the words. One order whatever `limit` (pages are its
    slices): when few of the words' first `CHECKED` best hold the phrase
    (`CHECK_SHARE`), the phrase is searched for in all, by its own score."""
    exact = p.tiers[tier]
    if p.loose is None:
        return _top(searcher, exact, limit)
    want = CHECKED
    candidates = _top(searcher, p.loose[tier], want)
    held = _holding(searcher, exact, candidates)
    if len(candidates) == want and len(held) < CHECK_SHARE * want:
        return _top(searcher, exact, limit)
    checked = len(candidates)
    while len(held) < limit and len(candidates) == want:
        want *= 4
        candidates = _top(searcher, p.loose[tier], want)
        held |= _holding(searcher, exact, candidates[checked:])
        checked = len(candidates)
    return [c for c in candidates if c.id in held][:limit]


def _tiers(searcher: Any, p: Plan) -> tuple[list[list[Found]], int]:
    """The results of the tiers finding fewer than a page, and the first tier that
    finds a page or more (or the last)."""
    small: list[list[Found]] = []
    for i in range(len(p.tiers) - 1):
        found = _best(searcher, p, i, PAGE)
        if len(found) >= PAGE:
            return small, i
        small.append(found)
    return small, len(p.tiers) - 1


def ranked(searcher: Any, p: Plan, limit: int, offset: int) -> list[Found]:
    """One page of results, best first.

    A few words: those holding every one (AND), by BM25. When they are fewer
    than a page (`PAGE`), those holding any word follow, by BM25 (which counts
    each word found, rarer words more). A long query (`LONG_QUERY` words,
    stopwords aside) finds the articles holding a share of its words
    (`RELAX_SHARE`), or any of them when that is less than a page, by BM25.
    Stopwords add to the score but never make an article a match alone.
    """
    need = limit + offset
    if not p.ranked:
        return _newest(searcher, p.tiers[0], limit, offset)
    small, final = _tiers(searcher, p)
    out: list[Found] = []
    seen: set[int] = set()
    for found in small:
        for f in found:
            if f.id not in seen:
                seen.add(f.id)
                out.append(f)
    if len(out) < need:
        out.extend(f for f in _best(searcher, p, final, need + len(seen)) if f.id not in seen)
    return out[offset:need]


def count(searcher: Any, p: Plan) -> int:
    """How many articles `ranked` pages through in all."""
    if not p.ranked:
        return int(searcher.search(p.tiers[0], 1, count=True).count)
    _, final = _tiers(searcher, p)
    return int(searcher.search(p.tiers[final], 1, count=True).count)
