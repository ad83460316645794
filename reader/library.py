"""Opening a library file safely, and checking one (`reader check`).

Before SQLite is given a path it is looked at: a FIFO, a folder or a file that
is not SQLite is refused with a reason; another application's SQLite file is
refused before anything in it changes (switching it to WAL would rewrite its
header); a library on a read-only directory or mount is opened read-only; a
write-ahead log whose frames are damaged is reported (SQLite would drop them
silently). Nothing here writes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SQLITE_HEADER = b"SQLite format 3\x00"
DAMAGED_HELP = ("run `reader check` for details; docs/reliability.md says how to recover "
                "from a backup")
RECOVERY = ("restore the latest backup (docs/reliability.md, Recovering a damaged library); "
            "the damaged file is left as it is")


class OpenError(Exception):
    """The path cannot be a library; the message is one line for the user."""


class Missing(OpenError):
    """No library at the path (and the command only reads)."""


@dataclass(slots=True)
class Opening:
    """How to open a library file."""

    target: str
    """What to give `sqlite3.connect` (a URI when `uri`)."""
    uri: bool = False
    read_only: bool = False
    create: bool = False
    warnings: list[str] = field(default_factory=list)


def _writable(path: Path) -> bool:
    """Whether the library and its folder can be written (for its -wal and -shm files)."""
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def plan(path: Path, *, create: bool = True) -> Opening:
    """Decide how to open the library at `path`, or raise OpenError saying why not."""
    if not str(path):
        raise OpenError("no library path given (an empty --db)")
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create:
            raise Missing(f"no library at {path} (import something first, or pass --db)") \
                from None
        return Opening(str(path), create=True)
    except OSError as exc:
        raise OpenError(f"{path}: cannot open ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise OpenError(f"{path} is a folder, not a library file")
    if not stat.S_ISREG(info.st_mode):
        raise OpenError(f"{path} is not a regular file (a pipe or a device?)")
    if info.st_size:
        try:
            with path.open("rb") as fh:
                header = fh.read(100)
        except OSError as exc:
            raise OpenError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if not header.startswith(SQLITE_HEADER):
            raise OpenError(f"{path}: not a reader library (not an SQLite file)")
    opening = Opening(str(path))
    if not _writable(path):
        opening.read_only = True
        opening.uri = True
        opening.target = f"file:{quote(str(path.resolve()))}?mode=ro"
        opening.warnings.append(f"{path}: read-only; reading, searching and exporting work, "
                                "changes cannot be saved")
    damage = wal_damage(path)
    if damage:
        opening.warnings.append(damage)
    return opening


def immutable(path: Path) -> str:
    """The URI that reads a library on a read-only medium without its -shm file."""
    return f"file:{quote(str(path.resolve()))}?immutable=1"


def foreign(conn: sqlite3.Connection, version: int) -> bool:
    """Whether the open SQLite file is another application's (read-only queries)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version == 0 and bool(tables) and "articles" not in tables


# --- the write-ahead log ------------------------------------------------------

_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_damage(path: Path) -> str | None:
    """A one-line report when the library's -wal file holds frames SQLite will drop.

    SQLite replays a write-ahead log up to its first frame whose checksum fails
    and ignores the rest. Frames of the log's current generation (same salts)
    after a bad one are changes that were written and will be lost: said here.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        size = wal.stat().st_size
        if size < 32:
            return None
        with wal.open("rb") as fh:
            header = fh.read(32)
            magic, _, page_size, _, salt1, salt2, c1, c2 = struct.unpack(">8I", header)
            if magic not in _WAL_MAGIC or not 512 <= page_size <= 65536:
                return f"{path}: its write-ahead log is damaged (bad header); recent changes " \
                       "in it are lost"
            big = magic & 1 == 1
            if _checksum(header[:24], big) != (c1, c2):
                return f"{path}: its write-ahead log is damaged (bad header); recent changes " \
                       "in it are lost"
            s = (c1, c2)
            frames = bad = 0
            while True:
                frame = fh.read(24 + page_size)
                if len(frame) < 24 + page_size:
                    break
                frames += 1
                _, _, fs1, fs2, fc1, fc2 = struct.unpack(">6I", frame[:24])
                if (fs1, fs2) != (salt1, salt2):
                    continue  # a frame of an earlier generation: not in use
                if bad:
                    bad += 1
                    continue
                s = _checksum(frame[:8], big, *s)
                s = _checksum(frame[24:], big, *s)
                if s != (fc1, fc2):
                    bad = 1
    except (OSError, struct.error):
        return None
    if bad:
        return (f"{path}: its write-ahead log is damaged: {bad} of its {frames} recent pages "
                "cannot be replayed and are lost; what came before is intact")
    return None


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether an SQLite error means the file is damaged (not busy, not full)."""
    text = str(exc).lower()
    return ("malformed" in text or "corrupt" in text or "not a database" in text
            or type(exc) is sqlite3.DatabaseError)


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's quick check (every page read once; about 0.1 s for 50 MB): None when
    sound, else its first finding."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if [tuple(r) for r in rows] == [("ok",)] else str(rows[0][0])


# --- reader check -------------------------------------------------------------


def check(conn: sqlite3.Connection) -> list[tuple[bool, str]]:
    """The library's integrity and index checks: (passed, one line) each."""
    results: list[tuple[bool, str]] = []

    def run(label: str, sql: str, good: object = "ok") -> None:
        try:
            rows = conn.execute(sql).fetchall()
        except sqlite3.DatabaseError as exc:
            results.append((False, f"{label}: failed ({exc})"))
            return
        if good == "ok":
            passed = [tuple(r) for r in rows] == [("ok",)]
            detail = "ok" if passed else f"{len(rows)} problems, first: {rows[0][0]}"
        else:
            passed = not rows
            detail = "ok" if passed else f"{len(rows)} broken references"
        results.append((passed, f"{label}: {detail}"))

    run("integrity", "PRAGMA integrity_check(100)")
    run("references", "PRAGMA foreign_key_check", good=None)
    fts = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'")]
    for name in fts:
        try:
            conn.execute(f"INSERT INTO {name}({name}) VALUES ('integrity-check')")
            results.append((True, f"search index {name}: ok"))
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc):  # FTS5 checks through an INSERT
                results.append((True, f"search index {name}: not checked (read-only library)"))
                continue
            results.append((False, f"search index {name}: damaged ({exc}); "
                                   "`reader reindex` rebuilds it"))
    return results
