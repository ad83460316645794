"""What an import reports: one `FileReport` per file, summed by `ImportReport`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from reader.archive import ArchiveError, NotAnArchive
from reader.store import FileResult, StoreError

FILE_FAILURES = (ArchiveError, StoreError, sqlite3.Error, OSError, MemoryError)
"""What importing or previewing one file may raise: its report says it in one line
(`FileReport.failed_with`), and the other files go on."""


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

    def failed_with(self, exc: BaseException, nested: bool = False) -> None:
        """Say in one line why the file was not imported (one of `FILE_FAILURES`):
        its error, or why it was skipped when a folder or zip held it (`nested`)
        and it is not an archive at all."""
        if isinstance(exc, NotAnArchive) and nested:
            self.skipped = str(exc)
        elif isinstance(exc, (ArchiveError, StoreError)):
            self.error = str(exc)
        elif isinstance(exc, sqlite3.Error):
            self.error = ("the disk is full; file not imported" if "full" in str(exc)
                          else f"library error, file not imported ({exc})")
        elif isinstance(exc, OSError):
            self.error = f"cannot read ({exc.strerror or exc})"
        elif isinstance(exc, MemoryError):
            self.error = "out of memory, file not imported"
        else:
            raise exc


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
