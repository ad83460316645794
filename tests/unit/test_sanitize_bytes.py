"""`utf8_clean`: a text wider than Latin-1 tested for what `sanitize` changes in its
UTF-8 bytes, and `read_lines` using it (the same lines as before, sanitised alike)."""

from __future__ import annotations

import random
from pathlib import Path

from reader import controls
from reader.archive.source import CHUNK, read_lines, sniff
from reader.clean import _UNSAFE, needs_sanitizing, sanitize, utf8_clean

_SANITIZED = [chr(c) for c in controls.code_points(controls.SANITIZED)]
_CLEAN = ["a", " ", "\n", "\t", "é", "\u00a0", "–", "—", "‘", "’", "“", "”", "…", "·", "«",
          "\u00ad", "，", "。", "中", "Ж", "\U0001f600", "€", "™", "\u200b", "\u2060",
          "\ufeff"[:0] or "\ufffd", "\u202f", "\u2065", "\u206a", "\u061b", "\u061d", "\xa0"]
"""Characters `sanitize` leaves (among them neighbours of those it changes, which share
their lead bytes: U+200B, U+2060, U+2065, U+206A, U+061B, U+061D, U+202F)."""


def test_every_sanitized_character_is_found_among_wide_text() -> None:
    for ch in _SANITIZED:
        text = "Ein Satz – mit Strich " * 300 + ch + " und Ende “so”." * 300
        data = text.encode("utf-8")
        assert utf8_clean(data) is False, repr(ch)
        assert needs_sanitizing(text, data), repr(ch)


def test_clean_wide_text_is_clean_and_agrees_with_the_scan() -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(_CLEAN) for _ in range(rng.randint(0, 400)))
        data = text.encode("utf-8")
        assert utf8_clean(data) == (_UNSAFE.search(text) is None), repr(text)
    for _ in range(300):
        pool = _CLEAN + _SANITIZED[rng.randrange(len(_SANITIZED)):][:1]
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 200)))
        assert utf8_clean(text.encode("utf-8")) == (_UNSAFE.search(text) is None), repr(text)


def test_many_dashes_leave_the_answer_to_the_scan() -> None:
    text = "a – b " * 5000
    assert utf8_clean(text.encode("utf-8")) is None  # too many leads to look at one by one
    assert not needs_sanitizing(text, text.encode("utf-8"))
    assert needs_sanitizing(text + "\u202e", (text + "\u202e").encode("utf-8"))


def test_read_lines_sanitizes_what_a_chunk_edge_cuts(tmp_path: Path) -> None:
    # A bidi override, a line separator and a C1 control cut by the edge of the first
    # chunk (each at every offset), among dashes that make the text wider than Latin-1.
    for bad in ("\u202e", "\u2028", "\x85", "\ufeff", "\u061c"):
        encoded = bad.encode("utf-8")
        for shift in range(len(encoded) + 1):
            lead = ("– word –\n" * (CHUNK // 20)).encode("utf-8")
            pad = CHUNK - len(lead) - len(encoded) + shift
            raw = lead + b"x" * pad + encoded + ("y –\n" + "more – text\n" * 900).encode("utf-8")
            path = tmp_path / "dump.txt"
            path.write_bytes(raw)
            lines = list(read_lines(path, sniff(path)))
            want = [sanitize(x) for x in raw.decode("utf-8").split("\n")[:-1]]
            assert lines == want, (bad, shift)
            assert all(not needs_sanitizing(x) for x in lines)
