"""What `reader import --preview` says about a dump's template."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from reader.archive.lines import (
    DATE,
    classify,
    has_key,
)
from reader.archive.listing.induce import (
    sniff,
)
from reader.archive.listing.segment import (
    segment,
)
from reader.archive.listing.template import (
    WINDOW,
)
from reader.archive.sites import find_site, load_sites, mark


def _show(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def explain(sample: list[str]) -> list[str]:
    """What `reader import --preview` says about a dump's template: how records
    were found, which lines were titles, dates and separators, what was chrome,
    and a site template file to start from when it is wrong."""
    problems: list[str] = []
    load_sites(problems=problems)
    notes = [f"site template ignored: {p}" for p in problems]
    t = sniff(sample)
    if t is None:
        return [*notes, "no repeating record structure: the text is one article"]
    order = t.order
    lines = classify(sample, 1, order)
    site = find_site(sample, load_sites()) if t.user else None
    if site is not None:
        mark(lines, site)
    records = [r for r in segment(lines, t, final=True) if r.body]
    out = [*notes, *t.describe()]
    if records:
        first = records[0]
        out.append(f"titles: {len(records)} lines, first line {lines[first.title].no} "
                   f"{_show(lines[first.title].text)}")
        dates = [x for x in lines if x.kind == DATE]
        if t.anchor and t.anchor.startswith(("date:", "site:date")):
            sample_line = next((x for x in lines if has_key(x, t.anchor)), None)
            if sample_line is not None:
                out.append(f"dates: lines like {_show(sample_line.text)} "
                           f"(line {sample_line.no})")
        elif dates:
            out.append(f"dates: {len(dates)} date lines, e.g. line {dates[0].no}")
        if t.foot and t.foot != t.anchor:
            sep = next((x for x in lines if has_key(x, t.foot)), None)
            if sep is not None:
                out.append(f"separators: lines like {_show(sep.text)} (line {sep.no})")
        if first.start > 0:
            out.append(f"chrome: lines 1-{first.start} before the first record")
        last = records[-1]
        if last.end + 1 < len(lines) and any(x.text for x in lines[last.end + 1:]):
            out.append(f"chrome: lines {last.end + 2}-{len(lines)} after the last "
                       "record" + (" (first window only)" if len(sample) >= WINDOW else ""))
        for text in sorted(t.boilerplate)[:5]:
            out.append(f"template line (dropped): {_show(text)}")
    from reader.archive.sites import example, sites_dir

    out.append(f"wrong? save a site template as {sites_dir() / 'SITE.toml'}, e.g.:")
    out += ["  " + x for x in example(lines, t.start, t.anchor, t.foot).split("\n")]
    return out


def explain_file(path: Path) -> list[str]:
    """`explain` for a dump on disk (its first window of lines)."""
    from reader.archive.source import read_lines
    from reader.archive.source import sniff as sniff_file

    lines = list(islice(read_lines(path, sniff_file(path)), WINDOW))
    return explain([x.replace("\r", "") for x in lines])
