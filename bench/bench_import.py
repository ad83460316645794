"""Import benchmark: ``reader import`` against the bare sqlite3 floor.

For each size and format: generate (or reuse) a synthetic dump, import it with
``bench/floor.py`` and with ``reader import DUMP --db NEW.db``, each in its own
subprocess, and measure wall time and peak RSS of each child. Prints a Markdown
table (or JSON with ``--json``) against the goals of SPEC.md section 8:

- time: ``reader import`` takes at most 1.0x the floor on the same dump;
- memory: flat in file size (peak RSS at the largest size at most 1.25x the
  peak RSS at the smallest).

Usage::

    python bench/bench_import.py                 # 10k and 100k articles, both formats
    python bench/bench_import.py --quick         # 2k articles only
    python bench/bench_import.py --sizes 10000 --formats digest --json
    python bench/bench_import.py --base /tmp/reader-main   # also another checkout, same rounds
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gen_dumps import DEFAULT_SEED, FORMATS, GENERATOR_VERSION, Format, cached_dump

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
FLOOR_SCRIPT = BENCH_DIR / "floor.py"

DEFAULT_SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000,)
RATIO_GOAL = 1.0
RSS_GROWTH_GOAL = 1.25


@dataclass
class ChildRun:
    """One measured subprocess."""

    seconds: float
    """Wall time from spawn to exit, interpreter start-up included."""
    peak_rss_mib: float
    """The child's maximum resident set size."""
    cpu_seconds: float
    """User and system CPU of the child and of the processes it waited for (its
    parsers; not the search index's follower, which outlives it)."""
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Measurement:
    """The best of the repeats of one tool on one dump."""

    seconds: float | None = None
    peak_rss_mib: float | None = None
    cpu_seconds: float | None = None
    """CPU of the fastest run (see `ChildRun.cpu_seconds`)."""
    articles: int | None = None
    """Articles found in the resulting database (None if it could not tell)."""
    db_mb: float | None = None
    inner_seconds: float | None = None
    """The floor's own timing, without interpreter start-up."""
    searchable_seconds: float | None = None
    """reader: from spawn until the search index (caught up in a process of its own
    after the import returns) holds every article."""
    error: str | None = None
    runs: list[float] = dataclasses.field(default_factory=list)
    """Every run's wall time, in the order of the rounds."""


def _median_ratio(ours: Measurement, floor: Measurement) -> float | None:
    """The median over the rounds of each round's time against the floor's in that
    round: less at the mercy of one fast or slow spell than the best times' ratio."""
    pairs = [a / b for a, b in zip(ours.runs, floor.runs, strict=False) if b]
    return statistics.median(pairs) if pairs else None


@dataclass
class Row:
    format: Format
    articles: int
    bytes: int
    floor: Measurement
    reader: Measurement
    base: Measurement | None = None
    """Another checkout's reader (``--base``), measured between the floor and this one."""

    @property
    def mb(self) -> float:
        return self.bytes / 1e6

    @property
    def ratio(self) -> float | None:
        if self.reader.seconds is None or not self.floor.seconds:
            return None
        return self.reader.seconds / self.floor.seconds

    @property
    def base_ratio(self) -> float | None:
        if self.base is None or self.base.seconds is None or not self.floor.seconds:
            return None
        return self.base.seconds / self.floor.seconds

    @property
    def median_ratio(self) -> float | None:
        return _median_ratio(self.reader, self.floor)

    @property
    def base_median_ratio(self) -> float | None:
        return None if self.base is None else _median_ratio(self.base, self.floor)


def _rss_mib(maxrss: int) -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run_child(cmd: Sequence[str], workdir: Path, cwd: Path = PROJECT_DIR) -> ChildRun:
    """Run ``cmd`` from the project root; time it and read its own peak RSS.

    ``os.wait4`` gives the rusage of exactly this child, unlike
    ``RUSAGE_CHILDREN`` whose ``ru_maxrss`` is a maximum over all children.
    """
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        seconds=seconds,
        peak_rss_mib=_rss_mib(usage.ru_maxrss),
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=proc.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
    )


def remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{db}-search", ignore_errors=True)


_WAIT_FOR_INDEX = """
import sys, time
from reader.index import IndexBusy
from reader.store import Store
deadline = time.monotonic() + float(sys.argv[2])
with Store(sys.argv[1]) as store:
    while True:
        try:
            if store.search_index.catch_up(store.conn):
                break
        except IndexBusy:  # the follower is building the index from nothing
            pass
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.05)
"""


def wait_for_index(db: Path, timeout: float = 3600, cwd: Path = PROJECT_DIR) -> bool:
    """Wait until the library's search index has caught up (whoever does it). In a
    child: this process stays small, as the peak RSS of later children starts from
    it (`ru_maxrss` is kept across fork and exec)."""
    done = subprocess.run([sys.executable, "-c", _WAIT_FOR_INDEX, str(db), str(timeout)],
                          cwd=cwd, stdin=subprocess.DEVNULL, check=False)
    return done.returncode == 0


def count_articles(db: Path) -> int | None:
    """Rows in an ``articles`` table, if the database has one."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return int(count)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


Command = Callable[[Path, Path], list[str]]


def stop_index(db: Path) -> None:
    """Stop the search index's follower of library ``db`` (a run that does not wait for
    its index: the follower would go on taking a core from the next run)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"reader.follower" in args and str(db).encode() in args:
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)


class Runner:
    """One tool's imports of one dump, a run at a time (`run`), keeping the best wall
    time and the highest peak RSS (``checkout``: the reader that runs, by default this
    one; ``searchable``: wait for the search index to catch up, else stop its
    follower)."""

    def __init__(self, cmd_for: Command, dump: Path, workdir: Path, *, is_floor: bool,
                 keep_db: bool, checkout: Path = PROJECT_DIR, searchable: bool = True) -> None:
        self.cmd_for, self.dump, self.is_floor, self.keep_db = cmd_for, dump, is_floor, keep_db
        self.checkout, self.searchable, self.workdir = checkout, searchable, workdir
        self.db = workdir / ("floor.db" if is_floor else
                             "reader.db" if checkout == PROJECT_DIR else "base.db")
        self.result = Measurement()

    def run(self) -> None:
        """One fresh import (none once a run has failed)."""
        result, db = self.result, self.db
        if result.error is not None:
            return
        remove_db(db)
        start = time.perf_counter()
        run = run_child(self.cmd_for(self.dump, db), self.workdir, self.checkout)
        if not run.ok:
            result.error = last_line(run.stderr or run.stdout)
            remove_db(db)
            return
        if not self.is_floor and not self.searchable:
            stop_index(db)
        elif not self.is_floor and wait_for_index(db, cwd=self.checkout):
            caught_up = round(time.perf_counter() - start, 4)
            if result.searchable_seconds is None or caught_up < result.searchable_seconds:
                result.searchable_seconds = caught_up
        result.runs.append(round(run.seconds, 4))
        if result.seconds is None or run.seconds < result.seconds:
            result.seconds = round(run.seconds, 4)
            result.cpu_seconds = round(run.cpu_seconds, 3)
            if self.is_floor:
                result.inner_seconds = float(json.loads(run.stdout)["seconds"])
        result.peak_rss_mib = round(max(result.peak_rss_mib or 0.0, run.peak_rss_mib), 1)

    def done(self) -> Measurement:
        """The measurement, once every run is made."""
        result, db = self.result, self.db
        if result.error is None:
            result.articles = count_articles(db)
            result.db_mb = sum(p.stat().st_size for p in db.parent.glob(f"{db.name}*")
                               if p.is_file()) / 1e6
        if not self.keep_db:
            remove_db(db)
        return result


def measure_rounds(runners: Sequence[Runner], repeat: int) -> list[Measurement]:
    """Each runner's best of ``repeat`` runs, taken in rounds (one run of each, in
    order, per round): a slower or faster spell of a shared machine falls on all of
    them alike, not on one tool's block of runs."""
    for _ in range(repeat):
        for runner in runners:
            runner.run()
    return [runner.done() for runner in runners]


def floor_cmd(dump: Path, db: Path) -> list[str]:
    return [sys.executable, str(FLOOR_SCRIPT), str(dump), str(db)]


def reader_cmd(dump: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "reader", "import", str(dump), "--db", str(db)]


def compile_checkout(checkout: Path) -> None:
    """Byte-compile a checkout's package, as installing it does: every run then starts
    from compiled modules even where ``PYTHONDONTWRITEBYTECODE`` keeps an editable
    checkout from caching them (compiling some eighty modules from source would be
    counted in each run's start-up)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "reader")],
                   stdin=subprocess.DEVNULL, capture_output=True, check=False)


def reader_status() -> tuple[bool, str]:
    """Whether ``python -m reader import`` runs here, and the reader's version."""
    probe = subprocess.run(
        [sys.executable, "-m", "reader", "import", "--help"],
        cwd=PROJECT_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return False, f"not available ({last_line(probe.stderr or probe.stdout)})"
    version = subprocess.run(
        [sys.executable, "-c", "import reader; print(getattr(reader, '__version__', '?'))"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return True, version.stdout.strip() or "?"


def environment(seed: int, cache_dir: Path, reader: str, repeat: int) -> dict[str, Any]:
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "reader": reader,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "repeat": repeat,
        "dump_cache": str(cache_dir),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def memory_verdicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per format and tool: peak RSS at the smallest vs the largest size."""
    verdicts: list[dict[str, Any]] = []
    for fmt in dict.fromkeys(row.format for row in rows):
        by_size = sorted((r for r in rows if r.format == fmt), key=lambda r: r.articles)
        small, large = by_size[0], by_size[-1]
        for tool in ("floor", "reader"):
            a: Measurement = getattr(small, tool)
            b: Measurement = getattr(large, tool)
            verdict: dict[str, Any] = {
                "format": fmt,
                "tool": tool,
                "sizes": [small.articles, large.articles],
                "peak_rss_mib": [a.peak_rss_mib, b.peak_rss_mib],
                "growth": None,
                "flat": None,
            }
            if small is not large and a.peak_rss_mib and b.peak_rss_mib:
                growth = b.peak_rss_mib / a.peak_rss_mib
                verdict["growth"] = round(growth, 3)
                verdict["flat"] = growth <= RSS_GROWTH_GOAL
            verdicts.append(verdict)
    return verdicts


def _num(value: float | None, fmt: str = ".2f") -> str:
    return "-" if value is None else format(value, fmt)


def _rate(amount: float, seconds: float | None, fmt: str = ".1f") -> str:
    return "-" if not seconds else format(amount / seconds, fmt)


def markdown(meta: dict[str, Any], rows: Sequence[Row], memory: Sequence[dict[str, Any]]) -> str:
    out = [
        "# reader import benchmark",
        "",
        f"- date: {meta['date']}",
        f"- Python {meta['python']}, SQLite {meta['sqlite']}, {meta['platform']}, "
        f"{meta['cpus']} CPUs",
        f"- reader: {meta['reader']}"
        + (f"; base: the checkout at {meta['base']}, measured between floor and reader"
           if meta.get("base") else ""),
        f"- synthetic dumps: seed {meta['seed']}, generator v{meta['generator_version']}; "
        f"best of {meta['repeat']}; times are subprocess wall times",
        f"- load average (1, 5, 15 min) at the start: {meta['load_at_start']}, "
        f"at the end: {meta['load_average']}",
        "",
        "| format | articles | MB | floor s | floor MB/s | reader s | reader MB/s "
        "| reader articles/s | ratio reader/floor | peak RSS floor MiB "
        f"| peak RSS reader MiB | ratio ≤ {RATIO_GOAL} | searchable s | floor CPU s "
        "| reader CPU s | median ratio of the rounds |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|",
    ]
    based = any(row.base is not None for row in rows)
    if based:
        out[-2] += " base s | base/floor | base searchable s | base median ratio |"
        out[-1] += "--:|--:|--:|--:|"
    for row in rows:
        ratio = row.ratio
        verdict = "-" if ratio is None else ("yes" if ratio <= RATIO_GOAL else "**NO**")
        out.append(
            f"| {row.format} | {row.articles:,} | {row.mb:.1f} "
            f"| {_num(row.floor.seconds)} | {_rate(row.mb, row.floor.seconds)} "
            f"| {_num(row.reader.seconds)} | {_rate(row.mb, row.reader.seconds)} "
            f"| {_rate(row.articles, row.reader.seconds, ',.0f')} | {_num(ratio)} "
            f"| {_num(row.floor.peak_rss_mib, '.1f')} | {_num(row.reader.peak_rss_mib, '.1f')} "
            f"| {verdict} | {_num(row.reader.searchable_seconds)} "
            f"| {_num(row.floor.cpu_seconds)} | {_num(row.reader.cpu_seconds)} "
            f"| {_num(row.median_ratio)} |"
            + (f" {_num(row.base.seconds)} | {_num(row.base_ratio)} "
               f"| {_num(row.base.searchable_seconds)} | {_num(row.base_median_ratio)} |"
               if based and row.base else "")
        )
    out += [
        "",
        f"Goals: reader/floor ratio ≤ {RATIO_GOAL}; memory flat in file size "
        f"(peak RSS at the largest size ≤ {RSS_GROWTH_GOAL}× the smallest). "
        "`reader s` ends when the library is written; the search index catches up "
        "in a process of its own, done at `searchable s` (from the same start). "
        "Ratios compare the best times; the median ratio is the median of each "
        "round's ratio (one run of each tool per round).",
        "",
    ]
    if len({row.articles for row in rows}) < 2:
        out.append("- memory: n/a (one size measured)")
    for v in memory:
        if v["flat"] is None:
            continue
        small, large = v["sizes"]
        rss = " → ".join(_num(x, ".1f") for x in v["peak_rss_mib"])
        verdict = "flat" if v["flat"] else "**NOT flat**"
        out.append(
            f"- memory, {v['tool']}, {v['format']}: {small:,} → {large:,} articles: "
            f"{rss} MiB (×{v['growth']:.2f}, {verdict})"
        )
    problems = [
        f"- {row.format} {row.articles:,}: {tool} {m.error or f'stored {m.articles} articles'}"
        for row in rows
        for tool, m in (("floor", row.floor), ("reader", row.reader))
        if (m.error and m.error != meta["reader"])
        or (m.articles is not None and m.articles != row.articles)
    ]
    if problems:
        out += ["", "Notes:", *problems]
    return "\n".join(out)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def parse_formats(text: str) -> list[Format]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}")
    return [f for f in FORMATS if f in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark reader import against the floor.")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated article counts (default: 10000,100000)",
    )
    parser.add_argument("--quick", action="store_true", help="2,000 articles only")
    parser.add_argument(
        "--formats",
        type=parse_formats,
        default=list(FORMATS),
        help="comma-separated: tag,digest (default: both)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; best time kept")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "reader-bench",
        help="where generated dumps are kept between runs",
    )
    parser.add_argument(
        "--keep-dbs",
        action="store_true",
        help="keep the databases (in the cache dir) for inspection",
    )
    parser.add_argument("--no-reader", action="store_true", help="measure the floor only")
    parser.add_argument(
        "--base",
        type=Path,
        help="another checkout of reader (the code before a change): measured in the same "
        "rounds, between the floor and this one, with this Python",
    )
    parser.add_argument("--no-searchable", action="store_true",
                        help="do not wait for the search index after each import (its "
                        "follower is stopped): import figures only, for the largest sizes")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes: list[int] = list(QUICK_SIZES) if args.quick else sorted(set(args.sizes))
    cache_dir: Path = args.cache_dir.resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.no_reader:
        reader_ok, reader_info = False, "not measured (--no-reader)"
    else:
        reader_ok, reader_info = reader_status()
        for checkout in (PROJECT_DIR, *((args.base.resolve(),) if args.base else ())):
            compile_checkout(checkout)
    if not reader_ok:
        log(f"reader {reader_info}: measuring the floor only")

    opts = {"keep_db": args.keep_dbs}
    reader_opts = {**opts, "searchable": not args.no_searchable}
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    rows: list[Row] = []
    for size in sizes:
        for fmt in args.formats:
            log(f"{fmt} {size:,}: dump…")
            dump = cached_dump(cache_dir, fmt, size, args.seed)
            with tempfile.TemporaryDirectory(dir=cache_dir, prefix="run-") as tmp:
                workdir = Path(tmp)
                if args.keep_dbs:
                    workdir = cache_dir / f"dbs-{fmt}-{size}"
                    workdir.mkdir(exist_ok=True)
                log(f"{fmt} {size:,}: floor" + (", base" if args.base else "")
                    + (", reader" if reader_ok else "") + f", {args.repeat} rounds…")
                runners = [Runner(floor_cmd, dump, workdir, is_floor=True, **opts)]
                if reader_ok:
                    if args.base:
                        runners.append(Runner(reader_cmd, dump, workdir, is_floor=False,
                                              checkout=args.base.resolve(), **reader_opts))
                    runners.append(Runner(reader_cmd, dump, workdir, is_floor=False,
                                          **reader_opts))
                measured = measure_rounds(runners, args.repeat)
                floor = measured[0]
                if reader_ok:
                    reader = measured[-1]
                    base = measured[1] if args.base else None
                else:
                    reader, base = Measurement(error=reader_info), None
            row = Row(fmt, size, dump.stat().st_size, floor, reader, base)
            log(f"{fmt} {size:,}: floor {_num(floor.seconds)} s, reader {_num(reader.seconds)} s"
                + (f", base {_num(base.seconds)} s" if base else ""))
            rows.append(row)

    rows.sort(key=lambda r: (FORMATS.index(r.format), r.articles))
    meta = environment(args.seed, cache_dir, reader_info, args.repeat)
    meta["load_at_start"] = load_at_start
    meta["base"] = str(args.base.resolve()) if args.base else None
    memory = memory_verdicts(rows)
    if args.json:
        doc = {
            "meta": meta,
            "goals": {"ratio_max": RATIO_GOAL, "rss_growth_max": RSS_GROWTH_GOAL},
            "rows": [
                {
                    "format": r.format,
                    "articles": r.articles,
                    "bytes": r.bytes,
                    "floor": dataclasses.asdict(r.floor),
                    "reader": dataclasses.asdict(r.reader),
                    "base": None if r.base is None else dataclasses.asdict(r.base),
                    "base_ratio": None if r.base_ratio is None else round(r.base_ratio, 3),
                    "ratio": None if r.ratio is None else round(r.ratio, 3),
                    "median_ratio": None if r.median_ratio is None
                    else round(r.median_ratio, 3),
                    "base_median_ratio": None if r.base_median_ratio is None
                    else round(r.base_median_ratio, 3),
                    "meets_ratio": None if r.ratio is None else r.ratio <= RATIO_GOAL,
                }
                for r in rows
            ],
            "memory": memory,
        }
        print(json.dumps(doc, indent=2))
    else:
        print(markdown(meta, rows, memory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
