"""The command line: a thin click layer over the library. The interface loads lazily.

`main` is the command group, here; each family of commands is a module of its own:
`importing`, `exporting` (articles, highlights and notes), `searching`, `reading`
(the interface, tags, stats) and `maintenance` (delete, backup, check, paths).
`base` holds what they share: where the library is and how it is opened. A command's
module is loaded when the command runs or is listed (`COMMANDS`): `reader import`
starts without the others.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from reader import terminal as term
from reader.cli.base import (
    CONTEXT,
    DB_HELP,
    DISTRIBUTION,
    HEADLESS_CHECK,
    db_option,
    db_path,
    default_db,
    demo_db,
    demo_dir,
    make_safe,
)

__all__ = ["COMMANDS", "CONTEXT", "DB_HELP", "DISTRIBUTION", "HEADLESS_CHECK", "db_option",
           "default_db", "demo_db", "demo_dir", "main", "run", "version_text"]

COMMANDS = {
    "import": ("importing", "import_command"),
    "export": ("exporting", "export"),
    "search": ("searching", "search_command"),
    "related": ("searching", "related_command"),
    "reindex": ("searching", "reindex_command"),
    "delete": ("maintenance", "delete_command"),
    "tags": ("reading", "tags"),
    "stats": ("reading", "stats"),
    "paths": ("maintenance", "paths"),
    "backup": ("maintenance", "backup"),
    "demo": ("reading", "demo"),
    "check": ("maintenance", "check"),
}
"""Each command: the module of `reader.cli` it is in, and its name there."""


class _Commands(click.Group):
    """The command group: commands loaded from their module when first asked for (click's
    lazy group); an SQLite error that means damage becomes one clear line, and click's
    own messages (which quote the paths given) are made terminal-safe."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"reader.cli.{module}"), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            make_safe(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            make_safe(exc)
            raise
        except sqlite3.DatabaseError as exc:
            from reader import library

            if isinstance(exc, sqlite3.OperationalError) and not library.is_damage(exc):
                raise term.Error(f"library error ({exc})") from None
            raise term.Error(f"the library is damaged ({exc}); "
                             f"{library.DAMAGED_HELP}") from None


def version_text() -> str:
    """`reader --version`: this package's version, and those of Textual, SQLite and Python."""
    import platform
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return (f"reader {installed(DISTRIBUTION)} (Textual {installed('textual')}, "
            f"SQLite {sqlite3.sqlite_version}, Python {platform.python_version()})")


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(cls=_Commands, invoke_without_command=True, context_settings=CONTEXT)
@click.option("--db", "db", type=click.Path(dir_okay=False), help=DB_HELP)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version,
              help="Show the versions of reader, Textual, SQLite and Python, and exit.")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """A terminal reader for archives of saved web articles.

    Without a command, opens the reader on the library.

    \b
    Examples:
      reader demo                 # the bundled demo archive
      reader import ~/clippings   # then: reader
    """
    if ctx.invoked_subcommand is None:
        from reader.cli.reading import run_interface

        run_interface(db_path(ctx, db), chosen=bool(db))


def run() -> None:
    """The `reader` program: `main`, then Python's exit without its last garbage
    collections. Whatever a command opened it has closed; the interpreter's teardown
    still frees every module, but the full collections it runs over the objects left
    (some 10 ms of every command) are skipped once they are frozen (`gc.freeze`)."""
    import gc

    try:
        main()
    finally:
        gc.freeze()
