"""Code blocks: every `<pre>` one fenced block with its text and its language.

Pages mark code up in many ways: highlighters wrap each token in a `<span>`
and each line in another; some put a line-number gutter beside the code
(a table, or a `<pre>` of numbers) or inside it; old ones break lines with
`<br>`; the language sits on the `<pre>`, the `<code>` or a wrapping `<div>`
(`language-go`, `highlight-python`, `brush: js`, `data-lang`). `normalize`
rewrites each outermost `<pre>` as a plain one holding only its text, with
`data-lang` set, before the tree becomes Markdown.

Extractors rewrite code too (trafilatura nests a `<pre>` in a `<pre>`, turns
a `<pre>` without `<code>` into a block quote and loses the language), so
`restore` puts the page's own blocks back into an extracted fragment, matched
by their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_LANGUAGE = re.compile(
    r"(?:^|\s)(?:language|lang|highlight-source|highlight|brush:?|sourceCode)-?\s*"
    r"([A-Za-z][\w+#.-]*)", re.IGNORECASE)
_NOT_LANGUAGES = {"none", "plaintext", "plain", "nohighlight", "text", "txt", "source",
                  "default", "notranslate", "chroma", "highlight", "wrap", "line", "numbers"}
_GUTTER_CLASSES = frozenset({
    "linenos", "lineno", "linenodiv", "linenumber", "linenumbers", "line-number",
    "line-numbers", "line-numbers-rows", "gutter", "rouge-gutter", "hljs-ln-numbers",
    "hljs-ln-n", "ln", "lnt", "ln-num", "code-line-number", "blob-num"})
"""Classes highlighters give line numbers (Pygments, Rouge, Chroma, highlight.js,
Prism, GitHub)."""
_NUMBERS = re.compile(r"^[\s\d.:]*$")
_SPACE = re.compile(r"\s+")


def language(el: Any) -> str | None:
    """The language a `<pre>` (or the `<code>` in it, or a wrapper up to two levels
    above) names, lower-cased; None when it names none."""
    nodes = [el, *el.iter("code")][:2]
    parent = el.getparent()
    for _ in range(2):
        if parent is None:
            break
        nodes.append(parent)
        parent = parent.getparent()
    for node in nodes:
        for attr in ("data-lang", "data-language", "lang"):
            value = (node.get(attr) or "").strip().lower()
            if value and value not in _NOT_LANGUAGES and node.tag != "html":
                return value
        for match in _LANGUAGE.finditer(node.get("class") or ""):
            value = match.group(1).lower().rstrip(".-")
            if value not in _NOT_LANGUAGES:
                return value
    return None


def _all_text(el: Any) -> str:
    return "".join(el.itertext())


def _is_gutter(el: Any) -> bool:
    classes = set((el.get("class") or "").lower().split())
    if classes & _GUTTER_CLASSES or el.get("data-line-number") is not None:
        return True
    return el.get("aria-hidden") == "true" and _NUMBERS.match(_all_text(el)) is not None


def code_text(pre: Any) -> str:
    """The text of a code block: `<br>` as line breaks, gutters and numbers left out."""
    rows = list(pre.iter("tr"))
    if rows:  # a table of lines inside the block (hljs-ln and the like)
        lines = []
        for row in rows:
            cells = [c for c in row if isinstance(c.tag, str) and not _is_gutter(c)]
            if len(cells) > 1 and _NUMBERS.match(_all_text(cells[0])):
                cells = cells[1:]
            lines.append("".join(_text(c) for c in cells))
        return _trim("\n".join(lines))
    return _trim(_text(pre))


def _text(el: Any) -> str:
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tail and node is not el:
                parts.append(node.tail)
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag:  # a comment or processing instruction
            if node.tail:
                parts.append(node.tail)
            continue
        if node is not el and _is_gutter(node):
            if node.tail:
                parts.append(node.tail)
            continue
        if tag == "br":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return "".join(parts)


def _trim(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\xa0", " ").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def _outermost(root: Any) -> list[Any]:
    return [pre for pre in root.iter("pre")
            if not any(a.tag == "pre" for a in pre.iterancestors())]


def _plain_pre(text: str, lang: str | None, tail: str | None) -> Any:
    import lxml.html

    pre = lxml.html.Element("pre")
    pre.text = text
    if lang:
        pre.set("data-lang", lang)
    pre.tail = tail
    return pre


def _drop_gutter_table(pre: Any) -> Any:
    """A layout table holding a gutter cell and the code cell: just the code."""
    cell = next((a for a in pre.iterancestors() if a.tag in ("td", "th")), None)
    if cell is None:
        return pre
    table = next(cell.iterancestors("table"), None)
    if table is None or table.getparent() is None:
        return pre
    others = [c for c in table.iter("td", "th") if c is not cell]
    if not others or not all(_NUMBERS.match(_all_text(c)) for c in others):
        return pre
    holder = pre.getparent()
    if holder is not None:
        holder.remove(pre)
    pre.tail = table.tail
    table.getparent().replace(table, pre)
    return pre


def normalize(root: Any) -> None:
    """Each outermost `<pre>` under `root` replaced by a plain one (text, data-lang)."""
    for pre in _outermost(root):
        parent = pre.getparent()
        if parent is None:
            continue
        if _is_gutter(pre) or (_NUMBERS.match(_all_text(pre)) and any(
                _is_gutter(a) for a in list(pre.iterancestors())[:3])):
            pre.drop_tree()
            continue
        text = code_text(pre)
        if not text.strip():
            pre.drop_tree()
            continue
        plain = _plain_pre(text, language(pre), pre.tail)
        parent.replace(pre, plain)
        _drop_gutter_table(plain)


def _key(text: str) -> str:
    return _SPACE.sub("", text)


ANCHOR = 40
"""Characters of text before a block that place it when an extractor emptied it."""


def _before(el: Any) -> str:
    """The last ANCHOR non-space characters of the text before `el` (scripts aside)."""
    found = ""
    for text in reversed(el.xpath("preceding::text()[not(ancestor::script or "
                                  "ancestor::style)]")):
        found = _key(str(text)) + found
        if len(found) >= ANCHOR:
            break
    return found[-ANCHOR:]


@dataclass(frozen=True, slots=True)
class Block:
    """A page's code block: its text without spaces (to match), text, language, and
    the text just before it."""

    key: str
    text: str
    lang: str | None
    before: str


def page_blocks(doc: Any) -> list[Block]:
    """The code blocks of a page, gutters left out."""
    blocks = []
    for pre in _outermost(doc):
        if _is_gutter(pre) or _NUMBERS.match(_all_text(pre)):
            continue
        text = code_text(pre)
        key = _key(text)
        if len(key) >= 2:
            blocks.append(Block(key, text, language(pre), _before(pre)))
    return blocks


def _parse_fragment(fragment: str) -> Any:
    """An extractor's output as a tree: as XML when it is (trafilatura writes XML,
    which the HTML parser would rearrange: a table in a `<pre>`), else as HTML."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.etree.fromstring(fragment.encode("utf-8"), lxml.etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True))
        body = root.find("body") if root.tag == "html" else None
        return body if body is not None else root
    except lxml.etree.XMLSyntaxError:
        pass
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some inputs
        return None


_INLINE_PARENTS = frozenset({"p", "span", "a", "em", "strong", "b", "i", "li", "h1", "h2",
                             "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "figcaption"})


def _inline(pre: Any) -> bool:
    """A `<pre>` inside a line of prose: one line, with words beside it."""
    parent = pre.getparent()
    if parent is None or parent.tag not in _INLINE_PARENTS or "\n" in _all_text(pre).strip():
        return False
    beside = (parent.text or "") + (pre.tail or "") + "".join(
        (c.tail or "") + _all_text(c) for c in parent if c is not pre)
    return bool(beside.strip())


def restore(fragment: str, blocks: list[Block]) -> str:
    """An extracted fragment with the page's own code blocks put back.

    A `<pre>` (however nested), or a block quote or `<code>` whose text is all
    of a page block's, becomes that block again; an emptied `<pre>` takes the
    block that followed the same text in the page.
    """
    if not blocks or not fragment:
        return fragment
    import lxml.html

    root = _parse_fragment(fragment)
    if root is None:
        return fragment
    by_key = {block.key: block for block in blocks}
    changed = False
    candidates = [*_outermost(root),
                  *(el for el in root.iter("blockquote", "code", "p")
                    if not any(a.tag in ("pre", "blockquote") for a in el.iterancestors()))]
    for el in candidates:
        if el.getparent() is None:
            continue
        key = _key(code_text(el) if el.tag == "pre" else _text(el))
        found = by_key.get(key)
        if el.tag == "pre" and _inline(el):
            el.tag = "code"  # trafilatura writes inline code as <pre>
            changed = True
            continue
        if found is not None and el.tag in ("code", "p") and "\n" not in found.text and len(
                key) < 40:
            continue  # a short one-line block: the same words inline in prose stay there
        if found is None and el.tag == "pre" and len(key) >= 20:
            found = next((b for b in blocks if key in b.key), None)
        if found is None and el.tag == "pre" and not key:
            before = _before(el)
            found = next((b for b in blocks if len(before) >= 10 and b.before
                          and (b.before.endswith(before) or before.endswith(b.before))), None)
        if found is None:
            continue
        plain = _plain_pre(found.text, found.lang, el.tail)
        el.getparent().replace(el, plain)
        _drop_gutter_table(plain)
        changed = True
    if not changed:
        return fragment
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in [root])


def fence(text: str, lang: str | None) -> str:
    """A fenced Markdown block for `text`, its fence longer than any run of backticks in it."""
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    marks = "`" * max(3, longest + 1)
    return f"\n\n{marks}{lang or ''}\n{text}\n{marks}\n\n"
