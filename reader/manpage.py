"""The manual page, generated from the commands' own help: `python -m reader.manpage`.

`docs/reader.1` is this module's output, kept in step by a test; regenerate it
with `python -m reader.manpage > docs/reader.1` after changing a command.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator

import click

from reader.cli import main


def _roff(text: str) -> str:
    """Plain text made safe for roff: backslashes and hyphens escaped, and no line
    starting with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.split("\n"))


def _help_text(command: click.Command) -> str:
    """The command's help as written, click's no-rewrap markers out, paragraphs kept."""
    text = inspect.cleandoc(command.help or "")
    return re.sub("^\b\n", "", text, flags=re.M)


def _paragraphs(text: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        if len(lines) > 1 and lines[0].rstrip().endswith(":") and all(
                line.startswith("  ") for line in lines[1:]):
            # An examples block: kept as typed.
            yield f".PP\n{_roff(lines[0])}\n.nf\n.RS 4\n" + _roff(
                "\n".join(line[2:] for line in lines[1:])) + "\n.RE\n.fi"
        else:
            yield ".PP\n" + _roff(" ".join(line.strip() for line in lines))


def _options(ctx: click.Context, command: click.Command) -> Iterator[str]:
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or isinstance(param, click.Argument):
            continue
        names, help_text = record
        yield f".TP\n\\fB{_roff(names)}\\fR\n{_roff(help_text)}"


def _commands(group: click.Group, ctx: click.Context,
              prefix: str) -> Iterator[tuple[str, click.Command, click.Context]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        yield f"{prefix} {name}", command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub, f"{prefix} {name}")


def render() -> str:
    """The whole manual page: the program, then every command with its options."""
    ctx = click.Context(main, info_name="reader", **main.context_settings)
    out = [
        '.TH READER 1 "" "reader" "User Commands"',
        ".SH NAME",
        "reader \\- a terminal reader for archives of saved web articles",
        ".SH SYNOPSIS",
        "\\fBreader\\fR [\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        *_paragraphs(_help_text(main)),
        ".SH OPTIONS",
        *_options(ctx, main),
        ".SH COMMANDS",
    ]
    for path, command, sub in _commands(main, ctx, "reader"):
        usage = " ".join(command.collect_usage_pieces(sub))
        out += [f".SS {_roff(path)}", f"\\fB{_roff(path)}\\fR {_roff(usage)}",
                *_paragraphs(_help_text(command)), *_options(sub, command)]
    out += [
        ".SH ENVIRONMENT",
        ".TP\n\\fBREADER_DB\\fR\nThe library file, when \\fB\\-\\-db\\fR is not given.",
        ".TP\n\\fBREADER_CONFIG\\fR\nThe settings file (default: config.toml in the user "
        "config directory; \\fBreader paths\\fR shows it).",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
