"""Article Markdown to wrapped, styled lines, for the reading view.

Pure Python: no Textual, no Rich, no markup parsing of any kind. The output is
plain strings with style *names* (a block kind and inline flags); the
interface maps those to colours. Archive text therefore can never inject
styles, links or actions, whatever brackets it contains.

The layout is one fast pass over the body: blocks are found line by line,
inline emphasis is only looked for in paragraphs that contain a marker
character, and plain paragraphs are wrapped with `str.split` and integer
arithmetic. A 100,000-word article lays out in tens of milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

# Inline flags, combined with `|`.
BOLD = 1
ITALIC = 2
CODE = 4
LINK = 8
URL = 16
MARK = 32
"""Decoration the renderer adds: bullets, numbers, quote bars."""

Span = tuple[str, int]
"""A run of text and its inline flags."""


class Line(NamedTuple):
    """One display line: the block it belongs to and its styled runs."""

    block: str
    """title, meta, tags, h1…h6, p, quote, item, code, rule or blank."""
    spans: tuple[Span, ...]
    """Text runs; the first may be indentation or a marker."""
    width: int
    """Cell width of the line's text."""
    para: int = -1
    """The body block the line shows (an index into `Document.blocks`); -1: none."""
    start: int = 0
    """Where the line's text starts in its block's display text."""
    lead: int = 0
    """Characters of prefix (indentation, bullet, quote bar) before the text."""


BLANK = Line("blank", (), 0)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+•◦▪‣])\s+(.*)$")
_BULLET_CHARS = "-*+•◦▪‣"
_NUMBER = re.compile(r"^(\s*)(\d{1,9})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_INLINE_START = re.compile(r"[*_`\[<!\\]")
_INLINE = re.compile(
    r"(?=[`*_!\[<\\])"  # only try the alternatives where one can start
    r"(?:`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<b1>\S(?:.*?\S)??)\*\*"
    r"|(?<![\w\\])__(?P<b2>\S(?:.*?\S)??)__(?!\w)"
    r"|(?<![\w*\\])\*(?P<i1>[^\s*](?:[^*]*?[^\s*\\])?)\*(?![\w*])"
    r"|(?<![\w\\])_(?P<i2>[^\s_](?:[^_]*?[^\s_\\])?)_(?!\w)"
    r"|!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)[^)\n]*\)"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<href>[^)\s]+)(?:\s+\"[^\"\n]*\")?\)"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>|]))"
)


@lru_cache(maxsize=4096)
def _wide_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def cell_width(text: str) -> int:
    """Terminal cells `text` takes (wide East Asian characters count two)."""
    return len(text) if text.isascii() else _wide_width(text)


def _char_width(char: str) -> int:
    if char < "\u0300":
        return 1
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


# -- sanitising ----------------------------------------------------------------

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_VISIBLE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | {
    c: 0xFFFD for c in range(0x80, 0xA0)} | {c: None for c in (
        *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
del _VISIBLE[0x0A]  # newlines stay; they separate lines and blocks
_VISIBLE[0x09] = 0x20


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` safe for the terminal: control characters shown as symbols (␛), bidi
    overrides dropped.

    The importer already removes these; this is the interface's own guarantee,
    whatever the library file holds.
    """
    if one_line and "\n" in text:
        text = text.replace("\n", " ")
    if _CONTROLS.search(text) is None and "\t" not in text:
        return text
    return text.translate(_VISIBLE)


# -- blocks -------------------------------------------------------------------


class Block(NamedTuple):
    kind: str
    """h1…h6, p, quote, item, code, rule."""
    text: str
    level: int = 0
    """Nesting for list items and quotes."""
    marker: str = ""
    """The bullet or number of a list item."""
    start: int = 0
    """Offset in the body where the block's source starts."""
    end: int = 0
    """Offset in the body where the block's source ends."""


def blocks(body: str) -> Iterator[Block]:
    """The Markdown blocks of `body`, in order; tolerant of anything."""
    paragraph: list[str] = []
    kind, level, marker = "p", 0, ""
    fence: str | None = None
    p_start = p_end = 0
    here = 0  # offset of `raw` in the body

    def flush() -> Iterator[Block]:
        nonlocal paragraph
        if paragraph:
            yield Block(kind, " ".join(paragraph), level, marker, p_start, p_end)
            paragraph = []

    for full in body.splitlines(keepends=True):
        raw = full.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start, end = here, here + len(raw)
        here += len(full)
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            else:
                yield Block("code", raw.expandtabs(4), 0, "", start, end)
            continue
        line = raw.strip()
        if not line:
            yield from flush()
            kind, level, marker = "p", 0, ""
            continue
        first = line[0]
        if first == "#" and (m := _HEADING.match(line)):
            yield from flush()
            yield Block(f"h{len(m.group(1))}", m.group(2), 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in "`~" and (m := _FENCE.match(raw)):
            yield from flush()
            fence = m.group(1)
            continue
        if first in "-*_" and _RULE.match(raw):
            yield from flush()
            yield Block("rule", "")
            kind, level, marker = "p", 0, ""
            continue
        if first == ">" and (m := _QUOTE.match(raw)):
            inner = m.group(1).strip()
            depth = 1
            while inner.startswith(">"):
                inner = inner[1:].strip()
                depth += 1
            if kind != "quote" or depth != level or not inner:
                yield from flush()
            kind, level, marker = "quote", depth, ""
            if inner:
                if not paragraph:
                    p_start = start
                p_end = end
                paragraph.append(_unbreak(inner))
            continue
        if first == "|":
            yield from flush()
            yield Block("row", line, 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in _BULLET_CHARS and (m := _BULLET.match(raw)):
            yield from flush()
            kind, level, marker = "item", _indent_level(m.group(1)), "•"
            p_start, p_end = start, end
            paragraph.append(_unbreak(m.group(3).strip()))
            continue
        if first.isdigit() and (m := _NUMBER.match(raw)):
            yield from flush()
            kind, level, marker = "item", _indent_level(m.group(1)), m.group(2) + "."
            p_start, p_end = start, end
            paragraph.append(_unbreak(m.group(3).strip()))
            continue
        if not paragraph:
            p_start = start
        p_end = end
        paragraph.append(_unbreak(line))
    yield from flush()


def _unbreak(line: str) -> str:
    """A line without the backslash of a Markdown hard break (`line\\` then newline):
    the reading view wraps paragraphs itself."""
    if line.endswith("\\") and not line.endswith("\\\\"):
        return line[:-1].rstrip()
    return line


def _indent_level(spaces: str) -> int:
    return min(len(spaces.expandtabs(4)) // 2, 6)


# -- inline -------------------------------------------------------------------


def inline(text: str, flags: int = 0, links: dict[str, int] | None = None) -> list[Span]:
    """Split a paragraph into runs: emphasis, code, links.

    A link shows its text; with `links` (URL → number, shared by a whole
    article) the text is followed by a `[n]` reference and the URL is listed
    once at the end, as terminal browsers do, instead of breaking the
    sentence; without, the URL follows in brackets.
    """
    if _INLINE_START.search(text) is None:
        return [(text, flags)]
    spans: list[Span] = []
    position = 0
    for m in _INLINE.finditer(text):
        if m.start() > position:
            spans.append((text[position:m.start()], flags))
        position = m.end()
        group = m.lastgroup
        if group == "code":
            spans.append((m.group("code"), flags | CODE))
        elif group in ("b1", "b2"):
            spans.extend(inline(m.group(group), flags | BOLD, links))
        elif group in ("i1", "i2"):
            spans.extend(inline(m.group(group), flags | ITALIC, links))
        elif group == "src":
            alt = m.group("alt").strip()
            spans.append((f"[image: {alt}]" if alt else "[image]", flags | MARK))
        elif group == "href":
            label, href = m.group("text"), m.group("href")
            spans.extend(inline(label, flags | LINK, links))
            if href != label and links is not None:
                number = links.setdefault(href, len(links) + 1)
                spans.append((f"[{number}]", flags | URL | MARK))
            elif href != label:
                spans.append((" (", flags | URL))
                spans.append((href, flags | URL))
                spans.append((")", flags | URL))
        elif group == "auto":
            spans.append((m.group("auto"), flags | LINK))
        elif group == "escaped":
            spans.append((m.group("escaped"), flags))
    if position < len(text):
        spans.append((text[position:], flags))
    return spans


# -- wrapping -----------------------------------------------------------------


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
    if first_width == rest_width and text.isascii():
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
    sizes = lengths if text.isascii() else list(map(cell_width, words))
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
        w = _char_width(char)
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


# -- documents ----------------------------------------------------------------


def layout_blocks(items: Iterable[Block], width: int,
                  placed: list[Block] | None = None,
                  links: dict[str, int] | None = None) -> list[Line]:
    """Wrap blocks into lines with one blank line between blocks.

    `placed`, when given, collects the blocks that have text, in order; each
    line's `para` is its block's index there. `links` collects the link
    targets (URL → the number shown after the link's text).
    """
    width = max(8, width)
    lines: list[Line] = []
    previous = ""
    links = {} if links is None else links
    for group in _tables(items):
        if isinstance(group, list):
            if lines:
                lines.append(BLANK)
            previous = "table"
            paras = []
            for row in group:
                paras.append(len(placed) if placed is not None else -1)
                if placed is not None:
                    placed.append(row)
            lines.extend(_table_lines(group, paras, width, links))
            continue
        block = group
        kind = block.kind
        if lines and not (kind == "item" and previous == "item") and not (
            kind == "code" and previous == "code"
        ):
            lines.append(BLANK)
        previous = kind
        para = -1
        if placed is not None and kind != "rule":
            para = len(placed)
            placed.append(block)
        if kind == "rule":
            lines.append(Line("rule", (), width))
        elif kind == "code":
            text = block.text
            lines.extend(_code_lines(text, width, para))
        elif kind == "quote":
            bar = ("│ " * block.level, MARK)
            lines.extend(wrap(inline(block.text, 0, links), width, "quote", (bar,), (bar,), para))
        elif kind == "item":
            indent = "  " * block.level
            marker = f"{indent}{block.marker} "
            hang = " " * cell_width(marker)
            lines.extend(wrap(inline(block.text, 0, links), width, "item", ((marker, MARK),),
                              ((hang, 0),), para))
        elif kind[0] == "h":
            lines.extend(wrap(inline(block.text, 0, links), width, kind, para=para))
        else:
            lines.extend(wrap(inline(block.text, 0, links), width, "p", para=para))
    if links:
        lines.extend((BLANK, Line("rule", (), width)))
        for url, number in links.items():
            marker = f"[{number}] "
            lines.extend(wrap([(url, URL)], width, "meta", ((marker, MARK),),
                              ((" " * len(marker), 0),)))
    return lines


def _tables(items: Iterable[Block]) -> Iterator[Block | list[Block]]:
    """Blocks, with each run of Markdown table rows gathered into one list."""
    rows: list[Block] = []
    for block in items:
        if block.kind == "row":
            rows.append(block)
            continue
        if rows:
            yield rows
            rows = []
        yield block
    if rows:
        yield rows


_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ALIGN_ROW = re.compile(r"^\s*:?-{3,}:?\s*$")


def _cells(row: str) -> list[str]:
    cells = [c.strip() for c in _CELL_SPLIT.split(row.strip())]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _table_lines(rows: list[Block], paras: list[int], width: int,
                 links: dict[str, int]) -> list[Line]:
    """A Markdown table with its columns aligned and ruled, or, when it is wider than
    the view, its rows as they are written (wrapped like code)."""
    parsed = [_cells(row.text) for row in rows]
    rules = [bool(cells) and all(_ALIGN_ROW.match(c) for c in cells) for cells in parsed]
    header = {i - 1 for i, rule in enumerate(rules) if rule and i > 0}
    spans = [[inline(c, BOLD if i in header else 0, links) for c in cells] if not rules[i] else []
             for i, cells in enumerate(parsed)]
    columns = max((len(c) for c in parsed), default=0)
    widths = [0] * columns
    for row_spans in spans:
        for n, cell in enumerate(row_spans):
            widths[n] = max(widths[n], sum(cell_width(t) for t, _ in cell))
    total = sum(widths) + 3 * max(0, columns - 1)
    if not columns or total > width:
        lines: list[Line] = []
        for row, para in zip(rows, paras, strict=True):
            lines.extend(_code_lines(row.text, width, para))
        return lines
    lines = []
    for i, para in enumerate(paras):
        out: list[Span] = []
        if rules[i]:
            out.append(("─┼─".join("─" * w for w in widths), MARK))
        else:
            for n in range(columns):
                cell = spans[i][n] if n < len(spans[i]) else []
                if n:
                    out.append((" │ ", MARK))
                out.extend(cell)
                pad = widths[n] - sum(cell_width(t) for t, _ in cell)
                if pad and n < columns - 1:
                    out.append((" " * pad, MARK))
        text_width = sum(cell_width(t) for t, _ in out)
        lines.append(Line("p", tuple(out), text_width, para))
    return lines


def _code_lines(text: str, width: int, para: int = -1) -> list[Line]:
    if not text:
        return [Line("code", (), 0, para)]
    lines = []
    start = 0
    while True:
        if cell_width(text) <= width:
            lines.append(Line("code", ((text, CODE),), cell_width(text), para, start))
            return lines
        cut, used = 0, 0
        for index, char in enumerate(text):
            w = _char_width(char)
            if used + w > width:
                cut = index
                break
            used += w
        cut = max(cut, 1)
        lines.append(Line("code", ((text[:cut], CODE),), used, para, start))
        text = text[cut:]
        start += cut


_HIDDEN_SOURCE = re.compile(
    r"[*_`]*(?:!\[[^\]\n]*\]\([^)\s]*[^)\n]*\)"  # an image shown as [image: alt]
    r"|\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\))"  # a link's URL, shown as [n]
)


class Document:
    """An article body laid out, with the way back from display lines to body offsets.

    Search hits, highlights and the selection are body offsets (what the store
    and `reader.anchoring` use); the display drops Markdown markers, joins
    source lines and adds bullets. Each block's display text is aligned with
    its source the first time it is needed (one short greedy pass per block),
    so a 100,000-word article costs nothing more to open.
    """

    WINDOW = 512
    """How far ahead in the source a display character is looked for."""

    def __init__(self, body: str, width: int) -> None:
        shown = visible(body)
        self.body = body
        """The body as stored: the offsets' reference."""
        self.blocks: list[Block] = []
        """Blocks with text, in order; `Line.para` indexes this list."""
        found: dict[str, int] = {}
        self.lines = layout_blocks(blocks(shown), width, self.blocks, found)
        """The display lines."""
        self.links = list(found)
        """The article's link targets; link `[n]` is `links[n - 1]`."""
        if len(shown) != len(body):
            self.blocks = [b._replace(start=_unshift(body, b.start), end=_unshift(body, b.end))
                           for b in self.blocks]
        self._starts = [b.start for b in self.blocks]
        self._first_line: list[int] = [0] * len(self.blocks)
        seen = -1
        for index, line in enumerate(self.lines):
            if line.para > seen:
                self._first_line[line.para] = index
                seen = line.para
        self._maps: dict[int, list[int]] = {}

    # -- alignment ------------------------------------------------------------

    def _lines_of(self, para: int) -> range:
        first = self._first_line[para]
        last = first
        while last + 1 < len(self.lines) and self.lines[last + 1].para == para:
            last += 1
        return range(first, last + 1)

    def _display(self, para: int) -> tuple[str, list[bool]]:
        """The block's display text and, per character, whether the source has it."""
        chars: list[str] = []
        real: list[bool] = []
        for index in self._lines_of(para):
            line = self.lines[index]
            while len(chars) < line.start:
                chars.append(" ")
                real.append(True)
            skip = line.lead
            for text, flags in line.spans:
                if skip >= len(text):
                    skip -= len(text)
                    continue
                text, skip = text[skip:], 0
                chars.extend(text)
                real.extend([not flags & MARK] * len(text))
        return "".join(chars), real

    def offsets(self, para: int) -> list[int]:
        """Body offset of each display character of block `para`, plus its end."""
        found = self._maps.get(para)
        if found is not None:
            return found
        block = self.blocks[para]
        text, real = self._display(para)
        body, p, end = self.body, block.start, block.end
        if body[p:end] == text:
            found = list(range(p, end + 1))
        else:
            found = []
            window = self.WINDOW
            hidden = False
            for char, source in zip(text, real, strict=True):
                if not source:
                    found.append(p)
                    hidden = True
                    continue
                if hidden:
                    # What the display replaced (an image, a link's URL) is
                    # skipped whole, or its letters would be matched instead.
                    hidden = False
                    skipped = _HIDDEN_SOURCE.match(body, p, end)
                    if skipped:
                        p = skipped.end()
                if char == " ":
                    found.append(p)
                    while p < end and body[p].isspace():
                        p += 1
                else:
                    q = body.find(char, p, min(end, p + window))
                    if q < 0:
                        found.append(p)
                    else:
                        found.append(q)
                        p = q + 1
            found.append(max(p, min(end, found[-1] + 1 if found else end)))
        self._maps[para] = found
        return found

    # -- questions --------------------------------------------------------------

    def text_of(self, index: int) -> str:
        """Line `index`'s text without its prefix."""
        return plain(self.lines[index])[self.lines[index].lead:]

    def span_of(self, index: int) -> tuple[int, int] | None:
        """The body range line `index` shows; None for a line without text."""
        line = self.lines[index]
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        start = offsets[min(line.start, len(offsets) - 1)]
        end = offsets[min(line.start + n, len(offsets) - 1)]
        if n and line.start + n - 1 < len(offsets):
            # One past the last character shown, never past the body (a table's last
            # cell padded to its column maps to the body's end).
            end = min(max(end, offsets[line.start + n - 1] + 1), len(self.body))
        return start, max(start, end)

    def to_body(self, index: int, column: int) -> int | None:
        """The body offset at `column` (characters after the prefix) of line `index`."""
        line = self.lines[index]
        if line.para < 0:
            return None
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        column = max(0, min(column, max(0, n - 1) if n else 0))
        return offsets[min(line.start + column, len(offsets) - 1)]

    def to_display(self, offset: int) -> tuple[int, int] | None:
        """(line index, column) showing body `offset` (the next text when it is hidden)."""
        if not self.blocks:
            return None
        para = bisect_right(self._starts, offset) - 1
        if para < 0:
            para = 0
        elif offset >= self.blocks[para].end and para + 1 < len(self.blocks):
            para += 1
        offsets = self.offsets(para)
        at = bisect_left(offsets, offset, 0, len(offsets) - 1)
        lines = self._lines_of(para)
        best = lines[0]
        for index in lines:
            if self.lines[index].start <= at:
                best = index
        column = at - self.lines[best].start
        return best, max(0, min(column, len(self.text_of(best))))

    def columns(self, index: int, spans: Iterable[tuple[int, int]]
                ) -> list[tuple[int, int, int]]:
        """Body spans seen on line `index`: (first column, end column, span index)."""
        line = self.lines[index]
        if line.para < 0:
            return []
        span = self.span_of(index)
        if span is None:
            return []
        lo, hi = span
        offsets = self.offsets(line.para)
        n = len(self.text_of(index))
        a, b = line.start, min(line.start + n, len(offsets) - 1)
        out = []
        for number, (start, end) in enumerate(spans):
            if end <= lo or start >= hi or end <= start:
                continue
            c0 = bisect_left(offsets, start, a, b) - a
            c1 = bisect_left(offsets, end, a, b) - a
            if end > offsets[b - 1] if b > a else False:
                c1 = n
            if c1 > c0:
                out.append((c0, c1, number))
        return out


def _unshift(body: str, offset: int) -> int:
    """An offset into `visible(body)` (bidi controls dropped) as an offset into `body`."""
    kept = 0
    for index, char in enumerate(body):
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            continue
        if kept == offset:
            return index
        kept += 1
    return len(body)


def layout(body: str, width: int) -> list[Line]:
    """The body of an article as display lines `width` cells wide."""
    return layout_blocks(blocks(visible(body)), width)


def document(body: str, width: int) -> Document:
    """`layout` with the way back to body offsets (search marks, highlights, selection)."""
    return Document(body, width)


def header_lines(title: str, width: int, *, date: str | None = None,
                 source: str | None = None, author: str | None = None,
                 tags: Iterable[str] = (), url: str | None = None) -> list[Line]:
    """The article's heading: title, then date · source · author, tags and URL."""
    width = max(8, width)
    title = visible(title, one_line=True)
    date, source, author, url = (
        visible(v, one_line=True) if v else None for v in (date, source, author, url))
    tags = [visible(tag, one_line=True) for tag in tags]
    lines = wrap([(title or "Untitled", 0)], width, "title")
    meta = [part for part in (date, source, author) if part]
    if meta:
        lines.extend(wrap([(" · ".join(meta), 0)], width, "meta"))
    tag_list = list(tags)
    if tag_list:
        spans: list[Span] = []
        for index, tag in enumerate(tag_list):
            if index:
                spans.append(("  ", 0))
            spans.append(("#" + tag.replace(" ", "\u00a0"), 0))
        lines.extend(wrap(spans, width, "tags"))
    if url:
        lines.extend(wrap([(url, URL)], width, "meta"))
    lines.append(Line("rule", (), width))
    return lines


def plain(line: Line) -> str:
    """The text of a line, as the terminal shows it (for tests and copying)."""
    return "".join(text for text, _ in line.spans)
