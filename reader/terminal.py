"""Terminal-safe output: every string the command line prints goes through here.

Archive text is sanitised at import, but file names, zip entry names, URLs,
error messages and libraries written by older versions are not archive text:
this module is the last gate before the terminal (SPEC §6). `line` makes one
printable line (escape sequences, control characters and bidi controls gone,
line breaks as spaces); `text` keeps newlines and tabs; `json_dumps` escapes
C0, DEL, C1, bidi controls and line separators, which `json.dumps` leaves raw
with `ensure_ascii=False`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import PurePath
from typing import Any

import click

from reader import controls

_BREAKS = re.compile(f"[\n\r\t\v\f{controls.LINE_SEPARATORS}]")
_JSON_UNSAFE = re.compile(f"[{controls.JSON_ESCAPED}]")


def line(value: object) -> str:
    """`value` as one line that is safe to print: nothing in it drives the terminal."""
    from reader.clean import strip_controls  # loaded on first use: not on the start-up path

    text = str(value) if not isinstance(value, PurePath) else value.as_posix()
    return strip_controls(_BREAKS.sub(" ", text))


def text(value: str) -> str:
    """Multi-line text made safe to print; newlines and tabs stay."""
    from reader.clean import strip_controls

    return strip_controls(value)


def json_dumps(value: Any, **kwargs: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)` with every character that could drive a
    terminal or reorder what it shows written as a `\\uXXXX` escape."""
    out = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def echo(message: object = "", *, err: bool = False) -> None:
    """`click.echo` of one or more lines, each made safe."""
    click.echo("\n".join(line(part) for part in str(message).split("\n")), err=err)


def write(value: str) -> None:
    """Write multi-line text (an export) to standard output, made safe."""
    sys.stdout.write(text(value))


class Error(click.ClickException):
    """A command's one-line failure, made safe to print."""

    def __init__(self, message: object) -> None:
        super().__init__(line(message))
