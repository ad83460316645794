"""Blocks to display lines: spacing, prefixes, tables, code, the link list and the header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from reader.render.cells import cell_width, char_width, visible
from reader.render.lines import BLANK, BOLD, CODE, MARK, URL, Line, Span
from reader.render.parse_blocks import Block, blocks
from reader.render.parse_inline import inline
from reader.render.wrapping import wrap


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
            w = char_width(char)
            if used + w > width:
                cut = index
                break
            used += w
        cut = max(cut, 1)
        lines.append(Line("code", ((text[:cut], CODE),), used, para, start))
        text = text[cut:]
        start += cut



def layout(body: str, width: int) -> list[Line]:
    """The body of an article as display lines `width` cells wide."""
    return layout_blocks(blocks(visible(body)), width)



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

