"""Greedy word wrap of styled runs into display lines."""

from __future__ import annotations

import re
from functools import lru_cache

from reader.render.cells import cell_width, char_width, one_cell_each
from reader.render.lines import Line, Span


def wrap(spans: list[Span], width: int, block: str, first: tuple[Span, ...] = (),
         rest: tuple[Span, ...] = (), para: int = -1) -> list[Line]:
    """Greedy word wrap of styled runs into lines of at most `width` cells.

    `first` and `rest` are prefixes (indentation, bullet, quote bar) for the
    first and the following lines. Whitespace is collapsed to single spaces, so
    word offsets follow from word lengths: the line breaks are computed on the
    plain text with integer arithmetic, then the runs are cut at those offsets.
    A word may cross runs (`**bold**,` is one word) and breaks only when it is
    longer than a line.
    """
    if len(spans) == 1 and _is_tidy(spans[0][0]):
        runs, text = spans, spans[0][0]
    else:
        runs = _collapse(spans)
        text = "".join(t for t, _ in runs)
    first_width = sum(cell_width(t) for t, _ in first)
    rest_width = sum(cell_width(t) for t, _ in rest)
    if first_width == rest_width and one_cell_each(text):
        # The common case runs in the regex engine: greedy lines of at most `room`
        # characters ending at a space, valid when no word is longer than a line.
        room = max(1, width - first_width)
        ranges = [(m.start(1), m.end(1), m.end(1) - m.start(1))
                  for m in _line_pattern(room).finditer(text)]
        if ranges and sum(r[2] for r in ranges) + len(ranges) - 1 == len(text):
            return _cut(runs, ranges, block, first, rest, first_width, rest_width, para)
    return _wrap_words(runs, text, width, block, first, rest, first_width, rest_width, para)


@lru_cache(maxsize=64)
def _line_pattern(room: int) -> re.Pattern[str]:
    return re.compile(r"(.{1," + str(room) + r"})(?: |$)")


def _wrap_words(runs: list[Span], text: str, width: int, block: str, first: tuple[Span, ...],
                rest: tuple[Span, ...], first_width: int, rest_width: int,
                para: int = -1) -> list[Line]:
    """Word wrap by cells, in Python: wide characters and over-long words."""
    words = text.split(" ")
    lengths = list(map(len, words))
    sizes = lengths if one_cell_each(text) else list(map(cell_width, words))
    # (start, end, cells) of each line in `text`.
    ranges: list[tuple[int, int, int]] = []
    room = max(1, width - first_width)
    start = end = 0
    used = -1
    offset = 0
    for size, length in zip(sizes, lengths, strict=True):
        if used + 1 + size <= room:
            used += 1 + size
        else:
            if used >= 0:
                ranges.append((start, end, used))
                room = max(1, width - rest_width)
            start = offset
            if size <= room:
                used = size
            else:
                start, used = _break_word(text[offset:offset + length], offset, room, ranges)
                room = max(1, width - rest_width)
        offset += length + 1
        end = offset - 1
    if used >= 0 or not ranges:
        ranges.append((start, end, max(used, 0)))
    return _cut(runs, ranges, block, first, rest, first_width, rest_width, para)


_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def _is_tidy(text: str) -> bool:
    """No whitespace to squeeze and none at either end."""
    return bool(text) and text[0] != " " and text[-1] != " " and "  " not in text and (
        "\t" not in text and "\n" not in text)


def _collapse(spans: list[Span]) -> list[Span]:
    """Runs with every whitespace stretch made one space, none at either end."""
    out: list[Span] = []
    space = True  # a space was just emitted (or we are at the start)
    for text, flags in spans:
        if not text:
            continue
        # Only ASCII whitespace separates words: a no-break space keeps its word whole.
        squeezed = _SPACES.sub(" ", text) if not _is_tidy(text) else text
        if squeezed == " ":
            if not space:
                out.append((" ", flags))
                space = True
            continue
        lead = " " if squeezed[0] == " " and not space else ""
        trail = " " if squeezed[-1] == " " else ""
        out.append((lead + squeezed.strip(" ") + trail, flags))
        space = bool(trail)
    if out and space:
        text, flags = out[-1]
        text = text[:-1]
        if text:
            out[-1] = (text, flags)
        else:
            out.pop()
    return out


def _break_word(word: str, offset: int, room: int,
                ranges: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Split a word longer than a line; returns the start and cells of its tail."""
    start, used = offset, 0
    for index, char in enumerate(word):
        w = char_width(char)
        if used + w > room and used:
            ranges.append((start, offset + index, used))
            start, used = offset + index, 0
        used += w
    return start, used


def _cut(runs: list[Span], ranges: list[tuple[int, int, int]], block: str,
         first: tuple[Span, ...], rest: tuple[Span, ...], first_width: int,
         rest_width: int, para: int = -1) -> list[Line]:
    """Slice the runs at the line ranges."""
    lead = sum(len(t) for t, _ in rest)
    if len(runs) == 1:
        text, flags = runs[0]
        lines = [Line(block, (*rest, (text[s:e], flags)), rest_width + w, para, s, lead)
                 for s, e, w in ranges]
    else:
        lines = []
        index, run_start = 0, 0
        for s, e, w in ranges:
            pieces: list[Span] = list(rest)
            while index < len(runs):
                text, flags = runs[index]
                run_end = run_start + len(text)
                if run_end <= s:
                    index += 1
                    run_start = run_end
                    continue
                if run_start >= e:
                    break
                pieces.append((text[max(s, run_start) - run_start:min(e, run_end) - run_start],
                               flags))
                if run_end > e:
                    break
                index += 1
                run_start = run_end
            lines.append(Line(block, tuple(pieces), rest_width + w, para, s, lead))
    if lines and (first or rest):
        head = lines[0]
        lines[0] = Line(block, (*first, *head.spans[len(rest):]),
                        head.width - rest_width + first_width, para, head.start,
                        sum(len(t) for t, _ in first))
    return lines

