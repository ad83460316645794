"""Expansion: the paths named on the command line walked into files to import.

Folders and zips are recursed in a stable (name) order; what is certainly not an
archive is skipped with a reason, what cannot be read is reported, and an Omnivore
export's batches are read with their content and highlight files beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.archive import SNIFF, TEXT_SUFFIXES, ArchiveError, detect_bytes, omnivore, zipped
from reader.importer.reports import FileReport

# Files that are certainly not archives, skipped (and reported) inside folders.
_NOT_ARCHIVES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".svg", ".pdf", ".mp3", ".mp4",
    ".mov", ".avi", ".wav", ".ogg", ".woff", ".woff2", ".ttf", ".otf", ".exe", ".dll", ".so",
    ".dylib", ".o", ".pyc", ".db", ".sqlite", ".gz", ".bz2", ".xz", ".7z", ".tar", ".rar",
    ".css", ".js", ".db-wal", ".db-shm",
}


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


def read_head(path: Path) -> bytes:
    """The first bytes of a file (enough to recognise its format), or none if unreadable."""
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
        head = read_head(child)
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
            if zipped.is_zip(read_head(path)[:4]):
                yield from _zip(path.resolve(), path, 0)
            else:
                yield Job(path, disk=path)
        else:
            yield FileReport(path, error="no such file or folder")
