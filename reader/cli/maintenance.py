"""Looking after the library: `reader delete`, `reader backup`, `reader check` and
`reader paths`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reader import terminal as term
from reader.cli.base import db_option, db_path, demo_db, demo_dir, open_store, terminal_safe


@click.command("delete", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("ids", nargs=-1, required=True)
@db_option
@click.option("--yes", "-y", is_flag=True, help="Delete without asking first.")
@click.pass_context
def delete_command(ctx: click.Context, ids: tuple[str, ...], db: str | None, yes: bool) -> None:
    """Delete articles, with their highlights and notes, by id.

    Names each article and what goes with it, then asks (--yes does not; it is
    needed when no one is at a terminal). Ids are those of `reader search --json`
    and the exports. Importing a deleted article's file again leaves it out;
    `reader import --restore FILE` brings it back (highlights made in the
    reader are gone for good).

    \b
    Examples:
      reader delete 12 40           # asks first
      reader delete 12 --yes        # in a script
    """
    from reader.store import StoreError

    wanted: list[int] = []
    failed = False
    for value in ids:
        if value.strip().isdecimal() and int(value) < 2**63:
            wanted.append(int(value))
        else:
            failed = True
            click.echo(f"error: {terminal_safe(value)}: not an article id (a number)", err=True)
    store = open_store(db_path(ctx, db), create=False, checked=True)
    if store.read_only:
        raise term.Error(f"the library {store.path} is read-only; nothing can be deleted")
    try:
        going = store.deletions(wanted)
        known = {d.id for d in going}
        for article_id in dict.fromkeys(wanted):
            if article_id not in known:
                failed = True
                click.echo(f"error: {article_id}: no such article", err=True)
        for d in going:
            click.echo(f"{d.id:>7}  {terminal_safe(d.title)} — "
                       f"{_highlights(d.highlights, d.notes)}")
        if going and not yes:
            if not _at_terminal():
                raise click.ClickException("nothing deleted: add --yes to delete without a "
                                           "terminal to ask on")
            n = len(going)
            if not click.confirm(f"Delete {n} article{'s' if n != 1 else ''}?", default=False):
                click.echo("nothing deleted", err=True)
                ctx.exit(1)
        if going:
            gone = store.delete_articles(d.id for d in going)
            n, marks = len(gone), sum(d.highlights for d in gone)
            click.echo(f"deleted {n} article{'s' if n != 1 else ''} "
                       f"({_highlights(marks, sum(d.notes for d in gone))})")
    except StoreError as exc:  # busy (an import is writing) or read-only
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if failed:
        ctx.exit(1)


def _at_terminal() -> bool:
    """Whether someone can be asked: standard input and output are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _highlights(highlights: int, notes: int) -> str:
    if not highlights:
        return "no highlights"
    words = f"{highlights} highlight{'s' if highlights != 1 else ''}"
    return words + (f", {notes} with a note" if notes else "")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the paths as a JSON object.")
@click.pass_context
def paths(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Show where reader keeps its files.

    The library, the settings, the cache and the demo library. The library is --db,
    else $READER_DB when set; the settings file is $READER_CONFIG when set.

    \b
    Examples:
      reader paths
      READER_CONFIG=~/reader.toml reader paths --json
    """
    from platformdirs import user_cache_dir

    from reader.config import default_path

    found = {"library": str(db_path(ctx, db)), "config": str(default_path()),
             "cache": user_cache_dir("reader", appauthor=False),
             "demo library": str(demo_db()), "demo archive": str(demo_dir())}
    if as_json:
        click.echo(term.json_dumps({k.replace(" ", "_"): v for k, v in found.items()}, indent=2))
        return
    for name, value in found.items():
        click.echo(f"{name:<14}{value}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_context
def backup(ctx: click.Context, file: str, db: str | None, force: bool) -> None:
    """Back up the library to FILE, even while it is open.

    The copy is consistent (SQLite's VACUUM INTO) and a library itself: open it
    with --db, or copy it back in place. To move a library between versions or
    machines, `reader export articles` and `reader import` of that file work too.

    \b
    Examples:
      reader backup ~/backups/reader-$(date +%F).db
      reader --db ~/backups/reader-2024-05-01.db stats
    """
    from reader.backup import BackupError, backup_library

    source = db_path(ctx, db)
    if not source.exists():
        raise click.ClickException(f"{source}: no library there (nothing to back up)")
    store = open_store(source)
    try:
        size = backup_library(store, Path(file).expanduser(), replace=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"{source} backed up to {file} ({size / 1e6:.1f} MB)", err=True)


@click.command()
@db_option
@click.pass_context
def check(ctx: click.Context, db: str | None) -> None:
    """Check the library's integrity and its indexes, one line each.

    Exits 1 when something is damaged, saying how to recover (docs/reliability.md).

    \b
    Example:
      reader check --db work.db
    """
    from reader import library
    from reader.store import LibraryDamaged, Store, StoreError

    try:
        store = Store(db_path(ctx, db), create=False)
    except LibraryDamaged as exc:  # damaged where opening reads (its schema)
        term.echo(f"integrity: failed ({exc.reason})")
        term.echo(f"the library is damaged: {library.RECOVERY}", err=True)
        ctx.exit(1)
    except StoreError as exc:
        raise term.Error(exc) from None
    results = library.check(store.conn)
    index_sound, index_line = store.search_index.health(store.conn)
    store.close()
    for _, line in results:
        term.echo(line)
    term.echo(index_line)  # derived from the library: damage there is repaired by reindex
    if not all(passed for passed, _ in results):
        term.echo(f"the library is damaged: {library.RECOVERY}", err=True)
        ctx.exit(1)
    if not index_sound:
        ctx.exit(1)
