"""Shapes of page chrome and titles shared by the plain-text dump parsers:
pagination, sidebar headings, and two printings of one title."""

from __future__ import annotations

import re

from reader.clean import comparable, split_source

_NAV = re.compile(
    r"""^(?:
      [«‹←<]*\s*(?:older|newer|previous|next)\s+(?:entries|posts|page|articles|stories)\b.*
    | .*\b(?:older|newer)\s+(?:entries|posts|articles)\s*[»›→>]*
    | page\s+\d+\s+of\s+\d+
    | [«‹←]\s*previous(?:\s+page)?
    | next(?:\s+page)?\s*[»›→]
    | load\s+more(?:\s+posts)?
    | (?:\d+\s+){2,}(?:…\s+)?(?:\d+\s+)?next\s*[»›→]?
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_SIDEBAR = {
    comparable(name)
    for name in (
        "Recent Posts", "Recent Comments", "Archives", "Blog Archive", "Categories", "Meta",
        "Blogroll", "Search", "Search for:", "Search this site", "Tag Cloud", "Popular Posts",
        "Top Posts & Pages", "Follow Blog via Email", "Subscribe", "Subscribe to", "Followers",
        "About Me", "Calendar", "Links", "Proudly powered by WordPress", "Powered by WordPress",
        "Powered by Blogger", "Entries RSS", "Comments RSS", "Entries feed", "Comments feed",
        "Log in", "Subscribe to: Posts (Atom)", "Subscribe to: Posts", "Leave a Reply",
    )
}


def is_nav(line: str) -> bool:
    """Pagination chrome: `« Older Entries`, `Next page »`, `Page 2 of 9`."""
    return len(line) < 100 and _NAV.match(line) is not None


def is_sidebar_heading(line: str) -> bool:
    return len(line) < 40 and comparable(line) in _SIDEBAR


def same_title(a: str, b: str) -> bool:
    """Two printings of one title: equal but for quote, dash, space and case style,
    or for a source suffix that only one of them carries (`Title` / `Title – CNET`)."""
    if comparable(a) == comparable(b):
        return True
    if not (a.startswith(b[:8]) or b.startswith(a[:8])):
        return False
    return comparable(split_source(a)[0]) == comparable(split_source(b)[0])
