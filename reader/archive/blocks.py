"""Paragraph blocks: the unit the plain-text dump parsers reason about.

A block is a run of non-blank lines. Structure in a dump shows at block
level: a post starts with a one-line block (its title) followed by a date
line; a digest item starts with its title printed twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from reader.clean import comparable, is_junk, is_meta, is_separator, split_source
from reader.dates import date_line


@dataclass(slots=True)
class Block:
    """A run of non-blank lines starting at 1-based line `start`."""

    start: int
    lines: list[str] = field(default_factory=list)
    blanks_before: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1

    @property
    def first(self) -> str:
        return self.lines[0]


def blocks(lines: Iterable[str], first_lineno: int = 1) -> Iterator[Block]:
    """Group lines into blocks of non-blank lines; whitespace-only lines are blank."""
    current: Block | None = None
    blanks = 0
    for lineno, raw in enumerate(lines, first_lineno):
        line = raw.strip()  # str.strip knows NBSP and the other Unicode spaces
        if not line:
            if current is not None:
                yield current
                current = None
            blanks += 1
            continue
        if current is None:
            current = Block(lineno, [line], blanks)
            blanks = 0
        else:
            current.lines.append(line)
    if current is not None:
        yield current


_BULLET = re.compile(r"^(?:[•·*>\-–—▪►●◦]|\d{1,3}[.)]\s|\(\d+\)|#)")
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


def is_title_like(line: str) -> bool:
    """Could this line be a headline? Necessary, never sufficient: structure decides."""
    if not 2 <= len(line) <= 250 or len(line.split()) > 40:
        return False
    if line.endswith((":", ",", ";")) or _BULLET.match(line):
        return False
    if not any(ch.isalpha() for ch in line):
        return False
    return not (is_junk(line) or is_meta(line) or is_separator(line) or is_nav(line)
                or date_line(line))


def same_title(a: str, b: str) -> bool:
    """Two printings of one title: equal but for quote, dash, space and case style,
    or for a source suffix that only one of them carries (`Title` / `Title – CNET`)."""
    if comparable(a) == comparable(b):
        return True
    if not (a.startswith(b[:8]) or b.startswith(a[:8])):
        return False
    return comparable(split_source(a)[0]) == comparable(split_source(b)[0])


def is_prose(block: Block) -> bool:
    """A paragraph of running text rather than a heading, caption list or widget."""
    text = " ".join(block.lines)
    return len(text) >= 120 or (len(text) >= 60 and text.rstrip()[-1:] in ".!?\"”’)")
