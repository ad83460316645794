"""The bare sqlite3 floor for importing a plain-text dump (SPEC.md section 8).

What the simplest possible importer costs: the standard ``sqlite3`` module,
the dump read as a stream and split on its known separator only, each
(title, body) inserted into a table and an FTS5 index over title and body,
everything in one transaction, WAL mode. No cleaning, no dates, no
provenance, no dedup: ``reader import`` should cost at most 1.5x this.

- digest dumps are split on the ``Read More`` line; the title is the first
  line of the item, the body everything after it.
- tag page dumps are split where a title line, a blank line and a date line
  (``February 12, 2019``) follow each other; the header line is skipped.

The FTS5 table uses external content (``content='articles'``) so the text is
stored once, as a careful importer would do.

CLI (prints one JSON object)::

    python bench/floor.py DUMP DB
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

Format = Literal["tag", "digest"]

SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"""

TAG_HEADER = re.compile(r"^(Posts Tagged|Archive for the|Tag Archives:|Tag:|Showing posts with)")
DATE_LINE = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{1,2}, \d{4}$"
)
SEPARATOR = "Read More"

Article = tuple[str, str]


def detect_format(dump_path: Path) -> Format:
    """``tag`` when the first line is a tag page header, else ``digest``."""
    with dump_path.open(encoding="utf-8-sig") as dump:
        first = dump.readline()
    return "tag" if TAG_HEADER.match(first) else "digest"


def _article(lines: list[str]) -> Article | None:
    """(title, body) from an item's lines: first non-blank line, then the rest."""
    for i, line in enumerate(lines):
        if line:
            return line, "\n".join(lines[i + 1 :]).strip()
    return None


def split_digest(lines: Iterable[str]) -> Iterator[Article]:
    item: list[str] = []
    for line in lines:
        if line == SEPARATOR:
            article = _article(item)
            if article:
                yield article
            item = []
        else:
            item.append(line)
    article = _article(item)
    if article:
        yield article


def split_tag(lines: Iterable[str]) -> Iterator[Article]:
    it = iter(lines)
    next(it, None)  # the "Posts Tagged ..." header
    post: list[str] = []
    for line in it:
        # A date line after "title, blank" starts a post at that title.
        if DATE_LINE.match(line) and len(post) >= 2 and not post[-1] and post[-2]:
            title = post[-2]
            article = _article(post[:-2])
            if article:
                yield article
            post = [title]
        else:
            post.append(line)
    article = _article(post)
    if article:
        yield article


def read_lines(dump_path: Path) -> Iterator[str]:
    """The dump's lines without line endings, streamed."""
    with dump_path.open(encoding="utf-8-sig", newline=None) as dump:
        for line in dump:
            yield line.rstrip("\n")


def run_floor(
    dump_path: str | Path, db_path: str | Path, fmt: Format | None = None
) -> tuple[float, int]:
    """Import ``dump_path`` into a new database at ``db_path`` the bare way.

    Returns (seconds, articles). Any existing database at ``db_path`` is
    replaced.
    """
    dump_path, db_path = Path(dump_path), Path(db_path)
    fmt = fmt or detect_format(dump_path)
    split = split_tag if fmt == "tag" else split_digest
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        count = 0
        for title, body in split(read_lines(dump_path)):
            rowid = conn.execute(
                "INSERT INTO articles (title, body) VALUES (?, ?)", (title, body)
            ).lastrowid
            conn.execute(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                (rowid, title, body),
            )
            count += 1
        conn.execute("COMMIT")
    finally:
        conn.close()
    return time.perf_counter() - start, count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bare sqlite3 import floor for a text dump.")
    parser.add_argument("dump", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--format", choices=("tag", "digest"), default=None)
    args = parser.parse_args(argv)
    seconds, articles = run_floor(args.dump, args.db, args.format)
    size = args.dump.stat().st_size
    print(
        json.dumps(
            {
                "format": args.format or detect_format(args.dump),
                "articles": articles,
                "bytes": size,
                "seconds": round(seconds, 4),
                "mb_per_s": round(size / 1e6 / seconds, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
