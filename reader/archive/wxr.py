"""WordPress eXtended RSS (WXR) exports, parsed with defusedxml.

Published posts (pages too with `include_pages`) with their tags and
categories, date, author and `content:encoded` through the same HTML →
Markdown path as saved pages. Both export namespaces (`http://` and
`https://wordpress.org/export/1.x/`) are matched by local name. Gutenberg
block comments are removed and shortcodes reduced to their text; code
shortcodes (`[code lang="js"]`, `[bash]`) and `<pre>` blocks stay code, as
written, with their language. Characters XML forbids (control characters, even
in CDATA) are removed before the parse (`reader.archive.xmlsafe`): the post
keeps every word. When the file is still not well-formed XML, each `<item>` is
parsed on its own: the valid posts are kept and the bad ones named by line.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

from reader.archive.decoding import decode
from reader.archive.format import Format, Input
from reader.archive.markup import declares_wxr, root_element
from reader.archive.source import ArchiveError
from reader.archive.xmlsafe import refuse_entities, xml_bytes
from reader.clean import clean_title, squash
from reader.models import ParsedArticle, Provenance

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_WP = re.compile(r"^\{https?://wordpress\.org/export/[\d.]+/\}")


def looks_like_wxr(head: bytes) -> bool:
    return declares_wxr(head[:16384])


def _local(tag: str) -> tuple[str, str]:
    """(namespace kind, local name) of an ElementTree tag."""
    if not isinstance(tag, str):  # an entity or comment node of a leniently read file
        return "", ""
    if not tag.startswith("{"):
        return "", tag
    uri, local = tag[1:].split("}", 1)
    if "wordpress.org/export/" in uri:
        return ("excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"), local
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content", local
    if "purl.org/dc/elements" in uri:
        return "dc", local
    return uri, local


def _find(item: Element, kind: str, name: str) -> str:
    for child in item:
        if _local(child.tag) == (kind, name):
            return (child.text or "").strip()
    return ""


_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.DOTALL)
# Each attribute one way only (a name and its value, or a quoted or bare word), the
# runs possessive: a long `[name a b c …` never closed costs linear time, not exponential.
_ATTRS = (r"""((?:\s+(?:[^\s\]"'=\[]++(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s\]"']++))?"""
          r"""|"[^"]*"|'[^']*'))*)\s*/?""")
_CAPTION = re.compile(r"\[(caption|wp_caption)" + _ATTRS + r"\](.*?)\[/\1\]",
                      re.DOTALL | re.IGNORECASE)
_CAPTION_TEXT = re.compile(r"""\bcaption\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_EMBED = re.compile(r"\[embed" + _ATTRS + r"\]\s*(\S+?)\s*\[/embed\]", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[/?([a-zA-Z][\w-]*)" + _ATTRS + r"\]")
_CLOSING = re.compile(r"\[/([a-zA-Z][\w-]*)\]")
SHORTCODES = frozenset({
    "gallery", "audio", "video", "playlist", "embed", "caption", "wp_caption", "more",
    "contact-form", "contact-form-7", "googlemaps", "youtube", "vimeo", "soundcloud",
    "twitter", "tweet", "instagram", "archives", "sitemap", "code", "sourcecode", "latex",
    "polldaddy", "slideshow", "recipe", "fusion_builder_container", "vc_row", "vc_column",
    "vc_column_text", "et_pb_section", "et_pb_row", "et_pb_column", "et_pb_text"})
"""Shortcodes WordPress and its common plugins define; any other `[name …]` goes only
when it has attributes or a closing `[/name]` (prose like `[sic]` stays)."""


_MEDIA = frozenset({"audio", "video", "embed", "playlist"})
_MEDIA_URL = re.compile(r"https?://[^\s\]\"'<>]+")


def _strip_shortcodes(content: str) -> str:
    closed = {name.lower() for name in _CLOSING.findall(content)}

    def strip(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        attrs = match.group(2) or ""
        if name in _MEDIA and not match.group().startswith("[/"):
            link = _MEDIA_URL.search(attrs)
            if link:  # `[audio https://…mp3]`, `[video mp4="…"]`: the file as a link
                url = html.escape(link.group())
                return f'<p><a href="{url}">{url}</a></p>'
        if name in SHORTCODES or name in closed or "=" in attrs:
            return ""
        return match.group()

    return _SHORTCODE.sub(strip, content)
_BLOCK_TAG = re.compile(r"^\s*</?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|"
                        r"dl|section|img|!--)", re.IGNORECASE)


def _figure(match: re.Match[str]) -> str:
    """A `[caption]` shortcode as a figure; the old `caption="…"` attribute as its caption."""
    inner = match.group(3)
    named = _CAPTION_TEXT.search(match.group(2) or "")
    caption = (named.group(1) or named.group(2) or "") if named else ""
    if caption and caption not in inner:
        inner += f"<figcaption>{caption}</figcaption>"
    return f"<figure>{inner}</figure>"


CODE_SHORTCODES = frozenset({
    "as3", "actionscript3", "bash", "shell", "sh", "zsh", "c", "cpp", "c++", "csharp",
    "c-sharp", "clojure", "coldfusion", "cf", "css", "delphi", "pas", "pascal", "diff",
    "patch", "erl", "erlang", "fsharp", "go", "golang", "groovy", "haskell", "html",
    "xhtml", "java", "javafx", "jfx", "js", "jscript", "javascript", "json", "jsx",
    "kotlin", "lua", "matlab", "objc", "perl", "pl", "php", "plain", "text", "ps",
    "powershell", "py", "python", "r", "rails", "ror", "ruby", "rust", "scala", "sql",
    "swift", "ts", "typescript", "vb", "vbnet", "xml", "xslt", "yaml"})
"""SyntaxHighlighter's language shortcodes (`[bash]…[/bash]`), WordPress.com's and the
plugins'; `[code]` and `[sourcecode]` name theirs with `lang=` or `language=`."""

_CODE_OPEN = re.compile(
    r"\[(code|sourcecode|" + "|".join(
        re.escape(n) for n in sorted(CODE_SHORTCODES, key=len, reverse=True))
    + r")(?![\w+-])" + _ATTRS + r"\]", re.IGNORECASE)
_CODE_LANG = re.compile(r"""(?:^|\s)(?:lang|language)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""",
                        re.IGNORECASE)
_LANG_NAME = re.compile(r"[a-z][\w+#.-]{0,30}")
_PRE = re.compile(r"<pre(?=[\s>/])[^>]*>(?:.*?</pre\s*>|.*\Z)", re.DOTALL | re.IGNORECASE)


def _code_language(name: str, attrs: str) -> str | None:
    """The language a code shortcode names: its own name, or its `lang`/`language`
    attribute (or a bare language word) for `[code]` and `[sourcecode]`."""
    name = name.lower()
    if name not in ("code", "sourcecode"):
        return name
    named = _CODE_LANG.search(attrs)
    if named:
        value = next(v for v in named.groups() if v is not None)
    else:
        bare = [w for w in attrs.split() if "=" not in w and w.lower() in CODE_SHORTCODES]
        value = bare[0] if bare else ""
    value = value.strip().lower()
    return value if _LANG_NAME.fullmatch(value) else None


class _Held:
    """Parts of a post set aside while the rest is cleaned: the code of code shortcodes
    and `<pre>` blocks, which neither shortcodes nor paragraphs may touch.

    Each is replaced by a token made of a word the post does not contain, so no text
    of the post can stand for one.
    """

    def __init__(self, content: str) -> None:
        word = "wxrheld"
        while word in content:
            word += "x"
        self.token = re.compile(rf"<{word} (\d+)></{word}>")
        self.word = word
        self.parts: list[str] = []

    def hold(self, html_text: str) -> str:
        self.parts.append(html_text)
        return f"<{self.word} {len(self.parts) - 1}></{self.word}>"

    def restore(self, content: str) -> str:
        for _ in range(2):  # a <pre> may hold a code shortcode's token
            content = self.token.sub(lambda m: self.parts[int(m.group(1))], content)
        return content


_CODE_TAG = re.compile(r"<(/?)code\b", re.IGNORECASE)
_CODE_END = re.compile(r"</code\b", re.IGNORECASE)


def _in_inline_code(content: str, at: int) -> bool:
    """Whether `at` lies inside an open `<code>` element."""
    tags = _CODE_TAG.findall(content, max(0, at - 2000), at)
    return bool(tags) and tags[-1] == ""


class _Next:
    """The first match of a pattern from a position on, searched for again only once
    passed: the many openers of a long post share one search (linear time)."""

    def __init__(self, pattern: re.Pattern[str], content: str) -> None:
        self.pattern, self.content = pattern, content
        self.match: re.Match[str] | None = None
        self.searched = False

    def after(self, at: int) -> re.Match[str] | None:
        if not self.searched or (self.match is not None and self.match.start() < at):
            self.match = self.pattern.search(self.content, at)
            self.searched = True
        return self.match


def _hold_code(content: str, held: _Held) -> str:
    """Code shortcodes (`[code lang="js"]…[/code]`, `[bash]…[/bash]`) as `<pre>` blocks
    of their exact text, entities decoded once, set aside. One without its closing
    `[/name]` is left to the shortcode pass; `[[code]…[/code]]` (WordPress's escape) is
    shown as written."""
    out: list[str] = []
    position = 0
    closers: dict[str, _Next] = {}
    code_end = _Next(_CODE_END, content)
    while True:
        opening = _CODE_OPEN.search(content, position)
        if opening is None:
            break
        name = opening.group(1).lower()
        if opening.group().endswith("/]"):  # self-closing: nothing to show
            out.append(content[position:opening.end()])
            position = opening.end()
            continue
        if name not in closers:
            closers[name] = _Next(re.compile(r"\[/" + re.escape(name) + r"\]", re.IGNORECASE),
                                  content)
        closing = closers[name].after(opening.end())
        if closing is None:
            out.append(content[position:opening.end()])
            position = opening.end()
            continue
        escaped = (opening.start() > 0 and content[opening.start() - 1] == "["
                   and content[closing.end():closing.end() + 1] == "]")
        if escaped:
            out.append(content[position:opening.start() - 1])
            out.append(held.hold(content[opening.start():closing.end()]))
            position = closing.end() + 1
            continue
        if _in_inline_code(content, opening.start()):
            # A post showing the shortcode itself (`<code>[php]…[/php]</code>`): text.
            end = code_end.after(opening.end())
            inside = end is None or closing.end() <= end.start()
            last = closing.end() if inside else opening.end()
            out.append(content[position:opening.start()])
            out.append(held.hold(content[opening.start():last]))
            position = last
            continue
        code = html.unescape(content[opening.end():closing.start()]).replace("\r\n", "\n")
        lang = _code_language(name, opening.group(2) or "")
        attribute = f' data-lang="{html.escape(lang)}"' if lang else ""
        out.append(content[position:opening.start()])
        out.append("\n\n" + held.hold(f"<pre{attribute}>{html.escape(code, quote=False)}</pre>")
                   + "\n\n")
        position = closing.end()
    out.append(content[position:])
    return "".join(out)


def _hold_pre(content: str, held: _Held) -> str:
    """`<pre>` blocks set aside as written (one left open runs to the end, as a browser
    reads it); one holding only a code shortcode is that shortcode's block."""

    def hold(match: re.Match[str]) -> str:
        inner = re.sub(r"^<pre[^>]*>|</pre\s*>$", "", match.group(), flags=re.IGNORECASE)
        if held.token.fullmatch(inner.strip()):
            return "\n\n" + inner.strip() + "\n\n"
        return "\n\n" + held.hold(match.group()) + "\n\n"

    return _PRE.sub(hold, content)


def clean_content(content: str) -> str:
    """WordPress post HTML ready for conversion: blocks, shortcodes and autop.

    Code (code shortcodes, `<pre>` blocks) is set aside first and put back last,
    as WordPress's own wpautop leaves `<pre>` alone and SyntaxHighlighter runs
    its shortcodes before it.
    """
    held = _Held(content)
    content = _hold_pre(_hold_code(content, held), held)
    content = _BLOCK_COMMENT.sub("", content)
    content = _CAPTION.sub(_figure, content)
    content = _EMBED.sub(lambda m: f'<p><a href="{html.escape(m.group(2))}">'
                                   f"{html.escape(m.group(2))}</a></p>", content)
    content = _strip_shortcodes(content)
    if "<p>" in content or "<p " in content:
        return held.restore(content)
    # Classic-editor posts are stored without <p>: WordPress adds them on display.
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", content):
        if not chunk.strip():
            continue
        if _BLOCK_TAG.match(chunk) or held.token.fullmatch(chunk.strip()):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return held.restore("\n".join(paragraphs))


def _plain(value: str) -> str:
    """Text of a title that may hold HTML and escapes (`Media &amp; Text`)."""
    if "<" in value:
        import lxml.html

        with contextlib.suppress(Exception):  # not markup after all
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
    return clean_title(html.unescape(value))


def _image_text(content: str) -> str:
    """What an image-only post says in words: its images' alt texts and captions."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(clean_content(content), create_parent="div")
    except Exception:  # not markup after all
        return ""
    words = [squash(img.get("alt") or img.get("title") or "") for img in root.iter("img")]
    words += [squash(node.text_content()) for node in root.iter("figcaption")]
    return "\n\n".join(dict.fromkeys(w for w in words if w))


def _items(data: bytes, problems: list[str]) -> tuple[Element | None, list[tuple[int, Element]]]:
    """The channel and its items with their line numbers; bad items reported."""
    # The XML parsers, loaded here: detecting an export, or any other format, needs none.
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    try:
        root = safe_et.fromstring(data)
    except DefusedXmlException as exc:
        raise ArchiveError(f"XML refused ({type(exc).__name__})") from None
    except ParseError as exc:
        return None, _recover(data, problems, str(exc))
    channel = root.find("channel")
    if channel is None:
        raise ArchiveError("not a WordPress export (no <channel>)")
    text = data
    lines: list[tuple[int, Element]] = []
    position = 0
    for item in channel.findall("item"):
        position = text.find(b"<item", position)
        lines.append((text.count(b"\n", 0, position) + 1 if position >= 0 else 0, item))
        position = position + 1 if position >= 0 else 0
    return channel, lines


@overload
def _lenient(data: bytes) -> Element | None: ...
@overload
def _lenient(data: bytes, every: Literal[True]) -> list[tuple[int, Element]]: ...


def _lenient(data: bytes, every: bool = False) -> Any:
    """The first `<item>` of a small document as libxml2's recovering parser reads it
    (a CDATA section closed twice, a stray `<` or control character), or None;
    with `every`, all the items of a document with their lines."""
    import lxml.etree

    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                  huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        root = None
    # lxml elements answer find/findall/findtext/iteration as ElementTree ones do.
    if every:
        found = root.findall("channel/item") if root is not None else []
        return [(item.sourceline or 0, item) for item in found]
    return root.find("channel/item") if root is not None else None


_ITEM = re.compile(rb"<item[\s>].*?</item>", re.DOTALL)
_NAMESPACES = re.compile(rb"<rss\b[^>]*>", re.DOTALL)


def _recover(data: bytes, problems: list[str], reason: str) -> list[tuple[int, Element]]:
    """Each `<item>` parsed on its own: strictly, else leniently (reported), else skipped."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    head = _NAMESPACES.search(data)
    opening = head.group() if head else b"<rss>"
    items: list[tuple[int, Element]] = []
    bad: list[int] = []
    lenient: list[int] = []
    for match in _ITEM.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        wrapped = opening + b"<channel>" + match.group() + b"</channel></rss>"
        try:
            item = safe_et.fromstring(wrapped).find("channel/item")
        except (ParseError, DefusedXmlException):
            item = _lenient(wrapped)
            (lenient if item is not None else bad).append(line)
        if item is not None:
            items.append((line, item))
    if not items and not bad:
        # No whole <item> at all (a file cut short): what libxml2 can recover.
        whole = _lenient(data, every=True)
        if not whole:
            raise ArchiveError(f"not well-formed XML ({reason})")
        problems.append(f"not well-formed XML ({reason}); {len(whole)} item"
                        f"{'s' if len(whole) != 1 else ''} read leniently")
        return whole
    notes = []
    for count, verb in ((lenient, "read leniently"), (bad, "skipped")):
        if count:
            shown = ", ".join(map(str, count[:10])) + (" …" if len(count) > 10 else "")
            notes.append(f"{len(count)} item{'s' if len(count) != 1 else ''} {verb} at line "
                         f"{shown}")
    problems.append(f"not well-formed XML ({reason}); "
                    + ("; ".join(notes) or "the items were read one by one"))
    return items


def parse(data: bytes, name: str, tags: tuple[str, ...], problems: list[str],
          include_pages: bool = False,
          share: tuple[int, int] | None = None) -> Iterator[ParsedArticle]:
    """Published posts (and pages), in document order.

    `share` (k, n): only every n-th post from the k-th is converted and returned
    (n processes convert a large export together; item lines order them back).
    """
    data = xml_bytes(data)  # a control character in one post would unmake the whole file
    refuse_entities(data)
    channel, items = _items(data, problems)
    site = _plain(channel.findtext("title") or "") if channel is not None else ""
    if not site:
        match = re.search(rb"<channel>\s*<title>([^<]*)</title>", data)
        site = _plain(decode(match.group(1))) if match else ""
    authors: dict[str, str] = {}
    if channel is not None:
        for node in channel:
            if _local(node.tag) == ("wp", "author"):
                login = _find(node, "wp", "author_login")
                display = _find(node, "wp", "author_display_name")
                if login and display:
                    authors[login] = display
    kinds = {"post", "page"} if include_pages else {"post"}
    number = 0
    for line, item in items:
        if _find(item, "wp", "post_type") not in kinds:
            continue
        if _find(item, "wp", "status") not in ("publish", ""):
            continue
        number += 1
        if share is not None and (number - 1) % share[1] != share[0]:
            continue
        article = _article(item, line, name, site, authors, tags)
        if article is not None:
            yield article


def _article(item: Element, line: int, name: str, site: str, authors: dict[str, str],
             tags: tuple[str, ...]) -> ParsedArticle | None:
    from reader.archive.html_markdown import drop_leading_title, markdown_from_html, title_from_body

    content = _find(item, "content", "encoded")
    body = markdown_from_html(clean_content(content), item.findtext("link") or None)
    if not body and content:
        body = _image_text(content)
    title = _plain(item.findtext("title") or "")
    if not title:
        title = title_from_body(body, 60)
    body = drop_leading_title(body, title)
    terms = []
    for category in item.findall("category"):
        domain = category.get("domain") or "post_tag"
        if domain in ("post_tag", "category"):
            text = _plain(category.text or "")
            if text and text.casefold() != "uncategorized":
                terms.append(text)
    date = _find(item, "wp", "post_date")[:10] or None
    if date in (None, "0000-00-00"):
        from reader.dates import parse_date

        date = parse_date(item.findtext("pubDate") or "")
    creator = _find(item, "dc", "creator")
    author: Any = authors.get(creator, creator) or None
    return ParsedArticle(
        title=title, body=body or title, provenance=Provenance(name, "wxr", line, line),
        date=date, source=site or None, url=(item.findtext("link") or "").strip() or None,
        author=clean_title(author) if author else None,
        tags=tuple(dict.fromkeys((*tags, *terms))),
    )


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.data, src.name, src.tags, src.problems, src.pages, src.share)


def _sniff(head: bytes) -> bool:
    return root_element(head) == b"rss" and looks_like_wxr(head)


FORMAT = Format("wxr", _read, sniff=_sniff, shared=True, xml=True)
