"""The record template a listing dump is split by, and the records it finds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.archive.lines import (
    Line,
)

FORMAT = "tagpage"
WINDOW = 4000
"""Lines segmented at a time; the template is induced from the first window."""
MIN_RECORDS = 2
MIN_SCORE = 1.5
"""A file is a listing when its best segmentation scores this much: two records,
at most one exception."""
MIN_CONSISTENCY = 0.6
"""Share of an anchor's occurrences that must sit in the same relation to a title."""
HEAD_REACH = 3
"""Non-blank lines an anchor may sit under its title (bylines, a doubled title between)."""
LEAD_PROSE, LEAD_CHARS = 3, 400
"""Running text before the first record, this much of it, is an article, not chrome."""
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|oleh|written\s+by|posted\s+by)\s+"
                     r"(\S+(?:\s+\S+){0,3})$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:\u2013|\u2014|-|\|)\s+(?P<source>[^|–—]{2,60})$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


@dataclass(slots=True)
class Template:
    """What one file's records look like: which shapes anchor them and where."""

    start: str
    """How records are found: `head`, `above`, `double` or `foot`."""
    anchor: str | None
    """The shape key of the anchor (`date:posted`, `meta:cnn.com ·`), None for `double`."""
    foot: str | None = None
    """The shape key of a line closing every record, when there is one."""
    boilerplate: frozenset[str] = frozenset()
    """Lines (compared loosely) printed in most records: template, not text."""
    opener: str | None = None
    """The shape key of a first body line most records share (`End TOC …`): such a
    line under a title-like line opens a record even where no anchor is printed."""
    kicker: bool = False
    """Whether most records print a short line (a source, a section) right above the
    title: the record starts there; the line is neither text nor the source (a source
    is only a title's suffix)."""
    kicker_gap: bool = False
    """Whether the kicker stands a blank line above the title (its names recur)."""
    dek: bool = False
    """Whether most records print their title right above a standfirst (`Title` /
    `A longer line that says more` / date): the line the anchor finds is the
    standfirst, the first line of the body; the title is the line above it."""
    untitled: bool = False
    """Posts without titles, found by their footers: each opens with its text."""
    slot: bool = False
    """Whether most records print a short line (an image's alt text) before their text."""
    order: str | None = None
    """Day/month order of all-numeric dates in this file: `dmy`, `mdy` or None."""
    sources: bool = False
    """Whether title suffixes (` – CNET`) name sources in this file."""
    records: int = 0
    """Records the induction sample holds."""
    score: float = 0.0
    user: str | None = None
    """The name of the per-site template that forced this one, if any."""

    def describe(self) -> list[str]:
        """The template in words, for `reader import --preview`."""
        where = {
            "title": "title lines matching the site's pattern",
            "head": "a line under each title",
            "above": "a line above each title (a date header)",
            "double": "each title printed twice",
            "foot": "a line closing each record",
        }[self.start]
        out = [f"records found by {where}" + (f": {shape_name(self.anchor)}" if self.anchor
                                               else "")]
        if self.foot and self.foot != self.anchor:
            out.append(f"records closed by {shape_name(self.foot)}")
        if self.kicker:
            out.append("a short line " + ("a blank line above" if self.kicker_gap
                                          else "right above") + " each title (kicker), not text")
        if self.dek:
            out.append("a title right above each standfirst (the line over the date), "
                       "which opens the text")
        if self.untitled:
            out.append("posts without titles: each opens with its text")
        if self.order:
            out.append(f"numeric dates read {self.order}")
        if self.sources:
            out.append("title suffixes name the source")
        if self.boilerplate:
            out.append(f"{len(self.boilerplate)} line(s) repeated in most records dropped as "
                       "template")
        if self.user:
            out.append(f"site template {self.user!r}")
        return out


def shape_name(shape: str) -> str:
    """A shape key in words: `date:posted on` → `a date line (posted on …)`."""
    kind, _, detail = shape.partition(":")
    if kind == "site":
        return f"the site template's {detail} pattern"
    if kind == "date":
        return "a date line" + ("" if detail in ("", "*") else f" ({detail} …)")
    if kind == "sep":
        return "a separator line (Read more …)"
    if detail == "age":
        return "a meta line with an age (… 2d, 3 hours ago)"
    if detail and not detail[0].isalnum():
        return "a meta line shaped " + " ".join(["…", *(f"{mark} …" for mark in detail)])
    return f"a {kind} line ({detail} …)"


@dataclass(slots=True)
class Record:
    """One article's lines in a window, before cleaning."""

    start: int
    """Index (in the window) of the record's first line: title or date header."""
    title: int
    copy: int | None = None
    """Index of the second printing of the title, if any."""
    kicker: int | None = None
    """Index of a source line printed right above the title, if the template has one."""
    dek: int | None = None
    """Index of the standfirst under the title, if the template has one (`Template.dek`)."""
    date: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    """The post's own tags: the words of its `tag_lines`."""
    tag_lines: list[int] = field(default_factory=list)
    """Its lines of hashtags (`#rust #beginners`), in order: one over its title after
    the record above, those of its head and footer zones, one in its closing footer's
    block (`segment._tags_over_titles`)."""
    end: int = -1
    """Index of the record's last line (inclusive)."""
    body: list[Line] = field(default_factory=list)
    lost: list[Line] | None = None
    """Lines the body's cleaning left out that are not template: the title of a record
    the split did not see, shaped like meta (`bodies._clean_body`)."""
