"""Saved web pages: one article each, its main content as Markdown.

Four stages, each in its own module and replaceable on its own:
`decoding.decode` (bytes → text), `extract.extract_main` (the article out of
the page), `html_markdown.markdown_from_html` (the fragment → Markdown) and
`page_meta.page_metadata` (title, byline, date, site, tags, URL).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from reader.archive.decoding import decode
from reader.archive.feed import looks_like_feed
from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.archive.xmlsafe import strip_forbidden
from reader.clean import squash
from reader.models import ParsedArticle, Provenance

_PROLOG = (rb"\s*(?:<\?xml[^>]*>\s*)?(?:<\?[^>]*>\s*)*"
           rb"(?:<!--.*-->\s*(?:<\?[^>]*>\s*)*)?")
"""Declarations, processing instructions and comments before a page's first tag. The
comments are one run from the first `<!--` to a `-->` (what lies between two comments
may be anything, as a repeated lazy `<!--.*?-->` allowed too, but tried in linear
rather than exponential time: a WordPress export opens with a dozen comments)."""
_DOCUMENT_START = re.compile(_PROLOG + rb"(?:<!doctype\s+html|<html[\s>])",
                             re.IGNORECASE | re.DOTALL)
_HEAD_START = re.compile(_PROLOG + rb"<(?:head|body|meta|title|link|style|script|base|noscript)"
                         rb"[\s/>]", re.IGNORECASE | re.DOTALL)
_TAG_START = re.compile(
    _PROLOG + rb"<(?:a|b|i|p|br|hr|em|strong|font|center|span|div|table|img|pre|form|"
    rb"iframe|ul|ol|h[1-6]|header|main|section|article|nav|footer)[\s/>]",
    re.IGNORECASE | re.DOTALL)
_DOCUMENT_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_LINE_DOCUMENT_TAG = re.compile(rb"^ {0,3}<(?:!doctype\s+html|html[\s>])",
                                re.IGNORECASE | re.MULTILINE)
_NOT_PAGE = re.compile(rb"```|~~~|<(?:rss|feed|rdf:RDF)[\s>]|wordpress\.org/export/",
                       re.IGNORECASE)
MAX_PREAMBLE = 4096
"""Bytes a page may carry before `<html>` (PHP warnings, a stray script)."""


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes are an HTML or XHTML page (not an XML feed or export).

    A page is told by its content, not its first tag: a doctype or `<html>`
    after an XML declaration (XHTML) or comments; a page starting with what
    belongs in `<head>` (`<style>`, `<meta http-equiv=refresh>`, `<script>`);
    body markup followed by `<html>`/`<body>` (PHP warnings printed before the
    page); or `<html>` at the start of a line after a short preamble that is
    neither Markdown with a code block nor a feed.
    """
    head = head.removeprefix(codecs.BOM_UTF8)[:8192]
    if _DOCUMENT_START.match(head) or _HEAD_START.match(head):
        return True
    if _NOT_PAGE.search(head[:MAX_PREAMBLE]):
        return False
    if _TAG_START.match(head) and _DOCUMENT_TAG.search(head):
        return True
    line = _LINE_DOCUMENT_TAG.search(head, 0, MAX_PREAMBLE + 64)
    if line is None:
        return False
    rest = head[line.end():]
    return _DOCUMENT_TAG.search(rest) is not None or b"</html" in rest.lower()


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?\s*([^'"\s>]+)""", re.IGNORECASE)


def parse_page(page: str, name: str, tags: tuple[str, ...] = (),
               fmt: str = "html", url: str | None = None) -> ParsedArticle:
    """One saved page as an article; raises ArchiveError when it holds no article.

    A redirect page (`<meta http-equiv=refresh>`) with no text is a stub: a
    saved link to where it points.
    """
    import lxml.html

    # The stages, loaded here: detecting a page, or any other format, needs none of them.
    from reader.archive import codeblocks
    from reader.archive.extract import extract_main
    from reader.archive.html_markdown import (
        drop_leading_title,
        html_parser,
        markdown_from_html,
        title_from_body,
    )
    from reader.archive.page_meta import page_metadata

    # XHTML: lxml refuses text that still declares its byte encoding. Controls go before
    # the parsers, which drop some of them and would leave an escape sequence's tail.
    page = strip_forbidden(_XML_DECLARATION.sub("", page, count=1))
    try:
        doc = lxml.html.document_fromstring(page, parser=html_parser())
    except Exception as exc:  # lxml raises ParserError / ValueError on junk
        raise ArchiveError(f"not a readable HTML page ({exc})") from None
    meta = page_metadata(doc)
    fragment = codeblocks.restore(extract_main(page, meta.url or url),
                                  codeblocks.page_blocks(doc))
    if not fragment and doc.find("body") is not None:
        # Nothing the extractors could use (deeply nested, or no article
        # structure at all): the whole body, chrome tags dropped.
        fragment = lxml.html.tostring(doc.find("body"), encoding="unicode")
    body = markdown_from_html(fragment, meta.base or meta.url or url)
    lines = page.count("\n") + 1
    if not body:
        target = _redirect(doc, meta.url or url)
        if target is None:
            raise ArchiveError("no article text found in this page")
        return ParsedArticle(
            title=meta.title or target, body="", provenance=Provenance(name, fmt, 1, lines),
            date=meta.date, source=meta.site, url=target, author=meta.author,
            tags=tuple(dict.fromkeys((*tags, *meta.tags))), stub=True)
    title = meta.title or ""
    if meta.guessed:
        title, body = _own_heading(title, body)
    body = drop_leading_title(body, title)
    if not title:
        title = title_from_body(body)
    return ParsedArticle(
        title=title, body=body, provenance=Provenance(name, fmt, 1, lines),
        date=meta.date, source=meta.site, url=meta.url or url, author=meta.author,
        tags=tuple(dict.fromkeys((*tags, *meta.tags))),
    )


_HEADING_LINE = re.compile(r"^#\s+(.+?)\s*#*$")
_NAME_WORDS = re.compile(r"[^\W\d_]{4,}")


def _own_heading(title: str, body: str) -> tuple[str, str]:
    """A guessed title that shares no word with the article's own heading (an `h1`
    among its first lines) is the site's name (old table layouts): the heading is
    the title, and leaves the body."""
    if len(title.split()) > 6:
        return title, body
    lines = body.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()][:5]
    at = next((i for i in filled if _HEADING_LINE.match(lines[i].strip())), None)
    if at is None:
        return title, body
    match = _HEADING_LINE.match(lines[at].strip())
    assert match is not None
    heading = squash(re.sub(r"[*_`\\]", "", match.group(1)))
    words = set(_NAME_WORDS.findall(heading.casefold()))
    if len(heading.split()) < 3 or words & set(_NAME_WORDS.findall(title.casefold())):
        return title, body
    return heading, "\n".join(lines[:at] + lines[at + 1:]).strip()


def _redirect(doc: Any, base: str | None) -> str | None:
    """Where a `<meta http-equiv=refresh>` page sends the reader (a web link only)."""
    from reader.archive.html_markdown import safe_url

    for content in doc.xpath('//meta[translate(@http-equiv, "REFSH", "refsh")="refresh"]'
                             '/@content'):
        match = _REFRESH_URL.search(str(content))
        if match:
            return safe_url(match.group(1), base)
    return None


def parse(data: bytes, name: str, tags: tuple[str, ...] = (),
          encoding: str | None = None) -> Iterator[ParsedArticle]:
    """The article of one saved page (bytes as read from disk)."""
    yield parse_page(decode(data, encoding), name, tags)


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.data, src.name, src.tags, src.encoding)


def _looks_like_page(head: bytes) -> bool:
    """A page whose first bytes do not open a feed (one that does is tried as a feed or
    a WordPress export first, and read as a page if it is neither)."""
    return looks_like_html(head) and not looks_like_feed(head[:512])


PAGE = Format("html", _read, sniff=_looks_like_page)
"""A saved page, recognised before feeds and exports."""
FORMAT = Format("html", _read, sniff=looks_like_html)
"""A saved page that starts like a feed but is none, recognised after them."""
