"""Listing-dump benchmark: articles fully right per corpus, and parse speed.

Corpora:

- ``dumps``: the twelve real listing-page dumps in ``../shared/dumps``, scored
  with the rules of ``../shared/dumps/score.py`` (loaded from there): an article
  is fully right when it is found by its first content line and its last line,
  title, date and source match; the figure is right / max(truth, found);
- ``seeds``: the two seeds in ``../shared/seeds``, the same way;
- ``synthetic``: the pages of ``tests/listings.py`` (every style, five pages
  each), checked against the articles the generator put in them.

Speed is the splitter alone (``reader.archive.listing.parse`` over lines in
memory, best of three), in MB/s of text, on each corpus and on the synthetic
tag and digest dumps of ``bench/gen_dumps.py``; then the CPU seconds of each of
its steps (shaping lines, segmenting, making articles) on those two dumps, to
say where the time goes.

Usage::

    python bench/bench_listing.py            # all corpora, 2000-article speed dumps
    python bench/bench_listing.py --articles 10000
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from gen_dumps import write_dump  # noqa: E402

from reader.archive import listing  # noqa: E402
from tests.listings import STYLES, page  # noqa: E402


def _scorer() -> ModuleType | None:
    path = SHARED / "dumps" / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("dump_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")


def _score(score: ModuleType, lines: list[str], truth: dict[str, Any]) -> tuple[int, int]:
    pred = list(listing.parse(iter(lines), "x"))
    used: set[int] = set()
    full = 0
    for t in truth["articles"]:
        first = score.norm(t["first_line"])
        match = next((i for i, p in enumerate(pred) if i not in used
                      and (b := score.body_lines(p.body, p.title))
                      and score.norm(b[0]).startswith(first[: max(20, len(first) - 2)].strip())),
                     None)
        if match is None:
            continue
        used.add(match)
        p = pred[match]
        body = score.body_lines(p.body, p.title)
        last = score.norm(t["last_line"])
        dates = {t.get("date"), t.get("date_alt")} - {None} if t.get("date") else {None}
        full += (score.norm(body[-1]).startswith(last[: max(20, len(last) - 2)].strip())
                 and (not t["title"] or score.norm(p.title) == score.norm(t["title"]))
                 and (p.date or None) in dates
                 and score.norm(p.source) == score.norm(t.get("source")))
    return full, max(len(truth["articles"]), len(pred))


def _speed(texts: list[list[str]]) -> float:
    """MB/s of the splitter over these files, best of three."""
    size = sum(len("\n".join(t).encode()) for t in texts)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for t in texts:
            for _article in listing.parse(iter(t), "x"):
                pass
        best = min(best, time.perf_counter() - start)
    return size / 1e6 / best


def real_corpus(name: str, files: list[Path],
                truth_of: Callable[[Path], Path]) -> dict[str, Any] | None:
    score = _scorer()
    if score is None or not files:
        return None
    right = total = 0
    texts = []
    for path in files:
        lines = _read(path)
        texts.append(lines)
        full, denom = _score(score, lines, json.loads(truth_of(path).read_text("utf-8")))
        right, total = right + full, total + denom
    return {"corpus": name, "files": len(files), "right": right, "total": total,
            "mbps": _speed(texts)}


def synthetic_corpus(pages: int = 5) -> dict[str, Any]:
    right = total = 0
    texts = []
    for style in STYLES:
        for seed in range(pages):
            generated = page(style, seed)
            lines = generated.text.split("\n")
            texts.append(lines)
            got = list(listing.parse(iter(lines), "x"))
            total += max(len(got), len(generated.articles))
            for a, e in zip(got, generated.articles, strict=False):
                body = [x for x in a.body.split("\n") if x.strip()]
                right += (a.title, a.date, a.source, body[:1], body[-1:]) == (
                    e.title, e.date, e.source, [e.first], [e.last])
    return {"corpus": f"synthetic ({len(STYLES)} styles)", "files": len(texts), "right": right,
            "total": total, "mbps": _speed(texts)}


def speed_dump(fmt: str, articles: int) -> dict[str, Any]:
    out = io.StringIO()
    write_dump(fmt, articles, out)  # type: ignore[arg-type]
    lines = out.getvalue().split("\n")
    return {"corpus": f"gen_dumps {fmt} ({articles} articles)", "files": 1, "right": None,
            "total": None, "mbps": _speed([lines])}


def phases(fmt: str, articles: int) -> dict[str, float]:
    """CPU seconds of each step of the splitter on a `gen_dumps` dump, window by window
    as `listing.parse` runs them (shaping lines, segmenting, making articles)."""
    from reader.archive.lines import classify
    from reader.archive.listing.bodies import article

    out = io.StringIO()
    write_dump(fmt, articles, out)  # type: ignore[arg-type]
    texts = out.getvalue().split("\n")
    template = listing.sniff(texts[: listing.WINDOW])
    assert template is not None
    clock = time.process_time
    spent = {"shape lines": 0.0, "segment": 0.0, "articles": 0.0}
    for start in range(0, len(texts), listing.WINDOW):
        t0 = clock()
        lines = classify(texts[start:start + listing.WINDOW], start + 1, template.order)
        t1 = clock()
        records = listing.segment(lines, template, final=True)
        t2 = clock()
        for r in records:
            article(lines, r, template, "x", ())
        t3 = clock()
        spent["shape lines"] += t1 - t0
        spent["segment"] += t2 - t1
        spent["articles"] += t3 - t2
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000,
                        help="articles in each synthetic speed dump (default 2000)")
    args = parser.parse_args(argv)
    rows = [
        real_corpus("shared dumps", sorted((SHARED / "dumps").glob("*.txt")),
                    lambda p: p.with_suffix(".truth.json")),
        real_corpus("shared seeds", sorted((SHARED / "seeds").glob("*.txt")),
                    lambda p: SHARED / "seeds-truth" / (p.stem + ".truth.json")),
        synthetic_corpus(),
        speed_dump("tag", args.articles),
        speed_dump("digest", args.articles),
    ]
    print("| corpus | files | articles fully right | share | parse MB/s |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        if row is None:
            continue
        share = f"{row['right'] / row['total']:.3f}" if row["total"] else "–"
        right = f"{row['right']}/{row['total']}" if row["total"] else "–"
        print(f"| {row['corpus']} | {row['files']} | {right} | {share} | {row['mbps']:.1f} |")
    print()
    print("| dump | shape lines CPU s | segment CPU s | articles CPU s |")
    print("|---|--:|--:|--:|")
    for fmt in ("tag", "digest"):
        spent = phases(fmt, args.articles)
        print(f"| gen_dumps {fmt} ({args.articles} articles) | "
              + " | ".join(f"{v:.2f}" for v in spent.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
