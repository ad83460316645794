"""Opening a library file safely, and checking one (`reader check`).

Before SQLite is given a path it is looked at: a FIFO, a folder or a file that
is not SQLite is refused with a reason; another application's SQLite file is
refused before anything in it changes (switching it to WAL would rewrite its
header); a library on a read-only directory or mount is opened read-only; a
write-ahead log whose frames are damaged is reported (SQLite would drop them
silently). Nothing here writes (`wal_report` asks SQLite for the passive
checkpoint it would make on its own anyway).
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import sqlite3
import stat
import struct
import sys
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


class Opening:
    """How to open a library file (a plain class: this module is on the start-up path)."""

    __slots__ = ("create", "read_only", "target", "uri", "warnings")

    def __init__(self, target: str, *, create: bool = False) -> None:
        self.target = target
        """What to give `sqlite3.connect` (a URI when `uri`)."""
        self.uri = False
        self.read_only = False
        self.create = create
        self.warnings: list[str] = []


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
    if not info.st_size and not create:
        raise Missing(f"no library at {path} (an empty file)")
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
    words = array.array("I", data)
    if big_endian != (sys.byteorder == "big"):
        words.byteswap()
    pairs = iter(words)
    for a, b in zip(pairs, pairs, strict=True):
        s0 = (s0 + a + s1) & 0xFFFFFFFF
        s1 = (s1 + b + s0) & 0xFFFFFFFF
    return s0, s1


def wal_damage(path: Path, valid_frames: int) -> str | None:
    """A one-line report when the library's -wal file held committed changes that SQLite
    could not replay (it stops at the first frame whose checksum fails, silently).

    `valid_frames`: the frames SQLite accepted (`PRAGMA wal_checkpoint`). Only the
    frames after them are read: each is checked against the checksum its predecessor
    stores. A bad frame followed by a commit of the log's current generation means
    committed changes were lost; a bad or unfinished tail without one is a write
    that was cut short (never acknowledged) and is not reported.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        with wal.open("rb") as fh:
            header = fh.read(32)
            if len(header) < 32:
                return None
            magic, _, page_size, _, salt1, salt2, c1, c2 = struct.unpack(">8I", header)
            if magic not in _WAL_MAGIC or not 512 <= page_size <= 65536:
                return None
            big = magic & 1 == 1
            size = 24 + page_size
            frames = (wal.stat().st_size - 32) // size
            previous = (c1, c2)
            if valid_frames:
                fh.seek(32 + (valid_frames - 1) * size)
                previous = struct.unpack(">6I", fh.read(24))[4:]
            bad_at = None
            for k in range(valid_frames + 1, frames + 1):
                fh.seek(32 + (k - 1) * size)
                frame = fh.read(size) if bad_at is None else fh.read(24)
                _, commit, fs1, fs2, fc1, fc2 = struct.unpack(">6I", frame[:24])
                if (fs1, fs2) != (salt1, salt2):
                    return None  # the end of the log's current generation
                if bad_at is not None:
                    if commit:
                        return (f"{path}: its write-ahead log is damaged: {k - bad_at + 1} "
                                "recent pages of committed changes could not be replayed and "
                                "are lost; what came before is intact")
                    continue
                check = _checksum(frame[:8], big, *previous)
                check = _checksum(frame[24:], big, *check)
                if check != (fc1, fc2):
                    bad_at = k
                else:
                    previous = (fc1, fc2)
    except (OSError, struct.error, ValueError):
        return None
    return None


def wal_report(conn: sqlite3.Connection, path: Path) -> str | None:
    """`wal_damage` for an open read-write connection, when the library has a log."""
    try:
        if Path(f"{path}-wal").stat().st_size <= 32:
            return None
        row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except (OSError, sqlite3.Error):
        return None
    if row is None or row[1] < 0:
        return None
    return wal_damage(path, int(row[1]))


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


# --- the last sound check ---------------------------------------------------


def fingerprint(path: Path) -> list[int] | None:
    """What any write to the library changes: device, inode, size, modification and
    status-change times of the file and of its write-ahead log (zeros when it has none,
    or an empty one: opening a library creates an empty log, which holds nothing).
    The status-change time cannot be set back by a program, so a file written and its
    modification time restored still differs. None when the file cannot be looked at."""
    marks: list[int] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            info = part.stat()
        except FileNotFoundError:
            marks += [0, 0, 0, 0, 0]
            continue
        except OSError:
            return None
        if part is not path and not info.st_size:
            marks += [0, 0, 0, 0, 0]
            continue
        marks += [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
    return marks


def stamp_path(path: Path) -> Path:
    """The small file beside the library that remembers its last sound check (its
    `fingerprint` then; written and read by the interface's start-up check)."""
    return path.with_name(path.stem + ".checked.json")


def remembered(path: Path) -> bool:
    """Whether the library is, as far as the file system can tell, the file last
    remembered sound (`remember`): nothing has written it since."""
    now = fingerprint(path)
    if now is None:
        return False
    try:
        with stamp_path(path).open(encoding="utf-8") as file:
            kept = json.loads(file.read(4096))
    except (OSError, ValueError):
        return False
    return isinstance(kept, dict) and kept.get("fingerprint") == now


def remember(path: Path) -> None:
    """Remember the library as it is now as sound, so that the interface's next start
    does not read it whole (`fingerprint`; written whole or not at all, a failure
    ignored: the check then runs). Only for a library known sound when its last
    writer began (checked, or itself remembered) and closed by it with every
    transaction committed: the interface as it quits, an import that finished, the
    import's index follower after its last write."""
    now = fingerprint(path)
    if now is None:
        return
    stamp = stamp_path(path)
    temporary = stamp.with_name(stamp.name + ".tmp")
    try:
        temporary.write_text(json.dumps({"fingerprint": now}), encoding="utf-8")
        os.replace(temporary, stamp)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


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
