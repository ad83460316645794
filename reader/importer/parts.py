"""A large listing dump parsed in parts (`chunks`): the first in this process as its
articles are written, each other by a child of its own (`pool`), joined in file order.
`large_parse` chooses this for a listing dump, `pool.SharedParse` for anything else."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.archive import ArchiveError, Parsed, detect_bytes
from reader.archive.listing import Part
from reader.importer.chunks import LISTINGS, open_part
from reader.importer.expansion import read_head
from reader.importer.parsing import Options, checked, prepare_all
from reader.importer.pool import PARALLEL_BYTES, ParallelParse, SharedParse, parse_failure
from reader.store import Prepared

CHUNK_BYTES = PARALLEL_BYTES
"""Listing dumps this large are split by several processes, a part each (`chunks`):
the writer and one parser alone left a core idle while the parser lagged behind.
From a thousand articles (4 MB) on, the second parser's start (some 0.1 s, on the
idle core) pays: 1,000 and 2,000 articles imported 7-15 % faster than by one."""


SPOOL_PREFIX = "reader-import-"
"""Parts spooled by `ChunkedParse` are temporary files named so, with the importing
process's id."""


def _remove_stale_spools() -> None:
    """Remove the parts left by an importer that was killed (kill -9) while they were
    spooled: theirs is the id of a process that is gone."""
    for found in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*-*.part"):
        owner = found.name[len(SPOOL_PREFIX):].split("-", 1)[0]
        if not owner.isdigit():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                found.unlink()
        except OSError:
            pass  # alive, another user's


class _LocalPart:
    """The first part of a cut file, split in this process as its articles are written
    (`ChunkedParse`): they need not cross between processes, and the two cores are
    shared by two processes rather than three. When the file is not cut after all, a
    child splits it whole beside this process writing. Read as a `ParallelParse`."""

    def __init__(self, path: Path, options: Options) -> None:
        self.path, self.options = path, options
        self.format: str | None = ""
        self.problems: list[str] = []
        self.exit: Any = None
        self._found: tuple[Parsed, Part] | None = None
        self._whole: ParallelParse | None = None

    def ready(self) -> None:
        """Open the part (after the other parts' children have started: their start
        and this one's run together)."""
        options, part = self.options, self.options.part
        assert part is not None
        with _parse_errors():
            found = open_part(self.path, options.fmt, options.tags, options.encoding, part)
            if found is not None:
                self._found = (checked(found[0]), found[1])
        if self._found is None:
            self._whole = ParallelParse(self.path, replace(options, part=None))
            self.format = self._whole.format
            return
        self.format = self._found[0].format

    def __iter__(self) -> Iterator[Prepared]:
        if self._whole is not None:
            yield from self._whole
            self.problems = self._whole.problems
            return
        assert self._found is not None
        parsed, part = self._found
        with _parse_errors():  # (the writer's own errors never reach this frame)
            yield from prepare_all(parsed.articles)
        self.exit = (part.exit, part.template, part.page_tags)
        self.problems = parsed.problems

    def abandon(self) -> None:
        if self._whole is not None:
            self._whole.abandon()

    def close(self) -> None:
        if self._whole is not None:
            self._whole.close()


@contextlib.contextmanager
def _parse_errors() -> Iterator[None]:
    """An unexpected error while parsing here, as a parser process says it
    (`pool.parse_failure`)."""
    try:
        yield
    except (ArchiveError, OSError, MemoryError):
        raise
    except Exception as exc:
        raise parse_failure(exc) from None


class ChunkedParse:
    """A large listing dump split in `processes` parts, a run of its windows each
    (`reader.importer.chunks`): the first in this process, as it writes, the others by
    a child each; iterating yields its articles in file order, the same as one process
    splitting it whole.

    The first part is read as it comes; the others are written to temporary files
    meanwhile (memory stays flat) and read in turn as they grow, each once its entry
    state has been checked against the exit state of the part before. A part that does not
    join (its split began otherwise than the whole split's would have) sends the
    file to one process, whose articles after those already yielded follow."""

    def __init__(self, path: Path, options: Options, processes: int) -> None:
        self.path, self.options = path, options
        self.parsers: list[ParallelParse | _LocalPart] = [
            _LocalPart(path, replace(options, part=(0, processes)))]
        self.spools: list[str] = []
        _remove_stale_spools()
        try:
            for k in range(1, processes):
                handle, spool = tempfile.mkstemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-",
                                                 suffix=".part")
                os.close(handle)
                self.spools.append(spool)
                self.parsers.append(ParallelParse(path, replace(options, part=(k, processes)),
                                                   spool, ready=False))
            for parser in self.parsers:
                parser.ready()
        except BaseException:
            self.close()
            raise
        self.format = self.parsers[0].format
        self.problems: list[str] = []
        self.joined = 0
        """Parts whose articles were yielded (1 when the file was not cut, or when the
        parts did not join and one process split it again)."""

    def __iter__(self) -> Iterator[Prepared]:
        try:
            first = self.parsers[0]
            count = 0
            for item in first:
                count += 1
                yield item
            problems, previous, self.joined = list(first.problems), first.exit, 1
            for parser in self.parsers[1:]:
                assert isinstance(parser, ParallelParse)
                if parser.format is None:
                    continue  # not cut: the first process split it whole
                if previous is None or parser.entry() != previous:
                    yield from self._again(count)
                    return
                for item in parser:
                    count += 1
                    yield item
                problems += parser.problems
                previous, self.joined = parser.exit, self.joined + 1
            if count == 0 and self.joined > 1:
                yield from self._again(0)  # no record found: the whole split decides
                return
            self.problems = problems
        finally:
            self.close()

    def _again(self, skip: int) -> Iterator[Prepared]:
        """The file split by one process, its first `skip` articles left out."""
        for running in self.parsers:
            running.abandon()  # parts no longer wanted
        parser = ParallelParse(self.path, replace(self.options, part=None))
        self.parsers.append(parser)
        self.joined = 1
        for n, item in enumerate(parser):
            if n >= skip:
                yield item
        self.problems = parser.problems

    def close(self) -> None:
        for parser in self.parsers:
            parser.close()
        for spool in self.spools:
            with contextlib.suppress(OSError):
                os.unlink(spool)


def large_parse(path: Path, options: Options, processes: int) -> SharedParse | ChunkedParse:
    """The parse of a large file: a listing dump cut in parts when it is large enough
    and there is more than one core, else `SharedParse`."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if (processes > 1 and size >= CHUNK_BYTES and options.fmt in (None, *LISTINGS)
            and detect_bytes(read_head(path)) is None):
        return ChunkedParse(path, options, processes)
    return SharedParse(path, options, processes)
