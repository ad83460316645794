"""Deleting articles, and what their tombstones cost later imports.

Deleted articles leave tombstones that every later import checks its new
articles against (by hash, by title in the same file, by link). This measures,
on library files built from deterministic synthetic articles:

- importing N new articles into a library with no tombstones, and into one with
  T tombstones (the checks run only when there is at least one);
- re-importing a file whose articles were all deleted (all left out) beside
  re-importing one whose articles are all present;
- `Store.delete_articles`: T articles in one call, and one article at a time.

Each import runs on a fresh copy of the same library; the table shows the
median and the fastest of `--repeat` runs, and the ratio of medians. The
column "checks skipped" imports into the library with tombstones with the
checks turned off: the difference from the column before it is what the checks
cost, apart from the library's state (this machine's run-to-run noise is large).

Usage::

    python bench/bench_delete.py                  # 10,000 new articles, 5,000 tombstones
    python bench/bench_delete.py --quick          # 2,000 and 1,000
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.models import ParsedArticle, Provenance
from reader.store import Prepared, Store, prepare

SEED = 2026
SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze", "bri", "dan", "fel")


def articles(rng: random.Random, n: int, path: str) -> list[Prepared]:
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
             for _ in range(3000)]
    out = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(5)).capitalize()
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "."
                           for _ in range(5))
        out.append(prepare(ParsedArticle(
            title=title, body=body, provenance=Provenance(path, "text", i * 20 + 1, i * 20 + 19),
            url=f"https://example.org/{path.strip('/')}/{i}", tags=(rng.choice(words),))))
    return out


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(base: Path, work: Callable[[Store], object], checks: bool = True) -> float:
    """`work` on a fresh copy of the library at `base`."""
    copy = base.with_name("run.db")
    shutil.copyfile(base, copy)
    with Store(copy) as store:
        if not checks:
            store._tombstones = lambda: False  # type: ignore[method-assign]
        seconds = timed(lambda: work(store))
    copy.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    return seconds


def runs(repeat: int, *variants: tuple[Path, Callable[[Store], object], bool]
         ) -> list[list[float]]:
    """Each variant `repeat` times, interleaved (the machine's load drifts)."""
    times: list[list[float]] = [[] for _ in variants]
    for _ in range(repeat):
        for i, (base, work, checks) in enumerate(variants):
            times[i].append(run(base, work, checks))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new", type=int, default=10_000, help="articles imported")
    parser.add_argument("--tombstones", type=int, default=5_000, help="articles deleted")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 new, 1,000 deleted")
    args = parser.parse_args()
    if args.quick:
        args.new, args.tombstones, args.repeat = 2_000, 1_000, 3
    rng = random.Random(SEED)
    old = articles(rng, args.tombstones, "/old.txt")
    kept = articles(rng, args.tombstones, "/kept.txt")
    new = articles(rng, args.new, "/new.txt")

    with tempfile.TemporaryDirectory() as tmp:
        plain, graves = Path(tmp) / "plain.db", Path(tmp) / "graves.db"
        for path in (plain, graves):
            with Store(path) as store:
                store.add_prepared(old)
                store.add_prepared(kept)
        with Store(graves) as store:
            ids = [r[0] for r in store.conn.execute(
                "SELECT article_id FROM provenance WHERE path = '/old.txt'")]
            delete_all = timed(lambda: store.delete_articles(ids))
        with Store(plain) as store:
            ids = [r[0] for r in store.conn.execute(
                "SELECT article_id FROM provenance WHERE path = '/old.txt'")]
            # The same articles gone without tombstones: both libraries hold the same rows.
            with store.transaction():
                for article_id in ids:
                    store.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            store.conn.execute("DELETE FROM tags WHERE id NOT IN"
                               " (SELECT tag_id FROM article_tags)")

        rows = []
        for label, work in (
            (f"import {args.new:,} new articles", lambda s: s.add_prepared(new)),
            (f"re-import {args.tombstones:,} present articles", lambda s: s.add_prepared(kept)),
        ):
            a, b, c = runs(args.repeat, (plain, work, True), (graves, work, True),
                           (graves, work, False))
            rows.append((label, a, b, c))
        (left_out,) = runs(args.repeat, (graves, lambda s: s.add_prepared(old), True))

        def one_at_a_time(store: Store) -> None:
            for article_id in store.article_ids()[:200]:
                store.delete_articles([article_id])

        (singles,) = runs(args.repeat, (graves, one_at_a_time, True))

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:,.0f} ms (best {min(values) * 1000:,.0f})"

    print(f"# Delete benchmark — {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"seed {SEED}, {args.repeat} runs\n")
    print(f"| work | no tombstones | {args.tombstones:,} tombstones | ratio "
          "| the same, checks skipped | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, a, b, c in rows:
        print(f"| {label} | {ms(a)} | {ms(b)} | "
              f"{statistics.median(b) / statistics.median(a):.2f} | {ms(c)} | "
              f"{statistics.median(c) / statistics.median(a):.2f} |")
    print(f"| re-import the {args.tombstones:,} deleted articles (all left out) | | "
          f"{ms(left_out)} | | | |")
    print()
    print(f"- `delete_articles` of {args.tombstones:,} articles in one call: "
          f"{delete_all * 1000:,.0f} ms ({delete_all / args.tombstones * 1e6:,.0f} µs each)")
    print(f"- one article per call (its own transaction), 200 calls: "
          f"{statistics.median(singles) / 200 * 1000:.2f} ms each (median of runs)")


if __name__ == "__main__":
    main()
