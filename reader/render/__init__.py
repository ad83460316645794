"""Article Markdown to wrapped, styled lines, for the reading view.

Pure Python: no Textual, no Rich, no markup parsing of any kind. The output is
plain strings with style *names* (a block kind and inline flags); the
interface maps those to colours. Archive text therefore can never inject
styles, links or actions, whatever brackets it contains.

The layout is one fast pass over the body, made as it is read: blocks are
found line by line, inline emphasis is only looked for in paragraphs that
contain a marker character, and plain paragraphs are wrapped by the regex
engine. `document` lays out an article's first screens and the rest on demand,
so a 10 MB article opens as fast as a short one. The dialect is written down
in docs/markdown.md and checked against markdown-it-py.

The package's rooms: `cells` (widths, terminal safety), `lines` (the display
line), `parse_blocks` and `parse_inline` (Markdown), `wrapping`, `compose`
(blocks to lines) and `documents` (the lazy layout with body offsets).
"""

from __future__ import annotations

from reader.render.cells import cell_width, visible, without_soft_hyphens
from reader.render.compose import header_lines, layout, layout_blocks
from reader.render.documents import Document, Lines, document
from reader.render.lines import BLANK, BOLD, CODE, ITALIC, LINK, MARK, URL, Line, Span, plain
from reader.render.parse_blocks import Block, blocks
from reader.render.parse_inline import inline
from reader.render.wrapping import wrap

__all__ = [
    "BLANK",
    "BOLD",
    "CODE",
    "ITALIC",
    "LINK",
    "MARK",
    "URL",
    "Block",
    "Document",
    "Line",
    "Lines",
    "Span",
    "blocks",
    "cell_width",
    "document",
    "header_lines",
    "inline",
    "layout",
    "layout_blocks",
    "plain",
    "visible",
    "without_soft_hyphens",
    "wrap",
]
