"""The parallel parsing pool: files parsed in other processes while this one writes.

Small files are parsed whole in a pool of processes (`parse_whole`); a large file
streams from a child of its own, or for formats whose articles convert apart from
several children each converting its share (`SharedParse`). Children die with the
importer and leave ctrl+c to it.
"""

from __future__ import annotations

import contextlib
import heapq
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader.archive import SHARED_FORMATS, ArchiveError, detect_bytes, parse_file
from reader.importer.expansion import Job, read_head
from reader.importer.parsing import Options, checked, parse_job, prepare_all
from reader.store import Prepared

# Files this large are parsed in a second process while this one writes:
# parsing is Python and SQLite's indexing is C, and threads would serialise
# them on the GIL. Smaller files are not worth a process.
PARALLEL_BYTES = 4 << 20
BATCH = 256


def is_large(job: Job) -> bool:
    """A file on disk big enough to stream from a child process of its own."""
    if job.disk is None or job.lookup is not None:
        return False
    try:
        return job.disk.stat().st_size >= PARALLEL_BYTES
    except OSError:
        return False  # reported when read


def is_poolable(job: Job) -> bool:
    """A file a pool process can parse whole: small, and needing no other file."""
    return job.lookup is None and not is_large(job)


def child_init(parent: int) -> None:
    """In a parser process: die with the parent, leave ctrl+c to it.

    `parent`: the importing process's id when the child was forked from it, else 0
    (a forkserver's child dies with the forkserver, which dies with the importer).

    `kill -9` of the importing process alone must not leave a child blocked for
    ever in a pipe write: on Linux the kernel sends SIGKILL when the parent dies
    (PR_SET_PDEATHSIG); elsewhere a thread watches the parent. Ctrl+C reaches the
    whole process group: the parent stops the import and its children, so they
    ignore it rather than each print a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    started_by = os.getppid()
    if sys.platform == "linux":
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread watches
            pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != started_by:
                os._exit(1)

    if parent and started_by != parent:  # forked, and the parent died before prctl
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


@contextlib.contextmanager
def quiet_start(ctx: Any) -> Iterator[None]:
    """Start processes so that ctrl+c cannot print a traceback from one starting.

    A new interpreter (forkserver, spawn, multiprocessing's resource tracker)
    started while SIGINT is ignored keeps ignoring it: they are started so, and a
    ctrl+c in those few milliseconds is lost (the next one stops the import).
    Forked children start with SIGINT blocked until `child_init` ignores it; a
    ctrl+c meanwhile reaches this process when the fork is done.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    from multiprocessing import resource_tracker

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # Once per process; if it cannot start here, multiprocessing tries again itself.
        with contextlib.suppress(Exception):
            resource_tracker.ensure_running()
        if ctx.get_start_method() != "fork":
            yield
            return
    finally:
        signal.signal(signal.SIGINT, previous)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _parse_in_child(path: Path, options: Options, conn: Connection, parent: int = 0) -> None:
    """Child process: parse and hash `path`, sending batches, then None; or an error."""
    child_init(parent)
    try:
        _send_parsed(path, options, conn)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importer stopped listening (ctrl+c, or it is gone): nothing to say
    finally:
        conn.close()


def _send_parsed(path: Path, options: Options, conn: Connection) -> None:
    try:
        parsed = checked(parse_file(path, options.fmt, options.tags, options.encoding,
                                     pages=options.pages, share=options.share))
        conn.send(("format", parsed.format))
        if options.share and options.share[0] and not parsed.shared:
            # A format that cannot be shared: the first process sends it all.
            conn.send(("done", []))
            return
        batch: list[Prepared] = []
        for item in prepare_all(parsed.articles):
            batch.append(item)
            if len(batch) >= BATCH:
                conn.send(("articles", batch))
                batch = []
        conn.send(("articles", batch))
        conn.send(("done", parsed.problems))
    except ArchiveError as exc:
        conn.send(("error", str(exc)))
    except (BrokenPipeError, ConnectionResetError):
        raise
    except Exception as exc:  # reported as the file's one-line failure
        conn.send(("error", f"cannot parse ({type(exc).__name__}: {exc})"))


def process_context() -> Any:
    """How to start parser processes: fork when it is safe (no other threads), else not."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def forker(ctx: Any) -> int:
    """This process's id when `ctx` forks children from it directly, else 0."""
    return os.getpid() if ctx.get_start_method() == "fork" else 0


def workers() -> int:
    """Processes to parse in: one per core this process may use, at most eight."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


@dataclass(slots=True)
class PoolResult:
    """A whole file parsed and hashed in a pool process, or why it could not be."""

    format: str | None = None
    prepared: list[Prepared] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: BaseException | None = None


def parse_whole(job: Job, options: Options) -> PoolResult:
    """Pool process: parse and hash one (small) file entirely."""
    try:
        parsed = parse_job(job, options)
        hashed = list(prepare_all(parsed.articles))
        return PoolResult(parsed.format, hashed, parsed.problems)
    except (ArchiveError, OSError, MemoryError) as exc:
        return PoolResult(error=exc)
    except Exception as exc:  # reported as the file's one-line failure
        return PoolResult(error=ArchiveError(f"cannot parse ({type(exc).__name__}: {exc})"))


class _ParallelParse:
    """Parses one file in a child process; iterating yields its (hash, article) pairs."""

    def __init__(self, path: Path, options: Options) -> None:
        ctx = process_context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_parse_in_child,  # type: ignore[attr-defined]
                                   args=(path, options, child, forker(ctx)), daemon=True)
        with quiet_start(ctx):
            self.process.start()
        child.close()
        kind, value = self._receive()
        if kind == "error":
            self.close()
            raise ArchiveError(value)
        self.format: str = value
        self.problems: list[str] = []
        """Losses the parser reported (known once every article has been read)."""

    def _receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self.conn.recv()
        except EOFError:
            raise ArchiveError("the parser stopped unexpectedly") from None
        return message

    def __iter__(self) -> Iterator[Prepared]:
        try:
            while True:
                kind, value = self._receive()
                if kind == "done":
                    self.problems = value
                    return
                if kind == "error":
                    raise ArchiveError(value)
                yield from value
        finally:
            self.close()

    def close(self) -> None:
        self.conn.close()
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class SharedParse:
    """A large file parsed in child processes: one, or for formats whose articles can
    be converted apart (feeds, WordPress and wallabag exports) one per core but the
    writer's, each converting its share; iterating yields the articles in file order."""

    def __init__(self, path: Path, options: Options, processes: int) -> None:
        # The writing process keeps a core of its own: on two cores one child
        # converts while this process writes (two converting children measured
        # no faster there, 0.9x); with more cores, the others share the work.
        count = 1
        if processes > 2:
            kind = options.fmt or detect_bytes(read_head(path))
            count = processes - 1 if kind in (*SHARED_FORMATS, "json") else 1
        self.parsers: list[_ParallelParse] = []
        try:
            for k in range(count):
                share = (k, count) if count > 1 else None
                self.parsers.append(_ParallelParse(path, replace(options, share=share)))
        except BaseException:
            self.close()
            raise
        self.format = self.parsers[0].format
        self.problems: list[str] = []

    def __iter__(self) -> Iterator[Prepared]:
        try:
            if len(self.parsers) == 1:
                yield from self.parsers[0]
            else:
                yield from heapq.merge(*self.parsers,
                                       key=lambda p: p.article.provenance.start_line)
            self.problems = self.parsers[0].problems
        finally:
            self.close()

    def close(self) -> None:
        for parser in self.parsers:
            parser.close()
