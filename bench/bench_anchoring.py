"""Re-anchoring benchmark: 10,000 highlights after a re-import with modified text.

Generates deterministic synthetic articles (paragraphs of sentences drawn
from a small vocabulary, seeded), highlights one to three sentences at a time,
then makes a modified version of every article the way a better parser or an
edited source file would:

- a sentence inserted at the top (every offset moves);
- some paragraphs re-wrapped (single spaces become line breaks or double
  spaces) and straight quotes turned curly;
- some highlighted sentences edited (a word replaced, inserted or dropped);
- some highlighted sentences deleted (these must become orphans);
- some highlighted sentences copied into another paragraph (context must
  choose).

It then re-anchors every highlight twice: with `reader.anchoring.Anchorer`
alone (timed per highlight, by method), and through the library
(`Store.reanchor_article` on a library file, one transaction per article).
Each placement is checked against the expected text, so the table shows how
often anchoring was right, not only how fast it was.

Usage::

    python bench/bench_anchoring.py                # 10,000 highlights
    python bench/bench_anchoring.py --highlights 2000 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.anchoring import Anchorer, make_anchor
from reader.models import Anchor, ParsedArticle, Provenance
from reader.store import ANCHOR_METHODS, Store

DEFAULT_SEED = 2024
SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze", "bri", "dan", "fel",
             "gor", "hal", "jun", "kes", "lam", "mor", "nel", "pas", "quin", "rut", "sol")
KINDS = ("kept", "edited", "deleted", "duplicated")


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    out = sorted(words)
    # A few words with apostrophes, so that curly quotes matter.
    return out + [w + "'s" for w in out[:100]]


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    n = max(4, int(rng.lognormvariate(2.6, 0.45)))
    # Zipf-Mandelbrot frequencies, as in English: the commonest word is ~5% of text.
    picked = rng.choices(words, cum_weights=weights, k=n)
    picked[0] = picked[0].capitalize()
    return " ".join(picked) + rng.choice(".....!?")


def zipf_weights(size: int) -> list[float]:
    total = 0.0
    cumulative = []
    for rank in range(size):
        total += 1.0 / (rank + 2.7)
        cumulative.append(total)
    return cumulative


@dataclass
class Article:
    paragraphs: list[list[str]]
    """Sentences per paragraph."""

    def render(self, reflow: set[int] | None = None, curly: bool = False) -> tuple[str, dict]:
        """The body, and where each (paragraph, sentence) starts and ends in it."""
        parts: list[str] = []
        where: dict[tuple[int, int], tuple[int, int]] = {}
        pos = 0
        for p, sentences in enumerate(self.paragraphs):
            if p:
                parts.append("\n\n")
                pos += 2
            for s, text in enumerate(sentences):
                if s:
                    sep = " "
                    if reflow and p in reflow:
                        sep = "\n" if s % 2 else "  "
                    parts.append(sep)
                    pos += len(sep)
                if curly:
                    text = text.replace("'", "’")
                where[(p, s)] = (pos, pos + len(text))
                parts.append(text)
                pos += len(text)
        return "".join(parts), where


@dataclass
class Highlight:
    article: int
    paragraph: int
    first: int
    last: int
    kind: str
    anchor: Anchor | None = None
    expected: tuple[int, int] | None = None
    """Where it should land after the edit (None: it must become an orphan)."""


@dataclass
class Corpus:
    old_bodies: list[str] = field(default_factory=list)
    new_bodies: list[str] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)


def build(n_highlights: int, seed: int, long_article_words: int) -> Corpus:
    rng = random.Random(seed)
    words = vocabulary(rng)
    rng.shuffle(words)
    weights = zipf_weights(len(words))
    corpus = Corpus()
    per_article = 50
    long_highlights = min(500, n_highlights // 20) if long_article_words else 0
    regular = n_highlights - long_highlights
    specs = [(2200, per_article)] * (regular // per_article)
    if regular % per_article:
        specs.append((2200, regular % per_article))
    if long_highlights:
        specs.append((long_article_words, long_highlights))
    for index, (n_words, count) in enumerate(specs):
        paragraphs: list[list[str]] = []
        total = 0
        while total < n_words:
            para = [sentence(rng, words, weights) for _ in range(rng.randint(2, 8))]
            total += sum(s.count(" ") + 1 for s in para)
            paragraphs.append(para)
        article = Article(paragraphs)
        old_body, old_where = article.render()
        # Highlights: distinct sentence runs.
        taken: set[tuple[int, int]] = set()
        chosen: list[Highlight] = []
        while len(chosen) < count:
            p = rng.randrange(len(paragraphs))
            first = rng.randrange(len(paragraphs[p]))
            last = min(len(paragraphs[p]) - 1, first + rng.choice((0, 0, 0, 1, 2)))
            cells = {(p, s) for s in range(first, last + 1)}
            if cells & taken:
                continue
            taken |= cells
            roll = rng.random()
            kind = ("edited" if roll < 0.12 else "deleted" if roll < 0.17
                    else "duplicated" if roll < 0.22 else "kept")
            h = Highlight(index, p, first, last, kind)
            start, end = old_where[(p, first)][0], old_where[(p, last)][1]
            h.anchor = make_anchor(old_body, start, end)
            chosen.append(h)
        # The modified version.
        new = Article([list(para) for para in paragraphs])
        for h in chosen:
            if h.kind == "edited":
                s = rng.randint(h.first, h.last)
                tokens = new.paragraphs[h.paragraph][s].split(" ")
                i = rng.randrange(1, len(tokens) - 1) if len(tokens) > 2 else 0
                op = rng.choice(("replace", "insert", "drop"))
                if op == "replace":
                    tokens[i] = rng.choice(words)
                elif op == "insert":
                    tokens.insert(i, rng.choice(words))
                elif len(tokens) > 4:
                    del tokens[i]
                new.paragraphs[h.paragraph][s] = " ".join(tokens)
            elif h.kind == "duplicated":
                # The same sentences again at the end of some paragraph.
                copy = new.paragraphs[h.paragraph][h.first:h.last + 1]
                target = rng.randrange(len(new.paragraphs))
                new.paragraphs[target] = new.paragraphs[target] + [" ".join(copy)]
        for h in chosen:
            if h.kind == "deleted":
                for s in range(h.first, h.last + 1):
                    new.paragraphs[h.paragraph][s] = ""
        # Most new versions begin with something the old parser missed.
        shift = int(rng.random() < 0.7)
        if shift:
            new.paragraphs.insert(0, ["A sentence the better parser found first."])
        reflow = {p for p in range(len(new.paragraphs)) if rng.random() < 0.1}
        curly = rng.random() < 0.2
        new_body, new_where = _render_skipping_empty(new, reflow, curly)
        for h in chosen:
            if h.kind == "deleted":
                h.expected = None
            else:
                start = new_where[(h.paragraph + shift, h.first)][0]
                end = new_where[(h.paragraph + shift, h.last)][1]
                h.expected = (start, end)
        corpus.old_bodies.append(old_body)
        corpus.new_bodies.append(new_body)
        corpus.highlights.extend(chosen)
    return corpus


def _render_skipping_empty(article: Article, reflow: set[int],
                           curly: bool) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """Render with deleted (empty) sentences left out, keeping original indexes."""
    parts: list[str] = []
    where: dict[tuple[int, int], tuple[int, int]] = {}
    pos = 0
    first_para = True
    for p, sentences in enumerate(article.paragraphs):
        kept = [(s, t) for s, t in enumerate(sentences) if t]
        if not kept:
            continue
        if not first_para:
            parts.append("\n\n")
            pos += 2
        first_para = False
        for n, (s, text) in enumerate(kept):
            if n:
                sep = (" " if p not in reflow else ("\n" if n % 2 else "  "))
                parts.append(sep)
                pos += len(sep)
            if curly:
                text = text.replace("'", "’")
            where[(p, s)] = (pos, pos + len(text))
            parts.append(text)
            pos += len(text)
    return "".join(parts), where


def judge(h: Highlight, body: str, placed: Anchor) -> str:
    """right / wrong / lost (placed nothing though it should have) / orphaned (rightly)."""
    if placed.orphan:
        return "orphaned" if h.expected is None else "lost"
    if h.expected is None:
        return "wrong"
    return "right" if (placed.start, placed.end) == h.expected else "wrong"


def run_anchorer(corpus: Corpus) -> dict[str, Any]:
    by_article: dict[int, list[Highlight]] = {}
    for h in corpus.highlights:
        by_article.setdefault(h.article, []).append(h)
    times: dict[str, list[float]] = {m: [] for m in ANCHOR_METHODS}
    verdicts: dict[str, dict[str, int]] = {k: {} for k in KINDS}
    total = time.perf_counter()
    for index, highlights in by_article.items():
        body = corpus.new_bodies[index]
        anchorer = Anchorer(body)
        for h in highlights:
            assert h.anchor is not None
            t0 = time.perf_counter()
            placed = anchorer.reanchor(h.anchor)
            times[placed.method].append(time.perf_counter() - t0)
            verdict = judge(h, body, placed)
            verdicts[h.kind][verdict] = verdicts[h.kind].get(verdict, 0) + 1
    seconds = time.perf_counter() - total
    return {"seconds": seconds, "times": times, "verdicts": verdicts}


def run_store(corpus: Corpus, folder: Path) -> dict[str, Any]:
    path = folder / "anchoring.db"
    store = Store(path)
    store.add_articles(
        ParsedArticle(f"Article {i}", body, Provenance("bench.txt", "text", i * 10 + 1,
                                                        i * 10 + 9))
        for i, body in enumerate(corpus.old_bodies)
    )
    ids = store.article_ids(sort="title")
    id_of = {store.article(i).title: i for i in ids}  # type: ignore[union-attr]
    with store.transaction():
        for h in corpus.highlights:
            assert h.anchor is not None
            a = h.anchor
            store.conn.execute(
                "INSERT INTO annotations (article_id, quote, prefix, suffix, start, end,"
                " anchored_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'exact', ?, ?)",
                (id_of[f"Article {h.article}"], a.quote, a.prefix, a.suffix, a.start, a.end,
                 "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00"))
    # The re-import (the library's own method for it lives with the importer).
    with store.transaction():
        for i, body in enumerate(corpus.new_bodies):
            store.conn.execute("UPDATE articles SET body = ? WHERE id = ?",
                               (body, id_of[f"Article {i}"]))
    counts = dict.fromkeys(ANCHOR_METHODS, 0)
    per_article: list[float] = []
    t0 = time.perf_counter()
    for i in range(len(corpus.new_bodies)):
        t = time.perf_counter()
        for method, n in store.reanchor_article(id_of[f"Article {i}"]).items():
            counts[method] += n
        per_article.append(time.perf_counter() - t)
    seconds = time.perf_counter() - t0
    orphans = store.count_annotations(orphans=True)
    total = store.count_annotations()
    store.close()
    return {"seconds": seconds, "counts": counts, "per_article": per_article,
            "orphans": orphans, "total": total}


def _ms(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{statistics.mean(values) * 1e3:.3f} / {p95 * 1e3:.3f} / "
            f"{ordered[-1] * 1e3:.2f}")


def report(corpus: Corpus, anchorer: dict[str, Any], store: dict[str, Any],
           seed: int) -> str:
    n = len(corpus.highlights)
    lines = [
        f"Re-anchoring {n:,} highlights in {len(corpus.new_bodies)} articles "
        f"(seed {seed}; largest body {max(len(b.split()) for b in corpus.new_bodies):,} words)",
        "",
        f"- `Anchorer` alone: {anchorer['seconds']:.2f} s "
        f"({anchorer['seconds'] / n * 1e3:.3f} ms per highlight)",
        f"- `Store.reanchor_article`, one transaction per article: {store['seconds']:.2f} s "
        f"(per article: {_ms(store['per_article'])} ms mean / p95 / max)",
        f"- orphans after re-anchoring: {store['orphans']:,} of {store['total']:,} highlights "
        "(none dropped)" if store["total"] == n else "- HIGHLIGHTS WERE LOST",
        "",
        "| method | highlights | ms per highlight: mean / p95 / max |",
        "|---|---:|---|",
    ]
    for method in ANCHOR_METHODS:
        times = anchorer["times"][method]
        lines.append(f"| {method} | {len(times):,} | {_ms(times)} |")
    lines += ["", "| edit made to the highlighted text | highlights | right | wrong | lost "
              "(orphaned though present) | orphaned (rightly) |", "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        v = anchorer["verdicts"][kind]
        count = sum(v.values())
        lines.append(f"| {kind} | {count:,} | {v.get('right', 0):,} | {v.get('wrong', 0):,} | "
                     f"{v.get('lost', 0):,} | {v.get('orphaned', 0):,} |")
    return "\n".join(lines)


def versions() -> str:
    return (f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.machine()}, {dt.date.today().isoformat()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--highlights", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--long-article-words", type=int, default=100_000,
                        help="one article this long carries 5%% of the highlights (0: none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    corpus = build(args.highlights, args.seed, args.long_article_words)
    built = time.perf_counter() - t0
    anchorer = run_anchorer(corpus)
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as folder:
        store = run_store(corpus, Path(folder))
    if store["counts"] != {m: len(t) for m, t in anchorer["times"].items()}:
        print("warning: the store and the anchorer disagree:", store["counts"], file=sys.stderr)
    if args.json:
        print(json.dumps({
            "highlights": len(corpus.highlights), "articles": len(corpus.new_bodies),
            "seed": args.seed, "anchorer_seconds": anchorer["seconds"],
            "store_seconds": store["seconds"], "counts": store["counts"],
            "verdicts": anchorer["verdicts"], "versions": versions(),
        }, indent=2))
    else:
        print(report(corpus, anchorer, store, args.seed))
        print(f"\n{versions()}; corpus built in {built:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
