"""Renderer benchmark: opening and paging long articles through `reader.render`.

What the reading view asks of the renderer, timed on deterministic synthetic
Markdown (seeded; no real text):

- *open*: `render.document(body, width)` and the first screen (the lines of one
  page and the body span each of them shows, which painting needs);
- *page-down*: the next page's lines and spans, page after page from the top
  (p50, p95 and the worst of `--pages` pages);
- *jump*: a search hit three quarters of the way in (`to_display`), then its page;
- *full layout*: every line of a fresh document (`Document.finish`), what opening
  cost before the layout was made lazy.

Goals (issue 13 item 4, SPEC §8): a 10 MB article's first frame ≤ 0.5 s and a
page-down ≤ 50 ms; a 100,000-word article opens in ≤ 100 ms.

    python bench/bench_render.py                 # 100k words, 1 MB, 10 MB, 10 MB in one line
    python bench/bench_render.py --quick         # 100k words only
    python bench/bench_render.py --baseline REV  # also the renderer of git revision REV
                                                 # (eager: its open is its full layout)
    python bench/bench_render.py --app           # also in the reading view (Textual, Pilot):
                                                 # open to first frame, space to next frame
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader import render

WIDTH = 72
PAGE = 34
SEED = 13

_WORDS = [
    "the", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with", "as", "by",
    "at", "from", "it", "an", "be", "this", "are", "or", "garden", "river", "window",
    "morning", "letter", "station", "winter", "harbour", "market", "bread", "lamp",
    "quietly", "slowly", "carefully", "rarely", "always", "never", "again", "before",
    "after", "between", "compiler", "kernel", "pointer", "buffer", "socket", "thread",
    "string", "parser", "render", "terminal", "Zürich", "café", "naïve", "façade",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    roll = rng.random()
    if roll < 0.08:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    elif roll < 0.16:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    elif roll < 0.20:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}](https://example.org/{rng.randrange(500)})"
    elif roll < 0.22:
        i = rng.randrange(len(words))
        words[i] = f"`{words[i]}`"
    return " ".join(words).capitalize() + "."


def article(size: int, seed: int = SEED) -> str:
    """Markdown of about `size` characters: paragraphs, headings, lists, quotes, code,
    images and a table now and then."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        if roll < 0.06:
            block = f"## {_sentence(rng)[:-1]}"
        elif roll < 0.12:
            block = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 5)))
        elif roll < 0.16:
            block = "> " + " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        elif roll < 0.19:
            block = "```\n" + "\n".join(
                "    " * rng.randint(0, 2) + " ".join(rng.choice(_WORDS) for _ in range(6))
                for _ in range(rng.randint(2, 8))) + "\n```"
        elif roll < 0.21:
            n = rng.randrange(1000)
            block = f"[![{rng.choice(_WORDS)}](https://img.example/{n}.jpg)](https://example.org/p/{n})"
        elif roll < 0.22:
            block = "| a | b |\n|---|--:|\n" + "\n".join(
                f"| {rng.choice(_WORDS)} | {rng.randrange(999)} |" for _ in range(4))
        else:
            block = " ".join(_sentence(rng) for _ in range(rng.randint(2, 7)))
        parts.append(block)
        total += len(block) + 2
    return "\n\n".join(parts)


def one_line(size: int, seed: int = SEED) -> str:
    """A text of about `size` characters without a single newline."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        sentence = _sentence(rng)
        out.append(sentence)
        total += len(sentence) + 1
    return " ".join(out)


def _page(lines, doc, first: int) -> None:
    """What drawing a page asks: each line, and the body span it shows."""
    for index in range(first, first + PAGE):
        if index >= len(lines):
            break
        line = lines[index]
        if line.para >= 0:
            doc.span_of(index)


def measure(module: ModuleType, body: str, pages: int, lazy: bool) -> dict[str, float]:
    started = time.perf_counter()
    doc = module.document(body, WIDTH)
    lines = doc.lines
    _page(lines, doc, 0)
    opened = time.perf_counter() - started
    steps = []
    for page in range(1, pages + 1):
        t0 = time.perf_counter()
        _page(lines, doc, page * PAGE)
        steps.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    place = doc.to_display(len(body) * 3 // 4)
    if place is not None:
        _page(lines, doc, max(0, place[0] - PAGE // 3))
    jump = time.perf_counter() - t0
    total = len(list(doc.lines))
    t0 = time.perf_counter()
    fresh = module.document(body, WIDTH)
    if lazy:
        fresh.finish()
    full = time.perf_counter() - t0
    steps.sort()
    return {
        "open": opened,
        "p50": statistics.median(steps),
        "p95": steps[min(len(steps) - 1, int(len(steps) * 0.95))],
        "worst": steps[-1],
        "jump": jump,
        "full": full,
        "lines": total,
    }


def measure_app(body: str, pages: int) -> dict[str, float]:
    """The reading view (120×36): open the article until its first frame, then page down
    with `space`, each key until the next frame."""
    import asyncio

    from reader.config import Config
    from reader.models import ParsedArticle, Provenance
    from reader.store import Store
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import MainScreen

    async def until(condition, timeout: float = 60.0) -> None:
        end = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError
            await asyncio.sleep(0.001)

    async def main() -> dict[str, float]:
        store = Store(memory=True)
        store.add_articles([ParsedArticle(
            title="Long", body=body, date="2024-01-01", source="bench", url=None, tags=("long",),
            provenance=Provenance("bench.md", "markdown", 0, 1))])
        app = ReaderApp(store, config=Config(path=Path(tempfile.mkdtemp()) / "config.toml"))
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: isinstance(app.screen, MainScreen))
            screen = app.screen
            await app.workers.wait_for_complete()
            await pilot.pause()
            frames: list[float] = []
            refresh = screen._compositor_refresh

            def timed_refresh() -> None:
                refresh()
                frames.append(time.perf_counter())

            screen._compositor_refresh = timed_refresh
            article = store.article_ids(tag="long")[0]
            seen = len(frames)
            start = time.perf_counter()
            screen.open_article(article)
            await until(lambda: len(frames) > seen)
            opened = frames[seen] - start
            screen.action_focus_pane("reading")
            await app.workers.wait_for_complete()
            await pilot.pause()
            steps = []
            for _ in range(pages):
                await pilot.pause()
                seen = len(frames)
                t0 = time.perf_counter()
                await pilot.press("space")
                await until(lambda seen=seen: len(frames) > seen, timeout=10)
                steps.append(frames[seen] - t0)
            del screen._compositor_refresh
        store.close()
        steps.sort()
        return {"open": opened, "p50": statistics.median(steps),
                "p95": steps[min(len(steps) - 1, int(len(steps) * 0.95))], "worst": steps[-1]}

    return asyncio.run(main())


def _old(rev: str) -> ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:reader/render.py"], capture_output=True,
                            text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "render_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("render_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the 100,000-word article only")
    parser.add_argument("--pages", type=int, default=60, help="page-downs timed per article")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best kept)")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time reader/render.py as of git revision REV")
    parser.add_argument("--app", action="store_true",
                        help="also time the reading view (open to first frame, page-down)")
    args = parser.parse_args()

    words100k = article(620_000)
    cases = [("100,000 words", words100k)]
    if not args.quick:
        cases += [("1 MB", article(1 << 20)), ("10 MB", article(10 << 20)),
                  ("10 MB, one line", one_line(10 << 20))]
    modules: list[tuple[str, ModuleType, bool]] = [("lazy", render, True)]
    if args.baseline:
        modules.append((f"eager ({args.baseline})", _old(args.baseline), False))

    print(f"width {WIDTH}, page {PAGE} lines, {args.pages} page-downs, best of {args.repeat}; "
          "times in ms")
    header = ("| article | words | renderer | open (first page) | page-down p50 | p95 | worst "
              "| jump to 3/4 | full layout | lines |")
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name, body in cases:
        words = len(body.split())
        for label, module, lazy in modules:
            runs = [measure(module, body, args.pages, lazy) for _ in range(args.repeat)]
            best = {key: min(run[key] for run in runs) for key in runs[0]}
            print(f"| {name} | {words:,} | {label} | {_ms(best['open'])} | {_ms(best['p50'])} "
                  f"| {_ms(best['p95'])} | {_ms(best['worst'])} | {_ms(best['jump'])} "
                  f"| {_ms(best['full'])} | {int(best['lines']):,} |", flush=True)
    if args.app:
        print()
        print("Reading view, 120×36: open to first frame; space to next frame (ms)")
        print("| article | open → first frame | page-down p50 | p95 | worst |")
        print("|---|---|---|---|---|")
        for name, body in cases:
            runs = [measure_app(body, min(args.pages, 30)) for _ in range(args.repeat)]
            best = {key: min(run[key] for run in runs) for key in runs[0]}
            print(f"| {name} | {_ms(best['open'])} | {_ms(best['p50'])} | {_ms(best['p95'])} "
                  f"| {_ms(best['worst'])} |", flush=True)


if __name__ == "__main__":
    main()
