"""Back up, export and restore a library: how long each takes next to the original import.

A synthetic tag-page dump (bench/gen_dumps.py) is imported; every 10th article
gets a highlight with a note, every 7th a star. Then, each in its own
subprocess (interpreter start-up included, as a user sees it):

- `reader backup`          (VACUUM INTO)
- `reader export articles --format jsonl`
- `reader import EXPORT`   into a fresh library: the restore
- `reader import EXPORT`   again into the restored library: nothing to add

The restore/import ratio is measured in one run. The restored library is checked
to hold as many articles and highlights as the original.

    python bench/bench_restore.py                 # 2,000 and 10,000 articles
    python bench/bench_restore.py --sizes 1000
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_dumps import generate

from reader.models import Anchor
from reader.store import Store


def run(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reader", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT count(*) FROM articles").fetchone()[0],
                conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
    finally:
        conn.close()


def measure(size: int, work: Path) -> dict[str, object]:
    dump, db = work / f"dump-{size}.txt", work / f"library-{size}.db"
    generate("tag", size, dump)
    imported = run("import", str(dump), "--db", str(db))
    with Store(db) as store:
        for n, article_id in enumerate(store.article_ids()):
            if n % 7 == 0:
                store.set_starred(article_id)
            if n % 10 == 0:
                body = store.article(article_id).body  # type: ignore[union-attr]
                quote = body[:40]
                store.add_annotation(article_id, Anchor(quote, "", "", 0, len(quote)),
                                     note=f"note {n}")
    backup, export = work / f"backup-{size}.db", work / f"export-{size}.jsonl"
    restored = work / f"restored-{size}.db"
    row: dict[str, object] = {"articles": size, "library_mb": round(db.stat().st_size / 1e6, 1)}
    row["import_s"] = round(imported, 2)
    row["backup_s"] = round(run("backup", str(backup), "--db", str(db)), 2)
    row["export_s"] = round(run("export", "articles", "--format", "jsonl", "--out",
                                str(export), "--db", str(db)), 2)
    restore = run("import", str(export), "--db", str(restored))
    row["restore_s"] = round(restore, 2)
    row["again_s"] = round(run("import", str(export), "--db", str(restored)), 2)
    row["restore_vs_import"] = round(restore / imported, 2)
    row["same_counts"] = counts(restored) == counts(db) == counts(backup)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-bench-restore-") as tmp:
        rows = [measure(int(size), Path(tmp)) for size in args.sizes.split(",")]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
