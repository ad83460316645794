"""Characters never shown: one definition, and the three gates built from it agree with it.

Every character of the Basic Multilingual Plane (and the start of the next) is put
through the import's sanitiser, the command line's gates and the interface's
`visible`; what each does is compared with the named classes of `reader.controls`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader import controls, terminal
from reader.clean import _LONG, needs_sanitizing, sanitize, strip_controls
from reader.render import visible

ROOT = Path(__file__).resolve().parents[2]
CHARS = [chr(cp) for cp in range(0x20000) if not 0xD800 <= cp < 0xE000]


def chars(fragment: str) -> set[str]:
    return {chr(cp) for cp in controls.code_points(fragment)}


def test_code_points_expands_ranges_and_single_characters() -> None:
    assert chars(controls.C1) == {chr(cp) for cp in range(0x80, 0xA0)}
    assert chars(controls.C0) == {chr(cp) for cp in range(0x20)} - {"\t", "\n"}
    assert chars(controls.BIDI_MARKS) == {"\u200e", "\u200f", "\u061c"}
    assert len(chars(controls.BIDI_CONTROLS)) == 9


def test_the_import_removes_exactly_what_is_never_shown() -> None:
    never, separators = chars(controls.NEVER_SHOWN), chars(controls.LINE_SEPARATORS)
    for ch in CHARS:
        text = f"a{ch}1"  # not `b`: after the 8-bit CSI it would end the sequence
        if ch in separators:  # next line (U+0085) too, though a C1 control
            expected = "a 1"
        elif ch in never:
            expected = "a1"
        else:
            expected = text
        assert sanitize(text) == expected, hex(ord(ch))
        assert strip_controls(text) == expected, hex(ord(ch))
        # needs_sanitizing finds exactly what sanitize changes.
        assert needs_sanitizing(text) == (expected != text), hex(ord(ch))


def test_a_long_text_is_checked_as_a_short_one() -> None:
    # From `_LONG` characters on, a printable text is waved through by one fast scan.
    changed = chars(controls.SANITIZED)
    lines = "line one\n\tindented\n" * (_LONG // 19 + 1)
    assert len(lines) >= _LONG and not needs_sanitizing(lines)
    for ch in sorted(changed | set(CHARS[:0x3000]) | {"\xa0", "\xad", "\u200b", "\u3000"}):
        assert needs_sanitizing(f"{lines}a{ch}1\n") == (ch in changed), hex(ord(ch))


def test_the_interface_shows_controls_as_symbols_and_drops_the_rest() -> None:
    symbols, dropped = chars(controls.SHOWN_AS_SYMBOLS), chars(controls.DROPPED)
    for ch in CHARS:
        shown = visible(f"a{ch}b")
        if ch in dropped:
            assert shown == "ab", hex(ord(ch))
        elif ch in symbols:
            assert len(shown) == 3 and shown[1] not in symbols, hex(ord(ch))
        elif ch == "\t":
            assert shown == "a b"
        else:
            assert shown == f"a{ch}b", hex(ord(ch))


def test_the_interface_leaves_bidi_marks_and_the_bom_to_the_import() -> None:
    # A deliberate difference (reader.controls): zero-width, they reorder no letter,
    # and dropping them would shift the view's offsets into the body.
    for ch in controls.BIDI_MARKS + controls.BOM:
        assert visible(f"a{ch}b") == f"a{ch}b"
        assert sanitize(f"a{ch}b") == "ab"


def test_a_soft_hyphen_is_kept_at_import_and_never_drawn() -> None:
    assert sanitize("lo\xadqua\xadcious") == "lo\xadqua\xadcious"
    assert visible("lo\xadqua\xadcious") == "loquacious"


def test_json_on_the_command_line_escapes_what_the_import_would_change() -> None:
    sanitized = chars(controls.SANITIZED)
    text = "".join(CHARS[:0x3000])
    out = terminal.json_dumps({"t": text})
    assert json.loads(out) == {"t": text}
    assert not sanitized & set(out)


def test_no_other_module_spells_out_a_class_of_unshown_characters() -> None:
    # The bidi controls are the mark of such a class; `reader.controls` is their one home.
    spelled = re.compile(r"\\u202a|\\u2066|\u202a|\u2066", re.IGNORECASE)
    found = [path.relative_to(ROOT).as_posix() for path in (ROOT / "reader").rglob("*.py")
             if path.name != "controls.py" and spelled.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_importer_refuses_urls_holding_what_the_import_removes_and_spaces() -> None:
    from reader.importer.parsing import _BAD_URL

    refused = {ch for ch in CHARS[:0x3000] if _BAD_URL.match(ch)}
    assert refused == (chars(controls.SANITIZED) | set("\t\n \u200b\u200c\u200d")) & set(
        CHARS[:0x3000])


@pytest.mark.parametrize("name", ["NEVER_SHOWN", "SANITIZED", "DROPPED", "SHOWN_AS_SYMBOLS",
                                  "JSON_ESCAPED"])
def test_every_set_compiles_as_a_character_class(name: str) -> None:
    fragment = getattr(controls, name)
    pattern = re.compile(f"[{fragment}]")
    assert {ch for ch in CHARS[:0x3000] if pattern.match(ch)} == chars(fragment) & set(CHARS[:0x3000])
