"""Telling markup apart by its first element, not by words further in.

A Markdown file that shows a feed in a code block mentions `<rss`; a
feed a server prefixed with PHP warnings starts with `<br />`. What counts is
the document's root element, past its declaration, comments and doctype.
"""

from __future__ import annotations

import codecs
import re

from reader.archive.source import looks_like_markup

FEED_ROOTS = (b"rss", b"feed", b"rdf:rdf", b"rdf")
_PROLOG = re.compile(rb"\s*(?:<\?[^>]*>\s*|<!--.*?-->\s*|<!doctype[^>\[]*(?:\[.*?\])?\s*>\s*)*"
                     rb"<([\w:.-]+)", re.IGNORECASE | re.DOTALL)
_DECLARATION_LINE = re.compile(rb"^<\?xml\b", re.MULTILINE)


_RSS_TAG = re.compile(rb"<rss\b[^>]*>", re.IGNORECASE)
_WXR_NAMESPACE = re.compile(rb"""xmlns:[\w.-]+\s*=\s*["']https?://wordpress\.org/export/""")


def declares_wxr(head: bytes) -> bool:
    """Whether the first `<rss>` tag declares WordPress's export namespace: a WordPress
    export, whatever its posts quote (a feed's post about leaving WordPress may hold
    the namespace's address in its text)."""
    tag = _RSS_TAG.search(head)
    return tag is not None and _WXR_NAMESPACE.search(tag.group(0)) is not None


def root_element(head: bytes) -> bytes | None:
    """The name of the first element of an XML file (lower-cased), past its
    declaration, comments and doctype, or past a few lines a server printed
    before the declaration (PHP warnings); None when it starts otherwise.

    A Markdown file that shows a feed in a code block is not a feed.
    """
    head = head.removeprefix(codecs.BOM_UTF8)[:16384]
    match = _PROLOG.match(head)
    if match is None or not head.lstrip().startswith(b"<?xml"):
        declaration = _DECLARATION_LINE.search(head, 1, 2048)
        if declaration is not None and b"```" not in head[:declaration.start()]:
            match = _PROLOG.match(head, declaration.start())
    return match.group(1).lower() if match else None


_LEADING_COMMENTS = re.compile(rb"^\s*(?:<!--.*?-->\s*)*", re.DOTALL)


def unknown_xml(head: bytes) -> bool:
    """Markup that is no format reader knows; text after a comment (a Markdown
    file opening with `<!-- … -->`) is text."""
    if not looks_like_markup(head):
        return False
    rest = head.removeprefix(codecs.BOM_UTF8)
    match = _LEADING_COMMENTS.match(rest)
    rest = rest[match.end():] if match else rest
    return not rest or rest[:1] == b"<"
