"""Tag page headers: the line a blog's tag or category page prints above its posts.

    Posts Tagged ‘WeChat’            <- header: its tag goes on every post

Listing dumps are split by `reader/archive/listing/`; a header is not needed
to find the posts, but when one is printed its tag is added to each of them.
"""

from __future__ import annotations

import re

from reader.clean import squash

FORMAT = "tagpage"

_Q = "['\"‘’“”«»]"
_HEADER = re.compile(
    rf"""^(?:
      posts?\s+tagged(?:\s+with)?\s*:?\s*{_Q}?(?P<t1>.+?){_Q}?
    | archive\s+for\s+the\s+{_Q}?(?P<t2>.+?){_Q}?\s+(?:category|tag)
    | (?:tag|category|topic)\s+archives?\s*:\s*{_Q}?(?P<t3>.+?){_Q}?
    | (?:tag|category|tagged|topic|label)\s*:\s*{_Q}?(?P<t4>.+?){_Q}?
    | showing\s+posts\s+with\s+label\s+{_Q}?(?P<t5>.+?){_Q}?(?:\.\s*show\s+all\s+posts)?
    | (?:posts|articles|entries|stories)\s+(?:tagged|about|filed\s+under|label(?:l)?ed)
      (?:\s+with)?\s*:?\s*{_Q}?(?P<t6>.+?){_Q}?
    | browsing\s+(?:tag|category)\s*:?\s*{_Q}?(?P<t7>.+?){_Q}?
    )\s*[.:]?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


_FIRST = frozenset("patclseb")
"""The first letters of every header `_HEADER` reads (`posts`, `archive`, `tag`, `category`,
`label`, `showing`, `entries`, `browsing`): an ASCII line beginning otherwise is none."""


def may_be_header(line: str) -> bool:
    """Whether a stripped line begins as a page header may (a test of its first letter)."""
    return not line[:1].isascii() or line[:1].lower() in _FIRST


def header_tag(line: str) -> str | None:
    """The tag a page header names (`Posts Tagged ‘WeChat’` → `WeChat`), else None."""
    if len(line) > 120:
        return None
    line = squash(line)
    if not may_be_header(line):
        return None
    m = _HEADER.match(line)
    if m is None:
        return None
    tag = next(v for k, v in m.groupdict().items() if v)
    tag = tag.strip(" '\"‘’“”«».:")
    return tag or None
