"""The parallel parsing pool: files parsed in other processes while this one writes.

Small files are parsed whole in a pool of processes (`parse_whole`); a large file
streams from a child of its own (`ParallelParse`), or for formats whose articles
convert apart from several children each converting its share (`SharedParse`); a
large listing dump is parsed in parts (`reader.importer.parts`). Children die with
the importer and leave ctrl+c to it.
"""

from __future__ import annotations

import contextlib
import heapq
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader.archive import SHARED_FORMATS, ArchiveError, detect_bytes, parse_file
from reader.importer.chunks import open_part
from reader.importer.expansion import Job, read_head
from reader.importer.parsing import Options, checked, parse_job, prepare_all
from reader.models import ParsedArticle, Provenance
from reader.store import Prepared

# Files this large are parsed in a second process while this one writes:
# parsing is Python and SQLite's indexing is C, and threads would serialise
# them on the GIL. Smaller files are not worth a process.
PARALLEL_BYTES = 4 << 20
BATCH = 256


def disk_size(job: Job) -> int:
    """The size of a file read from disk on its own (0 for one read from a zip or
    with the files around it, or that cannot be looked at: reported when read)."""
    if job.disk is None or job.lookup is not None:
        return 0
    try:
        return job.disk.stat().st_size
    except OSError:
        return 0


def is_large(job: Job) -> bool:
    """A file on disk big enough to stream from a child process of its own."""
    return disk_size(job) >= PARALLEL_BYTES


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
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if ctx.get_start_method() != "fork":
            # The resource tracker, once per process (if it cannot start here,
            # multiprocessing tries again itself). Forked children need none: their
            # pipes and a pool's locks leave no named resource behind.
            from multiprocessing import resource_tracker

            with contextlib.suppress(Exception):
                resource_tracker.ensure_running()
            yield
            return
    finally:
        signal.signal(signal.SIGINT, previous)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


Row = tuple[Any, ...]
"""An article as it crosses between processes (`to_wire`)."""


def to_wire(batch: list[Prepared]) -> list[Prepared | Row]:
    """A batch of articles in the form that crosses between processes cheaply: each a
    plain tuple of its fields rather than dataclasses (pickling a frozen dataclass
    runs Python code for each object at both ends: 5x the cost at the sending end,
    measured). Articles with highlights, extra search columns or of a subclass (reader's
    own exports) cross as they are."""
    rows: list[Prepared | Row] = []
    for item in batch:
        a = item.article
        p = a.provenance
        if (type(a) is not ParsedArticle or type(p) is not Provenance or a.highlights
                or item.title_extra or item.body_extra):
            rows.append(item)
            continue
        rows.append((item.key, item.words, a.title, a.body, a.date, a.source, a.url, a.author,
                     a.tags, a.read, a.starred, a.stub, p.path, p.format, p.start_line,
                     p.end_line))
    return rows


def from_wire(rows: list[Prepared | Row]) -> list[Prepared]:
    """The articles of a batch `to_wire` sent, as they were."""
    batch: list[Prepared] = []
    for row in rows:
        if type(row) is not tuple:
            batch.append(row)  # type: ignore[arg-type]  # a Prepared
            continue
        (key, words, title, body, date, source, url, author, tags, read, starred, stub,
         path, fmt, start, end) = row
        batch.append(Prepared(key, ParsedArticle(title, body, Provenance(path, fmt, start, end),
                                                 date, source, url, author, tags, read,
                                                 starred, stub), "", "", words))
    return batch


def _parse_in_child(path: Path, options: Options, conn: Connection, parent: int = 0,
                    spool: str | None = None) -> None:
    """Child process: parse and hash `path`, sending batches, then None; or an error.

    `spool`: a file to write all but the first message to (`_write_frame`, one after
    the other, each flushed as it is written), saying `spooled` through the pipe once
    done: a part of a file that the importer reads only after the parts before it
    (`ChunkedParse`), and reads as it grows once it gets there."""
    child_init(parent)
    try:
        if spool is None:
            _send_parsed(path, options, conn.send, conn.send)
        else:
            try:
                with open(spool, "wb", buffering=0) as sink:

                    def write(message: tuple[str, Any]) -> None:
                        _write_frame(sink, message)

                    _send_parsed(path, options, conn.send, write)
            except OSError as exc:  # a full disk under the temporary folder
                conn.send(("error", "cannot write a temporary file while parsing "
                                    f"({exc.strerror or exc})"))
            else:
                conn.send(("spooled", None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importer stopped listening (ctrl+c, or it is gone): nothing to say
    finally:
        conn.close()


FRAME = 8
"""Bytes of a spooled message's length, before its pickle."""


def _write_frame(sink: Any, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    sink.write(len(data).to_bytes(FRAME, "little") + data)


def _send_parsed(path: Path, options: Options, first: Callable[[tuple[str, Any]], None],
                 send: Callable[[tuple[str, Any]], None]) -> None:
    """Parse, hash and send: the format through `first`, the rest through `send`."""
    try:
        part = None
        if options.part is not None:
            found = open_part(path, options.fmt, options.tags, options.encoding, options.part)
            if found is None and options.part[0]:
                first(("format", None))  # no part for this process
                send(("done", []))
                return
            if found is not None:
                parsed, part = checked(found[0]), found[1]
        if part is None:
            parsed = checked(parse_file(path, options.fmt, options.tags, options.encoding,
                                         pages=options.pages, share=options.share))
        first(("format", parsed.format))
        if options.share and options.share[0] and not parsed.shared:
            # A format that cannot be shared: the first process sends it all.
            send(("done", []))
            return
        batch: list[Prepared] = []
        entered = part is None or part.start == 0
        for item in prepare_all(parsed.articles):
            if not entered:
                assert part is not None
                send(("entry", (part.entry, part.template, part.page_tags)))
                entered = True
            batch.append(item)
            if len(batch) >= BATCH:
                send(("articles", to_wire(batch)))
                batch = []
        if not entered:
            assert part is not None
            send(("entry", (part.entry, part.template, part.page_tags)))
        send(("articles", to_wire(batch)))
        if part is not None:
            send(("exit", (part.exit, part.template, part.page_tags)))
        send(("done", parsed.problems))
    except ArchiveError as exc:
        send(("error", str(exc)))
    except (BrokenPipeError, ConnectionResetError):
        raise
    except Exception as exc:  # reported as the file's one-line failure
        send(("error", str(parse_failure(exc))))


def parse_failure(exc: Exception) -> ArchiveError:
    """An unexpected error while parsing a file, as the file's one-line failure."""
    return ArchiveError(f"cannot parse ({type(exc).__name__}: {exc})")


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
    prepared: list[Prepared | Row] = field(default_factory=list)
    """Its articles as `to_wire` sends them (`from_wire` gives them back)."""
    problems: list[str] = field(default_factory=list)
    error: BaseException | None = None


def parse_whole(job: Job, options: Options) -> PoolResult:
    """Pool process: parse and hash one (small) file entirely."""
    try:
        parsed = parse_job(job, options)
        hashed = list(prepare_all(parsed.articles))
        return PoolResult(parsed.format, to_wire(hashed), parsed.problems)
    except (ArchiveError, OSError, MemoryError) as exc:
        return PoolResult(error=exc)
    except Exception as exc:  # reported as the file's one-line failure
        return PoolResult(error=parse_failure(exc))


class ParallelParse:
    """Parses one file in a child process; iterating yields its (hash, article) pairs.

    `spool`: the child writes what it parsed to this file, read as it grows."""

    def __init__(self, path: Path, options: Options, spool: str | None = None,
                 *, ready: bool = True) -> None:
        ctx = process_context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.spool = spool
        self._spooled: int | None = None  # the spool's descriptor, once reading it
        self._offset = 0  # where its next message begins
        self._complete = False  # its child said it is written whole
        self.process = ctx.Process(target=_parse_in_child,  # type: ignore[attr-defined]
                                   args=(path, options, child, forker(ctx), spool),
                                   daemon=True)
        with quiet_start(ctx):
            self.process.start()
        child.close()
        self.format: str = ""
        self.problems: list[str] = []
        """Losses the parser reported (known once every article has been read)."""
        self.exit: Any = None
        """A part's state at its end (`ChunkedParse`), once every article has been read."""
        if ready:
            self.ready()

    def ready(self) -> None:
        """Wait for the child to name the file's format (`ready=False`: its caller
        starts its other children first, all of them parsing meanwhile)."""
        kind, value = self._receive()
        if kind == "error":
            self.close()
            raise ArchiveError(value)
        self.format = value
        if self.spool is not None and self._spooled is None:
            self._spooled = os.open(self.spool, os.O_RDONLY)

    def _receive(self) -> tuple[str, Any]:
        message: tuple[str, Any]
        if self._spooled is not None:
            return self._from_spool()
        try:
            message = self.conn.recv()
        except EOFError:
            raise ArchiveError("the parser stopped unexpectedly") from None
        if message[0] == "spooled":  # all of it went to the spool (an early error)
            assert self.spool is not None
            self._complete = True
            self._spooled = os.open(self.spool, os.O_RDONLY)
            return self._from_spool()
        return message

    def _from_spool(self) -> tuple[str, Any]:
        """The next message the child wrote to its spool, waiting for it to be written
        whole (the child may still be parsing)."""
        assert self._spooled is not None
        while True:
            head = os.pread(self._spooled, FRAME, self._offset)
            if len(head) == FRAME:
                size = int.from_bytes(head, "little")
                data = os.pread(self._spooled, size, self._offset + FRAME)
                if len(data) == size:
                    self._offset += FRAME + size
                    message: tuple[str, Any] = pickle.loads(data)
                    return message
            if self._complete:
                raise ArchiveError("the parser stopped unexpectedly")
            # Not written yet: wait for the child to write more, or to say it is done.
            try:
                if not self.conn.poll(0.01):
                    continue
                kind, value = self.conn.recv()
            except (EOFError, OSError):
                raise ArchiveError("the parser stopped unexpectedly") from None
            if kind != "spooled":
                return kind, value  # it could not write the spool
            self._complete = True

    def entry(self) -> Any:
        """A part's state at its start, received before its articles."""
        kind, value = self._receive()
        if kind == "error":
            raise ArchiveError(value)
        if kind != "entry":
            raise ArchiveError("the parser stopped unexpectedly")
        return value

    def __iter__(self) -> Iterator[Prepared]:
        try:
            while True:
                kind, value = self._receive()
                if kind == "done":
                    self.problems = value
                    return
                if kind == "error":
                    raise ArchiveError(value)
                if kind == "exit":
                    self.exit = value
                    continue
                yield from from_wire(value)
        finally:
            self.close()

    def abandon(self) -> None:
        """Stop the child (its articles are no longer wanted)."""
        if self.process.is_alive():
            self.process.kill()
        self.close()

    def close(self) -> None:
        self.conn.close()
        if self._spooled is not None:
            os.close(self._spooled)
            self._spooled = None
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
        self.parsers: list[ParallelParse] = []
        try:
            for k in range(count):
                share = (k, count) if count > 1 else None
                self.parsers.append(ParallelParse(path, replace(options, share=share)))
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
