"""Files → archive parsers → store, one transaction per file, with progress.

A file that fails (unreadable, undecodable, a full disk half-way) is rolled
back whole and reported in one line; the other files still import.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reader.archive import ArchiveError, parse_file
from reader.models import ParsedArticle
from reader.store import FileResult, Store, StoreError, article_hash

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


def expand(paths: Iterable[str | Path]) -> Iterator[FileReport | Path]:
    """Files to import, folders recursed in a stable order; problems as reports."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*"), key=lambda p: p.as_posix()):
                if not child.is_file() or any(part.startswith(".") for part in
                                              child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in _NOT_ARCHIVES:
                    yield FileReport(child, skipped=f"not an archive ({child.suffix} file)")
                    continue
                found = True
                yield child
            if not found:
                yield FileReport(path, error="no importable files in this folder")
        elif path.exists():
            yield path
        else:
            yield FileReport(path, error="no such file or folder")


ProgressFn = Callable[[Path, int, bool], None]
"""Called with (file, articles so far in it, whether the file is finished)."""


# Files this large are parsed in a second process while this one writes:
# parsing is Python and SQLite's indexing is C, and threads would serialise
# them on the GIL. Smaller files are not worth a process.
PARALLEL_BYTES = 4 << 20
BATCH = 256


def _keyed(articles: Iterable[ParsedArticle]) -> Iterator[tuple[str, ParsedArticle]]:
    return ((article_hash(a), a) for a in articles)


def _parse_in_child(path: Path, fmt: str | None, tags: tuple[str, ...],
                    encoding: str | None, conn: Connection) -> None:
    """Child process: parse and hash `path`, sending batches, then None; or an error."""
    try:
        parsed = parse_file(path, fmt, tags, encoding)
        conn.send(("format", parsed.format))
        batch: list[tuple[str, ParsedArticle]] = []
        for item in _keyed(parsed.articles):
            batch.append(item)
            if len(batch) >= BATCH:
                conn.send(("articles", batch))
                batch = []
        conn.send(("articles", batch))
        conn.send(("done", None))
    except ArchiveError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # reported as the file's one-line failure
        conn.send(("error", f"cannot parse ({type(exc).__name__}: {exc})"))
    finally:
        conn.close()


class _ParallelParse:
    """Parses one file in a child process; iterating yields its (hash, article) pairs."""

    def __init__(self, path: Path, fmt: str | None, tags: tuple[str, ...],
                 encoding: str | None) -> None:
        ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_parse_in_child,  # type: ignore[attr-defined]
                                   args=(path, fmt, tags, encoding, child), daemon=True)
        self.process.start()
        child.close()
        kind, value = self._receive()
        if kind == "error":
            self.close()
            raise ArchiveError(value)
        self.format: str = value

    def _receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self.conn.recv()
        except EOFError:
            raise ArchiveError("the parser stopped unexpectedly") from None
        return message

    def __iter__(self) -> Iterator[tuple[str, ParsedArticle]]:
        try:
            while True:
                kind, value = self._receive()
                if kind == "done":
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


class Importer:
    """Imports files into a store: `Importer(store).run(paths)`."""

    def __init__(
        self,
        store: Store | None,
        *,
        fmt: str | None = None,
        tags: tuple[str, ...] = (),
        encoding: str | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.store = store
        self.fmt = fmt
        self.tags = tags
        self.encoding = encoding
        self.progress = progress

    def _counted(self, path: Path, keyed: Iterable[tuple[str, ParsedArticle]]
                 ) -> Iterator[tuple[str, ParsedArticle]]:
        for n, item in enumerate(keyed, 1):
            if self.progress and n % 500 == 0:
                self.progress(path, n, False)
            yield item

    def import_file(self, path: Path) -> FileReport:
        report = FileReport(path)
        if self.store is None:
            raise ValueError("no store to import into")
        try:
            keyed: Iterable[tuple[str, ParsedArticle]]
            if path.stat().st_size >= PARALLEL_BYTES:
                parallel = _ParallelParse(path, self.fmt, self.tags, self.encoding)
                report.format, keyed = parallel.format, parallel
            else:
                parsed = parse_file(path, self.fmt, self.tags, self.encoding)
                report.format, keyed = parsed.format, _keyed(parsed.articles)
                report.problems = parsed.problems
            report.result = self.store.add_keyed(self._counted(path, keyed))
            if report.result.total == 0:
                report.error = "; ".join(report.problems) or "no articles found"
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

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        report = ImportReport()
        for item in expand(paths):
            if isinstance(item, FileReport):
                report.files.append(item)
                continue
            file_report = self.import_file(item)
            report.files.append(file_report)
            if self.progress:
                self.progress(item, file_report.result.total, True)
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
            report = FileReport(item)
            try:
                parsed = parse_file(item, self.fmt, self.tags, self.encoding)
                report.format = parsed.format
                for article in parsed.articles:
                    report.result.new += 1
                    yield report, article
                report.problems = parsed.problems
                if not report.result.new:
                    report.error = "no articles found"
            except ArchiveError as exc:
                report.error = str(exc)
            yield report, None
