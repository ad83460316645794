"""Blocks to display lines: spacing, prefixes, tables, code, the link list and the header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from reader.render.cells import cell_width, char_width, visible
from reader.render.lines import BLANK, BOLD, CODE, MARK, URL, Line, Span
from reader.render.parse_blocks import Block, blocks, references
from reader.render.parse_inline import inline
from reader.render.wrapping import wrap

HEADING_RULES = {"h1": "═", "h2": "─"}
"""Headings ruled under their text, so that levels differ even without colour."""
CONTINUED = "↪ "
"""The mark at the start of a code line that goes on from the line above."""


class Composer:
    """Blocks to display lines, one block (or table) at a time, in order.

    Keeps what spans blocks: the kind of the block before (for spacing), the link
    numbers and the reference definitions.
    """

    def __init__(self, width: int, links: dict[str, int] | None = None,
                 refs: dict[str, str] | None = None) -> None:
        self.width = max(8, width)
        self.links: dict[str, int] = {} if links is None else links
        """Link targets in order of first use: URL → the number shown after the text."""
        self.refs = refs
        self.previous = ""
        """The kind of the block laid out last ("" before the first)."""
        self.nesting = max(1, (self.width - 6) // 4)
        """The deepest quote or list level drawn (deeper ones are drawn at it), so that
        prefixes leave room for text however narrow the view."""

    def _gap(self, block: Block, out: list[Line]) -> None:
        kind, previous = block.kind, self.previous
        if previous and not block.joined and not (
                kind == "item" == previous and block.marker) and not (kind == "code" == previous):
            out.append(BLANK)
        self.previous = kind

    def block(self, block: Block, para: int = -1) -> list[Line]:
        """The lines of `block` (with the blank line before it), `para` their index."""
        out: list[Line] = []
        self._gap(block, out)
        kind, width = block.kind, self.width
        if kind == "rule":
            out.append(Line("rule", (), width))
        elif kind == "code":
            out.extend(_code_lines(block.text, width, para))
        elif kind == "quote":
            bar = "│ " * min(block.level, self.nesting)
            if not block.text:  # a blank line inside the quote keeps its bar
                mark = bar.rstrip()
                out.append(Line("quote", ((mark, MARK),), len(mark), para, 0, len(mark)))
            elif block.marker:  # a list item inside the quote
                lead: tuple[Span, ...] = ((bar + block.marker + " ", MARK),)
                hang: tuple[Span, ...] = ((bar, MARK), (" " * (cell_width(block.marker) + 1), 0))
                out.extend(self._text(block.text, "quote", lead, hang, para))
            else:
                prefix = ((bar, MARK),)
                out.extend(self._text(block.text, "quote", prefix, prefix, para))
        elif kind == "item":
            indent = "  " * min(block.level, self.nesting)
            marker = f"{indent}{block.marker} " if block.marker else indent + "  "
            hang = ((" " * cell_width(marker), 0),)
            out.extend(self._text(block.text, "item", ((marker, MARK),) if block.marker
                                  else hang, hang, para))
        elif kind[0] == "h":
            lines = self._text(block.text, kind, (), (), para)
            out.extend(lines)
            rule = HEADING_RULES.get(kind)
            if rule is not None and not block.joined:
                size = max((line.width for line in lines), default=0)
                out.append(Line(kind, ((rule * size, MARK),), size))
        else:
            out.extend(self._text(block.text, "p", (), (), para))
        return out

    def _text(self, text: str, kind: str, first: tuple[Span, ...], rest: tuple[Span, ...],
              para: int) -> list[Line]:
        spans = inline(text, 0, self.links, self.refs)
        if "\n" not in text and not any("\n" in t for t, _ in spans):
            return wrap(spans, self.width, kind, first, rest, para)
        # Hard line breaks: each line of the source wrapped on its own; the display text
        # has one character (shown as nothing) where each break is.
        out: list[Line] = []
        base = 0
        for index, part in enumerate(_split_lines(spans)):
            lines = wrap(part, self.width, kind, first if index == 0 else rest, rest, para)
            for line in lines:
                out.append(line._replace(start=line.start + base))
            last = out[-1]
            base = last.start + sum(len(t) for t, _ in last.spans) - last.lead + 1
        return out

    def table(self, rows: list[Block], paras: list[int]) -> list[Line]:
        """The lines of a run of table rows (with the blank line before them)."""
        out: list[Line] = []
        if self.previous:
            out.append(BLANK)
        self.previous = "table"
        out.extend(_table_lines(rows, paras, self.width, self.links, self.refs))
        return out

    def end(self) -> list[Line]:
        """The closing lines: the numbered list of the links shown."""
        out: list[Line] = []
        if self.links:
            width = self.width
            out.extend((BLANK, Line("rule", (), width)))
            for url, number in self.links.items():
                marker = f"[{number}] "
                out.extend(wrap([(url, URL)], width, "meta", ((marker, MARK),),
                                ((" " * len(marker), 0),)))
        return out


def _split_lines(spans: list[Span]) -> list[list[Span]]:
    """Runs cut at each newline into one list per line."""
    out: list[list[Span]] = [[]]
    for text, flags in spans:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                out.append([])
            if piece:
                out[-1].append((piece, flags))
    return out


def layout_blocks(items: Iterable[Block], width: int,
                  placed: list[Block] | None = None,
                  links: dict[str, int] | None = None,
                  refs: dict[str, str] | None = None) -> list[Line]:
    """Wrap blocks into lines with one blank line between blocks.

    `placed`, when given, collects the blocks that have text, in order; each
    line's `para` is its block's index there. `links` collects the link
    targets (URL → the number shown after the link's text); `refs` are the
    reference definitions links may use.
    """
    composer = Composer(width, links, refs)
    lines: list[Line] = []
    for group in tables(items):
        if isinstance(group, list):
            paras = []
            for row in group:
                paras.append(len(placed) if placed is not None else -1)
                if placed is not None:
                    placed.append(row)
            lines.extend(composer.table(group, paras))
            continue
        para = -1
        if placed is not None and group.kind != "rule":
            para = len(placed)
            placed.append(group)
        lines.extend(composer.block(group, para))
    lines.extend(composer.end())
    return lines


def tables(items: Iterable[Block]) -> Iterator[Block | list[Block]]:
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
_ALIGN_ROW = re.compile(r"^\s*:?-+:?\s*$")


def _cells(row: str) -> list[str]:
    cells = [c.strip() for c in _CELL_SPLIT.split(row.strip())]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _one_line(spans: list[Span]) -> list[Span]:
    """Runs with any line break (a link's trailing <br>) made a space: a cell is one line."""
    return [(text.replace("\n", " "), flags) if "\n" in text else (text, flags)
            for text, flags in spans]


def _alignment(cell: str) -> str:
    """"<", ">" or "^" for a delimiter cell (`---`, `---:`, `:---:`)."""
    cell = cell.strip()
    if cell.endswith(":"):
        return "^" if cell.startswith(":") else ">"
    return "<"


def _table_lines(rows: list[Block], paras: list[int], width: int,
                 links: dict[str, int], refs: dict[str, str] | None = None) -> list[Line]:
    """A Markdown table with its columns aligned and ruled, or, when it is wider than
    the view, each row as a wrapped line of its cells."""
    parsed = [_cells(row.text) for row in rows]
    rules = [bool(cells) and all(_ALIGN_ROW.match(c) for c in cells) for cells in parsed]
    header = {i - 1 for i, rule in enumerate(rules) if rule and i > 0}
    spans = [[_one_line(inline(c, BOLD if i in header else 0, links, refs)) for c in cells]
             if not rules[i] else [] for i, cells in enumerate(parsed)]
    columns = max((len(c) for c in parsed), default=0)
    align = ["<"] * columns
    for i, rule in enumerate(rules):
        if rule:
            for n, delimiter in enumerate(parsed[i][:columns]):
                align[n] = _alignment(delimiter)
            break
    widths = [0] * columns
    for row_spans in spans:
        for n, cell in enumerate(row_spans):
            widths[n] = max(widths[n], sum(cell_width(t) for t, _ in cell))
    total = sum(widths) + 3 * max(0, columns - 1)
    if not columns or total > width:  # each row its cells in a line, wrapped
        lines: list[Line] = []
        for i, para in enumerate(paras):
            if rules[i]:
                lines.append(Line("p", (("─" * width, MARK),), width, para, 0, width))
                continue
            cells: list[Span] = []
            for n, cell in enumerate(spans[i]):
                if n:
                    cells.append((" │ ", MARK))
                cells.extend(cell)
            lines.extend(wrap(cells or [("", 0)], width, "p", para=para))
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
                pad = widths[n] - sum(cell_width(t) for t, _ in cell)
                before = pad if align[n] == ">" else pad // 2 if align[n] == "^" else 0
                if before:
                    out.append((" " * before, MARK))
                out.extend(cell)
                if pad - before and n < columns - 1:
                    out.append((" " * (pad - before), MARK))
        text_width = sum(cell_width(t) for t, _ in out)
        lines.append(Line("p", tuple(out), text_width, para))
    return lines


def _code_lines(text: str, width: int, para: int = -1) -> list[Line]:
    """A line of code, cut into lines of `width` cells when longer: after a space where
    one falls in the second half of the line, else anywhere; each line that goes on from
    the one above starts with the `CONTINUED` mark."""
    size = cell_width(text)
    if size <= width:
        return [Line("code", ((text, CODE),) if text else (), size, para)]
    lines = []
    start = 0
    mark = ((CONTINUED, CODE | MARK),)
    lead = len(CONTINUED)
    while True:
        room = width if not start else max(1, width - lead)
        size = cell_width(text)
        if size <= room:
            lines.append(Line("code", (*(mark if start else ()), (text, CODE)),
                              size + (lead if start else 0), para, start, lead if start else 0))
            return lines
        cut, used = 0, 0
        for index, char in enumerate(text):
            w = char_width(char)
            if used + w > room:
                cut = index
                break
            used += w
        cut = max(cut, 1)
        space = text.rfind(" ", cut // 2, cut)
        if space > 0 and text[:space + 1].strip():
            cut = space + 1
            used = cell_width(text[:cut])
        lines.append(Line("code", (*(mark if start else ()), (text[:cut], CODE)),
                          used + (lead if start else 0), para, start, lead if start else 0))
        text = text[cut:]
        start += cut


def layout(body: str, width: int) -> list[Line]:
    """The body of an article as display lines `width` cells wide."""
    shown = visible(body)
    return layout_blocks(blocks(shown), width, refs=references(shown))


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

