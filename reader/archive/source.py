"""Reading archive files as text: encoding sniffing, streaming, bad-input checks.

Files of any size are read in chunks through an incremental decoder, so a
200 MB dump costs the memory of one chunk and one article, not of the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.clean import may_be_mojibake, needs_sanitizing, sanitize

CHUNK = 1 << 20
SNIFF = 64 * 1024
MAX_LINE_CHARS = 10_000_000
"""A line longer than this (10 MB of text) is not an archive's: the file is refused
before it fills memory (README, Limits)."""


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
"""Inside folders and zips, text is imported only from files named like text."""


class ArchiveError(Exception):
    """A file cannot be imported; the message is one line for the user."""


class NotAnArchive(ArchiveError):
    """The file is readable but of a kind reader does not import (JSON of another app…).

    Inside a folder or a zip such a file is skipped with this reason, not failed.
    """


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the first bytes of a file say about it."""

    encoding: str
    bom: int
    head: bytes


_TEXT_CONTROLS = set(b"\t\n\r\x0c\x1b")


def sniff(path: Path, encoding: str | None = None) -> Sniffed:
    """Decide how to decode a file, or raise ArchiveError saying why it can't be read."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF)
    except FileNotFoundError:
        raise ArchiveError("no such file") from None
    except IsADirectoryError:
        raise ArchiveError("is a directory") from None
    except OSError as exc:
        raise ArchiveError(f"cannot read: {exc.strerror or exc}") from None
    if not head:
        raise ArchiveError("empty file")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ArchiveError(f"unknown encoding {encoding!r}") from None
        return Sniffed(encoding, 0, head)
    from reader.archive.decoding import bom, wide_encoding  # it imports ArchiveError

    marked = bom(head) or wide_encoding(head)  # UTF-16/32 without a mark too
    if marked:
        name, skip = marked
        if skip and name != "utf-8" and binary_after_bom(head[skip:], name):
            raise ArchiveError(f"binary file, not text (a {name.upper()} mark, then "
                               "bytes that are not text)")
        return Sniffed(name, skip, head)
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if controls > max(8, len(sample) // 50):
        raise ArchiveError("binary file, not text")
    return Sniffed("utf-8", 0, head)


def binary_after_bom(data: bytes, encoding: str) -> bool:
    """Whether what follows a UTF-16/32 byte order mark is junk: random bytes decode to
    unpaired surrogates, private-use and unassigned characters, which text never has."""
    import unicodedata

    unit = 4 if "32" in encoding else 2
    sample = data[: 8192 - 8192 % unit]
    text = sample.decode(encoding, errors="replace")
    if not text:
        return False
    odd = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\x0c")
              or unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return odd > max(4, len(text) // 20)


def refuse_long_lines(lines: list[str]) -> None:
    """Raise ArchiveError when a line of a text held in memory is over `MAX_LINE_CHARS`."""
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise ArchiveError(
                f"line {n} is longer than {MAX_LINE_CHARS // 1_000_000} MB of text: not an "
                "archive reader imports (see Limits in the README)")


def read_lines(path: Path, sniffed: Sniffed, start: int = 0, first: int = 0) -> Iterator[str]:
    """The file's lines, decoded and sanitised, split on LF only, without endings.

    Line numbers (1-based positions in this stream) are those of the file. A
    decoding error raises ArchiveError naming the line. `start`: the byte at which
    line `first + 1` begins, to read from there (UTF-8 only: another encoding's
    decoder may not begin afresh at a line).
    """
    decoder = codecs.getincrementaldecoder(sniffed.encoding)(errors="strict")
    utf8 = codecs.lookup(sniffed.encoding).name == "utf-8"
    lineno = first
    pending = ""
    tail = b""  # the end of the bytes read before (a character may begin there)
    with path.open("rb") as fh:
        if start:
            fh.seek(start)
        elif sniffed.bom:
            fh.read(sniffed.bom)
        while True:
            chunk = fh.read(CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                bad_line = lineno + pending.count("\n") + chunk[: exc.start].count(b"\n") + 1
                raise ArchiveError(
                    f"not valid {sniffed.encoding.upper()} (byte 0x{chunk[exc.start]:02x} on "
                    f"line {bad_line}); re-save it as UTF-8 or pass --encoding"
                ) from None
            if text:
                before = pending
                pending += text
                cut = pending.rfind("\n")
                if cut >= 0:
                    # Sanitise whole lines at once: an escape sequence is never cut in two.
                    # (What was pending and what was read are tested apart: the latter,
                    # when wider than Latin-1, in the bytes it was read from.)
                    done, pending = pending[:cut], pending[cut + 1:]
                    if needs_sanitizing(before) \
                            or needs_sanitizing(text, tail + chunk if utf8 else None) \
                            or may_be_mojibake(done):
                        done = sanitize(done)
                    lines = done.split("\n")
                    lineno += len(lines)
                    yield from lines
                if len(pending) > MAX_LINE_CHARS:
                    raise ArchiveError(
                        f"line {lineno + 1} is longer than {MAX_LINE_CHARS // 1_000_000} MB of "
                        "text: not an archive reader imports (see Limits in the README)")
            if final:
                break
            tail = chunk[-3:] if len(chunk) >= 3 else (tail + chunk)[-3:]  # (a short read)
    if pending:
        yield sanitize(pending)


_XMLISH = re.compile(rb"^\s*(?:<\?xml|<!doctype|<html|<rss|<feed|<\?xml-stylesheet|<!--)",
                     re.IGNORECASE)


def looks_like_markup(head: bytes) -> bool:
    """Whether the file starts like HTML or XML rather than text."""
    return _XMLISH.match(head.lstrip(codecs.BOM_UTF8)) is not None
