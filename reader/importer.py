"""Files → archive parsers → store, one transaction per file, with progress.

A file that fails (unreadable, undecodable, a full disk half-way) is rolled
back whole and reported in one line; the other files still import.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import multiprocessing
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader.archive import (
    SHARED_FORMATS,
    SNIFF,
    TEXT_SUFFIXES,
    ArchiveError,
    NotAnArchive,
    Parsed,
    detect_bytes,
    omnivore,
    parse_bytes,
    parse_file,
    zipped,
)
from reader.clean import needs_sanitizing, sanitize
from reader.models import ParsedArticle
from reader.store import FileResult, Prepared, Store, StoreError, prepare

# Files that are certainly not archives, skipped (and reported) inside folders.
_NOT_ARCHIVES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".svg", ".pdf", ".mp3", ".mp4",
    ".mov", ".avi", ".wav", ".ogg", ".woff", ".woff2", ".ttf", ".otf", ".exe", ".dll", ".so",
    ".dylib", ".o", ".pyc", ".db", ".sqlite", ".gz", ".bz2", ".xz", ".7z", ".tar", ".rar",
    ".css", ".js", ".db-wal", ".db-shm",
}


@dataclass(slots=True)
class FileReport:
    """The outcome for one file."""

    path: Path
    format: str | None = None
    result: FileResult = field(default_factory=FileResult)
    error: str | None = None
    skipped: str | None = None
    """Why a file inside a folder was not tried (not an archive)."""
    problems: list[str] = field(default_factory=list)
    """Losses in a file that was still imported (a feed cut short, bad items)."""


@dataclass(slots=True)
class ImportReport:
    """The outcome of one `reader import`."""

    files: list[FileReport] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(f.result, name) for f in self.files)

    @property
    def new(self) -> int:
        return self._sum("new")

    @property
    def present(self) -> int:
        return self._sum("present")

    @property
    def merged(self) -> int:
        return self._sum("merged")

    @property
    def updated(self) -> int:
        return self._sum("updated")

    @property
    def stubs(self) -> int:
        return self._sum("stubs")

    @property
    def annotations(self) -> int:
        return self._sum("annotations")

    @property
    def orphans(self) -> int:
        return self._sum("orphans")

    @property
    def orphaned(self) -> int:
        return self._sum("orphaned")

    @property
    def deleted(self) -> int:
        return self._sum("deleted")

    @property
    def restored(self) -> int:
        return self._sum("restored")

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.error]

    @property
    def skipped(self) -> list[FileReport]:
        return [f for f in self.files if f.skipped]

    @property
    def partial(self) -> list[FileReport]:
        return [f for f in self.files if f.problems and not f.error]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.partial


@dataclass(slots=True)
class Job:
    """One file to import: on disk (streamed), or read into memory from a zip."""

    path: Path
    """What reports name: the file, or `archive.zip!/path/inside`."""
    disk: Path | None = None
    data: bytes | None = None
    nested: bool = False
    """Found inside a folder or zip: content of an unknown kind is skipped, not failed."""
    fmt: str | None = None
    lookup: omnivore.Lookup | None = None
    """The other files of an Omnivore export (content, highlights)."""


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(SNIFF)
    except OSError:
        return b""  # parse_file reports it


def skip_reason(name: str, head: bytes) -> str | None:
    """Why a file found in a folder or zip is not imported, or None to import it.

    Known formats are recognised from their content; plain text only from a
    file named like text (`.txt`, `.md`…), so that a LICENSE, a data file or
    a program's JSON never becomes an article.
    """
    suffix = Path(name).suffix.lower()
    if suffix in _NOT_ARCHIVES and not name.lower().endswith(zipped.GZIP_PAGES):
        return f"not an archive ({suffix} file)"
    if not head.strip():
        return None  # reported as an empty file
    if detect_bytes(head) is not None or suffix in TEXT_SUFFIXES:
        return None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return "markup of an unknown kind (not a page, feed or export)"
    kind = f"{suffix} file" if suffix else "no text file name"
    return f"not a known archive format ({kind})"


def _omnivore_roots(names: list[str]) -> set[str]:
    """Folders (`""` for the top) holding an Omnivore export's record batches."""
    roots = set()
    for name in names:
        folder, _, base = name.rpartition("/")
        if omnivore.METADATA.match(base):
            roots.add(folder)
    return roots


def _sidecar(name: str, roots: set[str]) -> bool:
    """Whether `name` is an Omnivore export's content or highlight file (read via a batch)."""
    for root in roots:
        prefix = root + "/" if root else ""
        if name.startswith(prefix) and name[len(prefix):].startswith(omnivore.SIDECARS):
            return True
    return False


def _leaves(child: Path, root: Path) -> bool:
    """Whether `child` of the folder `root` is a symbolic link (or lies under one) that
    points outside the folder."""
    try:
        child.resolve().relative_to(root)
    except ValueError:
        return True
    except OSError:  # a loop of links
        return True
    return False


def _folder(path: Path) -> Iterator[FileReport | Job]:
    root = path.resolve()
    found = [c for c in sorted(path.rglob("*"), key=lambda p: p.as_posix())
             if not any(part.startswith(".") for part in c.relative_to(path).parts)]
    children = []
    for c in found:
        # As in a zip: a link that leaves the folder is not followed (a file named
        # on the command line is the user's choice, and is read).
        if (c.is_symlink() or c.is_file()) and _leaves(c, root):
            yield FileReport(c, skipped="symbolic link leading out of the folder, not followed")
        elif c.is_file():
            children.append(c)
        elif c.exists() and not c.is_dir():
            yield FileReport(c, skipped="not a regular file (a pipe or a device), not read")
    names = [c.relative_to(path).as_posix() for c in children]
    roots = _omnivore_roots(names)
    for child, name in zip(children, names, strict=True):
        if _sidecar(name, roots):
            continue
        folder, _, base = name.rpartition("/")
        if folder in roots and omnivore.METADATA.match(base):
            export = child.parent

            def lookup(inner: str, export: Path = export) -> bytes | None:
                target = export / inner
                return target.read_bytes() if target.is_file() else None

            yield Job(child, disk=child, nested=True, fmt="omnivore", lookup=lookup)
            continue
        head = _head(child)
        if zipped.is_zip(head):
            yield from _zip(child.resolve(), child, 0)
            continue
        reason = skip_reason(child.name, head)
        if reason:
            yield FileReport(child, skipped=reason)
        else:
            yield Job(child, disk=child, nested=True)


def _zip(label: Path, source: Path | bytes, depth: int,
         budget: list[int] | None = None) -> Iterator[FileReport | Job]:
    """The files of a zip, in name order, each named `archive.zip!/path/inside`."""
    try:
        archive = zipped.SafeZip(source, depth, budget)
    except ArchiveError as exc:
        yield FileReport(label, error=str(exc))
        return
    with archive:
        entries = archive.entries()
        roots = _omnivore_roots([e.name for e in entries if e.info is not None])
        if not entries:
            yield FileReport(label, error="empty zip file")
        for entry in entries:
            where = Path(f"{label}!/{entry.name}")
            if entry.refused:
                yield FileReport(where, error=entry.refused)
                continue
            if _sidecar(entry.name, roots):
                continue
            folder, _, base = entry.name.rpartition("/")
            omnivore_batch = folder in roots and omnivore.METADATA.match(base)
            suffix = Path(entry.name).suffix.lower()
            if (not omnivore_batch and suffix in _NOT_ARCHIVES
                    and not entry.name.lower().endswith(zipped.GZIP_PAGES)):
                yield FileReport(where, skipped=f"not an archive ({suffix} file)")
                continue
            try:
                data = archive.read(entry)
            except ArchiveError as exc:
                yield FileReport(where, error=str(exc))
                continue
            if omnivore_batch:
                prefix = folder + "/" if folder else ""

                def lookup(inner: str, prefix: str = prefix) -> bytes | None:
                    found = archive.find(prefix + inner)
                    return archive.read(found) if found is not None else None

                yield Job(where, data=data, nested=True, fmt="omnivore", lookup=lookup)
            elif zipped.is_zip(data[:4]):
                yield from _zip(where, data, depth + 1, archive.budget)
            elif reason := skip_reason(entry.name, data[:SNIFF]):
                yield FileReport(where, skipped=reason)
            else:
                yield Job(where, data=data, nested=True)


def expand(paths: Iterable[str | Path]) -> Iterator[FileReport | Job]:
    """Files to import, folders and zips recursed in a stable order; problems as reports."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for item in _folder(path):
                found = found or isinstance(item, Job) or bool(
                    isinstance(item, FileReport) and item.error)
                yield item
            if not found:
                yield FileReport(path, error="no importable files in this folder")
        elif path.exists() and not path.is_file():
            yield FileReport(path, error="not a regular file (a pipe or a device), not read")
        elif path.exists():
            if zipped.is_zip(_head(path)[:4]):
                yield from _zip(path.resolve(), path, 0)
            else:
                yield Job(path, disk=path)
        else:
            yield FileReport(path, error="no such file or folder")


ProgressFn = Callable[[Path, int, bool], None]
"""Called with (file, articles so far in it, whether the file is finished)."""


# Files this large are parsed in a second process while this one writes:
# parsing is Python and SQLite's indexing is C, and threads would serialise
# them on the GIL. Smaller files are not worth a process.
PARALLEL_BYTES = 4 << 20
BATCH = 256


def _large(job: Job) -> bool:
    """A file on disk big enough to stream from a child process of its own."""
    if job.disk is None or job.lookup is not None:
        return False
    try:
        return job.disk.stat().st_size >= PARALLEL_BYTES
    except OSError:
        return False  # reported when read


def _poolable(job: Job) -> bool:
    """A file a pool process can parse whole: small, and needing no other file."""
    return job.lookup is None and not _large(job)


@dataclass(frozen=True, slots=True)
class Options:
    """How to read files: a forced format, added tags, an encoding, WordPress pages."""

    fmt: str | None = None
    tags: tuple[str, ...] = ()
    encoding: str | None = None
    pages: bool = False
    share: tuple[int, int] | None = None
    """(k, n): this process converts every n-th article of the file from the k-th."""


_BAD_URL = re.compile("[\x00-\x20\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029"
                      "\u2066-\u2069\ufeff]")
"""Characters a URL never holds written out (spaces are %20): such a URL is refused."""
MAX_ARTICLE_CHARS = 10_000_000
"""An article longer than this (10 MB of text, some twenty novels) is not imported and
is reported; the rest of its file is (README, Limits)."""


def _prepared(articles: Iterable[ParsedArticle]) -> Iterator[Prepared]:
    return (prepare(a) for a in articles)


def _checked(parsed: Parsed) -> Parsed:
    """`parsed` with articles over `MAX_ARTICLE_CHARS` left out and reported, URLs
    holding control characters refused (reported; the article kept without one) and
    a provenance path with control characters sanitised."""

    def articles(found: Iterator[ParsedArticle]) -> Iterator[ParsedArticle]:
        # Articles of one file share a path, except in reader's own exports (each
        # article keeps the path it first came from): sanitised once per path.
        safe_paths: dict[str, str] = {}
        for article in found:
            p = article.provenance
            if len(article.body) > MAX_ARTICLE_CHARS:
                parsed.problems.append(
                    f"article at line {p.start_line} is {len(article.body) // 1_000_000} MB "
                    f"of text, over the {MAX_ARTICLE_CHARS // 1_000_000} MB limit; not imported")
                continue
            safe_path = safe_paths.get(p.path)
            if safe_path is None:
                safe_path = sanitize(p.path) if needs_sanitizing(p.path) else p.path
                safe_paths[p.path] = safe_path
            if safe_path != p.path:
                article = replace(article, provenance=replace(p, path=safe_path))
            if article.url is not None:
                url: str | None = article.url.strip()
                if not url or _BAD_URL.search(url):
                    parsed.problems.append(
                        f"article at line {p.start_line}: its URL holds control or "
                        "invisible characters; imported without it")
                    url = None
                if url != article.url:
                    article = replace(article, url=url)
            yield article

    parsed.articles = articles(parsed.articles)
    return parsed


# Libraries log a page they could not read with a traceback (readability-lxml's
# "error getting summary"); the file's one-line report says all the user needs.
for _name in ("readability", "trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def _child_init(parent: int) -> None:
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
def _quiet_start(ctx: Any) -> Iterator[None]:
    """Start processes so that ctrl+c cannot print a traceback from one starting.

    A new interpreter (forkserver, spawn, multiprocessing's resource tracker)
    started while SIGINT is ignored keeps ignoring it: they are started so, and a
    ctrl+c in those few milliseconds is lost (the next one stops the import).
    Forked children start with SIGINT blocked until `_child_init` ignores it; a
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
    _child_init(parent)
    try:
        _send_parsed(path, options, conn)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importer stopped listening (ctrl+c, or it is gone): nothing to say
    finally:
        conn.close()


def _send_parsed(path: Path, options: Options, conn: Connection) -> None:
    try:
        parsed = _checked(parse_file(path, options.fmt, options.tags, options.encoding,
                                     pages=options.pages, share=options.share))
        conn.send(("format", parsed.format))
        if options.share and options.share[0] and not parsed.shared:
            # A format that cannot be shared: the first process sends it all.
            conn.send(("done", []))
            return
        batch: list[Prepared] = []
        for item in _prepared(parsed.articles):
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


def _context() -> Any:
    """How to start parser processes: fork when it is safe (no other threads), else not."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _forker(ctx: Any) -> int:
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
class _Parsed:
    """A whole file parsed and hashed in a pool process, or why it could not be."""

    format: str | None = None
    prepared: list[Prepared] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: BaseException | None = None


def _parse_job(job: Job, options: Options) -> Parsed:
    return _checked(_parse_unbounded(job, options))


def _parse_unbounded(job: Job, options: Options) -> Parsed:
    fmt, tags, encoding, pages = (job.fmt or options.fmt, options.tags, options.encoding,
                                  options.pages)
    if job.data is not None:
        return parse_bytes(job.data, str(job.path), fmt, tags, encoding, job.path, job.lookup,
                           pages=pages)
    assert job.disk is not None
    if job.lookup is not None:
        return parse_bytes(job.disk.read_bytes(), str(job.disk.resolve()), fmt, tags,
                           encoding, job.disk, job.lookup)
    return parse_file(job.disk, fmt, tags, encoding, pages=pages)


def _parse_whole(job: Job, options: Options) -> _Parsed:
    """Pool process: parse and hash one (small) file entirely."""
    try:
        parsed = _parse_job(job, options)
        prepared = list(_prepared(parsed.articles))
        return _Parsed(parsed.format, prepared, parsed.problems)
    except (ArchiveError, OSError, MemoryError) as exc:
        return _Parsed(error=exc)
    except Exception as exc:  # reported as the file's one-line failure
        return _Parsed(error=ArchiveError(f"cannot parse ({type(exc).__name__}: {exc})"))


class _ParallelParse:
    """Parses one file in a child process; iterating yields its (hash, article) pairs."""

    def __init__(self, path: Path, options: Options) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_parse_in_child,  # type: ignore[attr-defined]
                                   args=(path, options, child, _forker(ctx)), daemon=True)
        with _quiet_start(ctx):
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


class _Shared:
    """A large file parsed in child processes: one, or for formats whose articles can
    be converted apart (feeds, WordPress and wallabag exports) one per core but the
    writer's, each converting its share; iterating yields the articles in file order."""

    def __init__(self, path: Path, options: Options, processes: int) -> None:
        # The writing process keeps a core of its own: on two cores one child
        # converts while this process writes (two converting children measured
        # no faster there, 0.9x); with more cores, the others share the work.
        count = 1
        if processes > 2:
            kind = options.fmt or detect_bytes(_head(path))
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


FOLLOW_FROM = 1000
"""From this many new articles, the search index catches up beside the import, in a
process of its own that outlives it (`reader.index.Follower`); after smaller
imports the next search catches up."""


class Importer:
    """Imports files into a store: `Importer(store).run(paths)`."""

    def __init__(
        self,
        store: Store | None,
        *,
        fmt: str | None = None,
        tags: tuple[str, ...] = (),
        encoding: str | None = None,
        pages: bool = False,
        progress: ProgressFn | None = None,
        restore: bool = False,
    ) -> None:
        self.store = store
        self.restore = restore
        """Bring back articles deleted from the library instead of leaving them out."""
        self.options = Options(fmt, tags, encoding, pages)
        self.progress = progress
        self._processes = workers()

    def _counted(self, path: Path, prepared: Iterable[Prepared]
                 ) -> Iterator[Prepared]:
        for n, item in enumerate(prepared, 1):
            if self.progress and n % 500 == 0:
                self.progress(path, n, False)
            yield item

    def _parse(self, job: Job) -> Parsed:
        return _parse_job(job, self.options)

    def import_file(self, job: Job | Path, parsed: _Parsed | None = None) -> FileReport:
        """Import one file; `parsed` is its articles when a pool process parsed it."""
        if isinstance(job, Path):
            job = Job(job, disk=job)
        path = job.path
        report = FileReport(path)
        if self.store is None:
            raise ValueError("no store to import into")
        try:
            prepared: Iterable[Prepared]
            if parsed is not None:
                if parsed.error is not None:
                    raise parsed.error
                report.format, prepared, report.problems = (parsed.format, parsed.prepared,
                                                         parsed.problems)
            elif _large(job):
                assert job.disk is not None
                shared = _Shared(job.disk, replace(self.options, fmt=job.fmt or self.options.fmt),
                                 self._processes)
                report.format, prepared = shared.format, shared
            else:
                whole = self._parse(job)
                report.format, prepared = whole.format, _prepared(whole.articles)
                report.problems = whole.problems
            report.result = self.store.add_prepared(self._counted(path, prepared),
                                                    restore=self.restore)
            if isinstance(prepared, _Shared):
                report.problems = prepared.problems
            if report.result.unplaced:
                report.problems.append(f"{report.result.unplaced} highlights not imported: "
                                       "no such highlight or article in this library")
            if report.result.total == 0:
                report.error = "; ".join(report.problems) or "no articles found"
        except NotAnArchive as exc:
            if job.nested:
                report.skipped = str(exc)
            else:
                report.error = str(exc)
        except ArchiveError as exc:
            report.error = str(exc)
        except StoreError as exc:
            report.error = str(exc)
        except sqlite3.Error as exc:
            full = "full" in str(exc)
            report.error = ("the disk is full; file not imported" if full
                            else f"library error, file not imported ({exc})")
        except OSError as exc:
            report.error = f"cannot read ({exc.strerror or exc})"
        except MemoryError:
            report.error = "out of memory, file not imported"
        return report

    def run(self, paths: Iterable[str | Path], processes: int | None = None) -> ImportReport:
        """Import files, folders and zips; their reports in the order found.

        With more than one file and more than one core, small files are
        parsed in a pool of processes while this one writes them, in order,
        each in its own transaction; large files stream from one child each.
        """
        report = ImportReport()
        processes = workers() if processes is None else processes
        self._processes = processes
        window = max(2, 4 * processes)
        # (file, its pool result, whether the pool can parse it) in the order found.
        pending: deque[tuple[Job | FileReport, Future[_Parsed] | None, bool]] = deque()
        pool: ProcessPoolExecutor | None = None
        context: Any = None

        def submit(job: Job) -> Future[_Parsed]:
            assert pool is not None
            with _quiet_start(context):
                return pool.submit(_parse_whole, job, self.options)

        self.follower: Any = None  # the search index catching up beside the import

        def finish() -> None:
            item, future, _ = pending.popleft()
            if isinstance(item, FileReport):
                report.files.append(item)
                return
            file_report = self.import_file(item, future.result() if future else None)
            report.files.append(file_report)
            if self.follower is None and self.store is not None and report.new >= FOLLOW_FROM:
                self.follower = self.store.index_follower()
            if self.progress:
                self.progress(item.path, file_report.result.total, True)

        try:
            for item in expand(paths):
                future = None
                poolable = isinstance(item, Job) and _poolable(item)
                if poolable:
                    assert isinstance(item, Job)
                    if pool is None and processes > 1 and any(p for _, _, p in pending):
                        # A second file: worth the processes. Earlier ones join in.
                        context = _context()
                        with _quiet_start(context):
                            pool = ProcessPoolExecutor(processes, mp_context=context,
                                                       initializer=_child_init,
                                                       initargs=(_forker(context),))
                        for n, (queued, _, able) in enumerate(pending):
                            if able and isinstance(queued, Job):
                                pending[n] = (queued, submit(queued), able)
                    if pool is not None:
                        future = submit(item)
                pending.append((item, future, poolable))
                # An export's batch reads its other files through the zip or
                # folder being walked: finished before the walk moves on.
                keep = 0 if isinstance(item, Job) and item.lookup is not None else window
                while len(pending) > keep:
                    finish()
            while pending:
                finish()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        return report

    def preview(
        self, paths: Iterable[str | Path]
    ) -> Iterator[tuple[FileReport, ParsedArticle | None]]:
        """What `run` would import, without writing, streamed.

        Yields (report, article) for each article of a file, then (report, None)
        once the file is done, its report complete.
        """
        for item in expand(paths):
            if isinstance(item, FileReport):
                yield item, None
                continue
            report = FileReport(item.path)
            try:
                parsed = self._parse(item)
                report.format = parsed.format
                for article in parsed.articles:
                    if article.stub:
                        report.result.stubs += 1
                    else:
                        report.result.new += 1
                    report.result.annotations += len(article.highlights)
                    yield report, article
                report.problems = parsed.problems
                if not report.result.total:
                    report.error = "; ".join(report.problems) or "no articles found"
            except NotAnArchive as exc:
                if item.nested:
                    report.skipped = str(exc)
                else:
                    report.error = str(exc)
            except ArchiveError as exc:
                report.error = str(exc)
            except OSError as exc:
                report.error = f"cannot read ({exc.strerror or exc})"
            yield report, None
