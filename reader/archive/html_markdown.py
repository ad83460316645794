"""HTML → Markdown: the one place HTML becomes Markdown.

markdownify, configured here: ATX headings, fenced code with its language,
tables, links only for http(s)/mailto, images as alt text with their URL.
Pages, feeds, WordPress posts and read-it-later exports all come through
`markdown_from_html`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.archive import codeblocks
from reader.clean import sanitize, slug_title, squash

SAFE_SCHEMES = ("http", "https", "mailto")
# markdownify recurses once per element level and Python stops near 1000
# frames (about 350 levels); deeper fragments are flattened to paragraphs.
MAX_DEPTH = 200
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed",
              "form", "button", "input", "select", "textarea", "svg", "canvas", "nav")


def safe_url(url: str | None, base: str | None) -> str | None:
    """`url` resolved against `base` when its scheme is http(s) or mailto, else None."""
    if not url:
        return None
    url = "".join(url.split())  # browsers ignore whitespace inside URLs
    try:
        resolved = urljoin(base, url) if base else url
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return None
    return resolved if scheme in SAFE_SCHEMES else None


@functools.cache
def _converter() -> type:
    """markdownify, configured for reader; built on first use (importing markdownify
    and BeautifulSoup costs ~90 ms that text-dump imports should not pay)."""
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):  # type: ignore[misc]
        """markdownify with safe links, resolved URLs and images as alt text + URL."""

        def __init__(self, base: str | None = None, **options: Any) -> None:
            super().__init__(**options)
            self.base = base

        def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
            href = safe_url(el.get("href"), self.base)
            if href is None:
                return text
            el["href"] = href
            el.attrs.pop("title", None)
            return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

        def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
            code = el.get_text()
            if not code.strip():
                return ""
            return codeblocks.fence(code.strip("\n"), el.get("data-lang"))

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            alt = squash(el.get("alt") or "")
            src = safe_url(el.get("src") or el.get("data-src"), self.base)
            if src is None or src.startswith("mailto:"):
                return alt
            return f"![{alt}]({src})"

    return Converter


_OPTIONS: dict[str, Any] = {
    "heading_style": "ATX",
    "bullets": "-",
    "escape_asterisks": True,
    "escape_underscores": True,
    "escape_misc": False,
    "table_infer_header": True,
    "newline_style": "BACKSLASH",
}


def html_parser() -> Any:
    """An lxml HTML parser without libxml2's 256-level depth limit (we flatten instead)."""
    import lxml.html

    return lxml.html.HTMLParser(huge_tree=True, remove_comments=True)


def _depth(root: Any) -> int:
    """The depth of the deepest element below `root` (iterative, no recursion)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node)
    return deepest


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
           "section", "article", "dd", "dt", "td", "th", "figcaption", "br", "table", "ul", "ol"}


def _flat_text(root: Any) -> str:
    """Paragraphs of a too-deep tree, without recursion."""
    parts: list[str] = []
    current: list[str] = []
    for event, node in _iterwalk(root):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _DROP_TAGS:
            continue
        if event == "start" and node.text:
            current.append(node.text)
        if tag in _BLOCKS:
            line = squash("".join(current))
            if line:
                parts.append(line)
            current = []
        if event == "end" and node.tail:
            current.append(node.tail)
    line = squash("".join(current))
    if line:
        parts.append(line)
    return "\n\n".join(parts)


def _iterwalk(root: Any) -> Iterator[tuple[str, Any]]:
    stack: list[tuple[str, Any]] = [("start", root)]
    while stack:
        event, node = stack.pop()
        yield event, node
        if event == "start":
            stack.append(("end", node))
            if not (isinstance(node.tag, str) and node.tag in _DROP_TAGS):
                stack.extend(("start", child) for child in reversed(node))


_BLOCK_CONTENT = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                  "blockquote", "pre", "article", "section", "dl", "form")
LAYOUT_CELL_CHARS = 400
"""A table cell with more text than this (or with paragraphs, lists, headings…
inside) is page layout, not data."""


def _unwrap_layout_tables(root: Any) -> None:
    """Tables used to lay a page out become their cells' content, in reading order.

    Old pages (LWN, forums, mailing-list archives) hold the whole article in a
    table cell; as a Markdown table it would be one enormous row. A data table
    (short cells of text) stays a table.
    """
    import lxml.html

    for table in reversed(list(root.iter("table"))):
        # Its own cells: those of a data table inside one move with that cell.
        cells = [c for c in table.iter("td", "th")
                 if next(c.iterancestors("table"), None) is table]
        layout = any(
            next(cell.iter(*_BLOCK_CONTENT), None) is not None
            or len(cell.text_content()) > LAYOUT_CELL_CHARS
            for cell in cells)
        parent = table.getparent()
        if not layout or parent is None:
            continue
        box = lxml.html.Element("div")
        for cell in cells:
            part = lxml.html.Element("div")
            part.text = cell.text
            for child in list(cell):
                part.append(child)
            box.append(part)
        box.tail = table.tail
        parent.replace(table, box)


def markdown_from_html(fragment: str, base: str | None = None) -> str:
    """Markdown for an HTML fragment; the one place HTML becomes Markdown."""
    import lxml.html

    if not fragment.strip():
        return ""
    from reader.clean import needs_sanitizing, sanitize

    # lxml refuses text holding control characters: without this a feed entry's
    # plain-text summary with one escape in it would lose its whole body.
    if needs_sanitizing(fragment):
        fragment = sanitize(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=html_parser())
    except Exception:  # lxml refuses some inputs (only comments, bad bytes)
        return ""
    for node in list(root.iter(*_DROP_TAGS)):
        if node.getparent() is not None:
            node.drop_tree()
    codeblocks.normalize(root)
    _unwrap_layout_tables(root)
    if _depth(root) > MAX_DEPTH:
        return tidy_markdown(_flat_text(root))
    cleaned = lxml.html.tostring(root, encoding="unicode")
    try:
        markdown = _converter()(base, **_OPTIONS).convert(cleaned)
    except RecursionError:
        return tidy_markdown(_flat_text(root))
    return tidy_markdown(markdown)


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^(?:#{1,6}\s|>\s?|```\S*|[-*]\s)|\\(?=[^\w\s])", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """The reading text of a Markdown body: no images, URLs or markup (for scoring)."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    return _MARKS.sub("", text)


_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$", re.MULTILINE)


def _collapse_blanks(text: str) -> str:
    """Runs of blank lines as one, except inside fenced code (kept as written)."""
    if "```" not in text and "~~~" not in text:
        return _BLANKS.sub("\n\n", text)
    parts: list[str] = []
    start = 0
    fence = ""
    for match in _FENCE_LINE.finditer(text):
        mark = match.group(1)
        if not fence:
            parts.append(_BLANKS.sub("\n\n", text[start:match.start()]))
            start, fence = match.start(), mark
        elif mark[0] == fence[0] and len(mark) >= len(fence) and not match.group(2).strip():
            parts.append(text[start:match.end()])
            start, fence = match.end(), ""
    rest = text[start:]
    parts.append(rest if fence else _BLANKS.sub("\n\n", rest))
    return "".join(parts)


def tidy_markdown(text: str) -> str:
    text = sanitize(text.replace("\r\n", "\n").replace("\xa0", " "))
    text = _TRAILING.sub("\n", text)
    return _collapse_blanks(text).strip()


def drop_leading_title(body: str, title: str) -> str:
    """Drop a first heading or line that only repeats the title."""
    first, _, rest = body.partition("\n")
    plain = first.lstrip("#").strip().strip("*_").strip()
    if title and squash(plain).casefold() == squash(title).casefold():
        return rest.strip()
    return body


_BOILERPLATE = re.compile(
    r"^(?:view (?:this (?:email|newsletter|message) )?(?:in|on) (?:your |a |the )?(?:web )?"
    r"browser|view online|web version|unsubscribe|if you (?:are having|can'?t|cannot) "
    r"(?:trouble )?(?:view|read|see)|having trouble viewing|skip to (?:main )?content|"
    r"advertisement|sponsored)\b", re.IGNORECASE)


def title_from_body(body: str, limit: int = 80) -> str:
    """A title for an untitled page: its first line of words.

    Table rows, rules, images, code, link-only lines and mail boilerplate
    (`View in browser`) are not titles.
    """
    fenced = False
    for raw in body.split("\n"):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or not line or line.startswith(("|", "---", "***", "___", "![")):
            continue
        text = squash(re.sub(r"[#*_>`\[\]()!|\\]", " ", plain_text(line)))
        if len(text) >= 3 and not _BOILERPLATE.match(text) and any(c.isalpha() for c in text):
            return slug_title(text, limit)
    return slug_title(squash(re.sub(r"[#*_>`\[\]()!|\\-]", " ", body)), limit) or "Untitled"
