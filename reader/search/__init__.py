"""Search: the query language, the hits of a query in a text, and snippets.

- `reader.search.query`: what a person types, parsed (`parse`, `Query`), and
  text normalised as the index normalises it (`normalize`, `fold`);
- `reader.search.marks`: where a query's hits are in a text (`Marker`,
  `find_in_text`), by the same analysis as the index (`reader.analysis`);
- `reader.search.textinfo`: what the marks need to know of a text beyond ASCII,
  worked out once when it is indexed (`text_info`);
- `reader.search.snippets`: one line of a given width around the best passage
  of hits (`snippet_around`).

The index that runs a parsed query is `reader.index`. Every name used
elsewhere is importable from `reader.search` itself, and loads its module when
first used (PEP 562): opening or creating a library needs `fold` and `register`,
not the marks and snippets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.search.marks import MARKED_TERMS, Marker, find_in_text, marked_spans
    from reader.search.query import (
        CLOSE,
        FTS_COLUMNS,
        OPEN,
        TOKENIZE,
        WEIGHTS,
        Atom,
        Clause,
        Filter,
        Query,
        SqlPlan,
        Term,
        cjk_bigrams,
        fold,
        has_extra_forms,
        index_extra,
        normalize,
        parse,
        register,
    )
    from reader.search.snippets import (
        PASSAGE_HITS,
        SNIPPET_CHARS,
        best_passage,
        one_line,
        snippet_around,
    )
    from reader.search.textinfo import text_info

__all__ = [
    "CLOSE", "FTS_COLUMNS", "MARKED_TERMS", "OPEN", "PASSAGE_HITS", "SNIPPET_CHARS",
    "TOKENIZE", "WEIGHTS", "Atom", "Clause", "Filter", "Marker", "Query",
    "SqlPlan", "Term", "best_passage", "cjk_bigrams", "find_in_text", "fold",
    "has_extra_forms", "index_extra", "marked_spans", "normalize", "one_line", "parse",
    "register", "snippet_around", "text_info",
]

_HOMES = {
    "marks": ("MARKED_TERMS", "Marker", "find_in_text", "marked_spans"),
    "query": ("CLOSE", "FTS_COLUMNS", "OPEN", "TOKENIZE", "WEIGHTS", "Atom", "Clause", "Filter",
              "Query", "SqlPlan", "Term", "cjk_bigrams", "fold", "has_extra_forms",
              "index_extra", "normalize", "parse", "register"),
    "snippets": ("PASSAGE_HITS", "SNIPPET_CHARS", "best_passage", "one_line", "snippet_around"),
    "textinfo": ("text_info",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}
"""Each public name: the module of this package it lives in."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once: later uses are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
