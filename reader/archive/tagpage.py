"""Tag page dumps: a blog's tag or category page saved as plain text.

    Posts Tagged ‘WeChat’            <- header: its tag goes on every post
    <title>
    February 12, 2019                <- date line (or `Posted on …`, or in a footer)
    <body paragraphs>
    Posted in News | Leave a comment <- optional footer
    <next title> …
    « Older Entries                  <- page chrome

Posts are found by structure, not by line length: a one-line paragraph
followed by a date line starts a post (Blogger prints the date first, which
is detected per file); after a post footer or a `Continue reading` line the
next one-line paragraph starts a post even without a date. Body lines that
merely look like titles (subheads, kickers, pull quotes) never split a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise

from reader.archive.blocks import (
    Block,
    blocks,
    is_nav,
    is_prose,
    is_sidebar_heading,
    is_title_like,
)
from reader.clean import clean_lines, clean_title, is_junk, is_meta, is_separator, squash
from reader.dates import date_line, parse_date
from reader.models import ParsedArticle, Provenance

FORMAT = "tagpage"

_Q = "['\"‘’“”«»]"
_HEADER = re.compile(
    rf"""^(?:
      posts?\s+tagged(?:\s+with)?\s*:?\s*{_Q}?(?P<t1>.+?){_Q}?
    | archive\s+for\s+the\s+{_Q}?(?P<t2>.+?){_Q}?\s+(?:category|tag)
    | (?:tag|category|topic)\s+archives?\s*:\s*{_Q}?(?P<t3>.+?){_Q}?
    | (?:tag|category|tagged|topic|label)\s*:\s*{_Q}?(?P<t4>.+?){_Q}?
    | showing\s+posts\s+with\s+label\s+{_Q}?(?P<t5>.+?){_Q}?(?:\.\s*show\s+all\s+posts)?
    | (?:posts|articles|entries|stories)\s+(?:tagged|about|filed\s+under|label(?:l)?ed)
      (?:\s+with)?\s*:?\s*{_Q}?(?P<t6>.+?){_Q}?
    | browsing\s+(?:tag|category)\s*:?\s*{_Q}?(?P<t7>.+?){_Q}?
    )\s*[.:]?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|written by|posted by|words by)\s+(\S.{0,60})$", re.IGNORECASE)
HEADER_SCAN_BLOCKS = 40
MODE_SCAN_BLOCKS = 400


def header_tag(line: str) -> str | None:
    """The tag a page header names (`Posts Tagged ‘WeChat’` → `WeChat`), else None."""
    if len(line) > 120:
        return None
    m = _HEADER.match(squash(line))
    if m is None:
        return None
    tag = next(v for k, v in m.groupdict().items() if v)
    tag = tag.strip(" '\"‘’“”«».:")
    return tag or None


def _title_then_date(b: Block, n: Block | None) -> str | None:
    """The date if `b` is a one-line title paragraph and `n` starts with a date line."""
    if len(b.lines) != 1 or n is None:
        return None
    date = date_line(n.first)
    return date if date and is_title_like(b.first) else None


def _date_then_title(b: Block, n: Block | None) -> str | None:
    """The date if `b` is a one-line date header and `n` a one-line title (Blogger)."""
    if len(b.lines) != 1 or n is None or len(n.lines) != 1:
        return None
    date = date_line(b.first)
    return date if date and is_title_like(n.first) else None


def layout(sample: list[Block]) -> str:
    """Where this page prints each post's date: `title-first` (under the title, the
    common case), `date-first` (above it, as Blogger does) or `date-last` (in the
    footer after the body, followed by `Leave a comment` and the like)."""
    title_first = date_first = date_last = 0
    for i, b in enumerate(sample):
        before = sample[i - 1] if i else None
        n = sample[i + 1] if i + 1 < len(sample) else None
        after = sample[i + 2] if i + 2 < len(sample) else None
        if _date_then_title(b, n) and after is not None and is_prose(after):
            date_first += 1
        if before is None or len(b.lines) != 1 or not date_line(b.first):
            continue
        # A date then a footer line, after a body paragraph (not after a title that
        # itself follows the previous post's footer), and before the next title
        # rather than running text: the date closes a post.
        earlier = sample[i - 2] if i >= 2 else None
        if n is not None and _is_footer(n.first) and earlier is not None \
                and not _is_footer(earlier.first) and not _is_footer(before.first) \
                and (after is None or not is_prose(after)):
            date_last += 1
        elif _title_then_date(before, b):
            title_first += 1
    if date_last >= 2 and date_last > title_first:
        return "date-last"
    return "date-first" if date_first > title_first else "title-first"


def _is_footer(line: str) -> bool:
    return is_meta(line) or is_separator(line)


def count_posts(sample: list[Block]) -> int:
    """How many posts a sample shows by their dates (for format detection)."""
    mode = layout(sample)
    if mode == "date-last":
        return sum(1 for b in sample if len(b.lines) == 1 and date_line(b.first))
    first = mode == "date-first"
    return sum(
        1
        for b, n in pairwise(sample)
        if (_date_then_title(b, n) if first else _title_then_date(b, n))
    )


def find_header(sample: list[Block]) -> tuple[int, int, str] | None:
    """(block index, line index, tag) of a tag page header near the top."""
    for bi, b in enumerate(sample[:HEADER_SCAN_BLOCKS]):
        for li, line in enumerate(b.lines[:3]):
            tag = header_tag(line)
            if tag:
                return bi, li, tag
    return None


@dataclass(slots=True)
class _Post:
    title: str
    start: int
    date: str | None
    end: int
    body: list[str] = field(default_factory=list)
    author: str | None = None
    has_text: bool = False
    """Whether a paragraph of text (not only meta lines) has been read."""


def parse(lines: Iterable[str], path: str, tags: tuple[str, ...] = ()) -> Iterator[ParsedArticle]:
    """Split a tag page dump into articles, streaming."""
    stream = blocks(lines)
    sample = list(islice(stream, MODE_SCAN_BLOCKS))
    header = find_header(sample)
    page_tags = tags
    if header is not None:
        bi, li, tag = header
        page_tags = (tag, *[t for t in tags if t.casefold() != tag.casefold()])
        rest = sample[bi].lines[li + 1:]
        tail = [Block(sample[bi].start + li + 1, rest)] if rest else []
        sample = tail + sample[bi + 1:]
    yield from _posts(chain(sample, stream), path, page_tags, layout(sample), header is not None)


@dataclass(slots=True)
class _Start:
    """The opening of a post: its title line, date, and the first body lines read with it."""

    title: str
    date: str | None
    line: int
    body: list[str]
    end: int


def _opening(b: Block, n: Block | None, mode: str) -> _Start | None:
    """A post opening at block `b` (looking at the next block `n`) by title and date."""
    if mode == "date-last":
        return None  # posts open after the previous one's footer
    if mode == "date-first":
        date = _date_then_title(b, n)
        if date and n is not None:
            return _Start(n.first, date, n.start, [], n.end)
        return None
    date = _title_then_date(b, n)
    if date and n is not None:
        return _Start(b.first, date, b.start, n.lines[1:], n.end)
    if len(b.lines) >= 2 and is_title_like(b.first) and (date := date_line(b.lines[1])):
        return _Start(b.first, date, b.start, b.lines[2:], b.end)
    return None


def _posts(
    stream: Iterator[Block], path: str, tags: tuple[str, ...], mode: str, has_header: bool
) -> Iterator[ParsedArticle]:
    first = mode == "date-first"
    post: _Post | None = None
    after_footer = chrome = seen_post = False
    day: str | None = None  # Blogger prints one date header for all the posts of a day
    previous: Block | None = None  # the block before this one, wherever it went
    previous_end = 0  # where the current post ended before that block
    pending: Block | None = next(stream, None)
    while pending is not None:
        b = pending
        n = pending = next(stream, None)
        start = _opening(b, n, mode)
        if start is not None and start.end != b.end:
            pending = next(stream, None)  # the next block was read with the opening
        elif start is None and len(b.lines) == 1 and (
            after_footer or (not seen_post and has_header and n is not None and is_prose(n))
        ) and is_title_like(b.first):
            start = _Start(b.first, day if first else None, b.start, [], b.end)
        author = None
        if start is not None and (m := _BYLINE.match(start.title)) and previous is not None \
                and len(previous.lines) == 1 and is_title_like(previous.first):
            # `Title / By Ann Lee / March 3, 2019`: the title is the line above the byline.
            author = m.group(1)
            if post is not None and post.body[-1:] == [previous.first]:
                del post.body[-2:]
                post.end = previous_end
            start = _Start(previous.first, start.date, previous.start, start.body, start.end)
        previous_end = post.end if post is not None else 0
        previous = b
        if start is not None and post is not None and not any(post.body) and post.date is None:
            # A post cannot end before it has begun: what looked like the next
            # title is this post's first line, and the date is this post's.
            post.date = start.date
            post.author = post.author or author
            post.body.extend([b.first, *start.body] if start.line == b.start else start.body)
            post.end = start.end
            post.has_text = post.has_text or any(post.body)
            after_footer = False
            continue
        if start is not None:
            if first:
                day = start.date
            if post is not None and (any(post.body) or post.date):
                yield from _finish(post, path, tags)
            post = _Post(start.title, start.line, start.date, start.end, list(start.body), author,
                         has_text=any(not is_junk(ln) and not _is_footer(ln) for ln in start.body))
            seen_post, after_footer, chrome = True, False, False
            continue
        if chrome:
            continue
        if seen_post and (is_nav(b.first) or is_sidebar_heading(b.first)):
            if post is not None:
                yield from _finish(post, path, tags)
            post, chrome = None, True
            continue
        if post is None:
            continue  # page chrome before the first post
        if mode == "date-last" and len(b.lines) == 1 and (date := date_line(b.first)):
            # The date in the footer: it ends the post and dates it.
            post.date = post.date or date
            post.end = b.end
            after_footer = True
            continue
        post.body.append("")
        post.body.extend(b.lines)
        post.end = b.end
        if len(b.first) >= 300:  # running text: the common case, decided at once
            after_footer = False
            continue
        footer = [ln for ln in b.lines if is_meta(ln) or is_separator(ln)]
        if footer and all(is_meta(ln) or is_separator(ln) or is_junk(ln) for ln in b.lines):
            # Meta lines before any text (`3 Comments` under the date) do not end a post.
            after_footer = post.has_text
            if post.date is None:
                post.date = next(filter(None, map(parse_date, footer)), None)
        elif not all(is_junk(ln) for ln in b.lines):
            after_footer = False
            post.has_text = True
    if post is not None:
        yield from _finish(post, path, tags)


def _finish(post: _Post, path: str, tags: tuple[str, ...]) -> Iterator[ParsedArticle]:
    title = clean_title(post.title)
    body_lines = [ln for ln in post.body if not is_separator(ln)]
    body = clean_lines(body_lines, title=title)
    if not body and post.date is None:
        return
    yield ParsedArticle(
        title=title,
        body="\n".join(body),
        provenance=Provenance(path, FORMAT, post.start, max(post.end, post.start)),
        date=post.date,
        author=post.author,
        tags=tags,
    )
