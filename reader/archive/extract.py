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


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
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


LONG_WORDS = 1500
"""When both trafilatura runs agree on a body this long, readability is asked too:
a long body is where a second article or a gallery tends to follow the first."""
TAIL_SHARE = 0.3
"""The least share of a body a tail must be to be cut off (a short one is left)."""


def extract_main(page: str, url: str | None = None) -> str:
    """The article of a page as an HTML fragment ("" when nothing is found).

    trafilatura (precision mode), trafilatura (default) and readability-lxml
    each propose a body; the one closest to the other two wins. When both
    trafilatura runs agree exactly on a short body, readability is not run at
    all. The winner then stops where the article does (`cut_tail`).
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
        if len(_WORDS.findall(_text_of(precise))) < LONG_WORDS:
            return precise
        candidates = [precise, _readability(page, url)]
    else:
        candidates = [precise, default, _readability(page, url)]
    candidates = [c for c in candidates if c]
    if len(candidates) <= 1:
        return candidates[0] if candidates else ""
    shingled = [shingles(_text_of(c)) for c in candidates]
    scores = [sum(_agreement(s, o) for j, o in enumerate(shingled) if j != i)
              for i, s in enumerate(shingled)]
    best = scores.index(max(scores)) if len(candidates) > 2 else 0
    others = [s for j, s in enumerate(shingled) if j != best]
    return cut_tail(candidates[best], others)


_HEADINGS = ("h1", "h2", "h3")


def cut_tail(fragment: str, others: list[Counter[tuple[str, ...]]]) -> str:
    """`fragment` stopped where another extractor's shorter body stops.

    When another candidate holds (nearly) nothing but the head of this one,
    and what follows from a heading (or from the start of a closing run of
    short blocks: captions, teasers) on is long and held by no other
    candidate, a second article (or a gallery, a "read next" section) follows
    the first: it is cut there.
    """
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some inputs; the fragment stays whole
        return fragment
    whole = shingles(root.text_content())
    total = sum(whole.values())
    if not total:
        return fragment
    for other in others:
        size = sum(other.values())
        if size < 100 or size > total * (1 - TAIL_SHARE):
            continue
        if sum((other & whole).values()) < 0.9 * size:
            continue  # the other body is not part of this one
        for heading in _seams(root):
            head = shingles(_text_before(root, heading))
            tail = whole - head
            tail_size = sum(tail.values())
            if tail_size < TAIL_SHARE * total:
                break  # from here on the tails only get shorter
            # Cut only when no candidate at all holds the tail: one that does
            # says the article goes on (trafilatura's precision mode stops early).
            if (sum((other & head).values()) >= 0.9 * size
                    and all(sum((o & tail).values()) <= 0.1 * tail_size for o in others)):
                _truncate_at(heading)
                return str(lxml.html.tostring(root, encoding="unicode"))
    return fragment


_BLOCKS = ("p", "li", "figcaption", "figure", "blockquote", "pre", "td", "dd", "h1", "h2",
           "h3", "h4", "h5", "h6")
GALLERY_BLOCKS = 10
"""A run of at least this many short blocks ending the body is a gallery or a list
of links (captions, teasers): a place where the article may have ended."""
SHORT_WORDS = 30


def _seams(root: Any) -> list[Any]:
    """Where an article may end: each `h1`–`h3`, and the start of a run of short
    blocks (captions, teasers) that ends the body; in document order."""
    seams = list(root.iter(*_HEADINGS))
    blocks = [b for b in root.iter(*_BLOCKS)
              if not any(a.tag in _BLOCKS for a in b.iterancestors())]
    run = 0
    for block in reversed(blocks):
        if len(_WORDS.findall(block.text_content())) > SHORT_WORDS:
            break
        run += 1
    if run >= GALLERY_BLOCKS:
        start = blocks[len(blocks) - run]
        order = {id(el): i for i, el in enumerate(root.iter())}
        seams.append(start)
        seams.sort(key=lambda el: order[id(el)])
    return seams


def _text_before(root: Any, stop: Any) -> str:
    """The text of `root` before the element `stop` (its ancestors' tails come after)."""
    around = set(stop.iterancestors())
    parts: list[str] = []
    for node in root.iter():
        if node is stop:
            break
        if node.text:
            parts.append(node.text)
        if node.tail and node not in around:
            parts.append(node.tail)
    return " ".join(parts)


def _truncate_at(node: Any) -> None:
    """Remove `node` and everything after it in document order."""
    current = node
    while current is not None and current.getparent() is not None:
        parent = current.getparent()
        for sibling in list(current.itersiblings()):
            parent.remove(sibling)
        current.tail = None
        current = parent
    node.getparent().remove(node)


def _readability(page: str, url: str | None) -> str:
    try:
        from readability import Document

        return str(Document(page, url=url).summary(html_partial=True))
    except Exception:  # readability raises bare Exceptions on unparsable pages
        return ""
