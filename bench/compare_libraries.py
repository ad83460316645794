"""Compare the contents of two libraries: the same articles, tags and provenance.

Checks that a change to the import pipeline leaves what it stores unchanged:
every column of `articles` (ids included), `tags`, `article_tags`,
`provenance` and `search_log`, except the times of the import (`added_at`,
`imported_at`).

Usage::

    python bench/compare_libraries.py A.db B.db

Prints one line per table and exits 1 when any differs (the first rows that
differ are shown).
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from collections.abc import Iterator

TABLES: dict[str, tuple[str, str]] = {
    # table: (columns compared, order)
    "articles": ("id, hash, title, date, source, read, starred, stub, words, position, url,"
                 " author, tags_text, notes_text, title_extra, body_extra, body", "id"),
    "tags": ("id, name", "id"),
    "article_tags": ("tag_id, article_id", "article_id, tag_id"),
    "provenance": ("id, article_id, path, format, start_line, end_line", "id"),
    "search_log": ("seq, article_id", "seq"),
}


def rows(db: str, table: str) -> Iterator[tuple[object, ...]]:
    columns, order = TABLES[table]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        yield from conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}")
    finally:
        conn.close()


def digest(db: str, table: str) -> tuple[int, str]:
    h = hashlib.sha256()
    n = 0
    for row in rows(db, table):
        h.update(repr(row).encode())
        n += 1
    return n, h.hexdigest()[:16]


def first_difference(a: str, b: str, table: str) -> str:
    for n, (x, y) in enumerate(zip(rows(a, table), rows(b, table), strict=False)):
        if x != y:
            return f"row {n}: {str(x)[:200]!r} != {str(y)[:200]!r}"
    return "one has more rows"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    args = parser.parse_args(argv)
    same = True
    for table in TABLES:
        (na, ha), (nb, hb) = digest(args.a, table), digest(args.b, table)
        if (na, ha) == (nb, hb):
            print(f"{table}: same ({na} rows)")
        else:
            same = False
            print(f"{table}: DIFFERENT ({na} vs {nb} rows; "
                  f"{first_difference(args.a, args.b, table)})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
