"""Characters never shown: the one definition of what archive text may not put on a terminal.

Each name below is a fragment of a regular-expression character class (`a-b`
is a range), named for what its characters are; `code_points` expands one.
The three gates build their sets from these, and differ on purpose:

- **The import and the command line** (`reader.clean.sanitize`,
  `reader.clean.strip_controls`) remove `NEVER_SHOWN`: C0 controls but tab and
  newline, DEL, C1 controls, the bidi controls that reorder text, the bidi
  marks and the byte order mark; `LINE_SEPARATORS` become spaces (so line
  numbers stay those of the file's LF-separated lines). `SANITIZED` is all of
  it: what `reader.clean.needs_sanitizing` looks for.
- **The interface** (`reader.render.visible`), the last gate whatever the
  library file holds, draws C0 controls as their Unicode symbols (␛), DEL as
  ␡ and C1 controls as �, and drops `DROPPED`: the bidi controls, and the
  soft hyphen, which marks where a word may break and is never drawn (it stays
  in the stored text: the import keeps it). It leaves the bidi marks and the
  byte order mark to the import: both are zero-width and reorder no letter,
  and every character the view drops shifts the offsets it maps back to the
  body.
- **JSON on the command line** (`reader.terminal.json_dumps`) writes
  `JSON_ESCAPED` as `\\uXXXX`: `SANITIZED` but the C0 controls, which
  `json.dumps` escapes itself.

Tiny on purpose: the interface imports it on its start-up path.
"""

from __future__ import annotations

from collections.abc import Iterator

C0 = "\x00-\x08\x0b-\x1f"
"""C0 controls but tab (U+0009) and newline (U+000A), which text keeps."""
DEL = "\x7f"
C1 = "\x80-\x9f"
"""C1 controls: the 8-bit CSI (U+009B) and OSC (U+009D) introducers among them."""
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""Bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI,
PDI): they reorder what follows them, so a line can show other than what it holds."""
BIDI_MARKS = "\u200e\u200f\u061c"
"""The left-to-right, right-to-left and Arabic letter marks: zero-width, they steer
only the neutral characters around them."""
BOM = "\ufeff"
"""The byte order mark (zero-width no-break space), left at the start of a file or a
joined one."""
LINE_SEPARATORS = "\x85\u2028\u2029"
"""Next line (a C1 control), line separator and paragraph separator."""
SOFT_HYPHEN = "\xad"
"""Where a word may break (`lo\xadqua\xadcious`); never drawn."""

NEVER_SHOWN = C0 + DEL + C1 + BIDI_CONTROLS + BIDI_MARKS + BOM
"""Removed from archive text at import and from what the command line prints."""
SANITIZED = NEVER_SHOWN + LINE_SEPARATORS
"""Every character the import changes (removes, or turns into a space)."""
DROPPED = BIDI_CONTROLS + SOFT_HYPHEN
"""What the interface drops when it draws text."""
SHOWN_AS_SYMBOLS = C0 + DEL + C1
"""What the interface draws as a symbol (␛, ␡, �) rather than let it drive the terminal;
tab is drawn as a space."""
JSON_ESCAPED = DEL + C1 + BIDI_CONTROLS + BIDI_MARKS + BOM + LINE_SEPARATORS
"""What the command line's JSON writes as `\\uXXXX` (`json.dumps` escapes C0 itself)."""


def code_points(fragment: str) -> Iterator[int]:
    """Every code point a fragment names, its `a-b` ranges expanded."""
    i = 0
    while i < len(fragment):
        if i + 2 < len(fragment) and fragment[i + 1] == "-":
            yield from range(ord(fragment[i]), ord(fragment[i + 2]) + 1)
            i += 3
        else:
            yield ord(fragment[i])
            i += 1
