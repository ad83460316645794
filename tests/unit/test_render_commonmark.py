"""The renderer against markdown-it-py (CommonMark, with GFM tables): for every construct
of the supported dialect (docs/markdown.md), the same blocks in the same order and
nesting, the same text, the same hard breaks, and the same inline styles and links."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.render import BOLD, CODE, ITALIC, LINK, MARK, URL, blocks, inline
from reader.render.parse_blocks import references

_MD = MarkdownIt("commonmark").enable("table")

Shape = tuple[str, int, str]
"""(kind, level, text): h1…h6, p, item (an item's first paragraph), item+ (a later
one), quote, code, rule, table; list nesting or quote depth; the text, whitespace
collapsed, a hard break as "\\n"."""


def _flat(text: str) -> str:
    return "\n".join(" ".join(part.split()) for part in text.split("\n"))


def _their_text(token: Token) -> str:
    """An inline token's source, a hard break as a newline, other line ends as spaces."""
    lines = token.content.split("\n")
    out = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        if not last and line.endswith("  "):
            out.append(line.strip() + "\n")
        elif not last and line.endswith("\\") and (len(line) - len(line.rstrip("\\"))) % 2:
            out.append(line.strip()[:-1] + "\n")
        else:
            out.append(line.strip() + ("" if last else " "))
    text = "".join(out)
    # The one deliberate difference: a backslash ending a paragraph (markdownify's <br>
    # at the end of a list item) is dropped, where CommonMark keeps it as text.
    if text.endswith("\\") and (len(text) - len(text.rstrip("\\"))) % 2:
        text = text[:-1].rstrip()
    return _flat(text)


def theirs(source: str) -> list[Shape]:
    shapes: list[Shape] = []
    quotes = lists = 0
    fresh_item = False
    tokens = _MD.parse(source)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif kind == "list_item_open":
            fresh_item = True
        elif kind == "heading_open":
            text = _their_text(tokens[index + 1]).replace("\n", " ")
            # A heading inside a quote is one of the quote's paragraphs.
            shapes.append(("quote", quotes, text) if quotes else (token.tag, 0, text))
        elif kind == "paragraph_open":
            text = _their_text(tokens[index + 1])
            if quotes and lists:
                shapes.append(("quote-item" if fresh_item else "quote", quotes, text))
                fresh_item = False
            elif lists:
                shapes.append(("item" if fresh_item else "item+", lists - 1, text))
                fresh_item = False
            elif quotes:
                shapes.append(("quote", quotes, text))
            else:
                shapes.append(("p", 0, text))
        elif kind in ("fence", "code_block"):
            shapes.append(("code", 0, token.content.rstrip("\n")))
        elif kind == "hr":
            shapes.append(("rule", 0, ""))
        elif kind == "table_open":
            shapes.append(("table", 0, ""))
            while tokens[index].type != "table_close":
                index += 1
        index += 1
    return _merged(shapes)


def ours(source: str) -> list[Shape]:
    shapes: list[Shape] = []
    for block in blocks(source):
        if block.kind == "item":
            shapes.append(("item" if block.marker else "item+", block.level, _flat(block.text)))
        elif block.kind == "quote":
            if block.text:  # (a quote's blank line is drawn, but holds no text)
                shapes.append(("quote-item" if block.marker else "quote", block.level,
                               _flat(block.text)))
        elif block.kind == "row":
            shapes.append(("table", 0, ""))
        elif block.kind in ("code", "rule"):
            shapes.append((block.kind, 0, block.text))
        else:
            shapes.append((block.kind, 0, _flat(block.text)))
    return _merged(shapes)


def _merged(shapes: list[Shape]) -> list[Shape]:
    """Runs of code lines as one code block, runs of rows as one table."""
    out: list[Shape] = []
    for shape in shapes:
        if out and shape[0] in ("code", "table") and out[-1][0] == shape[0]:
            if shape[0] == "code":
                out[-1] = ("code", 0, out[-1][2] + "\n" + shape[2])
            continue
        out.append(shape)
    return out


# -- inline -----------------------------------------------------------------------

def their_spans(text: str) -> list[tuple[str, int]]:
    """What the renderer should show for inline Markdown, from markdown-it's tokens: the
    text with its styles, a link's number after its text, an image as its alt text."""
    links: dict[str, int] = {}
    (block,) = [t for t in _MD.parse(text) if t.type == "inline"]
    out: list[tuple[str, int]] = []
    flags = 0
    hrefs: list[tuple[str, int]] = []
    for child in block.children or []:
        kind = child.type
        if kind == "text":
            out.append((child.content, flags))
        elif kind == "softbreak":
            out.append((" ", flags))
        elif kind == "code_inline":
            out.append((child.content, flags | CODE))
        elif kind == "strong_open":
            flags |= BOLD
        elif kind == "strong_close":
            flags &= ~BOLD
        elif kind == "em_open":
            flags |= ITALIC
        elif kind == "em_close":
            flags &= ~ITALIC
        elif kind == "link_open":
            hrefs.append((str(child.attrs["href"]), len(out)))
            flags |= LINK
        elif kind == "link_close":
            flags &= ~LINK
            href, start = hrefs.pop()
            shown = "".join(t for t, _ in out[start:])
            if href != shown:
                number = links.setdefault(href, len(links) + 1)
                out.append((f"[{number}]", flags | URL | MARK))
        elif kind == "image":
            alt = " ".join(child.content.split())
            out.append((alt, flags | LINK) if alt else ("image", flags | LINK | MARK))
            if not hrefs:
                number = links.setdefault(str(child.attrs["src"]), len(links) + 1)
                out.append((f"[{number}]", flags | URL | MARK))
    return _runs(out)


def our_spans(text: str) -> list[tuple[str, int]]:
    return _runs(inline(text, 0, {}, references(text)))


def _runs(spans: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for text, flags in spans:
        if not text:
            continue
        if out and out[-1][1] == flags:
            out[-1] = (out[-1][0] + text, flags)
        else:
            out.append((text, flags))
    return out


# -- the corpus ---------------------------------------------------------------------

CORPUS = {
    "atx headings": "# One\n\n## Two ##\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six",
    "setext headings": "Title\n=====\n\nSubtitle over\ntwo lines\n---\n\nText.",
    "paragraphs": "One line\nand its lazy continuation.\n\nA second paragraph.",
    "hard breaks": "A backslash\\\nbreak and two spaces  \nbreak.\n\nNot at the end\\",
    "markdownify breaks": "商品价格：0 元\\\n邮递信息：卖家承担运费\\\n联系方式：见下",
    "bullet lists": "- one\n- two\n  - nested\n    - deeper\n- three\n\n* star\n+ plus",
    "ordered lists": "1. first\n2. second\n   1. nested\n3) paren",
    "loose list with paragraphs": "* one para\n\n  second para\n\n  + nested\n* two",
    "list then paragraph": "- item\n\nAfter the list.",
    "lazy item line": "- an item\ngoes on here\n- next",
    "ordered only interrupts at 1": "The year\n1984. was long.\n\nA list\n1. starts here",
    "block quotes": "> quoted\n> more\n\n> another\n> > nested\n> > deeper",
    "quote with a gap": "> q1\n>\n> > q2\n>\n> q3",
    "lazy quote line": "> quoted\ngoes on",
    "list in a quote": "> Intro\n>\n> * one\n> * two\n>   lazy\n> 1. first\n\nOut.",
    "heading in a quote": "> ## Heading\n> After it.\n>\n> # Another",
    "markdownify quote": "> q1\n>\n> > q2\n>\n> * qi",
    "code in a quote": "> Intro\n> ```\n> code  here\n>   more\n> ```\n> After.",
    "code in a quote, closed by its end": "> ```\n> open\n\nAfter.",
    "a quote inside an item": "- item\n  > quoted\n\n  - nested after it\n- next",
    "an item that is code": "- ```\n  malloc\n  ```\n- next\n\n1. ```\n   x\n   ```",
    "fenced code": "```python\ndef f():\n    return 1\n```\n\n~~~\ntilde\n~~~",
    "fence in a list": "1. a\n\n   ```\n   code here\n   ```\n2. b",
    "empty fence": "```\n```\n\nAfter.",
    "long fence": "````\n```\nstill code\n````",
    "indented code": "Text.\n\n    code line\n      more\n\n    after gap\n\nText again.",
    "indented after heading": "# H\n    code",
    "indent continues a paragraph": "Paragraph\n    still paragraph",
    "rules": "Above\n\n---\n\n* * *\n\n___\n\nBelow",
    "rule after list": "- item\n\n---",
    "tables": "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\nAfter.",
    "table interrupting a paragraph": "Intro text\n| a | b |\n|---|--:|\n| 1 | 2 |",
    "pipe line in a paragraph": "Powered by Hexo\n| Theme – NexT\n\nNext.",
    "breaks with nothing beyond": "Text\\\n\\\n\nMore",
    "reference definitions": "See [x][1] and [Y].\n\n[1]: https://one.example \"One\"\n[y]: <https://y.example>",
    "hash without space": "#5 is not a heading\n\n#hashtag",
    "everything": ("Intro\n=====\n\nSome *text*.\n\n## Part\n\n- a\n- b\n\n> q\n\n```\nx\n```\n\n"
                   "    indented\n\n| h |\n|---|\n| c |\n\n---\n\nEnd."),
}


def test_corpus_has_the_same_block_structure() -> None:
    for name, source in CORPUS.items():
        assert ours(source) == theirs(source), name


INLINE = {
    "emphasis": "plain *italic* _under_ **bold** __strong__ ***both*** end",
    "code spans": "a `code` and ``co`de`` here",
    "links": "a [link](https://x.org) and [same](https://x.org) and [b](https://b.org \"t\")",
    "link with parentheses": "[wiki](https://en.wikipedia.org/wiki/F_(b)) after",
    "image": "an ![hat](https://h.org/h.png) here and ![](https://h.org/n.png)",
    "linked image": "[![alt text](https://m.example/i.jpg)](https://example.org/post)",
    "linked image without alt": "[![](https://m.example/i.jpg)](https://example.org/post)",
    "autolink": "see <https://auto.example> now",
    "escapes": r"\*not italic\* and a \[bracket\]",
    "reference links": "[x][1] and [Y] and [z][]\n\n[1]: https://one.example\n[y]: https://y.example"
                       "\n[z]: https://z.example",
    "undefined reference": "[not a link] and [x][nope]",
    "reference image": "see ![a hat][h] and ![Hat][]\n\n[h]: https://h.example/h.png\n"
                       "[hat]: https://h.example/2.png",
    "emphasis in a link": "[**bold** link](https://x.org)",
}


def test_inline_corpus_shows_what_commonmark_means() -> None:
    for name, source in INLINE.items():
        first = source.split("\n\n")[0]
        refs = references(source)
        shown = _runs(inline(first, 0, {}, refs))
        assert shown == their_spans(source), name
    assert our_spans("x") == [("x", 0)]


# -- generated documents ---------------------------------------------------------------

_word = st.sampled_from(["alpha", "beta", "gamma", "Zürich", "中文", "x1", "quiet", "lamp"])


@st.composite
def _phrase(draw: st.DrawFn) -> str:
    words = draw(st.lists(_word, min_size=1, max_size=6))
    style = draw(st.sampled_from(["", "*", "**", "***", "`", "_"]))
    text = " ".join(words)
    return f"{style}{text}{style}" if style else text


@st.composite
def _line(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_phrase(), st.sampled_from(
        ["[a link](https://l.example)", "![alt](https://i.example/p.png)",
         "[![](https://i.example/q.png)](https://l.example/q)"])), min_size=1, max_size=4))
    return " ".join(parts)


@st.composite
def _block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "h", "setext", "list", "olist", "quote", "fence", "indented",
                                 "rule", "table", "breaks", "quoted list"]))
    lines = draw(st.lists(_line(), min_size=1, max_size=3))
    if kind == "p":
        return "\n".join(lines)
    if kind == "h":
        return "#" * draw(st.integers(1, 6)) + " " + lines[0]
    if kind == "setext":
        return lines[0] + "\n" + draw(st.sampled_from(["===", "---", "=", "-----"]))
    if kind == "list":
        depth = draw(st.lists(st.integers(0, 2), min_size=len(lines), max_size=len(lines)))
        out, level = [], 0
        for line, want in zip(lines, depth, strict=True):
            level = min(want, level + 1) if out else 0
            out.append("  " * level + "- " + line)
        return "\n".join(out)
    if kind == "olist":
        return "\n".join(f"{n + 1}. {line}" for n, line in enumerate(lines))
    if kind == "quote":
        depth = draw(st.integers(1, 3))
        return "\n".join("> " * depth + line for line in lines)
    if kind == "quoted list":
        return "> " + lines[0] + "\n>\n" + "\n".join(f"> - {line}" for line in lines)
    if kind == "fence":
        return "```\n" + "\n".join(lines) + "\n```"
    if kind == "indented":
        return "\n".join("    " + line for line in lines)
    if kind == "rule":
        return draw(st.sampled_from(["---", "***", "___", "- - -"]))
    if kind == "table":
        return "| a | b |\n|---|:-:|\n" + "\n".join(f"| {w} | x |" for w in lines)
    return "\\\n".join(lines) if draw(st.booleans()) else "  \n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(_block(), min_size=1, max_size=6))
def test_generated_documents_have_the_same_block_structure(parts: list[str]) -> None:
    source = "\n\n".join(parts)
    assert ours(source) == theirs(source)


@settings(max_examples=300, deadline=None)
@given(_line())
def test_generated_lines_show_what_commonmark_means(line: str) -> None:
    assert our_spans(line) == their_spans(line)
