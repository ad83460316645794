"""Extraction, metadata and speed figures for saved pages and feeds.

    python bench/bench_extract.py [--quick N] [--no-speed]

* Extraction quality on ../shared/samples/html-benchmark/ scored as its
  README describes: `\\w+` tokens, 4-token shingles compared as multisets per
  page, tp/fp/fn normalised per page, precision and recall averaged over
  pages, F1 from the two means. Our pipeline (the plain text of the Markdown
  body), trafilatura alone and readability-lxml alone, in the same run.
* Metadata on ../shared/samples/readability-pages/: title exact, byline,
  site name and date against expected-metadata.json.
* Speed: pages/s and MB/s importing a folder of the benchmark pages (with
  the process pool), against the chosen extractor alone over the same pages;
  entries/s for the real feeds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "samples"
BENCH = SAMPLES / "html-benchmark"
PAGES = SAMPLES / "readability-pages"
FEEDS = SAMPLES / "feeds"

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0 or (fp == 0 and fn == 0):
        return 1.0, 1.0
    tp_, fp_, fn_ = tp / total, fp / total, fn / total
    precision = tp_ / (tp_ + fp_) if tp_ + fp_ else None
    recall = tp_ / (tp_ + fn_) if tp_ + fn_ else None
    return precision, recall


def score(truth: dict[str, str], outputs: dict[str, str]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for key, body in truth.items():
        p, r = page_scores(body, outputs.get(key, ""))
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        exact += _TOKEN.findall(body) == _TOKEN.findall(outputs.get(key, ""))
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "accuracy": exact / len(truth)}


def load_benchmark(limit: int | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    pages = {k: gzip.decompress((BENCH / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8")
             for k in keys}
    return ({k: truth[k]["articleBody"] for k in keys}, {k: truth[k]["url"] for k in keys}, pages)


def run_extractors(pages: dict[str, str], urls: dict[str, str]
                   ) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    import trafilatura
    from readability import Document

    from reader.archive.html import parse_page
    from reader.archive.html_markdown import markdown_from_html, plain_text

    outputs: dict[str, dict[str, str]] = {"reader": {}, "trafilatura": {}, "readability-lxml": {}}
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    for key, page in pages.items():
        try:
            article = parse_page(page, key, url=urls[key])
            outputs["reader"][key] = plain_text(article.body)
        except Exception:
            outputs["reader"][key] = ""
    seconds["reader"] = time.perf_counter() - start
    start = time.perf_counter()
    for key, page in pages.items():
        outputs["trafilatura"][key] = trafilatura.extract(page, url=urls[key]) or ""
    seconds["trafilatura"] = time.perf_counter() - start
    start = time.perf_counter()
    for key, page in pages.items():
        try:
            summary = Document(page, url=urls[key]).summary(html_partial=True)
        except Exception:
            summary = ""
        outputs["readability-lxml"][key] = plain_text(markdown_from_html(summary))
    seconds["readability-lxml"] = time.perf_counter() - start
    return outputs, seconds


def metadata_accuracy() -> dict[str, tuple[int, int]]:
    import lxml.html

    from reader.archive.decoding import decode
    from reader.archive.page_meta import page_metadata

    counts = {"title": [0, 0], "title (suffix moved to source)": [0, 0], "byline": [0, 0],
              "siteName": [0, 0], "publishedTime": [0, 0]}
    misses: list[str] = []
    for folder in sorted(p for p in PAGES.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        doc = lxml.html.document_fromstring(decode((folder / "source.html").read_bytes()))
        meta = page_metadata(doc)
        norm = " ".join
        want_title = norm((expected.get("title") or "").split())
        counts["title"][1] += 1
        counts["title"][0] += meta.title == want_title
        counts["title (suffix moved to source)"][1] += 1
        moved = meta.title == want_title or bool(
            meta.title and meta.site and want_title.startswith(meta.title)
            and meta.site.casefold() in want_title[len(meta.title):].casefold())
        counts["title (suffix moved to source)"][0] += moved
        if not moved:
            misses.append(f"title {folder.name}: {meta.title!r} != {want_title!r}")
        if expected.get("byline"):
            want = norm(expected["byline"].split())
            counts["byline"][1] += 1
            ok = bool(meta.author) and (meta.author == want or (meta.author or "") in want)
            counts["byline"][0] += ok
            if not ok:
                misses.append(f"byline {folder.name}: {meta.author!r} != {want!r}")
        if expected.get("siteName"):
            counts["siteName"][1] += 1
            counts["siteName"][0] += meta.site == expected["siteName"]
        if expected.get("publishedTime"):
            counts["publishedTime"][1] += 1
            counts["publishedTime"][0] += meta.date == expected["publishedTime"][:10]
    for miss in misses:
        print("  miss:", miss)
    return {k: (v[0], v[1]) for k, v in counts.items()}


def speed_folder(pages: dict[str, str], extractor_seconds: float) -> dict[str, float]:
    """Import the benchmark pages as a folder of .html files; pages/s and MB/s."""
    from reader.importer import Importer
    from reader.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        size = 0
        for key, page in pages.items():
            data = page.encode("utf-8")
            size += len(data)
            (folder / f"{key}.html").write_bytes(data)
        store = Store(Path(tmp) / "library.db")
        start = time.perf_counter()
        report = Importer(store).run([folder])
        seconds = time.perf_counter() - start
        store.close()
    return {"pages": report.new, "seconds": seconds, "pages_per_s": len(pages) / seconds,
            "mb_per_s": size / 1e6 / seconds, "ratio": seconds / extractor_seconds}


def speed_feeds() -> dict[str, float]:
    from reader.archive import feed

    files = sorted(p for p in FEEDS.rglob("*") if p.is_file() and p.suffix in
                   {".xml", ".rss", ".atom", ".rdf"})
    start = time.perf_counter()
    entries = 0
    rounds = 5
    for _ in range(rounds):
        for path in files:
            entries += len(feed.parse_feed(path.read_bytes(), str(path)).articles)
    seconds = time.perf_counter() - start
    return {"entries": entries / rounds, "entries_per_s": entries / seconds}


def synthetic_wxr(posts: int) -> bytes:
    """A WordPress export of `posts` posts of ≈ 2.7 KB of ordinary HTML each (deterministic)."""
    para = ("<p>Some <b>bold</b> text with <a href='/x'>a link</a>, <em>emphasis</em> and a "
            "list:</p><ul><li>one item</li><li>two <code>code</code></li></ul><blockquote>"
            "<p>A quote of several words goes here.</p></blockquote>")
    items = "".join(
        f"<item><title>Post {n}</title><link>https://blog.example/{n}</link>"
        f"<wp:post_date>2019-02-01 10:00:00</wp:post_date><content:encoded><![CDATA["
        f"<h2>Part {n}</h2>{para * 12}]]></content:encoded><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status></item>" for n in range(posts))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title>'
            f"{items}</channel></rss>").encode()


def speed_large_export(posts: int = 1500) -> dict[int, float]:
    """Seconds to import one large WordPress export with 1 and 2 converting processes
    (`processes` 2 and 3: the importer keeps one for writing)."""
    from reader.importer import Importer
    from reader.store import Store

    seconds: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "blog.xml"
        path.write_bytes(synthetic_wxr(posts))
        for converting in (1, 2):
            store = Store(Path(tmp) / f"library-{converting}.db")
            start = time.perf_counter()
            report = Importer(store).run([path], processes=converting + 1)
            seconds[converting] = time.perf_counter() - start
            assert report.new == posts
            store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", type=int, help="only the first N benchmark pages")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    truth, urls, pages = load_benchmark(args.quick)
    print(f"# {date.today()}  Python {platform.python_version()}  "
          + "  ".join(f"{p} {version(p)}" for p in
                      ("trafilatura", "readability-lxml", "markdownify", "feedparser", "lxml")))
    outputs, seconds = run_extractors(pages, urls)
    print(f"\n## Extraction ({len(truth)} pages)\n")
    print("| extractor | F1 | precision | recall | accuracy | seconds |")
    print("|---|---|---|---|---|---|")
    for name, out in outputs.items():
        s = score(truth, out)
        print(f"| {name} | {s['f1']:.4f} | {s['precision']:.4f} | {s['recall']:.4f} | "
              f"{s['accuracy']:.3f} | {seconds[name]:.1f} |")
    print("\n## Metadata (readability-pages)\n")
    for name, (good, total) in metadata_accuracy().items():
        print(f"- {name}: {good}/{total} = {good / total:.1%}")
    if args.no_speed:
        return
    print("\n## Speed\n")
    folder = speed_folder(pages, seconds["reader"])
    mb = sum(len(p.encode()) for p in pages.values()) / 1e6
    print(f"- folder import: {folder['pages']:.0f} pages, {mb:.1f} MB in {folder['seconds']:.1f} s"
          f" = {folder['pages_per_s']:.1f} pages/s, {folder['mb_per_s']:.2f} MB/s;"
          f" {folder['ratio']:.2f} x the extraction pipeline alone in one process"
          f" ({seconds['reader']:.1f} s)")
    feeds = speed_feeds()
    print(f"- feeds: {feeds['entries']:.0f} entries, {feeds['entries_per_s']:.0f} entries/s")
    large = speed_large_export()
    print(f"- one large WordPress export (1,500 posts, 4.2 MB): {large[1]:.1f} s converted by "
          f"one process, {large[2]:.1f} s by two ({large[1] / large[2]:.2f}x)")


if __name__ == "__main__":
    main()
