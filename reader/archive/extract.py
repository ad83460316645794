"""Picking the article out of a saved page.

`extract_main` runs trafilatura in precision and default modes and
readability-lxml, and keeps the candidate that agrees best with the other
two (the medoid by 4-token shingle F1). That choice was made by measurement
on the extraction benchmark; see docs/extraction.md.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_WORDS = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORDS.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _agreement(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> float:
    """F1 of two shingle multisets (symmetric)."""
    common = sum((a & b).values())
    total = sum(a.values()) + sum(b.values())
    return 2 * common / total if total else 0.0


def _text_of(fragment: str) -> str:
    import lxml.html

    try:
        return str(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())
    except Exception:
        return ""


def extract_main(page: str, url: str | None = None) -> str:
    """The article of a page as an HTML fragment ("" when nothing is found).

    trafilatura (precision mode), trafilatura (default) and readability-lxml
    each propose a body; the one closest to the other two wins. When both
    trafilatura runs agree exactly, readability is not run at all.
    """
    import trafilatura

    options: dict[str, Any] = {
        "url": url, "output_format": "html", "include_formatting": True,
        "include_links": True, "include_images": False, "include_tables": True,
        "include_comments": False, "deduplicate": False,
    }
    try:
        precise = trafilatura.extract(page, favor_precision=True, **options) or ""
        default = trafilatura.extract(page, **options) or ""
    except (RecursionError, ValueError, TypeError):
        precise = default = ""
    if precise and precise == default:
        return precise
    candidates = [c for c in (precise, default, _readability(page, url)) if c]
    if len(candidates) <= 1:
        return candidates[0] if candidates else ""
    shingled = [_shingles(_text_of(c)) for c in candidates]
    scores = [sum(_agreement(s, o) for j, o in enumerate(shingled) if j != i)
              for i, s in enumerate(shingled)]
    return candidates[scores.index(max(scores))]


def _readability(page: str, url: str | None) -> str:
    try:
        from readability import Document

        return str(Document(page, url=url).summary(html_partial=True))
    except Exception:  # readability raises bare Exceptions on unparsable pages
        return ""
