"""Netscape bookmark files: what browsers, Shaarli, Pinboard and Delicious export
as HTML (`<!DOCTYPE NETSCAPE-Bookmark-file-1>`).

Links nested in definition lists: `<DT><A HREF ADD_DATE TAGS …>title</A>`, an
optional `<DD>` description, and folders as `<DT><H3>name</H3>` followed by
their own `<DL>`. Every link is a stub, never fetched. The innermost folder a
link sits in becomes a tag (not the whole path: a path is not a subject), except
the browser's own roots (bookmarks bar, menu, other bookmarks…). `TOREAD="1"`
(Pinboard) marks a link unread, `TOREAD="0"` read; without it the state is left
alone. `place:` queries and `javascript:` bookmarklets are not links to
articles and are passed over quietly; any other link without a web URL is
skipped and reported. The `<DD>` description and `PRIVATE` are not kept: a stub has no body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reader.archive import saved
from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.models import ParsedArticle

SOURCE = "Bookmarks"
_DOCTYPE = re.compile(rb"^\s*<!DOCTYPE\s+NETSCAPE-Bookmark-file", re.IGNORECASE)
_TITLE = re.compile(rb"<title>[^<]{0,80}\bbookmarks\s*</title>", re.IGNORECASE)
_LIST = re.compile(rb"<dl[\s>]", re.IGNORECASE)
_ITEM = re.compile(rb"<dt[\s>]\s*<(?:a|h3)[\s>]", re.IGNORECASE)
_PAGE = re.compile(rb"<body[\s>]", re.IGNORECASE)
_ROOT_ATTRIBUTES = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
"""Attributes browsers put on their own top folders (names are translated)."""
ROOT_FOLDERS = frozenset({
    "bookmarks", "bookmarks bar", "bookmarks menu", "bookmarks toolbar", "toolbar",
    "other bookmarks", "mobile bookmarks", "favorites", "favorites bar", "favourites",
    "unsorted bookmarks", "imported", "menu", "unfiled", "mobile",
})
"""Folder names (case folded) that are a browser's structure, not a subject."""


def looks_like_bookmarks(head: bytes) -> bool:
    """The Netscape doctype, or a `Bookmarks` title over a list of `<DT>` links.

    Without the doctype a page with a body is a page (about bookmarks, perhaps).
    """
    head = head.removeprefix(b"\xef\xbb\xbf")[:16384]
    if _DOCTYPE.match(head):
        return True
    return bool(_TITLE.search(head) and _LIST.search(head) and _ITEM.search(head)
                and not _PAGE.search(head))


def add_date(value: Any) -> str | None:
    """`ADD_DATE` is Unix seconds; a few exporters write milli- or microseconds."""
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdigit():
        return saved.iso_date(text)
    number = int(text)
    if number >= 10**14:
        return saved.micro_date(number)
    if number >= 10**11:
        return saved.micro_date(number * 1000)
    return saved.iso_date(number)


def _is_root(heading: Any, depth: int) -> bool:
    if any(heading.get(name, "").casefold() == "true" for name in _ROOT_ATTRIBUTES):
        return True
    return depth <= 1 and saved.text(heading.text_content()).casefold() in ROOT_FOLDERS


def _read_state(value: str | None) -> bool | None:
    value = (value or "").strip()
    return None if not value else not saved.flag(value)


def parse(page: str, name: str, tags: tuple[str, ...],
          problems: list[str]) -> Iterator[ParsedArticle]:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        doc = lxml.html.document_fromstring(page, parser=parser)
    except Exception as exc:  # lxml raises ParserError / ValueError on junk
        raise ArchiveError(f"not a readable bookmark file ({exc})") from None
    bad: list[int] = []
    folders: list[str | None] = []
    """The folder of each open `<DL>`, innermost last; None for a root or the top."""
    pending: str | None = None
    """The last `<H3>` seen: the folder of the next `<DL>`."""
    for event, node in lxml.etree.iterwalk(doc, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "end":
            if tag == "dl" and folders:
                folders.pop()
                pending = None
            continue
        if tag == "h3":
            pending = None if _is_root(node, len(folders)) else (
                saved.text(node.text_content()) or None)
        elif tag == "dl":
            folders.append(pending)
            pending = None
        elif tag == "a":
            pending = None
            line = node.sourceline or 1
            url = saved.link(node.get("href"))
            if not url:
                if not saved.browser_only(node.get("href")):
                    bad.append(line)
                continue
            folder = folders[-1] if folders else None
            yield saved.article(
                title=saved.text(node.text_content()), body="", name=name, fmt="bookmarks",
                line=line, url=url, date=add_date(node.get("add_date")), source=SOURCE,
                tags=tuple(dict.fromkeys((*tags, *((folder,) if folder else ()),
                                          *saved.tag_list(node.get("tags") or "", ",")))),
                read=_read_state(node.get("toread")),
            )
    saved.report_skipped(bad, problems, "line")


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.page(), src.name, src.tags, src.problems)


FORMAT = Format("bookmarks", _read, sniff=looks_like_bookmarks, links=True)
