"""Parsing one file for import, in whichever process: its options and the checks every
article passes (size limit, URLs without control characters, safe provenance paths)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from reader import controls
from reader.archive import Parsed, parse_bytes, parse_file
from reader.clean import needs_sanitizing, sanitize
from reader.importer.expansion import Job
from reader.models import ParsedArticle
from reader.store import Prepared, prepare


@dataclass(frozen=True, slots=True)
class Options:
    """How to read files: a forced format, added tags, an encoding, WordPress pages."""

    fmt: str | None = None
    tags: tuple[str, ...] = ()
    encoding: str | None = None
    pages: bool = False
    share: tuple[int, int] | None = None
    """(k, n): this process converts every n-th article of the file from the k-th."""
    part: tuple[int, int] | None = None
    """(k, n): this process splits the k-th of n parts of a listing dump (`chunks`)."""


_BAD_URL = re.compile(f"[{controls.SANITIZED}\t\n \u200b-\u200d]")
"""Characters a URL never holds written out: those the import removes from text
(`reader.controls`), and tab, newline, space (written %20) and the zero-width
space and joiners. Such a URL is refused."""
MAX_ARTICLE_CHARS = 10_000_000
"""An article longer than this (10 MB of text, some twenty novels) is not imported and
is reported; the rest of its file is (README, Limits)."""


def prepare_all(articles: Iterable[ParsedArticle]) -> Iterator[Prepared]:
    """Articles hashed and laid out for the store, lazily."""
    return (prepare(a) for a in articles)


def checked(parsed: Parsed) -> Parsed:
    """`parsed` with articles over `MAX_ARTICLE_CHARS` left out and reported, URLs
    holding control characters refused (reported; the article kept without one) and
    a provenance path with control characters sanitised."""

    def articles(found: Iterator[ParsedArticle]) -> Iterator[ParsedArticle]:
        # Articles of one file share a path, except in reader's own exports (each
        # article keeps the path it first came from): sanitised once per path.
        safe_paths: dict[str, str] = {}
        for article in found:
            p = article.provenance
            if len(article.body) > MAX_ARTICLE_CHARS:
                parsed.problems.append(
                    f"article at line {p.start_line} is {len(article.body) // 1_000_000} MB "
                    f"of text, over the {MAX_ARTICLE_CHARS // 1_000_000} MB limit; not imported")
                continue
            safe_path = safe_paths.get(p.path)
            if safe_path is None:
                safe_path = sanitize(p.path) if needs_sanitizing(p.path) else p.path
                safe_paths[p.path] = safe_path
            if safe_path != p.path:
                article = replace(article, provenance=replace(p, path=safe_path))
            if article.url is not None:
                url: str | None = article.url.strip()
                if not url or _BAD_URL.search(url):
                    parsed.problems.append(
                        f"article at line {p.start_line}: its URL holds control or "
                        "invisible characters; imported without it")
                    url = None
                if url != article.url:
                    article = replace(article, url=url)
            yield article

    parsed.articles = articles(parsed.articles)
    return parsed


# Libraries log a page they could not read with a traceback (readability-lxml's
# "error getting summary"); the file's one-line report says all the user needs.
for _name in ("readability", "trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def parse_job(job: Job, options: Options) -> Parsed:
    """Open `job` for import: its format and its checked articles, streamed."""
    return checked(_parse_unbounded(job, options))


def _parse_unbounded(job: Job, options: Options) -> Parsed:
    fmt, tags, encoding, pages = (job.fmt or options.fmt, options.tags, options.encoding,
                                  options.pages)
    if job.data is not None:
        return parse_bytes(job.data, str(job.path), fmt, tags, encoding, job.path, job.lookup,
                           pages=pages)
    assert job.disk is not None
    if job.lookup is not None:
        return parse_bytes(job.disk.read_bytes(), str(job.disk.resolve()), fmt, tags,
                           encoding, job.disk, job.lookup)
    return parse_file(job.disk, fmt, tags, encoding, pages=pages)
