"""Search benchmark: the first page of 50 ranked results with snippets, at 10k and 100k.

Goal (SPEC.md §8): p95 ≤ 30 ms for words, phrases and filters at 100k articles;
the worst prefix query ≤ 300 ms. Compared in the same run with what a user does
without reader: `grep -ril` over the same articles written out one file each.

Libraries are built deterministically through `Store.add_articles` from the
synthetic text of `gen_dumps.py` (same vocabulary and Zipf law) and cached in
`bench/.cache/` (keyed by size, seed and versions; `--cache-dir` moves it).

    python bench/bench_search.py                    # 10k and 100k
    python bench/bench_search.py --sizes 10000 --repeat 3 --grep-queries 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_dumps import GENERATOR_VERSION, DumpGenerator

from reader.models import ParsedArticle, Provenance
from reader.store import SCHEMA_VERSION, Store

LIBRARY_VERSION = 2
"""Bump when the generated library changes for a given seed."""
TAGS = ("china", "wechat", "privacy", "economy", "science", "travel", "music", "policy")
SOURCES = ("Example News", "The Daily Ledger", "Northwind Times", None, None)


def articles(count: int, seed: int) -> Iterator[ParsedArticle]:
    gen = DumpGenerator(seed)
    rng = random.Random(seed + 7)
    for i in range(count):
        tags = tuple(rng.sample(TAGS, rng.choice((0, 1, 1, 2))))
        date = f"{rng.randint(2005, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield ParsedArticle(
            title=gen.title(), body="\n\n".join(gen.paragraphs()),
            provenance=Provenance(f"/bench/{i // 1000}.txt", "digest", i * 10 + 1, i * 10 + 9),
            date=date, source=rng.choice(SOURCES), tags=tags)


def library(cache: Path, count: int, seed: int) -> Path:
    path = cache / f"search-{count}-s{seed}-g{GENERATOR_VERSION}-l{LIBRARY_VERSION}" \
        f"-v{SCHEMA_VERSION}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".part")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    with Store(tmp) as store:
        batch: list[ParsedArticle] = []
        for article in articles(count, seed):
            batch.append(article)
            if len(batch) == 2000:
                store.add_articles(batch)
                batch = []
        if batch:
            store.add_articles(batch)
        rng = random.Random(seed + 11)
        ids = store.article_ids()
        with store.transaction() as conn:  # one transaction, not one per article
            conn.executemany("UPDATE articles SET read = 1 WHERE id = ?",
                             [(i,) for i in rng.sample(ids, len(ids) // 3)])
            conn.executemany("UPDATE articles SET starred = 1 WHERE id = ?",
                             [(i,) for i in rng.sample(ids, len(ids) // 50)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.replace(path)
    print(f"built {path.name} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


def files(cache: Path, db: Path) -> Path:
    """The same articles as one Markdown-ish text file each (what grep searches)."""
    folder = db.with_suffix(".files")
    if folder.exists():
        return folder
    tmp = folder.with_suffix(".part")
    tmp.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    for article_id, title, body, date, source in conn.execute(
            "SELECT id, title, body, date, source FROM articles"):
        sub = tmp / f"{article_id // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{article_id}.txt").write_text(
            f"{title}\n{date or ''} {source or ''}\n\n{body}\n", encoding="utf-8")
    conn.close()
    tmp.rename(folder)
    return folder


def query_mix(db: Path) -> dict[str, list[str]]:
    """Fixed queries per kind, picked from the vocabulary by frequency rank."""
    vocab = DumpGenerator(1).vocabulary
    rare, rarer = vocab[2500].lower(), vocab[3900].lower()
    mid = vocab[600].lower()
    return {
        "word": ["the", "people", "government", "phone", mid, rare, rarer, "zzzzqx"],
        "phrase": ['"the people"', '"of the"', f'"{mid} the"', '"network phone"'],
        "filter": ["tag:wechat", "source:ledger", "before:2008", "is:starred",
                   "after:2020 is:unread", "tag:china -tag:wechat"],
        "combination": ["government tag:privacy", f"{rare} OR {rarer}", "china -phone",
                        '"data network" after:2015', "title:market", "people is:starred",
                        "market source:example before:2012"],
        "prefix": ["gov*", "pho*", "th*", "t*", "a*", "z*", "q*"],
        "live": ["g", "go", "gov", "gove", "gover", "governme", "government"],
    }


def measure(store: Store, query: str, repeat: int, live: bool) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        store.search(query, limit=50, live=live)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def grep_time(folder: Path, word: str) -> float:
    start = time.perf_counter()
    subprocess.run(["grep", "-ril", "--", word, str(folder)], stdout=subprocess.DEVNULL,
                   check=False)
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--grep-queries", type=int, default=3,
                        help="How many word queries to time with grep too (each reads every file).")
    parser.add_argument("--cache-dir", type=Path,
                        default=Path(__file__).resolve().parent / ".cache")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {
        "date": dt.date.today().isoformat(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "machine": f"{platform.machine()}, "
        f"{__import__('os').cpu_count()} cores", "sizes": {}}
    for size in (int(s) for s in args.sizes.split(",")):
        db = library(args.cache_dir, size, args.seed)
        mix = query_mix(db)
        rows: dict[str, dict[str, object]] = {}
        with Store(db) as store:
            store.search("warm up the cache")
            for kind, queries in mix.items():
                all_times: list[float] = []
                per_query = {}
                for q in queries:
                    t = measure(store, q, args.repeat, live=kind == "live")
                    all_times += t
                    per_query[q] = (statistics.median(t), len(store.search(q, limit=50)),
                                    store.search_count(q, live=kind == "live"))
                worst = max(per_query, key=lambda k: per_query[k][0])
                rows[kind] = {"median_ms": statistics.median(all_times), "p95_ms": p95(all_times),
                              "worst": worst, "worst_ms": per_query[worst][0],
                              "queries": {k: {"median_ms": round(v[0], 2), "matches": v[2]}
                                          for k, v in per_query.items()}}
        folder = files(args.cache_dir, db)
        greps = {w: grep_time(folder, w) for w in mix["word"][: args.grep_queries]}
        report["sizes"][size] = {  # type: ignore[index]
            "library_mb": round(db.stat().st_size / 1e6, 1), "kinds": rows,
            "grep_ms": {w: round(t) for w, t in greps.items()}}
        print_table(size, report["sizes"][size])  # type: ignore[index]
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


def print_table(size: int, result: dict[str, object]) -> None:
    print(f"\n{size:,} articles, library {result['library_mb']} MB", file=sys.stderr)
    print(f"{'kind':<12} {'median ms':>10} {'p95 ms':>8}  worst query (median ms)", file=sys.stderr)
    for kind, row in result["kinds"].items():  # type: ignore[attr-defined]
        print(f"{kind:<12} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}  "
              f"{row['worst']!r} ({row['worst_ms']:.1f})", file=sys.stderr)
    for word, ms in result["grep_ms"].items():  # type: ignore[attr-defined]
        print(f"grep -ril {word!r}: {ms} ms", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
