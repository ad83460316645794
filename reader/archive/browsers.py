"""Browsers' own bookmark files: Firefox's JSON backup (`bookmarks-*.json`) and
Chrome's `Bookmarks` file (no extension), both trees of folders.

Firefox: containers (`text/x-moz-place-container`) with `children`, bookmarks
(`text/x-moz-place`) with `uri`, `title`, `dateAdded` (microseconds since 1970)
and `tags` (comma-separated). Chrome: `roots` (bookmark bar, other, synced…)
of `folder` nodes whose `children` are folders or `url` nodes with `url`,
`name` and `date_added` (microseconds since 1601).

Every bookmark is a stub, never fetched. The innermost folder a bookmark sits in
becomes a tag, except the browser's own roots (their names are translated, so
they are known by position or Firefox's `root` key). Separators, `place:`
queries and `javascript:` bookmarklets are passed over quietly; any other
bookmark without a web URL is skipped and reported. Firefox's tags folder
repeats what `tags` already says and is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reader.archive import saved
from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.models import ParsedArticle

FIREFOX_CONTAINER = "text/x-moz-place-container"
FIREFOX_BOOKMARK = "text/x-moz-place"


def looks_like_firefox(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == FIREFOX_CONTAINER and (
        "children" in value or "root" in value)


def looks_like_chrome(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("roots"), dict) and any(
        isinstance(root, dict) and root.get("type") == "folder"
        for root in value["roots"].values())


def _firefox_nodes(tree: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every node below the top in document order, with the folder it sits in.

    Iterative: a backup can nest deeper than Python's recursion allows.
    """
    stack: list[tuple[Any, str | None]] = [(tree, None)]
    while stack:
        node, folder = stack.pop()
        if not isinstance(node, dict):
            yield {}, folder
            continue
        if node is not tree:
            yield node, folder
        if node.get("type") != FIREFOX_CONTAINER or node.get("root") == "tagsFolder":
            continue
        children = node.get("children")
        inner = None if node.get("root") or node is tree else (
            saved.text(node.get("title")) or None)
        if isinstance(children, list):
            stack.extend((child, inner) for child in reversed(children))


def _chrome_nodes(roots: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str | None]]:
    stack: list[tuple[Any, str | None]] = []
    for root in reversed(list(roots.values())):
        children = root.get("children") if isinstance(root, dict) else None
        if isinstance(children, list):
            stack.extend((child, None) for child in reversed(children))
    while stack:
        node, folder = stack.pop()
        if not isinstance(node, dict):
            yield {}, folder
            continue
        yield node, folder
        children = node.get("children")
        if node.get("type") == "folder" and isinstance(children, list):
            inner = saved.text(node.get("name")) or None
            stack.extend((child, inner) for child in reversed(children))


def parse_firefox(tree: dict[str, Any], name: str, tags: tuple[str, ...],
                  problems: list[str]) -> Iterator[ParsedArticle]:
    bad: list[int] = []
    index = 0
    for node, folder in _firefox_nodes(tree):
        kind = node.get("type")
        if kind == FIREFOX_CONTAINER or (node and kind != FIREFOX_BOOKMARK):
            continue  # folders and separators
        index += 1
        url = saved.link(node.get("uri"))
        if not url:
            if not saved.browser_only(node.get("uri")):
                bad.append(index)
            continue
        yield saved.article(
            title=saved.text(node.get("title")), body="", name=name, fmt="firefox",
            line=index, url=url, date=saved.micro_date(node.get("dateAdded")),
            source="Firefox",
            tags=tuple(dict.fromkeys((*tags, *((folder,) if folder else ()),
                                      *saved.tag_list(node.get("tags") or "", ",")))),
        )
    saved.report_skipped(bad, problems)


def parse_chrome(data: dict[str, Any], name: str, tags: tuple[str, ...],
                 problems: list[str]) -> Iterator[ParsedArticle]:
    bad: list[int] = []
    index = 0
    for node, folder in _chrome_nodes(data["roots"]):
        if node and node.get("type") != "url":
            continue  # folders
        index += 1
        url = saved.link(node.get("url"))
        if not url:
            if not saved.browser_only(node.get("url")):
                bad.append(index)
            continue
        yield saved.article(
            title=saved.text(node.get("name")), body="", name=name, fmt="chrome",
            line=index, url=url, date=saved.micro_date(node.get("date_added"), since_1601=True),
            source="Chrome", tags=tuple(dict.fromkeys((*tags, *((folder,) if folder else ())))),
        )
    saved.report_skipped(bad, problems)


def _read_firefox(src: Input) -> Iterator[ParsedArticle]:
    if not looks_like_firefox(src.value):
        raise ArchiveError("not a Firefox bookmarks backup")
    return parse_firefox(src.value, src.name, src.tags, src.problems)


def _read_chrome(src: Input) -> Iterator[ParsedArticle]:
    if not looks_like_chrome(src.value):
        raise ArchiveError("not a Chrome bookmarks file")
    return parse_chrome(src.value, src.name, src.tags, src.problems)


FIREFOX = Format("firefox", _read_firefox, reads="json", shape=looks_like_firefox,
                 links=True)
CHROME = Format("chrome", _read_chrome, reads="json", shape=looks_like_chrome,
                links=True)
