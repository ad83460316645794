"""Files → archive parsers → store, one transaction per file, with progress.

A file that fails (unreadable, undecodable, a full disk half-way) is rolled
back whole and reported in one line; the other files still import.

The importer's rooms: `expansion` walks folders and zips into files to import,
`parsing` opens one file and checks its articles, `pool` parses in other
processes while this one writes, `parts` parses a large listing dump in parts (the
first here, the others a child each; `chunks` says where it is cut), `reports`
says what happened; `Importer`, here, runs them in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.archive import Parsed
from reader.importer.expansion import Job, expand, skip_reason
from reader.importer.parsing import MAX_ARTICLE_CHARS, Options, parse_job, prepare_all
from reader.importer.parts import ChunkedParse, large_parse
from reader.importer.pool import (
    PoolResult,
    SharedParse,
    child_init,
    disk_size,
    forker,
    from_wire,
    is_large,
    is_poolable,
    parse_whole,
    process_context,
    quiet_start,
    workers,
)
from reader.importer.reports import FILE_FAILURES, FileReport, ImportReport
from reader.models import ParsedArticle
from reader.store import Prepared, Store

if TYPE_CHECKING:  # the pool of processes is loaded when a second file asks for it
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["FOLLOW_FROM", "MAX_ARTICLE_CHARS", "FileReport", "ImportReport",
           "Importer", "Job", "Options", "ProgressFn", "expand", "skip_reason", "workers"]

ProgressFn = Callable[[Path, int, bool], None]
"""Called with (file, articles so far in it, whether the file is finished)."""


FOLLOW_FROM = 1000
"""From this many new articles, the search index catches up beside the import, in a
process of its own that outlives it (`reader.store.searching.Follower`); after smaller
imports the next search catches up."""


FOLLOW_BYTES = 4 << 20
"""A file this large holds a thousand articles or so: the index follower starts before
its import (`Importer._before`), to have the library open when the import closes it."""


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
        return parse_job(job, self.options)

    def import_file(self, job: Job | Path, parsed: PoolResult | None = None) -> FileReport:
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
                report.format, prepared, report.problems = (parsed.format,
                                                         from_wire(parsed.prepared),
                                                         parsed.problems)
            elif is_large(job):
                assert job.disk is not None
                options = replace(self.options, fmt=job.fmt or self.options.fmt)
                shared = large_parse(job.disk, options, self._processes)
                report.format, prepared = shared.format, shared
            else:
                whole = self._parse(job)
                report.format, prepared = whole.format, prepare_all(whole.articles)
                report.problems = whole.problems
            report.result = self.store.add_prepared(self._counted(path, prepared),
                                                    restore=self.restore)
            if isinstance(prepared, (SharedParse, ChunkedParse)):
                report.problems = prepared.problems
            if report.result.unplaced:
                report.problems.append(f"{report.result.unplaced} highlights not imported: "
                                       "no such highlight or article in this library")
            if report.result.total == 0:
                report.error = "; ".join(report.problems) or "no articles found"
        except FILE_FAILURES as exc:
            report.failed_with(exc, nested=job.nested)
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
        pending: deque[tuple[Job | FileReport, Future[PoolResult] | None, bool]] = deque()
        pool: ProcessPoolExecutor | None = None
        context: Any = None

        def submit(job: Job) -> Future[PoolResult]:
            assert pool is not None
            with quiet_start(context):
                return pool.submit(parse_whole, job, self.options)

        self.follower: Any = None  # the search index catching up beside the import

        def finish() -> None:
            item, future, _ = pending.popleft()
            if isinstance(item, FileReport):
                report.files.append(item)
                return
            self._before(item)
            file_report = self.import_file(item, future.result() if future else None)
            report.files.append(file_report)
            if self.follower is None and self.store is not None and report.new >= FOLLOW_FROM:
                self.follower = self.store.index_follower()
            if self.progress:
                self.progress(item.path, file_report.result.total, True)

        try:
            for item in expand(paths):
                future = None
                poolable = isinstance(item, Job) and is_poolable(item)
                if poolable:
                    assert isinstance(item, Job)
                    if pool is None and processes > 1 and any(p for _, _, p in pending):
                        # A second file: worth the processes. Earlier ones join in.
                        from concurrent.futures import ProcessPoolExecutor

                        context = process_context()
                        with quiet_start(context):
                            pool = ProcessPoolExecutor(processes, mp_context=context,
                                                       initializer=child_init,
                                                       initargs=(forker(context),))
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

    def _before(self, job: Job) -> None:
        """Ready the store for `job`'s transaction. A large file's commit leaves folding
        the library's write-ahead log to the index follower, which has the library
        open when this process closes it (`Store.hold_fold`): the import returns as
        soon as its last transaction is committed. A file of `FOLLOW_BYTES` starts the
        follower first. A file after it folds first, as SQLite would have at that
        commit, so the log never holds more than one file's writes."""
        store = self.store
        if store is None:
            return
        store.fold()
        if not is_large(job):
            return
        if self.follower is None and disk_size(job) >= FOLLOW_BYTES:
            self.follower = store.index_follower()
        if self.follower is not None:
            store.hold_fold()

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
            except FILE_FAILURES as exc:
                report.failed_with(exc, nested=item.nested)
            yield report, None
