"""Saved web pages: the main content as Markdown, and the page's metadata.

Three stages, each replaceable on its own:

* `decode` turns bytes into text (BOM, then valid UTF-8 whatever the page
  declares, then the declaration, then a detector);
* `extract_main` picks the article out of the page. It runs trafilatura in
  precision and default modes and readability-lxml, and keeps the candidate
  that agrees best with the other two (the medoid by 4-token shingle F1).
  That choice was made by measurement on the extraction benchmark; see
  docs/extraction.md;
* `markdown_from_html` is the one place HTML becomes Markdown (markdownify,
  configured here: ATX headings, fenced code with its language, tables,
  links only for http(s)/mailto, images as alt text with their URL).

`page_metadata` reads title, byline, date, site name, tags and canonical URL
from JSON-LD, `og:`/`article:` meta, microdata, `<time>` and `<title>`.
"""

from __future__ import annotations

import codecs
import functools
import html as html_lib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.archive.source import ArchiveError
from reader.clean import clean_title, sanitize, split_source, squash
from reader.dates import parse_date
from reader.models import ParsedArticle, Provenance

# --- decoding ---------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Labels pages use for encodings whose Python codec is a superset (WHATWG).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252",
              "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
              "ascii": "cp1252", "x-sjis": "shift_jis", "euc-kr": "cp949"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page or XML file declares in its first 4 KB, if any."""
    head = data[:4096]
    match = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes of a page as text; raises ArchiveError for binary or undecodable data."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"cannot decode as {encoding} ({exc})") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    try:
        # Valid UTF-8 is UTF-8 whatever the page says (pages saved by a browser
        # are re-encoded but keep their old `<meta charset>`).
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


# --- HTML → Markdown --------------------------------------------------------

SAFE_SCHEMES = ("http", "https", "mailto")
# markdownify recurses once per element level and Python stops near 1000
# frames (about 350 levels); deeper fragments are flattened to paragraphs.
MAX_DEPTH = 200
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed",
              "form", "button", "input", "select", "textarea", "svg", "canvas", "nav")
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang|highlight-source|brush:?)-?([\w+#.-]+)",
                       re.IGNORECASE)


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


def _code_language(el: Any) -> str | None:
    for node in (el, *el.find_all("code", limit=1)):
        classes = node.get("class") or []
        text = " ".join(classes) if isinstance(classes, list) else str(classes)
        match = _LANGUAGE.search(text)
        if match:
            return str(match.group(1)).lower()
        lang = node.get("data-lang") or node.get("data-language")
        if lang:
            return str(lang).lower()
    return None


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
    "code_language_callback": _code_language,
    "escape_asterisks": True,
    "escape_underscores": True,
    "escape_misc": False,
    "table_infer_header": True,
    "newline_style": "BACKSLASH",
}


def _parser() -> Any:
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
    from reader.clean import needs_sanitizing

    # lxml refuses text holding control characters: without this a feed entry's
    # plain-text summary with one escape in it would lose its whole body.
    if needs_sanitizing(fragment):
        fragment = sanitize(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=_parser())
    except Exception:  # lxml refuses some inputs (only comments, bad bytes)
        return ""
    for node in list(root.iter(*_DROP_TAGS)):
        if node.getparent() is not None:
            node.drop_tree()
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


def tidy_markdown(text: str) -> str:
    text = sanitize(text.replace("\r\n", "\n").replace("\xa0", " "))
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


# --- main content -----------------------------------------------------------

_WORDS = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORDS.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _agreement(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> float:
    """F1 of two shingle multisets (symmetric)."""
    common = sum((a & b).values())
    total = sum(a.values()) + sum(b.values())
    return 2 * common / total if total else 0.0


def _text_of(fragment: str) -> str:
    import lxml.html

    try:
        return str(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())
    except Exception:
        return ""


def extract_main(page: str, url: str | None = None) -> str:
    """The article of a page as an HTML fragment ("" when nothing is found).

    trafilatura (precision mode), trafilatura (default) and readability-lxml
    each propose a body; the one closest to the other two wins. When both
    trafilatura runs agree exactly, readability is not run at all.
    """
    import trafilatura

    options: dict[str, Any] = {
        "url": url, "output_format": "html", "include_formatting": True,
        "include_links": True, "include_images": False, "include_tables": True,
        "include_comments": False, "deduplicate": False,
    }
    try:
        precise = trafilatura.extract(page, favor_precision=True, **options) or ""
        default = trafilatura.extract(page, **options) or ""
    except (RecursionError, ValueError, TypeError):
        precise = default = ""
    if precise and precise == default:
        return precise
    candidates = [c for c in (precise, default, _readability(page, url)) if c]
    if len(candidates) <= 1:
        return candidates[0] if candidates else ""
    shingled = [_shingles(_text_of(c)) for c in candidates]
    scores = [sum(_agreement(s, o) for j, o in enumerate(shingled) if j != i)
              for i, s in enumerate(shingled)]
    return candidates[scores.index(max(scores))]


def _readability(page: str, url: str | None) -> str:
    try:
        from readability import Document

        return str(Document(page, url=url).summary(html_partial=True))
    except Exception:  # readability raises bare Exceptions on unparsable pages
        return ""


# --- metadata ---------------------------------------------------------------

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "scholarlyarticle", "techarticle", "report",
                  "socialmediaposting", "liveblogposting", "review", "webpage", "medicalwebpage",
                  "creativework", "podcastepisode", "videoobject", "discussionforumposting"}


@dataclass(slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    base: str | None = None
    tags: tuple[str, ...] = ()


# Pages wrap their JSON-LD in CDATA sections or HTML comments.
_LD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


def _jsonld_objects(doc: Any) -> Iterator[dict[str, Any]]:
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        raw = _LD_WRAPPER.sub("", script.text or "")
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    text = squash(sanitize(html_lib.unescape(value)))
    return text or None


def _date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return "-".join(match.groups())
    return parse_date(value[:200])


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•/\\_]\s+|\s*[|_]\s*")


def _strip_site(title: str, site: str | None, guess: bool = True) -> tuple[str, str | None]:
    """Title without a ` | Site` suffix (or `Site | ` prefix), and the site it named.

    With `guess`, a suffix that reads like a publication goes even when the
    page names no site; without, only the named site does (a declared title's
    ` - The Bountiful Update` is part of it).
    """
    if site:
        low, low_site = title.casefold(), site.casefold()
        for match in _TITLE_SEPARATORS.finditer(title):
            head, tail = title[: match.start()].strip(), title[match.end():].strip()
            if tail.casefold() == low_site and len(head.split()) >= 1:
                return head, site
            if head.casefold() == low_site and tail:
                return tail, site
        if low.endswith(low_site) and low != low_site:
            # Only after a separator: `New CEO at Experience` keeps its last word.
            head = title[: -len(site)].rstrip()
            if head and head[-1] in "|-–—:·•»/\\_" and head.rstrip(" |-–—:·•»/\\_"):
                return head.rstrip(" |-–—:·•»/\\_"), site
    if not guess:
        return title, None
    head, source = split_source(title)
    return head, source


def _headline_of(doc: Any, page_title: str) -> tuple[str, str] | None:
    """The page's headline and the site after it, when <title> is `Headline · Site`.

    A heading the <title> starts with is the article's own title, whatever
    separator the site chose (`_科技_腾讯网`, ` [LWN.net]`, ` · V8`); the rest
    names the site. A heading it ends with, after a separator, is the site's
    banner (`Evolve: Shared Mutable History — evolve extension for Mercurial`).
    """
    for node in doc.xpath('//*[@itemprop="headline"] | //h1'):
        text = _text(node.text_content())
        if not text or (len(text.split()) < 2 and len(text) < 8):
            continue
        if page_title.endswith(text) and page_title != text:
            # The site's own banner heading after a separator: `Headline — Site`.
            match = re.search(r"\s+[|\-–—:»·•/\\_]\s+$", page_title[: -len(text)])
            if match and page_title[: match.start()].strip():
                return page_title[: match.start()].strip(), text
            continue
        if not page_title.startswith(text):
            continue
        rest = page_title[len(text):]
        if not rest or rest[0].isalnum():
            continue
        pieces = [p for p in _TITLE_SEPARATORS.split(rest.strip(" -–—|:·•»/\\_[](){}")) if p]
        site = pieces[-1].strip(" []()") if pieces else ""
        if site and len(site.split()) <= 8:
            return text, site
    return None


_AUTHOR_META = ("author", "dc.creator", "dc:creator", "article:author", "og:article:author",
                "parsely-author", "sailthru.author")


def _meta_authors(doc: Any) -> list[str]:
    """Authors named in <meta>, every one of a repeated key (`DC.Creator` twice)."""
    found: dict[str, list[str]] = {}
    for node in doc.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        if key in _AUTHOR_META and node.get("content", "").strip():
            found.setdefault(key, []).append(node.get("content").strip())
    for key in _AUTHOR_META:
        if key in found:
            return found[key]
    return []


# Readability.js's byline rule: rel/itemprop author, or a class or id naming one
# (in any case: `FeatureByline`).
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_BYLINE = ('//*[@rel="author" or contains(@itemprop, "author")'
           ' or contains({c}, "byline") or contains({i}, "byline")'
           ' or contains({c}, "author") or contains({c}, "dateline")'
           ' or contains({c}, "writtenby")][not(ancestor::*[contains({c}, "comment")])]'
           ).format(c=_LOWER.format("@class"), i=_LOWER.format("@id"))
_NOT_BYLINE = re.compile(r"comment|©|copyright|\babout the author\b", re.IGNORECASE)


_BYLINE_LEAD = re.compile(
    r"^(?:(?:(?:written|posted|words|text|photos?)\s+)?(?:by|par|von|por|door|di|av)\s*:?"
    r"|(?:text|texto|texte|testo|tekst|текст|автор|autor|author|words|reporter)\s*:)\s+",
    re.IGNORECASE)
_MONTH_WORDS = re.compile(
    r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE)


def clean_byline(text: str) -> str | None:
    """A person's name out of a byline as pages print it.

    `By Joshua Sokol May 20, 2019` → `Joshua Sokol`; `Aleš Vávra před 2 hodinami`
    → `Aleš Vávra`; a line that is only a date (`21.dez.2018 às 10h55`) → None.
    """
    text = _BYLINE_LEAD.sub("", squash(re.sub(r"\(?https?://\S+\)?", "", text)))
    digit = re.search(r"\d", text)
    if digit:
        text = text[: digit.start()]
    words = text.replace(" and ", ", ").split()
    # Names are capitalised: drop trailing lower-case words (`před`, `às`, `le`)
    # and a month name left by a cut date.
    while words and (words[-1][:1].islower() or not any(c.isalpha() for c in words[-1])):
        words.pop()
    text = _MONTH_WORDS.sub("", " ".join(words)).strip(" ,;|·-–—")
    if len(text) < 3 or not any(c.isupper() for c in text):
        return None
    return text


def page_metadata(doc: Any) -> PageMetadata:
    """Metadata of a parsed page (an lxml document)."""
    meta: dict[str, str] = {}
    for node in doc.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key and key not in meta:
            meta[key.strip()] = node.get("content") or ""
    tags: list[str] = [node.get("content") or "" for node in
                       doc.xpath('//meta[@property="article:tag" or @name="article:tag"]')]
    ld: dict[str, Any] = {}
    for obj in _jsonld_objects(doc):
        useful = "headline" in obj or "author" in obj or "datePublished" in obj or not ld
        better = not ld or ("webpage" in _types(ld) and "webpage" not in _types(obj))
        if _types(obj) & _ARTICLE_TYPES and useful and better:
            ld = obj
    data = PageMetadata()
    ld_site = _names(ld.get("publisher"))
    data.site = _text(meta.get("og:site_name")) or _text(ld_site[:1]) or _text(
        meta.get("application-name"))
    # A title the page declares for its article loses only a suffix naming
    # the site; the <title> element is guessed at more freely.
    declared = (_text(ld.get("headline")) or _text(meta.get("dc.title"))
                or _text(meta.get("dc:title")) or _text(meta.get("og:title"))
                or _text(meta.get("twitter:title")) or _text(meta.get("title"))
                or _text(meta.get("parsely-title")))
    title: str | None = None
    if declared:
        title = _strip_site(declared, data.site, guess=False)[0]
    else:
        page_title = _text(" ".join(doc.xpath("//head/title//text() | //title[1]//text()")[:1]))
        headline = _headline_of(doc, page_title) if page_title else None
        if headline:
            title, data.site = headline[0], data.site or headline[1]
        elif page_title:
            title, named = _strip_site(page_title, data.site)
            data.site = data.site or named
    h1 = doc.xpath("//h1")
    if not title and h1:
        title = _text(h1[0].text_content())
    data.title = clean_title(title) if title else None
    authors = _names(ld.get("author")) or _meta_authors(doc)
    authors = [a for a in authors if not re.match(r"https?://", a.strip())]
    if not authors:
        for node in doc.xpath(_BYLINE):
            name_node = node.xpath('.//*[@itemprop="name"]')
            # Words of separate elements stay apart (`Carrie Arnold` `November 18`).
            text = squash(" ".join((name_node[0] if name_node else node).itertext()))
            if 2 < len(text) <= 100 and not _NOT_BYLINE.search(text):
                name = clean_byline(text)
                if name:
                    authors = [name]
                    break
    if authors:
        names = list(dict.fromkeys(squash(a) for a in authors if a))
        # `Jong, Michiel de` and `Kooman, F.` are two people, not four.
        joiner = "; " if any("," in n for n in names) else ", "
        data.author = clean_title(joiner.join(names))[:200]
    published = (ld.get("datePublished") or meta.get("article:published_time")
                 or meta.get("datepublished") or meta.get("date") or meta.get("dc.date")
                 or meta.get("parsely-pub-date") or meta.get("publishdate")
                 or meta.get("pubdate") or meta.get("sailthru.date"))
    if not published:
        times = doc.xpath('//*[@itemprop="datePublished"]/@datetime | //time/@datetime'
                          ' | //*[@itemprop="datePublished"]/@content')
        published = times[0] if times else None
    data.date = _date(_text(str(published)) if published else None)
    keywords = ld.get("keywords")
    if isinstance(keywords, str):
        tags.extend(keywords.split(","))
    elif isinstance(keywords, list):
        tags.extend(k for k in keywords if isinstance(k, str))
    data.tags = tuple(dict.fromkeys(t for t in (clean_title(t) for t in tags)
                                    if t and len(t) <= 60))[:20]
    base = doc.xpath("//base/@href")
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    url = (canonical[0] if canonical else None) or meta.get("og:url") or _text(ld.get("url"))
    data.url = safe_url(url, None) if url else None
    data.base = safe_url(base[0], data.url) if base else data.url
    return data


# --- the format -------------------------------------------------------------

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<meta|<title)",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes are an HTML page (not an XML feed or export)."""
    head = head.lstrip(codecs.BOM_UTF8)[:8192]
    if _HTML_START.match(head):
        return True
    return bool(re.search(rb"<html[\s>]", head[:2048], re.IGNORECASE)) and not re.match(
        rb"\s*<\?xml", head)


def parse_page(page: str, name: str, tags: tuple[str, ...] = (),
               fmt: str = "html", url: str | None = None) -> ParsedArticle:
    """One saved page as an article; raises ArchiveError when it holds no article."""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(page, parser=_parser())
    except Exception as exc:  # lxml raises ParserError / ValueError on junk
        raise ArchiveError(f"not a readable HTML page ({exc})") from None
    meta = page_metadata(doc)
    fragment = extract_main(page, meta.url or url)
    if not fragment and doc.find("body") is not None:
        # Nothing the extractors could use (deeply nested, or no article
        # structure at all): the whole body, chrome tags dropped.
        fragment = lxml.html.tostring(doc.find("body"), encoding="unicode")
    body = markdown_from_html(fragment, meta.base or meta.url or url)
    if not body:
        raise ArchiveError("no article text found in this page")
    title = meta.title or ""
    body = drop_leading_title(body, title)
    if not title:
        from reader.clean import slug_title

        title = slug_title(re.sub(r"[#*_>`\[\]()!]", " ", body))
    return ParsedArticle(
        title=title, body=body, provenance=Provenance(name, fmt, 1, page.count("\n") + 1),
        date=meta.date, source=meta.site, url=meta.url or url, author=meta.author,
        tags=tuple(dict.fromkeys((*tags, *meta.tags))),
    )


def drop_leading_title(body: str, title: str) -> str:
    """Drop a first heading or line that only repeats the title."""
    first, _, rest = body.partition("\n")
    plain = first.lstrip("#").strip().strip("*_").strip()
    if title and squash(plain).casefold() == squash(title).casefold():
        return rest.strip()
    return body


def parse(data: bytes, name: str, tags: tuple[str, ...] = (),
          encoding: str | None = None) -> Iterator[ParsedArticle]:
    """The article of one saved page (bytes as read from disk)."""
    yield parse_page(decode(data, encoding), name, tags)
