"""The interface's small JSON files (the layout, the recent queries): read bounded, written
whole.

They are conveniences: a missing, unreadable, oversized or damaged file reads as
nothing, and a failed write is ignored (and leaves the file as it was).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def read(path: Path | None, limit: int) -> dict[str, Any]:
    """The JSON object in `path`, reading at most `limit` characters; {} when there is none,
    it cannot be read, or it is not an object."""
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as file:
            data = json.loads(file.read(limit))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write(path: Path | None, data: dict[str, Any], **dump: Any) -> None:
    """Write `data` to `path` whole or not at all (through a temporary file beside it);
    errors are ignored. `dump`: options for `json.dump`."""
    if path is None:
        return
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(data, file, **dump)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
