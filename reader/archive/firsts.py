"""Regular expressions split by the characters they can begin with.

A long alternation tried on every line of a dump (`reader.archive.lines.any_shape`)
is cheaper as a few short ones, each holding only the alternatives a line's first
character can begin: `alternatives` splits a pattern into alternatives that together
match what it matches, `regex_first` reads (with the `re` parser, conservatively)
which characters each can match first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any


def _top_level(source: str, verbose: bool) -> tuple[list[int], list[tuple[int, int]]]:
    """Where `source` (a regular expression) has `|` outside any group, and its groups
    outside any group as (index of `(`, index of `)`)."""
    bars: list[int] = []
    groups: list[tuple[int, int]] = []
    depth, i, n, in_class, opened = 0, 0, len(source), False, 0
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 + (source[i + 1:i + 2] == "^")
            i += source[i:i + 1] == "]"  # `[]…]` and `[^]…]` hold a `]`
            continue
        elif verbose and ch == "#":
            end = source.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                groups.append((opened, i))
        elif ch == "|" and depth == 0:
            bars.append(i)
        i += 1
    return bars, groups


def alternatives(source: str, verbose: bool = False) -> list[str]:
    """A regular expression as alternatives that together match what it matches: split
    at its top-level `|`, then each piece at the `|` of its first top-level group
    `(?:…)` unless a quantifier follows that group (`^(?:a|b)$` → `^(?:a)$`, `^(?:b)$`)."""
    out: list[str] = []
    bars, _ = _top_level(source, verbose)
    cuts = [-1, *bars, len(source)]
    for piece in (source[a + 1:b] for a, b in pairwise(cuts)):
        split = False
        for a, b in _top_level(piece, verbose)[1]:
            head = 3 if piece.startswith("(?:", a) else 4 if piece.startswith("(?x:", a) else 0
            if not head:
                continue
            if piece[b + 1:b + 2] in ("?", "*", "+", "{"):
                break
            inner = piece[a + head:b]
            inner_bars, _ = _top_level(inner, verbose)
            if inner_bars:
                edges = [-1, *inner_bars, len(inner)]
                out += [piece[:a + head] + inner[x + 1:y] + piece[b:]
                        for x, y in pairwise(edges)]
                split = True
            break
        if not split:
            out.append(piece)
    return out


def regex_first(source: str, flags: int, chars: frozenset[str]) -> frozenset[str] | None:
    """Which of `chars` a match of `source` can begin with; None when it cannot tell
    (an empty match, a construct not read here): a superset, never too few."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    # The character categories as `re` reads them in a str pattern (Unicode rules).
    categories: dict[Any, Callable[[str], bool]] = {
        c.CATEGORY_DIGIT: str.isdecimal, c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
        c.CATEGORY_SPACE: str.isspace, c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
        c.CATEGORY_WORD: _is_word, c.CATEGORY_NOT_WORD: lambda ch: not _is_word(ch)}

    def in_class(items: list[tuple[Any, Any]], ch: str) -> bool:
        hit, negate = False, False
        for op, av in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                hit = hit or ch == chr(av)
            elif op is c.RANGE:
                hit = hit or av[0] <= ord(ch) <= av[1]
            elif op is c.CATEGORY and av in categories:
                hit = hit or categories[av](ch)
            else:
                return True
        return hit != negate

    def seq(items: list[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
        out: set[str] = set()
        for op, av in items:
            first, empty = one(op, av)
            if first is None:
                return None, False
            out |= first
            if not empty:
                return out, False
        return out, True

    def one(op: Any, av: Any) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(av)} & chars, False
        if op is c.NOT_LITERAL:
            return set(chars) - {chr(av)}, False
        if op is c.ANY:
            return set(chars) - {"\n"}, False
        if op is c.IN:
            return {ch for ch in chars if in_class(av, ch)}, False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return set(), True
        if op is c.BRANCH:
            out: set[str] = set()
            empty = False
            for branch in av[1]:
                first, may_be_empty = seq(branch)
                if first is None:
                    return None, False
                out |= first
                empty = empty or may_be_empty
            return out, empty
        if op is c.SUBPATTERN and not (av[1] | av[2]) & (re.IGNORECASE | re.ASCII):
            return seq(av[3])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            first, empty = seq(av[2])
            return first, empty or av[0] == 0
        if op is c.ATOMIC_GROUP:
            return seq(av)
        return None, False

    try:
        parsed = _parser.parse(source, flags)
        if parsed.state.flags & (re.IGNORECASE | re.ASCII):
            return None
        first, empty = seq(parsed.data)
    except Exception:  # another Python's parser: no pruning, the same answers
        return None
    return None if first is None or empty else frozenset(first)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
