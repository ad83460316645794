"""What the marks of any query need to know of a text beyond ASCII, worked out once
(when it is indexed, `text_info`): its words with a letter beyond ASCII, folded
roughly to ASCII for finding candidates (the exact folding is the analyzer's)."""

from __future__ import annotations

import re
import unicodedata

from reader.search.query import _ZERO_WIDTH_RE


def _fold_table() -> dict[int, str]:
    """Letters of the Latin blocks to one ASCII letter each, for finding candidates
    (the exact folding is the analyzer's): `ü` → `u`, `ß` → `s`, `Æ` → `A`."""
    table: dict[int, str] = {}
    special = {"ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ø": "o", "Ø": "O",
               "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "t", "Þ": "T",
               "ð": "d", "Ð": "D", "ŋ": "n", "ſ": "s"}
    for code in range(0x80, 0x250):
        ch = chr(code)
        if ch in special:
            table[code] = special[ch]
            continue
        base = unicodedata.normalize("NFD", ch)[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD_TABLE = _fold_table()


_NON_ASCII_WORD = re.compile(r"[^\W_]*[^\x00-\x7f][^\W_]*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _non_ascii_words(text: str) -> list[tuple[int, str]]:
    """(start, form folded for `_candidates`) of each word with a letter beyond ASCII."""
    out: list[tuple[int, str]] = []
    pos = 0
    while (found := _NON_ASCII.search(text, pos)) is not None:
        start = found.start()
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        word = _NON_ASCII_WORD.match(text, start)
        if word is None:
            pos = found.end()
            continue
        out.append((start, word.group().translate(_FOLD_TABLE).lower()))
        pos = word.end()
    return out


def text_info(text: str) -> str:
    """What the marks of any query need to know of a text, worked out once (when it
    is indexed): `a` ASCII; `n` followed by `start:folded;…` of its words beyond
    ASCII when NFKC leaves it alone; else `x`."""
    if text.isascii():
        return "a"
    if not unicodedata.is_normalized("NFKC", text) or _ZERO_WIDTH_RE.search(text):
        return "x"
    return "n" + ";".join(f"{start}:{folded}" for start, folded in _non_ascii_words(text))


def _parse_info(info: str) -> list[tuple[int, str]]:
    if len(info) < 2:
        return []
    out = []
    for item in info[1:].split(";"):
        start, _, folded = item.partition(":")
        out.append((int(start), folded))
    return out
