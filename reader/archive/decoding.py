"""Bytes to text: byte-order marks, declared encodings, UTF-16/32 by pattern.

The one place reader decides how bytes are decoded. `BOMS` is the only
byte-order-mark table; `decode` reads a page or an export (BOM, then valid
UTF-8 whatever the file declares, then the declaration, then a detector);
`decode_text` reads a text dump held in memory (BOM or UTF-8, binary refused).
"""

from __future__ import annotations

import codecs
import re

from reader.archive.source import ArchiveError

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks and their codecs; UTF-32LE before UTF-16LE, whose mark it starts with."""


def bom(data: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when `data` starts with a byte-order mark."""
    for mark, name in BOMS:
        if data.startswith(mark):
            return name, len(mark)
    return None

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252",
              "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
              "ascii": "cp1252", "x-sjis": "shift_jis", "euc-kr": "cp949"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page or XML file declares in its first 4 KB, if any."""
    head = data[:4096]
    match = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes of a page as text; raises ArchiveError for binary or undecodable data."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"cannot decode as {encoding} ({exc})") from None
    marked = bom(data)
    if marked:
        return data[marked[1]:].decode(marked[0], errors="replace")
    try:
        # Valid UTF-8 is UTF-8 whatever the page says (pages saved by a browser
        # are re-encoded but keep their old `<meta charset>`).
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


_TEXT_CONTROLS = b"\t\n\r\x0c\x1b"


def decode_text(data: bytes) -> str:
    """A text dump held in memory (a zip entry): BOM or UTF-8, binary refused."""
    encoding, start = bom(data) or ("utf-8", 0)
    if not start:
        sample = data[:4096]
        if sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS) > max(
                8, len(sample) // 50):
            raise ArchiveError("binary file, not text")
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArchiveError(f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} "
                           f"on line {line}); re-save it as UTF-8 or pass --encoding") from None
