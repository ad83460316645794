"""One large listing dump split by several processes, each splitting a part of it.

A listing dump is split window by window (`reader.archive.listing`): each window
of lines is segmented with what the one before hands on (the record carried
over). Here the file's windows are cut into as many runs as there are cores (the
importing process splits the first run, `parts`); each process induces the
template from the file's first window as the whole split would, splits the window
before its run afresh to learn the state handed into it, then splits its run
(`listing.Part`). Whoever joins the
parts checks that each part's entry state is the previous part's exit state
(and that both found the same template and page tags): then the parts joined in
order are exactly the whole split's articles. When they are not, the file is
split again by one process (`parts.ChunkedParse`), so results never depend on
how a file was cut.

Only UTF-8 text is cut (a line there begins at the byte after a newline).
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from itertools import islice
from pathlib import Path

from reader.archive import Parsed
from reader.archive.listing import WINDOW, Part

LISTINGS = ("tagpage", "digest")
"""The formats whose files are cut into parts."""
BLOCK = 1 << 20
FIRST_SHARE = 0.65
"""The first part's share of the file against each other part's 1: the importing
process splits the first part itself and writes every part's articles, so it has
the least to split. The others' articles, spooled meanwhile, are written once the
first part's are: balanced, the last part's process ends as the writer catches up."""
FIRST_SHARES = {"digest": 0.75}
"""`FIRST_SHARE` for the formats whose records cost more to split against what
writing them costs (a digest matches each title printed twice). Timelines of 10k
imports: a tag page balanced at 0.6-0.65 (0.75 left the writer 0.11 s behind its
other process), a digest at 0.75 (0.65 left the writer 0.14 s idle, 0.85 0.18 s
behind)."""


def plan(path: Path, skip: int, parts: int, first_share: float = FIRST_SHARE
         ) -> tuple[list[int], dict[int, int]]:
    """The first window of each part (0 first; fewer parts than asked when the file
    has too few windows), and the byte at which each line a part reads from begins
    (line `WINDOW`, and the line of the window before each part's first)."""
    size = path.stat().st_size
    shares = first_share + parts - 1
    targets = [skip + int((size - skip) * (first_share + k - 1) / shares)
               for k in range(1, parts)]
    blocks: list[tuple[int, int]] = []  # (where a block begins, newlines before it)
    counts: list[int] = []  # newlines before each target
    with path.open("rb") as fh:
        fh.seek(skip)
        pos, lines = skip, 0
        while len(counts) < len(targets):
            block = fh.read(BLOCK)
            if not block:
                break
            blocks.append((pos, lines))
            end = pos + len(block)
            while len(counts) < len(targets) and targets[len(counts)] < end:
                counts.append(lines + block.count(b"\n", 0, targets[len(counts)] - pos))
            lines += block.count(b"\n")
            pos = end
        starts = [0]
        for count in counts:
            window = count // WINDOW
            if window > starts[-1]:
                starts.append(window)
        # (A part from window 1 reads on from line `WINDOW`, after the first window.)
        wanted = {WINDOW} | {(w - 1) * WINDOW for w in starts[1:] if w > 1} \
            if len(starts) > 1 else set()
        before = [n for _, n in blocks]
        offsets: dict[int, int] = {}
        for line in wanted:
            # Line `line` (from 0) begins after the file's `line`-th newline.
            at, seen = blocks[bisect_right(before, line - 1) - 1]
            fh.seek(at)
            block = fh.read(BLOCK)
            j = 0
            for _ in range(line - seen):
                j = block.index(b"\n", j) + 1
            offsets[line] = at + j
    return starts, offsets


def open_part(path: Path, fmt: str | None, tags: tuple[str, ...], encoding: str | None,
              part: tuple[int, int]) -> tuple[Parsed, Part] | None:
    """Part `k` of `n` of a listing dump: its articles and what checks it, or None
    when the file is not cut (not a listing dump in UTF-8, too few windows: the
    first process splits it whole) or has no part `k`."""
    from reader.archive import _gzipped, _sample, detect, detect_bytes, own
    from reader.archive.decoding import narrow
    from reader.archive.dumps import saved_as_markdown
    from reader.archive.source import looks_like_markup, read_lines, sniff

    k, n = part
    if fmt not in (None, *LISTINGS) or _gzipped(path):
        return None
    sniffed = sniff(path, encoding)
    if codecs.lookup(sniffed.encoding).name != "utf-8":
        return None
    if fmt is None:
        head = narrow(sniffed.head, head=True) if not encoding else sniffed.head
        if looks_like_markup(head) or own.detect(sniffed.head) or detect_bytes(sniffed.head):
            return None
        fmt = detect(_sample(path, sniffed))
        if fmt not in LISTINGS:
            return None
    starts, offsets = plan(path, sniffed.bom, n, FIRST_SHARES.get(fmt, FIRST_SHARE))
    if len(starts) < 2 or k >= len(starts):
        return None
    start = starts[k]
    stop = starts[k + 1] if k + 1 < len(starts) else None
    first = list(islice(read_lines(path, sniffed), WINDOW))
    name = str(path.resolve())
    cut = Part(first, name, tags, fmt, saved_as_markdown(name), start, stop)
    line = WINDOW if start <= 1 else (start - 1) * WINDOW
    rest = read_lines(path, sniffed, offsets[line], line)
    return Parsed(path, fmt, cut.articles(rest), cut.problems), cut

