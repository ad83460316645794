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

from reader.archive.decoding import decode
from reader.archive.extract import extract_main
from reader.archive.html_markdown import drop_leading_title, html_parser, markdown_from_html
from reader.archive.page_meta import page_metadata
from reader.archive.source import ArchiveError
from reader.models import ParsedArticle, Provenance

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
        doc = lxml.html.document_fromstring(page, parser=html_parser())
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


def parse(data: bytes, name: str, tags: tuple[str, ...] = (),
          encoding: str | None = None) -> Iterator[ParsedArticle]:
    """The article of one saved page (bytes as read from disk)."""
    yield parse_page(decode(data, encoding), name, tags)
