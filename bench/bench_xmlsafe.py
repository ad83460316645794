"""What removing the characters XML forbids costs a WordPress export, before its parse.

    python bench/bench_xmlsafe.py [--posts 1500,6000] [--repeat 5]

Each export is synthetic and deterministic (`bench_extract.synthetic_wxr`: posts of
≈ 2.7 KB of ordinary HTML, typographic quotes written as `&#8217;`), in four
variants: clean UTF-8 (the usual case: one scan), one control character in its last
post, an ANSI-coloured line (`ESC[31m…ESC[0m`) in every post, and the clean export
declared and written as ISO-8859-1. Each row gives the best of `--repeat` runs of
`xml_bytes` and of the strict parse of its result (defusedxml's expat, what the
WordPress reader runs first), in the same run, and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import synthetic_wxr  # noqa: E402

from reader.archive.xmlsafe import xml_bytes  # noqa: E402


def best(run: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def variants(posts: int) -> dict[str, bytes]:
    clean = synthetic_wxr(posts).replace(b"and a list:", b"and a &#8217;list&#8217;:")
    last = clean.rfind(b"<h2>")
    latin = clean.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    return {
        "clean UTF-8": clean,
        "one control character": clean[:last] + b"<p>a\x01b</p>" + clean[last:],
        "ANSI colours in every post": clean.replace(
            b"<h2>", b"<p>\x1b[31mred\x1b[0m plain</p><h2>"),
        "clean ISO-8859-1": latin,
    }


def main() -> None:
    import defusedxml.ElementTree as safe_et

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", default="1500,6000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| export | MB | xml_bytes ms | strict parse ms | ratio |")
    print("|---|---|---|---|---|")
    for posts in (int(n) for n in args.posts.split(",")):
        for name, data in variants(posts).items():
            cleaned = xml_bytes(data)
            clean_ms = best(lambda d=data: xml_bytes(d), args.repeat)  # type: ignore[misc]
            parse_ms = best(lambda c=cleaned: safe_et.fromstring(c),  # type: ignore[misc]
                            max(1, args.repeat // 2))
            print(f"| {posts:,} posts, {name} | {len(data) / 2**20:.1f} | {clean_ms:.1f} | "
                  f"{parse_ms:.1f} | {clean_ms / parse_ms:.2f} |")


if __name__ == "__main__":
    main()
