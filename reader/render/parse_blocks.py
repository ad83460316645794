"""Markdown blocks: headings, paragraphs, lists, quotes, code, rules and table rows.

One pass over the source lines, tolerant of anything: whatever is not a
construct of the supported dialect (docs/markdown.md) is paragraph text. Blocks
come out flat and in order (a list item or a quote is its kind and a level),
lazily, so a caller can stop after the first screenful.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)([-*+•◦▪‣])([ \t]+)(.*)$")
_BULLET_CHARS = "-*+•◦▪‣"
_NUMBER = re.compile(r"^([ \t]*)(\d{1,9})([.)])([ \t]+)(.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?(.*)$")
_QUOTE_MARK = re.compile(r" {0,3}>[ \t]?")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_DELIMITER = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?$")
_FENCE = re.compile(r"^( {0,3})(`{3,}(?=[^`]*$)|~{3,})")
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*<?([^\s>]+)>?"
                         r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$")
_DEFINITIONS = re.compile(r"^ {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*<?([^\s>]+)>?",
                          re.MULTILINE)
_ENDINGS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ENDING = re.compile(f"\r\n|[{_ENDINGS}]")

LONGEST = 1 << 13
"""Characters of source a block holds at most: a longer paragraph (a one-line text of
megabytes) is cut into blocks that follow each other without a gap, so that laying out
and aligning any one of them stays cheap."""


class Block(NamedTuple):
    kind: str
    """h1…h6, p, quote, item, code, rule or row (a table row)."""
    text: str
    """The block's text; "\\n" where the source has a hard line break."""
    level: int = 0
    """Nesting for list items (0: top level) and depth for quotes (1: `>`)."""
    marker: str = ""
    """The bullet or number of a list item; empty for a later paragraph of an item."""
    start: int = 0
    """Offset in the body where the block's source starts."""
    end: int = 0
    """Offset in the body where the block's source ends."""
    joined: bool = False
    """The block continues the one before it (a long paragraph cut at `LONGEST`, a
    quote's blank line): no gap between them."""


def source_lines(body: str) -> Iterator[tuple[str, int]]:
    """The lines of `body` without their endings, with their offsets; a line longer than
    `LONGEST` comes in pieces cut at a space where there is one. Each step looks at most
    `LONGEST` characters ahead, so the first lines of a huge one-line text come at once."""
    size = len(body)
    pos = 0
    search = _ENDING.search
    while pos < size:
        m = search(body, pos, pos + LONGEST + 1)
        if m is not None:
            yield body[pos:m.start()], pos
            pos = m.end()
        elif size - pos <= LONGEST:
            yield body[pos:], pos
            return
        else:
            cut = body.rfind(" ", pos + LONGEST // 2, pos + LONGEST)
            if cut <= pos:
                yield body[pos:pos + LONGEST], pos
                pos += LONGEST
            else:
                yield body[pos:cut], pos
                pos = cut + 1


def references(body: str) -> dict[str, str]:
    """Reference definitions (`[label]: url "title"`), by normalised label; the first
    definition of a label wins."""
    found: dict[str, str] = {}
    if "]:" not in body:
        return found
    for m in _DEFINITIONS.finditer(body):
        found.setdefault(label_key(m.group(1)), m.group(2))
    return found


def label_key(label: str) -> str:
    """A reference label as links match it: case and runs of whitespace ignored."""
    return " ".join(label.split()).casefold()


def _columns(prefix: str) -> int:
    return len(prefix.expandtabs(4))


def _dedent(raw: str, columns: int) -> tuple[str, int]:
    """`raw` without up to `columns` columns of leading indentation, and the number of
    characters removed."""
    used = removed = 0
    for char in raw:
        if used >= columns or char not in " \t":
            break
        used = used + 1 if char == " " else (used // 4 + 1) * 4
        removed += 1
    rest = raw[removed:]
    if used > columns:  # a tab went past: keep what it overshot as spaces
        rest = " " * (used - columns) + rest
    return rest.expandtabs(4), removed


def _hard_break(raw: str) -> tuple[str, str]:
    """The line's text without a trailing hard break, and the break: a backslash, two
    spaces (" "), or none ("")."""
    if raw.endswith("  "):
        return raw.strip(), " "
    line = raw.strip()
    if line.endswith("\\"):
        slashes = len(line) - len(line.rstrip("\\"))
        if slashes % 2:
            return line[:-1].rstrip(), "\\"
    return line, ""


def blocks(body: str) -> Iterator[Block]:
    """The Markdown blocks of `body`, in order; tolerant of anything."""
    parts: list[str] = []
    size = 0
    broken = ""  # the hard break that ended the paragraph's last line, if any
    kind, level, marker = "p", 0, ""
    p_start = p_end = 0
    joined = False
    fence = ""  # the opening fence while in a fenced block
    fence_indent = 0
    fence_lines = 0
    fence_quote = 0  # the depth of the quote a fenced block is in (0: none)
    inside: tuple[str, int] | None = None
    code_gap: list[tuple[int, int]] = []  # blank lines inside an indented block
    in_code = False
    items: list[int] = []  # content columns of the open list items, outermost first
    blank = True  # the previous line was blank (or there was none)
    gap: Block | None = None  # a quote's blank line, shown if the quote goes on
    quoted = False  # the previous line was part of a quote
    header: tuple[str, int, int, int, int, str] | None = None
    """A `|` line that went on a paragraph: (line, start, end, parts before it, the
    paragraph's end before it, its break); a table's header if a delimiter row follows."""

    def flush() -> Iterator[Block]:
        nonlocal parts, size, broken, joined
        if parts:
            # (A backslash that ends a paragraph is dropped too: markdownify writes one for
            # a <br> at the end of a list item, and it means nothing to a reader.)
            text = "".join(parts)
            if text[:1] == "\n" or text[-1:] == "\n":  # breaks with no text beyond them
                text = text.strip("\n")
            yield Block(kind, text, level, marker, p_start, p_end, joined)
            parts, size, broken, joined = [], 0, "", False

    def add(text: str, start: int, end: int, hard: str) -> Iterator[Block]:
        nonlocal size, broken, p_start, p_end, joined, kind, marker
        if parts and size + len(text) > LONGEST:  # a huge paragraph goes on in a new block
            yield from flush()
            joined = True
            if kind == "item":
                marker = ""
        if parts:
            parts.append("\n" if broken else " ")
        else:
            p_start = start
        parts.append(text)
        size += len(text) + 1
        broken, p_end = hard, end

    for raw, start in source_lines(body):
        end = start + len(raw)
        if fence and fence_quote:
            inside = _unquote(raw, fence_quote)
            if inside is None:  # the quote ended, and its code block with it
                fence, fence_quote = "", 0
        if fence:
            code, code_start = raw, start
            if fence_quote and inside is not None:
                code, removed = inside
                code_start += removed
            stripped = code.lstrip(" ")
            if (len(code) - len(stripped) <= 3 and stripped.startswith(fence)
                    and not stripped.rstrip(" \t").strip(fence[0])):
                if not fence_lines:
                    yield Block("code", "", 0, "", code_start, code_start)
                fence, fence_quote = "", 0
            else:
                text, removed = _dedent(code, fence_indent)
                fence_lines += 1
                yield Block("code", text, 0, "", code_start + removed, end)
            continue
        line = raw.strip()
        if not line:
            if in_code:
                code_gap.append((start, end))
                continue
            yield from flush()
            kind, level, marker = "p", 0, ""
            blank, quoted, gap = True, False, None
            continue
        indent_chars = len(raw) - len(raw.lstrip(" \t"))
        indent = _columns(raw[:indent_chars])
        if in_code:
            if indent >= 4:
                for a, b in code_gap:
                    yield Block("code", "", 0, "", a, b)
                code_gap = []
                text, removed = _dedent(raw, 4)
                yield Block("code", text, 0, "", start + removed, end)
                continue
            in_code, code_gap = False, []
        was_blank, blank = blank, False
        if items and was_blank:
            while items and indent < items[-1]:
                items.pop()
        if indent >= 4 and not parts and not items:
            yield from flush()
            in_code = True
            text, removed = _dedent(raw, 4)
            yield Block("code", text, 0, "", start + removed, end)
            continue
        first = line[0]
        was_quoted, quoted = quoted, False
        if header is not None:
            head_line, head_start, head_end, kept, kept_end, kept_break = header
            header = None
            if first in "|:-" and _DELIMITER.match(line):  # a table interrupts the paragraph
                del parts[kept:]
                p_end, broken = kept_end, kept_break
                yield from flush()
                yield Block("row", head_line, 0, "", head_start, head_end)
                yield Block("row", line, 0, "", start, end)
                kind, level, marker = "p", 0, ""
                continue
        if first != ">":
            gap = None  # a quote's blank line shows only between lines of the quote
        if first in "=-" and parts and kind == "p" and indent < 4 and _SETEXT.match(raw):
            text = "".join(parts).replace("\n", " ")
            yield Block("h1" if first == "=" else "h2", text, 0, "", p_start, p_end, joined)
            parts, size, broken, joined = [], 0, "", False
            continue
        if indent < 4 and first == "#" and (m := _HEADING.match(line)):
            yield from flush()
            while items and indent < items[-1]:
                items.pop()
            yield Block(f"h{len(m.group(1))}", (m.group(2) or "").strip(), 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in "`~" and (m := _FENCE.match(raw)):
            yield from flush()
            while items and indent < items[-1]:
                items.pop()
            fence, fence_indent, fence_lines = m.group(2), len(m.group(1)), 0
            continue
        if first in "-*_" and _RULE.match(raw):
            yield from flush()
            while items and indent < items[-1]:
                items.pop()
            yield Block("rule", "", 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first == ">" and (m := _QUOTE.match(raw)):
            inner = m.group(1)
            depth = 1
            while (stripped := inner.lstrip(" ")).startswith(">"):
                inner = stripped[1:]
                depth += 1
            text, hard = _hard_break(inner)
            quoted = True
            while items and indent < items[-1]:  # (a quote indented under an item is in it)
                items.pop()
            if text[:1] in ("`", "~") and (fm := _FENCE.match(inner)):  # code in the quote
                yield from flush()
                gap = None
                kind, level, marker = "quote", depth, ""
                fence, fence_indent, fence_lines = fm.group(2), len(fm.group(1)), 0
                fence_quote = depth
                continue
            head, content = _quoted_block(text) if text else (None, "")
            if not content:  # a blank line of the quote (or an empty heading or item)
                yield from flush()
                if was_quoted:
                    gap = Block("quote", "", depth, "", start, end, True)
                kind, level, marker = "quote", depth, ""
                continue
            inner_start = start + len(raw) - len(inner.lstrip())
            if head is not None or kind != "quote" or depth != level or gap is not None:
                yield from flush()
                if gap is not None:
                    yield gap._replace(level=min(gap.level, depth))
                    joined = True
                elif head and was_quoted:  # a list item inside the quote: no gap before it
                    joined = True
                gap = None
                marker = head or ""
            kind, level = "quote", depth
            inner_start += len(text) - len(content)
            yield from add(content, inner_start, end, hard)
            if head == "":  # a heading inside the quote stands alone
                yield from flush()
                gap = Block("quote", "", depth, "", end, end, True)
            continue
        if first == "|" and indent < 4 and parts and kind == "p" and not joined:
            # Text of the paragraph, unless the next line makes it a table's header.
            header = (line, start, end, len(parts), p_end, broken)
            text, hard = _hard_break(raw)
            yield from add(text, start + indent_chars, end, hard)
            continue
        if first == "|" and indent < 4:
            yield from flush()
            yield Block("row", line, 0, "", start, end)
            kind, level, marker = "p", 0, ""
            continue
        if first in _BULLET_CHARS and (m := _BULLET.match(raw)):
            yield from flush()
            _item(items, indent, _columns(m.group(1) + m.group(2) + m.group(3)))
            if (fm := _FENCE.match(m.group(4))) is not None:  # an item that is code
                fence, fence_indent, fence_lines = fm.group(2), items[-1], 0
                continue
            kind, level, marker = "item", len(items) - 1, "•"
            text, hard = _hard_break(m.group(4))
            yield from add(text, start + len(raw) - len(m.group(4)), end, hard)
            continue
        if first.isdigit() and (m := _NUMBER.match(raw)) and (
                not parts or kind != "p" or m.group(2) == "1"):
            yield from flush()
            _item(items, indent, _columns(m.group(1)) + len(m.group(2)) + 1
                  + _columns(m.group(4)))
            if (fm := _FENCE.match(m.group(5))) is not None:  # an item that is code
                fence, fence_indent, fence_lines = fm.group(2), items[-1], 0
                continue
            kind, level, marker = "item", len(items) - 1, m.group(2) + m.group(3)
            text, hard = _hard_break(m.group(5))
            yield from add(text, start + len(raw) - len(m.group(5)), end, hard)
            continue
        if first == "[" and not parts and _DEFINITION.match(raw):
            continue  # shown where it is used
        if was_blank or not parts:
            yield from flush()
            if items:  # a later paragraph of a list item
                kind, level, marker = "item", len(items) - 1, ""
            else:
                kind, level, marker = "p", 0, ""
        text, hard = _hard_break(raw)
        yield from add(text, start + indent_chars, end, hard)
    yield from flush()  # (trailing blank lines of an indented code block are dropped)


def _unquote(raw: str, depth: int) -> tuple[str, int] | None:
    """`raw` without `depth` quote markers (each `>` with up to three spaces before it
    and one after), and the characters removed; None when it has fewer."""
    at = 0
    for _ in range(depth):
        m = _QUOTE_MARK.match(raw, at)
        if m is None:
            return None
        at = m.end()
    return raw[at:], at


def _quoted_block(text: str) -> tuple[str | None, str]:
    """What starts a line inside a quote: a list item's marker, "" for a heading (its
    text follows), None for paragraph text; and the text without the marker."""
    first = text[0]
    if first in _BULLET_CHARS and (m := _BULLET.match(text)) and not _RULE.match(text):
        return "•", m.group(4)
    if first.isdigit() and (m := _NUMBER.match(text)):
        return m.group(2) + m.group(3), m.group(5)
    if first == "#" and (m := _HEADING.match(text)):
        return "", (m.group(2) or "").strip()
    return None, text


def _item(items: list[int], indent: int, content: int) -> None:
    """Open a list item at `indent` whose text starts at column `content`: it nests in
    the items whose text starts at or before its marker (six levels at most)."""
    while items and indent < items[-1]:
        items.pop()
    del items[6:]
    items.append(content)
