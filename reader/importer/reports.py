"""What an import reports: one `FileReport` per file, summed by `ImportReport`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.store import FileResult


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
