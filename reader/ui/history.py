"""Recent queries of the search and find boxes, kept in a small JSON file beside the
library, so that up/down recall them in the next session too.

The file is a convenience: a missing, unreadable, damaged or foreign one reads as
no history, and a failed write is ignored. What it holds is shown in a box, so it
is cleaned as archive text is (control characters shown as symbols, one line).
"""

from __future__ import annotations

from pathlib import Path

from reader.ui import json_file

KEPT = 50
"""Queries kept per box."""
LONGEST = 500
"""Characters kept of one query."""
BOXES = ("search", "find")

History = dict[str, list[str]]
"""Recent queries per box, oldest first."""


def path_for(library: str | Path) -> Path | None:
    """Where the history of the library at `library` lives (None: a library in memory)."""
    if str(library) == ":memory:":
        return None
    path = Path(library)
    return path.with_name(path.stem + ".searches.json")


def load(path: Path | None) -> History:
    """The history in `path`; empty when there is none or it cannot be read."""
    history: History = {box: [] for box in BOXES}
    data = json_file.read(path, 1 << 20)
    from reader.render import visible

    for box in BOXES:
        queries = data.get(box)
        if not isinstance(queries, list):
            continue
        kept: list[str] = []
        for query in queries:
            if not isinstance(query, str):
                continue
            query = visible(query, one_line=True).strip()[:LONGEST]
            if query and query not in kept:
                kept.append(query)
        history[box] = kept[-KEPT:]
    return history


def save(path: Path | None, history: History) -> None:
    """Write `history` to `path` (whole or not at all); errors are ignored."""
    data = {box: list(history.get(box, []))[-KEPT:] for box in BOXES}
    json_file.write(path, data, ensure_ascii=False, indent=1)


def update(path: Path | None, box: str, queries: list[str]) -> None:
    """Keep `queries` as `box`'s recent ones (the other boxes' as the file has them)."""
    history = load(path)
    if history.get(box) != queries:
        history[box] = list(queries)
        save(path, history)
