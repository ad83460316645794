"""What the commands share: where the library is, opening it, and making archive text
safe to print."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click

from reader import terminal as term

DB_HELP = "Library file (default: $READER_DB, else the user data dir)."
DISTRIBUTION = "reader-tui"
"""The name the package is installed under (the command and the import stay `reader`)."""
CONTEXT = {"help_option_names": ["-h", "--help"]}
HEADLESS_CHECK = "READER_HEADLESS_CHECK"
"""Set to 1, `reader demo` opens the interface without a terminal, waits until the demo's
articles are listed, and quits: how CI proves an installed package shows its demo."""


def demo_dir() -> Path:
    """The bundled demo archive, a folder inside the installed package."""
    from importlib.resources import files

    return Path(str(files("reader") / "demo"))


def default_db() -> Path:
    """The library used without --db: $READER_DB, else one in the user data folder."""
    env = os.environ.get("READER_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("reader", appauthor=False)) / "library.db"


def db_path(ctx: click.Context, db: str | None) -> Path:
    """The library a command works on: its --db, else the group's, else the default."""
    if db is None:
        db = ctx.find_root().params.get("db")
    if db == "":
        raise click.BadParameter("an empty path; leave --db out for the default library",
                                 param_hint="--db")
    return Path(db).expanduser() if db else default_db()


def open_store(path: Path, timeout: float = 10.0, *, create: bool = True,
                checked: bool = False) -> Any:
    """The library at `path`; `create=False` for commands that only read (a library
    that does not exist is an error, not an empty one made on the way); `checked`:
    refuse a damaged one first (SQLite's quick check, about 0.1 s for 50 MB)."""
    from reader.store import Store, StoreError, slow_upgrade

    if slow_upgrade(path):
        term.echo("Upgrading the library to this version's format (once; a large library "
                  "takes a minute at most)…", err=True)
    try:
        store = Store(path, timeout=timeout, create=create)
    except StoreError as exc:
        raise term.Error(exc) from None
    for warning in store.warnings:
        term.echo(f"warning: {warning}", err=True)
    if checked:
        refuse_damaged(store)
    return store


def refuse_damaged(store: Any) -> None:
    """Stop with the damage report when the library fails SQLite's quick check."""
    from reader import library

    problem = library.quick_check(store.conn)
    if problem:
        raise term.Error(f"the library {store.path} is damaged ({problem}); "
                         f"{library.DAMAGED_HELP}")


def make_safe(exc: click.ClickException) -> None:
    """Click's message made terminal-safe (it quotes the paths given)."""
    # `message` is typed final in click; it is a plain attribute, read when shown.
    object.__setattr__(exc, "message", term.line(exc.message))


def db_option(func: Any) -> Any:
    """The --db option every command takes."""
    return click.option("--db", "db", type=click.Path(dir_okay=False), help=DB_HELP)(func)


def demo_db() -> Path:
    """The demo's own library, in the cache."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader", appauthor=False)) / "demo.db"


def terminal_safe(text: str) -> str:
    """Archive text with every control character (escape sequences too) removed."""
    return re.sub(r"\s", " ", term.line(text))
