"""Refusing hostile XML, and removing what XML forbids, before any parser sees it.

Entity declarations (billion laughs, quadratic blowup, external entities)
and external DTD subsets are refused outright: no feed or export needs
them, and refusing on sight costs one scan of the prolog.

Characters XML 1.0 forbids (control characters, even in CDATA) are removed,
with the escape sequences they begin, from every feed, export and page before
it is parsed (`xml_bytes`, `strip_forbidden`): one of them would make the whole
file ill-formed, and the recovering parsers lose text around it. A file
holding none costs one scan at C speed.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re

from reader.archive.source import ArchiveError

_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_EXTERNAL = re.compile(rb"<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)


def refuse_entities(data: bytes) -> None:
    """Raise ArchiveError when XML declares entities or points at an external DTD."""
    match = _DOCTYPE.search(data, 0, 1 << 16)
    if match is None:
        return
    prolog = data[match.start(): match.start() + (1 << 20)]
    if _ENTITY.search(prolog):
        raise ArchiveError("XML declares entities (possible XML bomb or external entity); "
                           "refused")
    # RSS 0.91 feeds name Netscape's or UserLand's DTD; it is never fetched.
    # XHTML pages name the W3C's; neither is ever fetched.
    if _EXTERNAL.match(prolog) and not prolog[:14].lower().startswith(
            (b"<!doctype rss", b"<!doctype html")):
        raise ArchiveError("XML refers to an external DTD; refused")


# --- characters XML forbids ---------------------------------------------------------------
#
# XML 1.0 forbids the C0 controls but tab, newline and carriage return, U+FFFE and U+FFFF,
# raw or as character references, even in CDATA: one of them makes a whole export not
# well-formed, and a parser that recovers from it loses the text around it. They are
# removed before any parser sees the file. A terminal escape sequence (which begins with
# one of them, ESC) goes whole, as `reader.clean.sanitize` removes it from text: once its
# ESC is gone the sanitising after the parse could no longer tell its tail (`[31m`) from
# words. These patterns take no `<`, `>`, `&` or quote but those of the references they
# match, so no markup goes with them.

_ESC = r"(?:\x1b|&\#(?:[xX]0*1[bB]|0*27);)"
_BEL = r"(?:\x07|&\#(?:[xX]0*7|0*7);)"
_PAYLOAD = r"[^\x00-\x1f\x7f-\x9f<>&\"']{0,2048}"
_AFTER_ESC = rf"""(?:
    \[[0-;=?]{{0,32}}[ !#-%(-/]{{0,8}}[@-~]          # CSI … final byte
    | \]{_PAYLOAD}(?:{_BEL}|{_ESC}\\|\x9c)            # OSC … BEL/ST
    | [PX^_]{_PAYLOAD}(?:{_ESC}\\|\x9c)               # DCS/SOS/PM/APC … ST
    | \]\d{{0,4}};?                                   # OSC cut short: introducer only
    | [@-Z\\-_]                                       # other two-byte escapes
    )"""
# Each branch begins with one character, which the engine looks for at C speed.
_SEQUENCE = re.compile(
    rf"""\x1b{_AFTER_ESC}
    | &\#(?:[xX]0*1[bB]|0*27);{_AFTER_ESC}
    | \x9d\d{{1,4}};{_PAYLOAD}{_BEL}                   # 8-bit OSC ended by BEL
    """,
    re.VERBOSE,
)
_REFERENCE = (r"&\#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])"
              r"|0*(?:[0-8]|1[124-9]|2\d|3[01]|6553[45]));")
"""A character reference to a character XML 1.0 forbids."""
_FORBIDDEN_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORBIDDEN_REFERENCE = re.compile(_REFERENCE)
_ESC_REFERENCE = re.compile(r"&\#(?:[xX]0*1[bB]|0*27);")
_FORBIDDEN_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_ALLOWED_BYTES = bytes(b for b in range(256) if b not in _FORBIDDEN_BYTES)
_REFERENCE_BYTES = re.compile(_REFERENCE.encode("ascii"))
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def strip_forbidden(text: str) -> str:
    """Markup text without the characters XML 1.0 forbids (C0 controls but tab, newline
    and carriage return; U+FFFE, U+FFFF), raw or as references, nor the terminal escape
    sequences they begin. Every other character stays where it was.

    Each pattern runs over the text only when a scan found what it removes (references
    begin with `&#`, which the regular-expression engine finds at C speed)."""
    references = "&#" in text and _FORBIDDEN_REFERENCE.search(text) is not None
    if not references and _FORBIDDEN_CHARACTER.search(text) is None:
        return text
    if "\x1b" in text or "\x9d" in text or (references and _ESC_REFERENCE.search(text)):
        text = _SEQUENCE.sub("", text)
    if references:
        text = _FORBIDDEN_REFERENCE.sub("", text)
    return _FORBIDDEN_CHARACTER.sub("", text)


def _encoding(data: bytes) -> tuple[str, int]:
    """(codec, length of its byte order mark) an XML parser reads `data` with: its mark,
    else its declaration, else UTF-8."""
    from reader.archive.decoding import bom

    marked = bom(data)
    if marked:
        return marked
    declared = _DECLARED.match(data[:1024])
    if declared:
        with contextlib.suppress(LookupError):
            return codecs.lookup(declared.group(1).decode("ascii")).name, 0
    return "utf-8", 0


def has_forbidden(data: bytes) -> bool:
    """Whether UTF-8 (or single-byte) `data` may hold a character XML forbids: one scan at
    C speed of its bytes and its references."""
    return (len(data.translate(None, _ALLOWED_BYTES)) > 0
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data
            or (b"&#" in data and _REFERENCE_BYTES.search(data) is not None))


_C0 = bytes(range(0x20))


@functools.lru_cache(maxsize=16)
def _scanned(codec: str) -> bool:
    """Whether `has_forbidden` answers for a codec: its C0 bytes are always C0 characters
    (not in UTF-16 or ISO-2022, whose characters use such bytes) and it writes U+FFFE and
    U+FFFF, if at all, as UTF-8 does (not GB18030)."""
    try:
        return codec == "utf-8" or (_C0.decode(codec) == _C0.decode("ascii")
                                    and not "\ufffe\uffff".encode(codec, errors="ignore"))
    except (UnicodeError, LookupError):
        return False


def xml_bytes(data: bytes) -> bytes:
    """An XML file's bytes without the characters XML 1.0 forbids (`strip_forbidden`),
    in its own encoding.

    The file is decoded as its parser would read it (mark, declaration, else UTF-8),
    cleaned character by character and encoded back with the same codec: a multibyte
    character is never cut, and bytes that are not valid in the encoding come back as
    they were. A file holding none of those characters is returned as it is (for UTF-8
    and single-byte encodings, told by one scan of its bytes).
    """
    codec, skip = _encoding(data)
    if _scanned(codec) and not has_forbidden(data):
        return data
    try:
        text = data[skip:].decode(codec, errors="surrogateescape")
        cleaned = strip_forbidden(text)
        if cleaned == text:
            return data
        return data[:skip] + cleaned.encode(codec, errors="surrogateescape")
    except (UnicodeError, LookupError):  # not text in its codec: the parser says why
        return data


def without_forbidden_start(head: bytes) -> bytes:
    """The first bytes of a file that opens with markup (past a few control characters)
    without the C0 controls XML forbids and the escape sequences they begin: what it is
    is told from its root element, which a stray control character before it or in its
    prolog would hide. Any other head is returned as it is.

    Only for telling the format: each byte is read as one character (Latin-1), so a
    multibyte character may lose a byte."""
    opening = head[:64].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n" + _FORBIDDEN_BYTES)
    if not opening.startswith(b"<") or len(head.translate(None, _ALLOWED_BYTES)) == 0:
        return head
    return strip_forbidden(head.decode("latin-1")).encode("latin-1")
