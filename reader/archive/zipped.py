"""Zip files opened defensively: names that cannot escape, bombs refused.

An entry is read only when its name is a plain relative path (no `..`, no
absolute or drive path, no symlink, not encrypted), its declared size and
compression ratio are sane, and its actual decompressed size, read as a
stream with a cap, stays within what it declared. The whole zip is refused
when it declares too many entries or too much data. Entries are listed in
name order; a name written twice (Omnivore does that) is read once, the
last copy, as `zipfile` does.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from reader.archive.source import ArchiveError

MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 512 << 20
"""The largest file read from a zip (as for a file on disk)."""
MAX_TOTAL_BYTES = 2 << 30
"""The most a zip (nested ones included) may decompress to."""
MAX_RATIO = 100
"""Deflate rarely passes 20:1 on text; bombs reach 1000:1. Checked on what an entry
declares and again on the bytes actually inflated."""
RATIO_FLOOR = 1 << 20
"""Entries smaller than this are not held to the ratio (tiny files compress oddly)."""
MAX_DEPTH = 1
"""A zip inside a zip is read; one level further is refused."""
CHUNK = 1 << 20
RAW_CHUNK = 16 << 10
"""Compressed bytes inflated at a time: at most 16 MB out of them even for a bomb."""


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def safe_name(name: str) -> str | None:
    """`name` as a relative POSIX path inside the zip, or None when it could escape."""
    name = name.replace("\\", "/")
    if not name or name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


@dataclass(frozen=True, slots=True)
class Entry:
    """A file inside a zip that may be read, or the reason it may not."""

    name: str
    """Its path inside the zip (made safe; the raw name when refused)."""
    info: zipfile.ZipInfo | None
    refused: str | None = None


class SafeZip:
    """A zip opened for reading with the limits above; counts what it decompressed."""

    def __init__(self, source: Path | bytes, depth: int = 0,
                 budget: list[int] | None = None) -> None:
        if depth > MAX_DEPTH:
            raise ArchiveError(f"zip nested more than {MAX_DEPTH} deep, not read")
        self.depth = depth
        self.budget = budget if budget is not None else [MAX_TOTAL_BYTES]
        """Bytes still allowed, shared with the zips nested in this one."""
        fh: BinaryIO = (io.BytesIO(source) if isinstance(source, bytes)
                        else open(source, "rb"))  # noqa: SIM115  (closed by close())
        try:
            self.zip = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            fh.close()
            raise ArchiveError(f"not a readable zip file ({exc})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            self.close()
            raise ArchiveError(f"zip with {len(infos)} entries refused (at most {MAX_ENTRIES})")
        declared = sum(i.file_size for i in infos)
        if declared > self.budget[0]:
            self.close()
            raise ArchiveError(f"zip bomb refused: it declares {declared >> 20} MB of content")

    def close(self) -> None:
        self.zip.close()
        fp = self.zip.fp
        if fp is not None:
            fp.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entries(self) -> list[Entry]:
        """Every file entry in name order, once per name; refused ones with their reason."""
        last: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            last[info.filename] = info  # a name written twice: the last copy
        found: list[Entry] = []
        for raw, info in last.items():
            if info.is_dir():
                continue
            name = safe_name(raw)
            mode = info.external_attr >> 16
            if name is None:
                found.append(Entry(raw, None, "entry name escapes the zip (absolute or ..)"))
            elif stat.S_ISLNK(mode):
                found.append(Entry(name, None, "symbolic link in a zip, not followed"))
            elif info.flag_bits & 0x1:
                found.append(Entry(name, None, "encrypted entry, not read"))
            elif info.file_size > MAX_ENTRY_BYTES:
                found.append(Entry(name, None, f"too large ({info.file_size >> 20} MB)"))
            elif (info.file_size > RATIO_FLOOR
                  and info.file_size > MAX_RATIO * max(1, info.compress_size)):
                ratio = info.file_size // max(1, info.compress_size)
                found.append(Entry(name, None, f"zip bomb refused (compression {ratio}:1)"))
            else:
                found.append(Entry(name, info))
        # Refused names are kept for the report; they may hold characters a path cannot.
        return sorted(found, key=lambda e: e.name)

    def read(self, entry: Entry) -> bytes:
        """The entry's bytes, streamed with caps: never more than it declared, and never
        more than `MAX_RATIO` times the compressed bytes actually consumed."""
        if entry.info is None:
            raise ArchiveError(entry.refused or "not readable")
        limit = min(entry.info.file_size, self.budget[0])
        try:
            if entry.info.compress_type == zipfile.ZIP_DEFLATED:
                out = self._inflate(entry.info, limit)
            else:
                out = self._read_stream(entry.info, limit)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError, zlib.error, struct.error) as exc:
            raise ArchiveError(f"damaged zip entry ({exc or type(exc).__name__})") from None
        self.budget[0] -= len(out)
        return bytes(out)

    def _read_stream(self, info: zipfile.ZipInfo, limit: int) -> bytearray:
        compressed = max(1, info.compress_size)
        out = bytearray()
        with self.zip.open(info) as fh:
            while True:
                chunk = fh.read(min(CHUNK, limit + 1 - len(out)))
                if not chunk:
                    return out
                out += chunk
                self._check(len(out), limit, compressed)

    def _inflate(self, info: zipfile.ZipInfo, limit: int) -> bytearray:
        """Inflate a deflated entry from its raw bytes, counting the bytes consumed."""
        fp = self.zip.fp
        assert fp is not None
        fp.seek(info.header_offset)
        header = fp.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fp.seek(info.header_offset + 30 + name_len + extra_len)
        inflater = zlib.decompressobj(-15)
        left = info.compress_size
        consumed = 0
        crc = 0
        out = bytearray()
        while not inflater.eof:
            raw = fp.read(min(RAW_CHUNK, left)) if left > 0 else b""
            if not raw:
                raise EOFError("compressed data cut short")
            left -= len(raw)
            consumed += len(raw)
            piece = inflater.decompress(raw, limit + 1 - len(out))
            while inflater.unconsumed_tail and len(out) + len(piece) <= limit:
                piece += inflater.decompress(inflater.unconsumed_tail,
                                             limit + 1 - len(out) - len(piece))
            out += piece
            crc = zlib.crc32(piece, crc)
            used = consumed - len(inflater.unused_data) - len(inflater.unconsumed_tail)
            self._check(len(out), limit, max(1, used))
        if len(out) != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"bad CRC or size for {info.filename!r}")
        return out

    @staticmethod
    def _check(inflated: int, limit: int, compressed: int) -> None:
        if inflated > limit:
            raise ArchiveError("zip bomb refused: the entry holds more than it declares")
        if inflated > RATIO_FLOOR and inflated > MAX_RATIO * compressed:
            raise ArchiveError(f"zip bomb refused (inflated {inflated // compressed}:1 and "
                               f"counting; at most {MAX_RATIO}:1)")

    def find(self, name: str) -> Entry | None:
        """The readable entry of this exact (safe) name."""
        return self._index().get(name)

    def _index(self) -> dict[str, Entry]:
        index = getattr(self, "_by_name", None)
        if index is None:
            index = {e.name: e for e in self.entries() if e.info is not None}
            self._by_name = index
        return index


GZIP_MAGIC = b"\x1f\x8b"
GZIP_PAGES = (".html.gz", ".htm.gz", ".xhtml.gz", ".shtml.gz")
"""Saved pages compressed on their own (some archivers and crawlers keep pages so)."""


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def gunzip(data: bytes, limit: int = MAX_ENTRY_BYTES) -> bytes:
    """A gzip file's content, streamed with a cap: a bomb is refused, not inflated."""
    import zlib

    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    rest = data
    try:
        while rest:
            out += inflater.decompress(rest, limit + 1 - len(out))
            if len(out) > limit:
                raise ArchiveError(f"gzip bomb refused: more than {limit >> 20} MB inside")
            rest = inflater.unconsumed_tail
            if inflater.eof:
                # Another member may follow (concatenated gzip files).
                rest = inflater.unused_data
                if rest and is_gzip(rest):
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    break
    except zlib.error as exc:
        raise ArchiveError(f"damaged gzip file ({exc})") from None
    if not inflater.eof:
        raise ArchiveError("damaged gzip file (cut short)")
    return bytes(out)
