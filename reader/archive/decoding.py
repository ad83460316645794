"""Bytes to text: byte-order marks, declared encodings, UTF-16/32 by pattern.

The one place reader decides how bytes are decoded. `BOMS` is the only
byte-order-mark table; `decode` reads a page or an export (BOM, then valid
UTF-8 whatever the file declares, then the declaration, then a detector);
`decode_text` reads a text dump held in memory (BOM or UTF-8, binary refused).
"""

from __future__ import annotations

import codecs
import re

from reader.archive.source import ArchiveError, binary_after_bom

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
# Labels pages use for encodings whose Python codec is a superset (WHATWG).
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
    if start and encoding != "utf-8" and binary_after_bom(data[start:], encoding):
        raise ArchiveError("binary file, not text (a byte order mark, then bytes "
                           "that are not text)")
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


# The first four bytes of `<?xm` / `<` in each wide encoding (XML 1.0, appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) of UTF-16 or UTF-32 text, by its mark or its first bytes.

    Without a mark, markup is told by the XML declaration's pattern (`<` as
    four bytes, or `<?` as two pairs) and other text by NULs in every other
    (or three of four) bytes of its ASCII.
    """
    marked = bom(data)
    if marked:
        return marked if marked[0] != "utf-8" else None
    for pattern, name in _WIDE_STARTS:
        if data.startswith(pattern):
            return name, 0
    sample = data[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    lanes = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
    if lanes[1] > 0.9 and lanes[2] > 0.9 and lanes[3] > 0.9 and lanes[0] < 0.1:
        return "utf-32-le", 0
    if lanes[0] > 0.9 and lanes[1] > 0.9 and lanes[2] > 0.9 and lanes[3] < 0.1:
        return "utf-32-be", 0
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) * 0.4 and even < len(sample) * 0.05:
        return "utf-16-le", 0
    if even > len(sample) * 0.4 and odd < len(sample) * 0.05:
        return "utf-16-be", 0
    return None


def narrow(data: bytes, *, head: bool = False) -> bytes:
    """UTF-16/32 bytes re-encoded as UTF-8, their XML declaration saying so.

    Parsers of XML and HTML (feedparser, lxml, the detectors) then see one
    encoding. Other bytes are returned as they are. `head`: `data` is only the
    first bytes of a file (a character cut in two at the end is dropped).
    """
    wide = wide_encoding(data)
    if wide is None:
        return data
    name, skip = wide
    if skip and binary_after_bom(data[skip:], name):
        if head:  # detecting: the reading of the whole file says why it is refused
            return data
        raise ArchiveError("binary file, not text (a byte order mark, then bytes "
                           "that are not text)")
    try:
        if head:
            text = codecs.getincrementaldecoder(name)("replace").decode(data[skip:])
        else:
            text = data[skip:].decode(name)
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"not valid {name.upper()} (byte {exc.start + skip}); re-save it "
                           "as UTF-8 or pass --encoding") from None
    text = _DECLARED.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8")
