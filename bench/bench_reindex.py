"""`reader reindex` on a library: wall and CPU time, peak memory, the index's size.

The search index is derived from the library and rebuilt by `reader reindex`
(and on first use when it is missing or of another version). This times that
command in a child process of its own (`os.wait4`: its wall time, the CPU time
of all its threads, its peak RSS) on an existing library, by default the one
`bench_search.py` builds and caches, so that the figures at a million articles
come from the same library as the search figures.

`--follow` times instead what an import's follower does: a copy of the library
whose change log lists every article, an empty index, and `python -m
reader.index COPY` catching the index up from the log (`SearchIndex.sync`, a
commit every `STEP` changes), as it does after an import that outran it.

    python bench/bench_reindex.py --search-library 1000000   # bench_search.py's library
    python bench/bench_reindex.py LIB.db [--json]
    python bench/bench_reindex.py LIB.db --follow            # catching up from the log
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def _size_mb(path: Path) -> float:
    if not path.is_dir():
        return 0.0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _segments(index: Path) -> int:
    """Segments the index holds (tantivy's `meta.json`); 0 without one."""
    try:
        return len(json.loads((index / "meta.json").read_text())["segments"])
    except (OSError, ValueError, KeyError):
        return 0


def _articles(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def _left(db: Path) -> int:
    """Changes in the library's log that its index has not applied."""
    from reader.index import SearchIndex, index_path

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        index = SearchIndex(index_path(db))
        index.open(conn)
        return index.pending(conn)
    finally:
        conn.close()


def follow_copy(db: Path, work: Path) -> Path:
    """A copy of the library at `db` in `work` whose change log lists every article
    once (in id order) and whose index is empty (log position 0): what a follower
    finds when it starts on a library written faster than it indexes."""
    from reader.index import SearchIndex, index_path

    work.mkdir(parents=True, exist_ok=True)
    copy = work / "follow.db"
    for p in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(index_path(copy), ignore_errors=True)
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
    try:
        target.executescript(
            "DELETE FROM search_log;"
            " UPDATE sqlite_sequence SET seq = 0 WHERE name = 'search_log';"
            " INSERT INTO search_log (article_id) SELECT id FROM articles ORDER BY id;")
        index = SearchIndex(index_path(copy))
        index._build(target, empty=True)
    finally:
        target.close()
    return copy


def reindex(db: Path, follow: bool = False) -> dict[str, object]:
    """Run `python -m reader reindex --db DB` once (`follow`: `python -m reader.follower
    DB`, catching up from the log); its figures."""
    index = Path(f"{db}-search")
    before = _size_mb(index)
    load_before = os.getloadavg()
    command = ["-m", "reader.follower", str(db), "1"] if follow else [
        "-m", "reader", "reindex", "--db", str(db)]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *command],
                            cwd=PROJECT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"reader reindex failed ({code}): {output.strip()[-500:]}")
    articles = _articles(db)
    if follow:
        left = _left(db)
        if left:
            raise SystemExit(f"the follower stopped with {left} changes left")
    return {
        "command": "follow" if follow else "reindex",
        "date": dt.date.today().isoformat(), "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": [round(x, 1) for x in load_before],
        "load_after": [round(x, 1) for x in os.getloadavg()],
        "library": str(db), "articles": articles,
        "library_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")
                                if p.is_file()) / 1e6, 1),
        "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "index_mb_before": round(before, 1), "index_mb": round(_size_mb(index), 1),
        "segments": _segments(index),
        "ms_per_article": round(wall * 1000 / max(articles, 1), 3),
        "output": output.strip().splitlines()[-1:] or [],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", nargs="?", type=Path)
    parser.add_argument("--search-library", type=int, metavar="ARTICLES",
                        help="the library bench_search.py caches for ARTICLES (built once"
                             " if missing)")
    parser.add_argument("--cache-dir", type=Path, default=HERE / ".cache",
                        help="bench_search.py's cache (with --search-library)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--follow", action="store_true",
                        help="time catching up from the change log on a copy (see above)")
    args = parser.parse_args(argv)
    if (args.library is None) == (args.search_library is None):
        parser.error("give a library or --search-library ARTICLES (one of them)")
    if args.library is not None:
        if not args.library.is_file():
            parser.error(f"no library at {args.library}")
        db = args.library.resolve()
    else:
        sys.path.insert(0, str(HERE))
        from bench_search import library

        args.cache_dir.mkdir(parents=True, exist_ok=True)
        db = library(args.cache_dir, args.search_library, 1)[0]
    if args.follow:
        db = follow_copy(db, args.cache_dir / "follow")
    r = reindex(db, follow=args.follow)
    if args.json:
        print(json.dumps(r, indent=2))
        return 0
    what = "python -m reader.follower (catching up from the log)" if args.follow else \
        "reader reindex"
    print(f"{what}, {r['articles']:,} articles (library {r['library_mb']:,} MB),"
          f" {r['date']}, Python {r['python']}, {r['machine']}; load average"
          f" {' / '.join(map(str, r['load_before']))} before,"
          f" {' / '.join(map(str, r['load_after']))} after\n\n"
          f"| wall | CPU (all threads) | peak RSS | index size | segments | per article |\n"
          f"|--:|--:|--:|--:|--:|--:|\n"
          f"| {r['wall_s']} s | {r['cpu_s']} s | {r['peak_rss_mib']} MiB |"
          f" {r['index_mb']:,} MB (before: {r['index_mb_before']:,}) | {r['segments']} |"
          f" {r['ms_per_article']} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
