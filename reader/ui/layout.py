"""The layout the reader chose, kept beside the config file between sessions: the
reading-only layout (`z`) and the width of the list column (`<`, `>`).

Like the search history, the file is a convenience: a missing, unreadable or damaged
one reads as the default layout, and a failed write is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.ui import json_file

MIN_LIST, MAX_LIST = 24, 160
"""The list column's width in cells, when the reader set one."""
STEP = 4
"""Cells per `<` or `>`."""


@dataclass(slots=True)
class Layout:
    """The reader's layout choices."""

    reading_only: bool = False
    """An open article takes the whole screen (the list and tags hidden)."""
    list_width: int | None = None
    """The list column's width in cells; None: the list and the reading view share 2 : 3."""


def path_for(config_path: Path | None) -> Path | None:
    """Where the layout lives: beside the config file (None: not kept)."""
    return None if config_path is None else config_path.with_name("layout.json")


def load(path: Path | None) -> Layout:
    """The layout in `path`; the default when there is none or it cannot be read."""
    layout = Layout()
    data = json_file.read(path, 1 << 16)
    if isinstance(data.get("reading_only"), bool):
        layout.reading_only = data["reading_only"]
    width = data.get("list_width")
    if isinstance(width, int) and not isinstance(width, bool):
        layout.list_width = min(max(width, MIN_LIST), MAX_LIST)
    return layout


def save(path: Path | None, layout: Layout) -> None:
    """Write `layout` to `path` (whole or not at all); errors are ignored."""
    json_file.write(path, {"reading_only": layout.reading_only,
                           "list_width": layout.list_width})
