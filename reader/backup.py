"""`reader backup FILE`: a consistent copy of the library, written whole or not at all."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from reader.store import Store


class BackupError(Exception):
    """The copy could not be made; the message is one line for the user."""


def backup_library(store: Store, target: Path, *, replace: bool = False) -> int:
    """Copy the library to `target` and return the copy's size in bytes.

    The copy is written beside `target` under a temporary name and renamed when
    complete, so an interrupted backup never leaves a half-written file under
    the name given (nor replaces a good older backup with one).
    """
    target = target.expanduser()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name")
    if target.exists() and not replace:
        raise BackupError(f"{target} exists; choose another name or pass --force")
    if store.path != ":memory:" and target.resolve() == Path(store.path).resolve():
        raise BackupError(f"{target} is the library itself")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        os.close(fd)
        os.unlink(temp)  # VACUUM INTO writes only to a file that does not exist
    except OSError as exc:
        raise BackupError(f"{folder}: cannot write there ({exc.strerror or exc})") from None
    try:
        store.backup(temp)
        os.replace(temp, target)
    except sqlite3.Error as exc:
        raise BackupError(f"the backup failed ({exc}); nothing written to {target}") from None
    except OSError as exc:
        raise BackupError(f"the backup failed ({exc.strerror or exc}); nothing written to "
                          f"{target}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target.stat().st_size
