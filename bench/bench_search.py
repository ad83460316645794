"""Search benchmark: the first page of 50 ranked results with snippets, per kind of query.

Goal (issue: search over the whole library in milliseconds): p95 ≤ 10 ms for
every kind at 100,000 articles, ≤ 50 ms at 1,000,000; memory ≤ 150 MB with a
100k library open. Also measured: the time to write the library and to build
its index, the index's size, and the start-up of a process opening the library
and answering its first search.

`--fts5` also times, on the same articles, what chose the index: an SQLite FTS5
table (`porter unicode61`, bm25, title ×8) asked for the top 50 of a common
word and of a ten-word sentence's words OR'ed, beside the index's own top 50.

Libraries are built deterministically through `Store.add_articles` from the
synthetic text of `gen_dumps.py` (same vocabulary and Zipf law), their index by
`Store.reindex`, and cached in `bench/.cache/` (keyed by size, seed and
versions; `--cache-dir` moves it).

    python bench/bench_search.py                       # 10k and 100k
    python bench/bench_search.py --sizes 100000 --fts5 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
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

from reader.index import INDEX_VERSION, index_path
from reader.models import ParsedArticle, Provenance
from reader.store import SCHEMA_VERSION, Store

LIBRARY_VERSION = 3
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


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def library(cache: Path, count: int, seed: int) -> tuple[Path, dict[str, float]]:
    """The cached library of `count` articles with its index, and how long they took."""
    path = cache / (f"search-{count}-s{seed}-g{GENERATOR_VERSION}-l{LIBRARY_VERSION}"
                    f"-v{SCHEMA_VERSION}.db")
    done = path.with_suffix(".json")
    if done.exists() and path.exists():
        figures = json.loads(done.read_text())
        if figures.get("index_version") != INDEX_VERSION:
            with Store(path) as store:
                start = time.perf_counter()
                store.reindex()
                figures["index_s"] = round(time.perf_counter() - start, 1)
            figures["index_version"] = INDEX_VERSION
            done.write_text(json.dumps(figures))
        return path, figures
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(index_path(path), ignore_errors=True)
    start = time.perf_counter()
    with Store(path) as store:
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
        written = time.perf_counter() - start
        start = time.perf_counter()
        store.reindex()
        indexed = time.perf_counter() - start
    figures = {"write_s": round(written, 1), "index_s": round(indexed, 1),
               "index_version": INDEX_VERSION}
    done.write_text(json.dumps(figures))
    print(f"built {path.name}: library {written:.0f} s, index {indexed:.0f} s", file=sys.stderr)
    return path, figures


def query_mix() -> dict[str, tuple[list[str], bool]]:
    """Fixed queries per kind (and whether typed live), picked from the vocabulary by rank."""
    vocab = [w.lower() for w in DumpGenerator(1).vocabulary]
    rare, rarer, mid = vocab[2500], vocab[3900], vocab[600]
    rng = random.Random(5)
    sentences = [" ".join(rng.choice(vocab[:1500]) for _ in range(10)) for _ in range(4)]
    return {
        "rare word": ([rare, rarer, vocab[3000]], False),
        "common word": (["the", "people", "government", mid], False),
        "two common words": (["people government", "the people", f"{mid} phone"], False),
        "phrase": (['"the people"', '"of the"', f'"{rare} the"', f'"the {mid}"'], False),
        "filter": (["tag:wechat", "source:ledger", "before:2008", "is:starred",
                    "after:2020 is:unread", "tag:china -tag:wechat",
                    "government tag:privacy", "people is:starred",
                    "market source:example before:2012"], False),
        "sentence (10 words)": (sentences, False),
        "prefix, 1 letter": (["t*", "a*", "z*", "q*"], False),
        "prefix, 2 letters": (["th*", "go*", "pe*", "zo*"], False),
        "prefix, 3+ letters": (["gov*", "pho*", "peop*"], False),
        "as you type": (["g", "go", "gov", "gove", "gover", "governme", "government",
                         "government p", "government pe"], True),
    }


def measure(store: Store, query: str, repeat: int, live: bool) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each repeat (CPU time depends less on the
    machine's other load)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        store.search(query, limit=50, live=live)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from reader.store import Store
store = Store(sys.argv[1])
hits = store.search("people government")
first = (time.perf_counter() - start) * 1000

def status():
    fields = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields

opened = status()
for q in json.loads(sys.argv[2]):
    store.search(q, limit=50)
after = status()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"first_search_ms": round(first), "peak_rss_mib": round(rss, 1),
                  "rss_opened_mib": opened.get("VmRSS"), "anon_opened_mib": opened.get("RssAnon"),
                  "rss_after_mib": after.get("VmRSS"), "anon_after_mib": after.get("RssAnon"),
                  "file_after_mib": after.get("RssFile")}))
"""


def startup(db: Path, queries: list[str]) -> dict[str, float]:
    """A new process: open the library, answer one search; then the query mix (peak RSS)."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(db), json.dumps(queries)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def fts5_compare(cache: Path, db: Path, queries: dict[str, str], repeat: int,
                 store: Store) -> dict[str, dict[str, float]]:
    """FTS5 bm25 top 50 against the index's top 50 (no snippets), same articles."""
    fts = db.with_suffix(".fts5")
    if not fts.exists():
        tmp = fts.with_suffix(".part")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        conn.execute("CREATE VIRTUAL TABLE f USING fts5 (title, body,"
                     " tokenize='porter unicode61 remove_diacritics 2')")
        src = sqlite3.connect(db)
        conn.executemany("INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)",
                         src.execute("SELECT id, title, body FROM articles"))
        conn.commit()
        conn.close()
        tmp.rename(fts)
    conn = sqlite3.connect(fts)
    from reader import index, search

    searcher = store.search_index.searcher(store.conn)
    out = {}
    for name, text in queries.items():
        words = search.parse(text).terms
        expr = " OR ".join(f'"{t.text}"' for t in words)
        fts_times, idx_times = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            conn.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, 8.0, 1.0)"
                         " LIMIT 50", (expr,)).fetchall()
            fts_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            p = index.plan(search.parse(text), store.conn, searcher=searcher)
            assert p is not None
            index.ranked(searcher, p, 50, 0)
            idx_times.append((time.perf_counter() - start) * 1000)
        out[name] = {"fts5_ms": round(statistics.median(fts_times), 1),
                     "index_ms": round(statistics.median(idx_times), 2)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fts5", action="store_true",
                        help="Also time FTS5 bm25 top-50 on the same articles.")
    parser.add_argument("--cache-dir", type=Path,
                        default=Path(__file__).resolve().parent / ".cache")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {
        "date": dt.date.today().isoformat(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "machine": f"{platform.machine()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", "sizes": {}}
    mix = query_mix()
    for size in (int(s) for s in args.sizes.split(",")):
        db, built = library(args.cache_dir, size, args.seed)
        rows: dict[str, dict[str, object]] = {}
        with Store(db) as store:
            store.search("warm up the cache")
            for kind, (queries, live) in mix.items():
                all_times: list[float] = []
                all_cpu: list[float] = []
                per_query = {}
                for q in queries:
                    store.search(q, limit=50, live=live)
                    t, c = measure(store, q, args.repeat, live)
                    all_times += t
                    all_cpu += c
                    per_query[q] = (statistics.median(t), store.search_count(q, live=live))
                worst = max(per_query, key=lambda k: per_query[k][0])
                rows[kind] = {"p50_ms": round(pct(all_times, 0.5), 2),
                              "p95_ms": round(pct(all_times, 0.95), 2),
                              "cpu_p50_ms": round(pct(all_cpu, 0.5), 2),
                              "cpu_p95_ms": round(pct(all_cpu, 0.95), 2),
                              "worst": worst, "worst_ms": round(per_query[worst][0], 2),
                              "queries": {k: {"median_ms": round(v[0], 2), "matches": v[1]}
                                          for k, v in per_query.items()}}
            compare = None
            if args.fts5:
                compare = fts5_compare(args.cache_dir, db, {
                    "common word (the)": "the", "common word (people)": "people",
                    "ten-word sentence": mix["sentence (10 words)"][0][0]}, args.repeat, store)
        every = [q for queries, live in mix.values() if not live for q in queries]
        result = {"library_mb": round(_size_mb(db), 1),
                  "index_mb": round(_size_mb(index_path(db)), 1), **built,
                  **startup(db, every), "kinds": rows, "fts5": compare}
        report["sizes"][size] = result  # type: ignore[index]
        print_table(size, result)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


def print_table(size: int, r: dict[str, object]) -> None:
    print(f"\n{size:,} articles: library {r['library_mb']} MB written in {r['write_s']} s;"
          f" index {r['index_mb']} MB built in {r['index_s']} s; new process to first"
          f" results {r['first_search_ms']} ms", file=sys.stderr)
    print(f"memory: open with a first search RSS {r['rss_opened_mib']} MiB (private"
          f" {r['anon_opened_mib']}); after every query RSS {r['rss_after_mib']} MiB (private"
          f" {r['anon_after_mib']}, mapped index and library files {r['file_after_mib']});"
          f" peak {r['peak_rss_mib']} MiB", file=sys.stderr)
    print(f"{'kind':<22} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}"
          "  worst query (median ms)", file=sys.stderr)
    for kind, row in r["kinds"].items():  # type: ignore[attr-defined]
        print(f"{kind:<22} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['cpu_p50_ms']:>8.1f}"
              f" {row['cpu_p95_ms']:>8.1f}  {row['worst']!r} ({row['worst_ms']:.1f})",
              file=sys.stderr)
    if r.get("fts5"):
        print(f"{'top 50, no snippets':<22} {'FTS5 ms':>8} {'index ms':>8}", file=sys.stderr)
        for name, row in r["fts5"].items():  # type: ignore[attr-defined]
            print(f"{name:<22} {row['fts5_ms']:>8.1f} {row['index_ms']:>8.2f}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
