"""Whether a line reads like a person's name: an author printed over a date or before it."""

from __future__ import annotations

import re

_NAME_WORD = re.compile(r"^(?:[^\W\d_][.'’-]?)+$")
_NOT_IN_NAMES = frozenset((
    "a", "an", "and", "at", "by", "for", "from", "how", "i", "in", "is", "it", "my", "new",
    "not", "of", "on", "or", "our", "the", "this", "to", "what", "when", "where", "who",
    "why", "with", "you", "your"))
_PARTICLES = frozenset(("al", "bin", "da", "de", "del", "der", "di", "dos", "du", "el",
                        "la", "le", "van", "von", "y"))


def name_shaped(text: str) -> bool:
    """Whether a line reads like a person's name (`Ann Lee`, `Jean-Luc de la Tour`,
    `J. R. Smith`): two to four words of letters, capitalised but for particles, no
    word a headline's (`How`, `the`, `of`)."""
    parts = text.split()
    if not 2 <= len(parts) <= 4 or len(text) > 40:
        return False
    for part in parts:
        low = part.casefold()
        if low in _NOT_IN_NAMES or not _NAME_WORD.match(part):
            return False
        if not part[0].isupper() and low not in _PARTICLES:
            return False
    return True
