"""Relevance benchmark: how well search ranks what a person is looking for.

Reads a BEIR-style collection in place (default `../shared/ir/scifact-train`:
`docs.jsonl.gz`, `queries.tsv`, `qrels.txt`; see that folder's README), imports
its documents into a new library through `Store.add_articles`, runs every query
through `Store.search` exactly as `reader search` does (first 100 results),
and prints nDCG@10 (binary gains, as trec_eval), recall@100 and the queries
with no result, beside the FTS5 baseline of the collection's `fts_baseline.py`
(the query's words OR'ed, bm25, title x8) measured in the same run.

    python bench/bench_relevance.py                      # SciFact training queries
    python bench/bench_relevance.py --collection DIR --json

Goal: nDCG@10 at least the baseline's, queries with no result at most 1 %.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.models import ParsedArticle, Provenance
from reader.store import Store

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "ir" / "scifact-train"


@dataclass
class Scores:
    system: str
    queries: int
    ndcg10: float
    recall100: float
    no_result: int
    seconds: float

    @property
    def no_result_share(self) -> float:
        return self.no_result / self.queries if self.queries else 0.0


def documents(folder: Path) -> Iterator[dict[str, str]]:
    with gzip.open(folder / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def queries(folder: Path) -> list[tuple[str, str]]:
    out = []
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            qid, text = line.split("\t", 1)
            out.append((qid, text))
    return out


def qrels(folder: Path) -> dict[str, set[str]]:
    judged: dict[str, set[str]] = {}
    for line in (folder / "qrels.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            judged.setdefault(parts[0], set()).add(parts[2])
    return judged


def score(system: str, folder: Path, run: Callable[[str], list[str]]) -> Scores:
    """nDCG@10 and recall@100 of `run` (query text → document ids, best first)."""
    judged = qrels(folder)
    ndcg: list[float] = []
    recall: list[float] = []
    empty = 0
    start = time.perf_counter()
    for qid, text in queries(folder):
        if qid not in judged:
            continue
        ids = run(text)[:100]
        empty += not ids
        relevant = judged[qid]
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ids[:10]) if d in relevant)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
        ndcg.append(dcg / ideal if ideal else 0.0)
        recall.append(len(relevant & set(ids)) / len(relevant))
    seconds = time.perf_counter() - start
    n = len(ndcg)
    return Scores(system, n, sum(ndcg) / n if n else 0.0, sum(recall) / n if n else 0.0,
                  empty, seconds)


def reader_library(folder: Path, db: Path) -> dict[int, str]:
    """Import the documents into a new library; article id → document id."""
    docs = list(documents(folder))
    with Store(db) as store:
        store.add_articles(
            ParsedArticle(title=d.get("title") or "", body=d.get("text") or "",
                          provenance=Provenance("/collection.jsonl", "text", i, i + 1))
            for i, d in enumerate(docs, 1))
        rows = store.conn.execute(
            "SELECT article_id, start_line FROM provenance").fetchall()
    return {article_id: docs[line - 1]["id"] for article_id, line in rows}


def reader_scores(folder: Path, db: Path) -> Scores:
    to_doc = reader_library(folder, db)
    with Store(db) as store:
        store.search("warm up the index")

        def run(text: str) -> list[str]:
            return [to_doc[h.id] for h in store.search(text, limit=100)]

        return score("reader (Store.search)", folder, run)


def baseline_scores(folder: Path) -> Scores:
    """The collection's `fts_baseline.py`, re-run here on the same documents."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5 (id UNINDEXED, title, body,"
               " tokenize='porter unicode61')")
    db.executemany("INSERT INTO f VALUES (?, ?, ?)",
                   ((d["id"], d["title"], d["text"]) for d in documents(folder)))

    def run(text: str) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        expr = " OR ".join(f'"{w}"' for w in words)
        return [r[0] for r in db.execute(
            "SELECT id FROM f WHERE f MATCH ? ORDER BY bm25(f, 0, 8.0, 1.0) LIMIT 100", (expr,))]

    return score("FTS5 baseline (words OR'ed, bm25)", folder, run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", type=Path, default=DEFAULT)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folder: Path = args.collection
    if not (folder / "docs.jsonl.gz").exists():
        print(f"no collection at {folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        ours = reader_scores(folder, Path(tmp) / "library.db")
    base = baseline_scores(folder)
    if args.json:
        print(json.dumps([asdict(ours), asdict(base)], indent=2))
        return 0
    print(f"collection: {folder.name}, {ours.queries} judged queries")
    print(f"{'system':36} {'nDCG@10':>8} {'R@100':>7} {'no result':>10} {'ms/query':>9}")
    for s in (ours, base):
        print(f"{s.system:36} {s.ndcg10:8.4f} {s.recall100:7.4f} "
              f"{s.no_result:4d} ({s.no_result_share:5.1%}) {1000 * s.seconds / s.queries:8.1f}")
    ok = ours.ndcg10 >= base.ndcg10 and ours.no_result_share <= 0.01
    print("goal (nDCG@10 ≥ baseline, no result ≤ 1 %):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
