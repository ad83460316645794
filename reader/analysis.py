"""How text becomes index words: one analysis for the index, the query and the marks.

NFKC and zero-width characters removed (`search.normalize`), split at anything
not a letter or digit, lower-cased, diacritics and ligatures folded to ASCII
(`Zürich` → `zurich`, `Straße` → `strasse`), English Snowball stemming
(`runs` → `run`). Prefixes are folded but not stemmed. CJK runs are indexed
as overlapping two-character words (`search.cjk_bigrams`).
"""

from __future__ import annotations

import re
from typing import Any

import tantivy

from reader import search
from reader.search.query import _CJK_RUN

_STOP_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
"""English function words: they never make a query find nothing alone, nor are they
marked as hits beside other words (`reader.index.plan`, `search.Marker`)."""


def _analyzer(*, stem: bool, longest: int | None = None) -> Any:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    if longest is not None:
        builder = builder.filter(tantivy.Filter.remove_long(longest))
    builder = builder.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


def index_analyzer() -> Any:
    """The analyzer of the index's text fields (words over 80 bytes left out)."""
    return _analyzer(stem=True, longest=80)


def cjk_analyzer() -> Any:
    """The analyzer of the CJK fields: the words as given (bigrams, space-separated)."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(
        tantivy.Filter.lowercase()).build()


# UTF-8 lead bytes of U+3000–U+DFFF, U+F000–U+FFFF and beyond U+FFFF: a quick,
# byte-level "no CJK here" for most texts (a few false alarms are checked exactly).
_MAYBE_CJK = re.compile(rb"[\xe3-\xed\xef-\xf4]")

_STEM = _analyzer(stem=True)
_FOLD = _analyzer(stem=False)


def _clean(text: str) -> str:
    return search.normalize(text).replace("\x00", " ")


def analyze(text: str) -> list[str]:
    """The index's words for `text` (normalised, folded, stemmed)."""
    return list(_STEM.analyze(_clean(text)))


def fold_words(text: str) -> list[str]:
    """`text`'s words folded as the index folds them, not stemmed (for prefixes)."""
    return list(_FOLD.analyze(_clean(text)))


def each(words: list[str], *, stem: bool = True) -> list[str]:
    """One analysed form per word (`words` are single tokens of normalised text)."""
    if not words:
        return []
    analyzer = _STEM if stem else _FOLD
    out = list(analyzer.analyze(" ".join(words)))
    if len(out) == len(words):
        return out
    # A word the tokenizer splits differently (rare scripts): one at a time.
    return [(list(analyzer.analyze(w)) or [""])[0] for w in words]


def cjk_words(text: str) -> str:
    """The CJK two-character words of a text, space-separated ('' for most texts)."""
    if text.isascii() or not _MAYBE_CJK.search(text.encode("utf-8", "surrogatepass")):
        return ""
    runs = _CJK_RUN.findall(search.normalize(text))
    return " ".join(w for run in runs for w in search.cjk_bigrams(run))
