"""Interface benchmark on a generated 100,000-article library (SPEC.md section 8).

Measures, each in its own child process:

- start-up to a usable screen: from the first line of the child (before any
  import) until the article list shows rows, against a bare Textual app
  (one Static) started the same way with ``App.run_test``; also the time until
  the full id list has arrived from its worker;
- key-press latency: from sending a key until the next frame has been
  composited (Textual paces frames at 60 fps, so up to 16.7 ms of this is the
  wait for the frame tick; with ``--fps 1000`` that wait mostly disappears and
  the figure approaches the work done per key), median and p95 over ~100 keys,
  in the article list and in the reading view of the long article;
- opening a 100,000-word article (fetch, layout, first frame);
- resident memory (peak RSS) with the 100k library open and the long article read;
- search as you type: key → next frame while the search workers run (the keys
  never wait for a query), the time from the last key until the results show,
  `n` in an article opened at its hits, and find-in-article typing in the long
  article (`python bench/bench_ui.py --search-only` runs only this part).

The library is generated once, deterministically, through ``Store.add_articles``
and cached in ``bench/.cache/``. Children run with bytecode caching on, as an
installed reader does (``PYTHONDONTWRITEBYTECODE`` is dropped from their
environment), after one warm-up child has written the caches.

Usage::

    python bench/bench_ui.py              # 100k articles, 5 start-up runs
    python bench/bench_ui.py --articles 20000 --runs 3
    python bench/bench_ui.py --json
    python bench/bench_ui.py --compare ../other-checkout --key-runs 2   # before/after
    python bench/bench_ui.py --search-library 1000000   # start-up and memory only, on
                                                        # bench_search.py's 1M library
    python bench/bench_ui.py --library LIB.db           # the same on any library

Start-up is also measured as a person sees it: the reader (``python -m reader``)
and a bare Textual app are launched in a 120×36 tmux pane, whose contents are
read every 5 ms; the time is that of the last change once the screen shows the
list's full count and then stays unchanged for half a second (best of five).
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # children measure start-up from here, before any import

import argparse  # noqa: E402
import asyncio  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
GENERATOR_VERSION = 1
LONG_WORDS = 100_000
SIZE = (120, 36)

GOALS = {
    "startup_ratio": 1.5,
    "key_ms": 16.0,
    "open_long_ms": 100.0,
    "rss_mb": 150.0,
}

_VOCABULARY = (
    "the of and to in is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their its has more if will would "
    "who so no when them can these than other into some could time about our what only new up "
    "may like over also people out any such very after most first two made well where years "
    "archive letter paper river garden market window station harbour engine library season "
    "typeface printer signal network kettle lantern meadow orchard courier ledger compass "
    "quietly slowly bright narrow famous hidden modern careful ordinary curious patient"
)
_WORDS = tuple(_VOCABULARY.split(" "))
_TAGS = [f"topic-{n:03d}" for n in range(300)]
_SOURCES = [f"Example Source {n}" for n in range(60)]


# -- the library --------------------------------------------------------------


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    text = " ".join(_sentence(rng) for _ in range(sentences))
    roll = rng.random()
    if roll < 0.15:  # some inline Markdown, as real articles have
        words = text.split(" ")
        i = rng.randrange(len(words) - 3)
        words[i] = f"*{words[i]}*"
        words[i + 2] = f"**{words[i + 2]}**"
        text = " ".join(words)
    elif roll < 0.2:
        text += " See [the notes](https://example.org/notes) for more."
    return text


def long_body(rng: random.Random, words: int = LONG_WORDS) -> str:
    """A Markdown article of about `words` words: headings, lists, quotes, emphasis."""
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        if len(parts) % 30 == 0:
            section += 1
            parts.append(f"## Section {section}: {_sentence(rng, 3, 6)[:-1]}")
        roll = rng.random()
        if roll < 0.05:
            block = "\n".join(f"- {_sentence(rng, 4, 10)}" for _ in range(4))
        elif roll < 0.08:
            block = "> " + _sentence(rng, 12, 24)
        else:
            block = _paragraph(rng, rng.randint(3, 7))
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts)


def library_path(articles: int) -> Path:
    return CACHE / f"ui-{articles}-v{GENERATOR_VERSION}.db"


def ensure_library(articles: int) -> Path:
    """Generate (once) a library of `articles` short articles plus one 100,000-word one."""
    path = library_path(articles)
    if path.exists():
        return _with_index(path)
    from reader.models import ParsedArticle, Provenance
    from reader.store import Store

    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.db")
    for stale in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        stale.unlink(missing_ok=True)
    rng = random.Random(20240601)
    store = Store(tmp)
    started = time.perf_counter()
    batch: list[ParsedArticle] = []
    start_day = dt.date(2000, 1, 1)
    for n in range(articles):
        title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 10))).title()
        body = "\n\n".join(_paragraph(rng, rng.randint(2, 4)) for _ in range(rng.randint(3, 6)))
        day = start_day + dt.timedelta(days=rng.randrange(9000))
        batch.append(ParsedArticle(
            title=f"{title} {n}", body=body, date=day.isoformat(),
            source=rng.choice(_SOURCES) if rng.random() < 0.8 else None,
            tags=tuple(rng.sample(_TAGS, rng.randint(1, 3))),
            provenance=Provenance("bench/synthetic.txt", "digest", n * 10 + 1, n * 10 + 9),
        ))
        if len(batch) == 2000:
            store.add_articles(batch)
            batch = []
            print(f"\r  generating: {n + 1:,}/{articles:,}", end="", file=sys.stderr)
    store.add_articles([*batch, ParsedArticle(
        title="The Very Long Read", body=long_body(rng), date="2024-12-31",
        source="Bench Monthly", tags=("long-read",),
        provenance=Provenance("bench/long.md", "markdown", 1, 1),
    )])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    tmp.rename(path)
    print(f"\r  generated {articles:,} articles in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return _with_index(path)


def _with_index(path: Path) -> Path:
    """The library with its search index built, as a person's is after the first one
    (a library without one starts building it in the background, which would be
    measured instead of the start-up)."""
    from reader.store import Store

    with Store(path) as store:
        if store.search_index.needs_build(store.conn) is not None:
            started = time.perf_counter()
            store.reindex()
            print(f"  search index built in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    return path


# -- children -----------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_now() -> dict[str, float]:
    """This process's resident memory now (MiB): all of it, its private (anonymous)
    part, and the mapped files (the library's and the index's pages, given back under
    pressure)."""
    names = {"VmRSS": "rss_now_mb", "RssAnon": "private_mb", "RssFile": "mapped_files_mb"}
    fields: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in names:
                fields[names[key]] = int(value.split()[0]) / 1024
    except OSError:  # not Linux: peak RSS only
        pass
    return fields


def _articles(screen):
    """The article list (in the list pane; older trees kept it on the screen)."""
    return getattr(screen, "list_pane", screen).article_list


def _reading(screen):
    """The reading view (in the reader pane; older trees kept it on the screen)."""
    return getattr(screen, "reader_pane", screen).reading_view


async def _until(condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.0005)


def child_bare() -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    async def main() -> float:
        app = Bare()
        async with app.run_test(size=SIZE):
            await _until(lambda: bool(app.query("Static")))
            return time.perf_counter() - _T0, time.process_time()

    ready, cpu = asyncio.run(main())
    return {"ready": ready, "cpu": cpu}


async def _latencies(app, pilot, keys: list[str], cpu: list[float] | None = None
                     ) -> list[float]:
    """Milliseconds from sending each key until the next frame is composited; `cpu`
    gets the UI thread's CPU milliseconds over the same span (what other processes on
    a shared machine cannot inflate)."""
    screen = app.screen
    frames: list[float] = []
    frames_cpu: list[float] = []
    refresh = screen._compositor_refresh

    def timed_refresh() -> None:
        refresh()
        frames.append(time.perf_counter())
        frames_cpu.append(time.thread_time())

    screen._compositor_refresh = timed_refresh
    result = []
    for key in keys:
        await pilot.pause()
        seen = len(frames)
        start, start_cpu = time.perf_counter(), time.thread_time()
        await pilot.press(key)
        await _until(lambda seen=seen: len(frames) > seen, timeout=5)
        result.append((frames[seen] - start) * 1000)
        if cpu is not None:
            cpu.append((frames_cpu[seen] - start_cpu) * 1000)
    del screen._compositor_refresh  # back to the class's method
    return result


def child_bare_keys(presses: int) -> dict:
    """The floor for the key measurement: a bare app whose one Static changes per key."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [("j", "bump")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Static("0")

        def action_bump(self) -> None:
            self.count += 1
            self.query_one(Static).update(str(self.count))

    async def main() -> dict:
        app = Bare()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return {"keys_ms": await _latencies(app, pilot, ["j"] * presses)}

    return asyncio.run(main())


def child_startup(db: str) -> dict:
    from reader.config import Config
    from reader.store import Store
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import MainScreen

    async def main() -> dict:
        app = ReaderApp(Store(db), config=Config())
        async with app.run_test(size=SIZE) as pilot:
            await _until(lambda: isinstance(app.screen, MainScreen)
                         and _articles(app.screen).row_count > 0, timeout=120)
            ready, cpu = time.perf_counter() - _T0, time.process_time()
            screen = app.screen
            total = screen.store.count()
            # The list may know its length before its ids: wait for the ids themselves.
            await _until(lambda: len(_articles(screen).ids) == total, timeout=120)
            all_ids = time.perf_counter() - _T0
            await app.workers.wait_for_complete()
            await pilot.pause()
            return {"ready": ready, "cpu": cpu, "all_ids": all_ids, "rows": total,
                    "rss_mb": _rss_mb(), **_memory_now()}

    return asyncio.run(main())


def child_keys(db: str, presses: int) -> dict:
    from reader.config import Config
    from reader.store import Store
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import MainScreen

    async def main() -> dict:
        app = ReaderApp(Store(db), config=Config())
        async with app.run_test(size=SIZE) as pilot:
            await _until(lambda: isinstance(app.screen, MainScreen))
            screen = app.screen
            total = screen.store.count()
            await _until(lambda: len(_articles(screen).ids) == total)
            await app.workers.wait_for_complete()
            await pilot.pause()
            result: dict = {}
            keys = ["j"] * (presses - presses // 5) + ["pagedown"] * (presses // 10) + [
                "G", "g"] * (presses // 20)
            result["list_cpu_ms"] = []
            result["list_ms"] = await _latencies(app, pilot, keys, result["list_cpu_ms"])
            frames: list[float] = []
            refresh = screen._compositor_refresh

            def timed_refresh() -> None:
                refresh()
                frames.append(time.perf_counter())

            screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
            # Open the long article at its start (runs save where they stopped):
            # fetch, lay out, first frame.
            long_id = screen.store.article_ids(tag="long-read")[0]
            screen.store.set_position(long_id, 0.0)
            await pilot.pause()
            seen = len(frames)
            start = time.perf_counter()
            screen.open_article(long_id)
            opened = time.perf_counter()
            await _until(lambda: len(frames) > seen)
            result["open_long_sync_ms"] = (opened - start) * 1000
            result["open_long_ms"] = (frames[seen] - start) * 1000
            result["long_lines"] = _reading(screen).line_count
            result["long_words"] = len(_reading(screen).article.body.split())
            del screen._compositor_refresh
            screen.action_focus_pane("reading")
            await pilot.pause()
            keys = ["j"] * (presses - presses // 4) + ["space"] * (presses // 4)
            result["reading_cpu_ms"] = []
            result["reading_ms"] = await _latencies(app, pilot, keys, result["reading_cpu_ms"])
            result["rss_mb"] = _rss_mb()
            return result

    return asyncio.run(main())


SEARCH_QUERIES = ("history of printing", "garden tomato", "title:river", "\"the old\" -winter")


def child_search(db: str) -> dict:
    """Typing in the search box and the find box: key latency, time to results."""
    from reader.config import Config
    from reader.store import Store
    from reader.ui.app import ReaderApp
    from reader.ui.screens.main import MainScreen

    async def main() -> dict:
        app = ReaderApp(Store(db), config=Config())
        async with app.run_test(size=SIZE) as pilot:
            await _until(lambda: isinstance(app.screen, MainScreen))
            screen = app.screen
            await app.workers.wait_for_complete()
            await pilot.pause()
            typing: list[float] = []
            results: list[float] = []
            for query in SEARCH_QUERIES:
                await pilot.press("slash")
                await pilot.press("ctrl+u")
                await app.workers.wait_for_complete()
                typing += await _latencies(app, pilot, [c if c != " " else "space"
                                                        for c in query])
                typed = time.perf_counter()
                await app.workers.wait_for_complete()  # the last search has answered
                await pilot.pause()
                results.append((time.perf_counter() - typed) * 1000)
            # Open the first result at its hits; n steps through them.
            await pilot.press("enter", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            next_hit = await _latencies(app, pilot, ["n"] * 20)
            # Find in the long article.
            await pilot.press("escape", "escape")
            screen.open_article(screen.store.article_ids(tag="long-read")[0])
            screen.action_focus_pane("reading")
            await pilot.pause()
            await pilot.press("f")
            finding = await _latencies(app, pilot, list("printing"))
            typed = time.perf_counter()
            await app.workers.wait_for_complete()
            await pilot.pause()
            found = (time.perf_counter() - typed) * 1000
            return {"typing_ms": typing, "results_ms": results, "next_hit_ms": next_hit,
                    "find_typing_ms": finding, "find_ms": found,
                    "find_hits": len(_reading(screen).hits)}

    return asyncio.run(main())


def search_table(r: dict, articles: int) -> str:
    t, n, f = r["typing_ms"], r["next_hit_ms"], r["find_typing_ms"]
    return "\n".join([
        f"Search in the interface, {articles:,} articles ({len(SEARCH_QUERIES)} queries typed "
        "a key at a time):",
        "",
        "| what | median | p95 | worst |",
        "|---|---|---|---|",
        f"| key → next frame while typing a search | {statistics.median(t):.1f} ms | "
        f"{_pct(t, 0.95):.1f} ms | {max(t):.1f} ms |",
        f"| last key → results and count shown (150 ms pause for typing included) | "
        f"{statistics.median(r['results_ms']):.0f} ms | — | {max(r['results_ms']):.0f} ms |",
        f"| `n` → next hit shown | {statistics.median(n):.1f} ms | {_pct(n, 0.95):.1f} ms | "
        f"{max(n):.1f} ms |",
        f"| key → next frame while typing in find, 100,000-word article | "
        f"{statistics.median(f):.1f} ms | {_pct(f, 0.95):.1f} ms | {max(f):.1f} ms |",
        f"| last key → {r['find_hits']:,} hits marked in that article | {r['find_ms']:.0f} ms"
        " | — | — |",
    ])


def child_warm() -> dict:
    """Import what the other children import (their bytecode caches get written)."""
    import contextlib
    import importlib

    for name in ("reader.ui.app", "reader.ui.screens.annotations", "reader.ui.dialogs",
                 "reader.ui.screens.dialogs", "reader.ui.widgets.search_box"):
        # The dialogs moved: one of their two names exists.
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(name)
    return {}


def _env(tree: str | None = None, fps: int | None = None) -> dict[str, str]:
    """A child's environment: bytecode cached (in the bench cache, so another checkout
    run with `--compare` stays untouched), the reader of `tree` when given."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed reader has its bytecode
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    if tree:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(tree).resolve())] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if fps:
        env["TEXTUAL_FPS"] = str(fps)
    return env


def _run_child(*args: str, fps: int | None = None, tree: str | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, env=_env(tree, fps), check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- start-up in a real terminal (tmux) -------------------------------------------

BARE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    "Bare().run()\n"
)
STILL = 0.5
_SOCKETS = __import__("itertools").count()
"""Seconds the screen must stay unchanged to count as settled."""


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of process `pid` so far, all its threads (0 when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def terminal_startup(command: list[str], env: dict[str, str], ready: str
                     ) -> tuple[float, float]:
    """Seconds from launching `command` in a 120×36 tmux pane until its screen shows
    `ready` and then holds still for STILL seconds (the time of the last change); and the
    CPU seconds the process had used when it was seen still (which other processes on a
    loaded machine do not inflate as they do the wall time; it includes the still half
    second, idle)."""
    import shlex
    import tempfile

    socket = f"reader-bench-{os.getpid()}-{next(_SOCKETS)}"  # a fresh server each launch
    session = "bench"
    tmux = ["tmux", "-L", socket]
    with tempfile.TemporaryDirectory() as home:
        env = dict(env, XDG_CONFIG_HOME=home, TERM="xterm-256color")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()
                           if k in ("PYTHONPATH", "PYTHONPYCACHEPREFIX", "XDG_CONFIG_HOME"))
        line = f"env {exports} {' '.join(shlex.quote(c) for c in command)}"
        start = time.perf_counter()
        subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", str(SIZE[0]),
                        "-y", str(SIZE[1]), line], check=True, env=env)
        try:
            pid = int(subprocess.run([*tmux, "display", "-p", "-t", session, "#{pane_pid}"],
                                     capture_output=True, text=True).stdout.strip() or 0)
            last, changed = "", start
            deadline = start + 60
            while time.perf_counter() < deadline:
                shown = subprocess.run([*tmux, "capture-pane", "-p", "-t", session],
                                       capture_output=True, text=True).stdout
                now = time.perf_counter()
                if shown != last:
                    last, changed = shown, now
                elif ready in shown and now - changed >= STILL:
                    took = changed - start, _cpu_seconds(pid)
                    _quit(tmux, session)
                    return took
                time.sleep(0.005)
            raise SystemExit(f"{command} never settled:\n{last}")
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)


def _quit(tmux: list[str], session: str) -> None:
    """Quit as a person does (`q`), waiting up to ten seconds for the pane to close: the
    reader remembers, as it closes, that the library it checked was sound."""
    subprocess.run([*tmux, "send-keys", "-t", session, "q"], capture_output=True)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        if subprocess.run([*tmux, "has-session", "-t", session],
                          capture_output=True).returncode:
            return
        time.sleep(0.05)


_IMPORTED = __import__("itertools").count()


def import_one(db: str, tree: str | None) -> None:
    """`reader import` of one new article into the library (that tree's reader), as a
    person adds a saved page: the library grows by one article each time."""
    import tempfile

    n = next(_IMPORTED)
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "saved.txt"
        dump.write_text(f"Saved page {os.getpid()} {time.time_ns()} {n}\n\n"
                        f"Saved page {os.getpid()} {time.time_ns()} {n}\n\n"
                        + "A page saved to read later, with a few words in it. " * 20
                        + "\n\nRead More\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "reader", "import", str(dump), "--db",
                               db], capture_output=True, text=True, env=_env(tree),
                              cwd=HERE.parent, check=False)
    if done.returncode != 0 or " 1 new" not in done.stdout:
        raise SystemExit(f"reader import failed: {done.stdout}{done.stderr}")


def terminal_startups(db: str, runs: int, trees: dict[str, str | None],
                      after_import: bool = False) -> dict[str, tuple[float, float]]:
    """Best of `runs` terminal start-ups of a bare app and of each tree's reader: (wall
    seconds until still, CPU seconds by then), each the least of its runs. With
    `after_import`, also the start right after `reader import` of one article
    (`label:imported`; the library grows by one article a run)."""
    count = f"{_article_count(db):,}"
    best: dict[str, tuple[float, float]] = {}

    def keep(label: str, took: tuple[float, float]) -> None:
        old = best.get(label, took)
        best[label] = (min(old[0], took[0]), min(old[1], took[1]))

    stamp = Path(db).with_name(Path(db).stem + ".checked.json")
    for _ in range(runs):
        keep("bare", terminal_startup([sys.executable, "-c", BARE_APP], _env(), "hello"))
        for label, tree in trees.items():
            # Populated: the list's title shows the count, which comes with the full ids.
            # First as after an import (the library read whole by the quick check), then
            # as the next start finds it (closed sound by the run before, unchanged).
            stamp.unlink(missing_ok=True)
            command = [sys.executable, "-m", "reader", "--db", db]
            keep(f"{label}:written", terminal_startup(command, _env(tree), count))
            keep(label, terminal_startup(command, _env(tree), count))
            if after_import:
                import_one(db, tree)
                count = f"{_article_count(db):,}"
                keep(f"{label}:imported", terminal_startup(command, _env(tree), count))
    return best


def _article_count(db: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles").fetchone()[0]


# -- report -------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(articles: int, runs: int, presses: int,
            trees: dict[str, str | None] | None = None, key_runs: int = 1) -> dict:
    """Every figure for each tree (label → checkout, None for this one), start-ups
    interleaved and key runs alternated so that the machine's load falls on all alike.
    One tree: its figures; several: {label: figures}."""
    trees = trees or {"this": None}
    db = str(ensure_library(articles))
    bare: list[float] = []
    bare_cpu: list[float] = []
    ready: dict[str, list[float]] = {label: [] for label in trees}
    ready_cpu: dict[str, list[float]] = {label: [] for label in trees}
    all_ids: dict[str, list[float]] = {label: [] for label in trees}
    for _ in range(runs):
        started = _run_child("bare")
        bare.append(started["ready"])
        bare_cpu.append(started["cpu"])
        for label, tree in trees.items():
            started = _run_child("startup", db, tree=tree)
            ready[label].append(started["ready"])
            ready_cpu[label].append(started["cpu"])
            all_ids[label].append(started["all_ids"])
    terminal = terminal_startups(db, min(runs, 5), trees)
    bare_keys = _run_child("barekeys", str(presses))["keys_ms"]
    keys60: dict[str, dict] = {label: {} for label in trees}
    keys_fast: dict[str, dict] = {label: {} for label in trees}
    for _ in range(key_runs):
        for label, tree in trees.items():
            for into, fps in ((keys60, None), (keys_fast, 1000)):
                got = _run_child("keys", db, str(presses), fps=fps, tree=tree)
                for key, value in got.items():
                    if isinstance(value, list):
                        into[label].setdefault(key, []).extend(value)
                    else:
                        into[label].setdefault(key, value)
                        if key.endswith("_ms") or key == "rss_mb":
                            into[label][key] = (min if key != "rss_mb" else max)(
                                into[label][key], value)
    import textual

    results = {}
    for label in trees:
        k60, kfast = keys60[label], keys_fast[label]
        results[label] = {
            "date": dt.date.today().isoformat(),
            "python": platform.python_version(),
            "textual": textual.__version__,
            "sqlite": __import__("sqlite3").sqlite_version,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load": os.getloadavg()[0],
            "articles": articles + 1,
            "db_mb": Path(db).stat().st_size / 1e6,
            "bare_s": statistics.median(bare),
            "reader_s": statistics.median(ready[label]),
            "reader_all_ids_s": statistics.median(all_ids[label]),
            "startup_ratio": statistics.median(ready[label]) / statistics.median(bare),
            "bare_min_s": min(bare),
            "reader_min_s": min(ready[label]),
            "bare_cpu_s": statistics.median(bare_cpu),
            "reader_cpu_s": statistics.median(ready_cpu[label]),
            "terminal_bare_s": terminal["bare"][0],
            "terminal_s": terminal[label][0],
            "terminal_ratio": terminal[label][0] / terminal["bare"][0],
            "terminal_bare_cpu_s": terminal["bare"][1],
            "terminal_cpu_s": terminal[label][1],
            "terminal_cpu_ratio": terminal[label][1] / max(terminal["bare"][1], 1e-9),
            "terminal_written_s": terminal[f"{label}:written"][0],
            "terminal_written_ratio": terminal[f"{label}:written"][0] / terminal["bare"][0],
            "bare_keys_ms": (statistics.median(bare_keys), _pct(bare_keys, 0.95)),
            "list_ms": (statistics.median(k60["list_ms"]), _pct(k60["list_ms"], 0.95)),
            "list_fast_ms": (statistics.median(kfast["list_ms"]),
                             _pct(kfast["list_ms"], 0.95)),
            "reading_ms": (statistics.median(k60["reading_ms"]),
                           _pct(k60["reading_ms"], 0.95)),
            "reading_fast_ms": (statistics.median(kfast["reading_ms"]),
                                _pct(kfast["reading_ms"], 0.95)),
            "list_cpu_ms": (statistics.median(k60["list_cpu_ms"] + kfast["list_cpu_ms"]),
                            _pct(k60["list_cpu_ms"] + kfast["list_cpu_ms"], 0.95)),
            "reading_cpu_ms": (
                statistics.median(k60["reading_cpu_ms"] + kfast["reading_cpu_ms"]),
                _pct(k60["reading_cpu_ms"] + kfast["reading_cpu_ms"], 0.95)),
            "open_long_ms": min(k60["open_long_ms"], kfast["open_long_ms"]),
            "open_long_sync_ms": min(k60["open_long_sync_ms"], kfast["open_long_sync_ms"]),
            "long_words": k60["long_words"],
            "long_lines": k60["long_lines"],
            "rss_mb": max(k60["rss_mb"], kfast["rss_mb"]),
            "presses": presses * key_runs,
            "runs": runs,
            "terminal_runs": min(runs, 5),
        }
    return results if len(trees) > 1 else results[next(iter(trees))]


def startups(db: str, runs: int, after_import: bool = False,
             before: str | None = None) -> dict:
    """Start-up and memory alone, on any library with its search index: in-app to rows
    shown against a bare app (medians of `runs`), in tmux (best of up to five), and the
    memory of an in-app child once every id is listed and its workers are done.
    `after_import`: also the start after `reader import` of one article; `before`:
    another checkout whose tmux start-ups are measured in the same rounds."""
    load_before = os.getloadavg()
    bare: list[float] = []
    started: list[dict] = []
    for _ in range(runs):
        bare.append(_run_child("bare")["ready"])
        started.append(_run_child("startup", db))
    trees: dict[str, str | None] = {"this": None}
    if before:
        trees = {"before": before, "this": None}
    terminal = terminal_startups(db, min(runs, 5), trees, after_import)
    index = Path(f"{db}-search")
    compared = {f"{kind}_{name}": terminal[key][0]
                for name in trees if name != "this"
                for kind, key in (("terminal_s", name), ("terminal_written_s", f"{name}:written"),
                                  ("terminal_imported_s", f"{name}:imported"))
                if key in terminal}
    return {
        **compared,
        **({"terminal_imported_s": terminal["this:imported"][0]} if after_import else {}),
        "date": dt.date.today().isoformat(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load": (load_before, os.getloadavg()),
        "articles": started[0]["rows"],
        "db_mb": sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*")
                     if p.is_file()) / 1e6,
        "index_mb": sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 1e6
        if index.is_dir() else 0.0,
        "runs": runs,
        "bare_s": statistics.median(bare),
        "reader_s": statistics.median(s["ready"] for s in started),
        "reader_cpu_s": statistics.median(s["cpu"] for s in started),
        "reader_all_ids_s": statistics.median(s["all_ids"] for s in started),
        "terminal_runs": min(runs, 5),
        "terminal_bare_s": terminal["bare"][0],
        "terminal_bare_cpu_s": terminal["bare"][1],
        "terminal_s": terminal["this"][0],
        "terminal_cpu_s": terminal["this"][1],
        "terminal_written_s": terminal["this:written"][0],
        **{key: max(s.get(key, 0.0) for s in started)
           for key in ("rss_mb", "rss_now_mb", "private_mb", "mapped_files_mb")},
    }


def _imported_rows(r: dict) -> list[str]:
    """The start after `reader import` (--after-import), and the other checkout's
    start-ups measured beside (--compare)."""
    rows = []
    for what, key in (("the start after `reader import` of one article",
                       "terminal_imported_s"),
                      ("the same, before", "terminal_imported_s_before"),
                      ("the next start, before", "terminal_s_before"),
                      ("after another program wrote it, before", "terminal_written_s_before")):
        if key in r:
            rows.append(f"| … {what} | {r[key] * 1000:.0f} ms = "
                        f"{r[key] / r['terminal_bare_s']:.2f}× | — | — |")
    return rows


def startup_table(r: dict) -> str:
    ratio, terminal = r["reader_s"] / r["bare_s"], r["terminal_s"] / r["terminal_bare_s"]
    met = "yes" if ratio <= GOALS["startup_ratio"] else "**no**"
    t_met = "yes" if terminal <= GOALS["startup_ratio"] else "**no**"
    m_met = "yes" if r["private_mb"] <= GOALS["rss_mb"] else "**no**"
    (b1, b5, b15), (e1, e5, e15) = r["load"]
    return "\n".join([
        f"{r['articles']:,} articles (library {r['db_mb']:,.0f} MB, search index "
        f"{r['index_mb']:,.0f} MB), {r['date']}, Python {r['python']}, {r['machine']}; "
        f"load average {b1:.1f} / {b5:.1f} / {b15:.1f} before, {e1:.1f} / {e5:.1f} / "
        f"{e15:.1f} after.",
        "",
        "| what | measured | goal | met |",
        "|---|---|---|---|",
        f"| start-up in-app to rows shown (median of {r['runs']}) | "
        f"{r['reader_s'] * 1000:.0f} ms vs bare Textual {r['bare_s'] * 1000:.0f} ms = "
        f"{ratio:.2f}× (CPU {r['reader_cpu_s'] * 1000:.0f} ms) | ≤ 1.5× | {met} |",
        f"| … until all {r['articles']:,} ids are in the list | "
        f"{r['reader_all_ids_s'] * 1000:.0f} ms | — | — |",
        f"| start-up in tmux until populated and still (best of {r['terminal_runs']}) | "
        f"{r['terminal_s'] * 1000:.0f} ms vs bare {r['terminal_bare_s'] * 1000:.0f} ms = "
        f"{terminal:.2f}× (CPU {r['terminal_cpu_s'] * 1000:.0f} vs "
        f"{r['terminal_bare_cpu_s'] * 1000:.0f} ms) | ≤ 1.5× | {t_met} |",
        f"| … the first start after another program wrote it (the whole library checked) | "
        f"{r['terminal_written_s'] * 1000:.0f} ms = "
        f"{r['terminal_written_s'] / r['terminal_bare_s']:.2f}× | — | — |",
        *_imported_rows(r),
        f"| memory, library open, every id listed | private {r['private_mb']:.0f} MiB; "
        f"RSS {r['rss_now_mb']:.0f} MiB, of which mapped library and index files "
        f"{r['mapped_files_mb']:.0f} MiB; peak RSS {r['rss_mb']:.0f} MiB | ≤ 150 MB | "
        f"{m_met} (private) |",
    ])


def compare_table(results: dict[str, dict]) -> str:
    """The figures of several trees side by side (same run, same machine)."""
    labels = list(results)
    first = results[labels[0]]
    rows = [
        ("start-up in tmux until populated and still (best of "
         f"{first['terminal_runs']})",
         lambda r: f"{r['terminal_s'] * 1000:.0f} ms = {r['terminal_ratio']:.2f}× bare "
                   f"({r['terminal_bare_s'] * 1000:.0f} ms)"),
        ("… the first start after another program wrote it (the whole library checked)",
         lambda r: f"{r['terminal_written_s'] * 1000:.0f} ms = "
                   f"{r['terminal_written_ratio']:.2f}× bare"),
        ("… its CPU time by then (least of those runs)",
         lambda r: f"{r['terminal_cpu_s'] * 1000:.0f} ms = {r['terminal_cpu_ratio']:.2f}× bare "
                   f"({r['terminal_bare_cpu_s'] * 1000:.0f} ms)"),
        (f"start-up in-app to rows shown (median of {first['runs']})",
         lambda r: f"{r['reader_s'] * 1000:.0f} ms = {r['startup_ratio']:.2f}× bare "
                   f"({r['bare_s'] * 1000:.0f} ms)"),
        ("… fastest of those runs",
         lambda r: f"{r['reader_min_s'] * 1000:.0f} ms = "
                   f"{r['reader_min_s'] / r['bare_min_s']:.2f}× bare "
                   f"({r['bare_min_s'] * 1000:.0f} ms)"),
        ("… CPU time to rows shown (median)",
         lambda r: f"{r['reader_cpu_s'] * 1000:.0f} ms = "
                   f"{r['reader_cpu_s'] / r['bare_cpu_s']:.2f}× bare "
                   f"({r['bare_cpu_s'] * 1000:.0f} ms)"),
        ("… all ids in the list", lambda r: f"{r['reader_all_ids_s'] * 1000:.0f} ms"),
        ("key → frame, article list, median / p95",
         lambda r: f"{r['list_ms'][0]:.1f} / {r['list_ms'][1]:.1f} ms"),
        ("key → frame, reading view, median / p95",
         lambda r: f"{r['reading_ms'][0]:.1f} / {r['reading_ms'][1]:.1f} ms"),
        ("… unpaced (TEXTUAL_FPS=1000): list",
         lambda r: f"{r['list_fast_ms'][0]:.1f} / {r['list_fast_ms'][1]:.1f} ms"),
        ("… unpaced: reading view",
         lambda r: f"{r['reading_fast_ms'][0]:.1f} / {r['reading_fast_ms'][1]:.1f} ms"),
        ("UI-thread CPU per key, list, median / p95",
         lambda r: f"{r['list_cpu_ms'][0]:.1f} / {r['list_cpu_ms'][1]:.1f} ms"),
        ("UI-thread CPU per key, reading view, median / p95",
         lambda r: f"{r['reading_cpu_ms'][0]:.1f} / {r['reading_cpu_ms'][1]:.1f} ms"),
        ("open the long article to its first frame",
         lambda r: f"{r['open_long_ms']:.0f} ms"),
        ("peak resident memory", lambda r: f"{r['rss_mb']:.0f} MB"),
    ]
    lines = [
        f"{first['articles']:,} articles ({first['db_mb']:.0f} MB library), {first['date']}, "
        f"Python {first['python']}, Textual {first['textual']}, SQLite {first['sqlite']}, "
        f"{first['machine']}, load average {first['load']:.1f} at the end; "
        f"{first['presses']} key presses per pane and tree; bare Textual key floor "
        f"{first['bare_keys_ms'][0]:.1f} / {first['bare_keys_ms'][1]:.1f} ms.",
        "",
        "| what | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join(cell(results[label]) for label in labels)
                     + " |")
    return "\n".join(lines)


def table(r: dict) -> str:
    def ok(good: bool) -> str:
        return "yes" if good else "**no**"

    lines = [
        f"{r['articles']:,} articles ({r['db_mb']:.0f} MB library), {r['date']}, Python "
        f"{r['python']}, Textual {r['textual']}, SQLite {r['sqlite']}, {r['machine']}; "
        f"medians of {r['runs']} start-ups, {r['presses']} key presses per pane.",
        "",
        "| what | measured | goal | met |",
        "|---|---|---|---|",
        f"| start-up to a usable screen (rows shown) | {r['reader_s'] * 1000:.0f} ms vs bare "
        f"Textual {r['bare_s'] * 1000:.0f} ms = {r['startup_ratio']:.2f}× | ≤ 1.5× | "
        f"{ok(r['startup_ratio'] <= GOALS['startup_ratio'])} |",
        f"| start-up in tmux until populated and still (best of {r['terminal_runs']}) | "
        f"{r['terminal_s'] * 1000:.0f} ms vs bare {r['terminal_bare_s'] * 1000:.0f} ms = "
        f"{r['terminal_ratio']:.2f}× | ≤ 1.5× | "
        f"{ok(r['terminal_ratio'] <= GOALS['startup_ratio'])} |",
        f"| … the first start after another program wrote it (the whole library checked) | "
        f"{r['terminal_written_s'] * 1000:.0f} ms = {r['terminal_written_ratio']:.2f}× | — | — |",
        f"| … its CPU time by then | {r['terminal_cpu_s'] * 1000:.0f} ms vs bare "
        f"{r['terminal_bare_cpu_s'] * 1000:.0f} ms = {r['terminal_cpu_ratio']:.2f}× | — | — |",
        f"| … until all {r['articles']:,} ids are in the list (worker) | "
        f"{r['reader_all_ids_s'] * 1000:.0f} ms | — | — |",
        f"| key → next frame, article list (median / p95) | {r['list_ms'][0]:.1f} / "
        f"{r['list_ms'][1]:.1f} ms | ≤ 16 ms | {ok(r['list_ms'][1] <= GOALS['key_ms'])} |",
        f"| key → next frame, reading view, long article (median / p95) | "
        f"{r['reading_ms'][0]:.1f} / {r['reading_ms'][1]:.1f} ms | ≤ 16 ms | "
        f"{ok(r['reading_ms'][1] <= GOALS['key_ms'])} |",
        f"| … a bare Textual app, one Static updated per key (floor of this measurement) | "
        f"{r['bare_keys_ms'][0]:.1f} / {r['bare_keys_ms'][1]:.1f} ms | — | — |",
        f"| … the same without frame pacing (TEXTUAL_FPS=1000): list | "
        f"{r['list_fast_ms'][0]:.1f} / {r['list_fast_ms'][1]:.1f} ms | — | — |",
        f"| … reading view | {r['reading_fast_ms'][0]:.1f} / {r['reading_fast_ms'][1]:.1f} ms"
        " | — | — |",
        f"| open a {r['long_words']:,}-word article ({r['long_lines']:,} lines) to its first "
        f"frame | {r['open_long_ms']:.0f} ms (fetch + layout {r['open_long_sync_ms']:.0f} ms) "
        f"| ≤ 100 ms | {ok(r['open_long_ms'] <= GOALS['open_long_ms'])} |",
        f"| peak resident memory, 100k library open, long article read | {r['rss_mb']:.0f} MB"
        f" | ≤ 150 MB | {ok(r['rss_mb'] <= GOALS['rss_mb'])} |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--search-only", action="store_true",
                        help="only the search-as-you-type figures")
    parser.add_argument("--compare", metavar="CHECKOUT",
                        help="also measure the reader of another checkout (its project root),"
                             " interleaved with this one in the same run")
    parser.add_argument("--key-runs", type=int, default=1,
                        help="key-latency children per tree, alternated (their presses pooled)")
    parser.add_argument("--library", type=Path,
                        help="measure start-up and memory on this library (its search index"
                             " built first if missing) instead of a generated one")
    parser.add_argument("--search-library", type=int, metavar="ARTICLES",
                        help="the same on the library bench_search.py caches for ARTICLES"
                             " (built once if missing): one library for both benchmarks")
    parser.add_argument("--after-import", action="store_true",
                        help="with --library or --search-library: also the start after"
                             " `reader import` of one article (adds one to the library a run;"
                             " --compare CHECKOUT measures that checkout's start-ups too)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "warm":
            result = child_warm()
        elif kind == "bare":
            result = child_bare()
        elif kind == "barekeys":
            result = child_bare_keys(int(rest[0]))
        elif kind == "startup":
            result = child_startup(rest[0])
        elif kind == "search":
            result = child_search(rest[0])
        else:
            result = child_keys(rest[0], int(rest[1]))
        print(json.dumps(result))
        return
    if args.library or args.search_library:
        if args.library:
            if not args.library.is_file():
                parser.error(f"no library at {args.library}")
            db = str(_with_index(args.library))
        else:
            sys.path.insert(0, str(HERE))
            from bench_search import library

            db = str(library(CACHE, args.search_library, 1)[0])
        _run_child("warm")
        if args.compare:
            _run_child("warm", tree=args.compare)
        measured = startups(db, args.runs, args.after_import, args.compare)
        print(json.dumps(measured, indent=2) if args.json else startup_table(measured))
        return
    trees: dict[str, str | None] = {"this": None}
    if args.compare:
        trees = {"before": args.compare, "after": None}
    for tree in trees.values():
        _run_child("warm", tree=tree)
    db = str(ensure_library(args.articles))
    searched = {label: _run_child("search", db, tree=tree) for label, tree in trees.items()}
    if args.search_only:
        for label, found in searched.items():
            print(json.dumps(found, indent=2) if args.json else
                  f"{label}:\n\n" + search_table(found, args.articles + 1))
        return
    result = measure(args.articles, args.runs, args.presses, trees, args.key_runs)
    if args.compare:
        for label in trees:
            result[label]["search"] = searched[label]
        print(json.dumps(result, indent=2) if args.json else compare_table(result) + "".join(
            f"\n\n{label}: " + search_table(searched[label], args.articles + 1)
            for label in trees))
        return
    result["search"] = searched["this"]
    print(json.dumps(result, indent=2) if args.json else table(result) + "\n\n" + search_table(
        searched["this"], result["articles"]))


if __name__ == "__main__":
    main()
