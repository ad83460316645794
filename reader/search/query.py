"""The query language: what a person types, parsed.

    climate "sea level" adapt* -opinion (words, phrase, prefix, exclusion)
    wechat OR weixin                    (either; OR binds tighter than the implicit AND)
    tag:china source:guardian title:war before:2019 after:2018-06 is:unread
    is:starred has:highlights has:notes  (filters; `-` negates a filter too)

Any text is a valid query: `parse` never raises, and a filter with an empty or
unknown value reads as plain words. Text is normalised as the index normalises
it: NFKC, zero-width characters removed; the rest of the analysis (case,
diacritics, stems) is `reader.analysis`, shared by the index and the marks.
The parsed query is run by the search index (`reader.index.plan`); the FTS5
expression it can also give (`Query.match_expression`) serves the library's
older migrations.

Chinese and Japanese text has no spaces: CJK runs are indexed, and searched,
as overlapping two-character words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The FTS5 tokenizer of the library's index (migration 2) and of the scratch table."""

FTS_COLUMNS = ("title", "body", "tags_text", "notes_text", "title_extra", "body_extra")
WEIGHTS = (8.0, 1.0, 2.0, 1.0, 8.0, 1.0)
"""bm25 weights per FTS column: the title counts well above body, tags and notes."""

OPEN, CLOSE = "\x02", "\x03"
"""Markers asked of FTS5 highlight/snippet; import strips C0 controls from archive text."""

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")
# Han (with extensions and compatibility ideographs), kana, Hangul, CJK symbols excluded.
_CJK_CLASS = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f"
)
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
# A token as unicode61 sees one: letters and digits (combining marks kept with them).
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_FILTERS = ("tag", "source", "title", "before", "after", "is", "has")
_IS = {"unread", "read", "starred", "unstarred"}
_HAS = {"highlights", "highlight", "notes", "note", "annotations"}
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def normalize(text: str) -> str:
    """NFKC, zero-width characters removed; case kept (the tokenizer folds it)."""
    if text.isascii():
        return text
    if unicodedata.is_normalized("NFKC", text):
        return _ZERO_WIDTH_RE.sub("", text) if _ZERO_WIDTH_RE.search(text) else text
    return _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """`normalize`, then case and diacritics folded: for comparisons outside FTS5."""
    text = normalize(text).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_SECOND_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _prefix(text: str) -> str:
    """An FTS5 prefix query for `text` that the index can answer from its prefix index.

    The index keeps two-character prefixes only (`prefix='2'`): one-character
    ones made imports half as slow again. A one-letter prefix is therefore the
    letter itself or any of its two-letter prefixes.
    """
    if len(text) == 1 and text.isascii() and text.isalnum():
        alternatives = [_quote(text)] + [_quote(text + c) + "*" for c in _SECOND_CHARS]
        return "(" + " OR ".join(alternatives) + ")"
    return _quote(text) + "*"


def _segments(text: str) -> list[tuple[bool, str]]:
    """A normalised string split into (is_cjk, tokens joined by spaces) runs, in order."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _CJK_RUN.finditer(text):
        latin = " ".join(_TOKEN.findall(text[pos:m.start()]))
        if latin:
            out.append((False, latin))
        out.append((True, m.group()))
        pos = m.end()
    latin = " ".join(_TOKEN.findall(text[pos:]))
    if latin:
        out.append((False, latin))
    return out


def cjk_bigrams(run: str) -> list[str]:
    """Index tokens for one CJK run: overlapping bigrams, then its last character."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


@functools.cache
def _needs_extra() -> re.Pattern[str]:
    """One character class for what makes `index_extra` non-empty: CJK, zero-width
    characters, and letters whose case folding differs from their lower case."""
    folding = "".join(
        re.escape(ch) for ch in map(chr, range(0x80, 0x10000))
        if not 0xD800 <= ord(ch) <= 0xDFFF and ch.lower() != ch.casefold()
    )
    return re.compile(f"[{_CJK_CLASS}{_ZERO_WIDTH}{folding}]")


def has_extra_forms(text: str) -> bool:
    """Whether the index holds forms of `text` beyond its own tokens (CJK bigrams,
    NFKC or case-folded forms), so that FTS5's own highlighting may miss hits."""
    return not text.isascii() and (
        _needs_extra().search(text) is not None or not unicodedata.is_normalized("NFKC", text)
    )


def index_extra(text: str) -> str:
    """The extra FTS column for a title or body: CJK bigrams and normalised word forms.

    Runs for every imported article, so the common cases return at C speed:
    ASCII text, and text that NFKC leaves alone with no CJK and no letter
    whose case folding differs from its lower case (`ß`, `ﬁ`, final sigma).
    """
    if not has_extra_forms(text):
        return ""
    norm = normalize(text)
    extra: list[str] = []
    latin: list[str] = []
    for is_cjk, part in _segments(norm):
        if is_cjk:
            extra.extend(cjk_bigrams(part))
        else:
            latin.append(part)
    # Lower, not casefold: the tokenizer folds case one character to one, so
    # `ß` stays `ß` in the index; its casefold `ss` is a form to add. Only forms
    # the original text does not already have are added (set arithmetic, no loop).
    joined = " ".join(latin)
    seen = set(_TOKEN.findall(text.lower()))
    forms = set(joined.lower().split()) | set(joined.casefold().split())
    extra.extend(sorted(forms - seen - {""}))
    return " ".join(extra)


def _is_ascii_sql(text: str | None) -> int:
    return 1 if text is None or text.isascii() else 0


def register(conn: sqlite3.Connection) -> None:
    """SQL functions the search migration uses to fill the extra columns."""
    conn.create_function("reader_index_extra", 1, lambda t: index_extra(t or ""),
                         deterministic=True)
    conn.create_function("reader_is_ascii", 1, _is_ascii_sql, deterministic=True)


# -- the parsed query ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """Words to find: one word, a phrase, or a prefix; possibly only in the title."""

    text: str
    """Normalised, lower-case text as typed (without quotes or `*`)."""
    kind: str = "word"
    """`word`, `phrase`, `prefix`, or `partial` (the word being typed: word or prefix)."""
    title_only: bool = False

    def segments(self) -> list[tuple[bool, str]]:
        return _segments(self.text)

    def fts(self, *, cjk: bool = True, relaxed: bool = False) -> str:
        """This term as an FTS5 expression ('' when it has nothing to search for).

        `cjk=False` leaves out CJK runs (for a table without the extra columns);
        `relaxed` asks for a phrase's words anywhere (for ranking: see
        `Query.rank_expression`).
        """
        parts: list[str] = []
        segments = self.segments()
        for i, (is_cjk, text) in enumerate(segments):
            last = i == len(segments) - 1
            if is_cjk:
                if not cjk:
                    continue
                if len(text) == 1:
                    expr = _quote(text) + "*"
                else:
                    expr = _quote(" ".join(cjk_bigrams(text)[:-1]))
                cols = "title_extra" if self.title_only else "{title_extra body_extra}"
                parts.append(f"{cols} : {expr}")
                continue
            quoted = _quote(text)
            if relaxed and self.kind == "phrase" and " " in text:
                quoted = "(" + " AND ".join(_quote(w) for w in text.split()) + ")"
            if last and self.kind == "prefix":
                expr = _prefix(text)
            elif last and self.kind == "partial":
                expr = f"({quoted} OR {_prefix(text)})"
            else:
                expr = quoted
            if self.title_only:
                expr = "{title title_extra} : " + expr
            parts.append(expr)
        if len(parts) > 1:
            return "(" + " AND ".join(parts) + ")"
        return parts[0] if parts else ""


@dataclass(frozen=True, slots=True)
class Filter:
    """A condition on the article rather than its words."""

    name: str
    """`tag`, `source`, `before`, `after`, `is` or `has`."""
    value: str

    def sql(self) -> tuple[str, list[object]]:
        """A condition on `articles a`, with its parameters."""
        if self.name == "tag":
            if self.value.endswith("*"):
                return (
                    "+a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
                    " ON t.id = at.tag_id WHERE t.name LIKE ? ESCAPE '\\')",
                    [_like(self.value[:-1]) + "%"],
                )
            return (
                "+a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
                " ON t.id = at.tag_id WHERE t.name = ?)",
                [self.value],
            )
        if self.name == "source":
            return "a.source LIKE ? ESCAPE '\\'", ["%" + _like(self.value) + "%"]
        if self.name == "before":
            return "a.date < ?", [self.value]
        if self.name == "after":
            return "a.date >= ?", [self.value]
        if self.name == "is":
            return {
                "unread": ("a.read = 0", []),
                "read": ("a.read = 1", []),
                "starred": ("a.starred = 1", []),
                "unstarred": ("a.starred = 0", []),
            }[self.value]
        if self.value == "notes":
            return ("EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id"
                    " AND n.note != '')", [])
        return "EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)", []


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


Atom = Term | Filter


@dataclass(frozen=True, slots=True)
class Clause:
    """One AND-ed part of a query: an atom, or atoms joined by OR; maybe excluded."""

    atoms: tuple[Atom, ...]
    negated: bool = False

    @property
    def textual(self) -> bool:
        return all(isinstance(a, Term) for a in self.atoms)

    def fts(self, *, relaxed: bool = False) -> str:
        exprs = [e for e in (a.fts(relaxed=relaxed) for a in self.atoms if isinstance(a, Term))
                 if e]
        if len(exprs) > 1:
            return "(" + " OR ".join(exprs) + ")"
        return exprs[0] if exprs else ""


@dataclass(frozen=True, slots=True)
class SqlPlan:
    """A query as the store runs it: an FTS5 MATCH (or none) and conditions on `a`."""

    match: str | None
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. Empty when nothing in it can select anything."""

    text: str
    clauses: tuple[Clause, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def terms(self) -> list[Term]:
        """The terms that mark hits (everything searched for, nothing excluded)."""
        return [a for c in self.clauses if not c.negated for a in c.atoms
                if isinstance(a, Term)]

    @property
    def broad(self) -> bool:
        """Whether every word searched for is a prefix of one or two characters.

        Such a query matches most of the library; relevance means little there
        and bm25 would have to count every matching term: it lists newest first.
        """
        terms = self.terms
        return bool(terms) and all(
            t.kind in ("prefix", "partial") and len(t.text) <= 2 and " " not in t.text
            for t in terms
        )

    @property
    def ranked(self) -> bool:
        """Whether results are ranked by relevance (the query has words to find)."""
        return self.match_expression() is not None

    def match_expression(self) -> str | None:
        """The FTS5 expression of the positive, purely textual clauses (None if none)."""
        positive = [c.fts() for c in self.clauses if c.textual and not c.negated]
        positive = [p for p in positive if p]
        if not positive:
            return None
        expr = " AND ".join(positive)
        negative = [c.fts() for c in self.clauses if c.textual and c.negated]
        negative = [n for n in negative if n]
        if negative:
            expr = f"({expr}) NOT ({' OR '.join(negative)})"
        return expr

    def rank_expression(self, *, relaxed: bool = True) -> str | None:
        """What bm25 scores, for results already known to match `match_expression`.

        Exclusions are left out and, `relaxed`, phrases become their words: bm25 counts, over
        the whole library, the articles holding each phrase of its expression —
        for a phrase of common words that means checking positions in most
        articles (`"of the"`: 120 ms at 100k), for the words alone a walk of
        their lists (20 ms).
        """
        positive = [c.fts(relaxed=relaxed) for c in self.clauses if c.textual and not c.negated]
        positive = [p for p in positive if p]
        return " AND ".join(positive) if positive else None

    def plan(self, fts_table: str = "articles_fts") -> SqlPlan:
        """The MATCH expression and the SQL conditions on `articles a`."""
        match = self.match_expression()
        where: list[str] = []
        params: list[object] = []
        subquery = f"a.id IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)"
        for clause in self.clauses:
            if clause.textual:
                if clause.negated and match is None:
                    expr = clause.fts()
                    if expr:
                        where.append("NOT " + subquery)
                        params.append(expr)
                continue
            parts: list[str] = []
            for atom in clause.atoms:
                if isinstance(atom, Filter):
                    sql, atom_params = atom.sql()
                    parts.append(sql)
                    params.extend(atom_params)
                elif expr := atom.fts():
                    parts.append(subquery)
                    params.append(expr)
            joined = parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
            where.append(f"NOT {joined}" if clause.negated else joined)
        return SqlPlan(match, where, params)

    def mark_expression(self, *, title: bool = False) -> str | None:
        """An FTS5 expression over one column matching any searched-for word (for marks)."""
        exprs: list[str] = []
        for term in self.terms:
            if term.title_only and not title:
                continue
            for is_cjk, text in term.segments():
                if not is_cjk:
                    exprs.append(Term(text, term.kind).fts(cjk=False))
        exprs = [e for e in exprs if e]
        return " OR ".join(exprs) if exprs else None

    def cjk_runs(self, *, title: bool = False) -> list[str]:
        """CJK runs searched for, found in a text by plain substring search."""
        from reader.search.marks import _cjk_runs

        return list(_cjk_runs(self, title))


# -- parsing ------------------------------------------------------------------

_LEX = re.compile(r'\s+|(-?)(?:([A-Za-z]+):)?("[^"]*"?|\S*)')


def parse(text: str, *, live: bool = False) -> Query:
    """A query from anything a person can type. Never raises.

    `live`: the query is being typed, so a last word not yet followed by a
    space also matches as a prefix (`clim` finds climate).
    """
    norm = normalize(text or "").replace("\x00", " ")
    items: list[tuple[bool, Atom | None, bool]] = []  # (negated, atom, is OR operator)
    pos = 0
    while pos < len(norm):
        m = _LEX.match(norm, pos)
        if m is None:  # pragma: no cover - the pattern matches any character
            break
        pos = m.end()
        if m.group(3) is None:
            continue
        negated, name, value = bool(m.group(1)), m.group(2), m.group(3)
        at_end = pos == len(norm)
        if value in ("OR", "|") and not name and not negated:
            items.append((False, None, True))
            continue
        atom = _atom(name, value, live=live and at_end and not negated)
        if atom is None:
            continue
        items.append((negated, atom, False))
    clauses = tuple(_group(items))
    if live and len(clauses) > 1 and _one_letter_partial(clauses[-1]) and any(
            c.textual and not c.negated for c in clauses[:-1]):
        # `government p`: a word just begun, one letter long, would match nearly
        # everything and mark every word it starts; it waits for its second letter.
        clauses = clauses[:-1]
    return Query(text, clauses)


def _one_letter_partial(clause: Clause) -> bool:
    if clause.negated or len(clause.atoms) != 1:
        return False
    atom = clause.atoms[0]
    return isinstance(atom, Term) and atom.kind == "partial" and len(atom.text) == 1


def _atom(name: str | None, value: str, *, live: bool) -> Atom | None:
    key = name.casefold() if name else None
    if not value:
        # `title:` or `tag:` as it is being typed selects nothing yet; `c:` is a word.
        return None if key in _FILTERS else _term(name or "", None, live=live)
    quoted = value.startswith('"')
    raw = value.strip('"') if quoted else value
    if key in _FILTERS and key != "title":
        if not raw.strip():
            return None  # `tag:` while it is being typed
        return _filter(key, raw.strip()) or _term(f"{name} {raw}", "phrase", live=False)
    if key == "title":
        if not raw:
            return None
        return _term(raw, "phrase" if quoted else None, live=live and not quoted,
                     title_only=True)
    if name:  # an unknown `name:` is part of the words (`c:`, `http://…`)
        raw = f"{name}:{raw}"
    return _term(raw, "phrase" if quoted else None, live=live and not quoted)


def _term(raw: str, kind: str | None, *, live: bool, title_only: bool = False) -> Term | None:
    text = raw.lower()
    if kind is None:
        if text.endswith("*"):
            kind = "prefix"
            text = text.rstrip("*")
        elif live:
            kind = "partial"
        else:
            kind = "word"
    term = Term(text, kind, title_only)
    return term if term.segments() else None


def _filter(key: str, value: str) -> Filter | None:
    folded = value.casefold()
    if key in ("tag", "source"):
        value = "".join(c for c in value if c.isprintable())
        return Filter(key, value) if value.strip("*") else None
    if key in ("before", "after"):
        start = _date_start(value)
        return Filter(key, start) if start else None
    if key == "is" and folded in _IS:
        return Filter("is", folded)
    if key == "has" and folded in _HAS:
        return Filter("has", "notes" if folded.startswith("note") else "highlights")
    return None


def _date_start(value: str) -> str | None:
    """The first day a `2019`, `2019-02` or `2019-02-12` date covers (`YYYY-MM-DD`)."""
    m = _DATE.fullmatch(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _group(items: list[tuple[bool, Atom | None, bool]]) -> Iterable[Clause]:
    """Join `a OR b` into one clause; a stray OR (first, last, doubled) is ignored."""
    clauses: list[Clause] = []
    join_next = False
    for negated, atom, is_or in items:
        if is_or:
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        assert atom is not None
        if join_next and not negated:
            last = clauses.pop()
            clauses.append(Clause((*last.atoms, atom)))
        else:
            clauses.append(Clause((atom,), negated))
        join_next = False
    return clauses


