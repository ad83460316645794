"""Reading: the interface (`reader` alone, `reader demo`), and what the library holds
(`reader tags`, `reader stats`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from reader import terminal as term
from reader.cli.base import HEADLESS_CHECK, db_option, db_path, demo_db, demo_dir, open_store


def need_terminal() -> None:
    """The interface draws on a terminal and reads keys from it: refuse without one
    (started from a script or a pipe it would wait forever for keys)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.ClickException(
            "the reader needs a terminal (standard input or output is not one); "
            "`reader search`, `reader export` and `reader stats` work without")


def run_interface(path: Path, demo: bool = False, chosen: bool = False) -> None:
    """Open the interface on the library at `path` (`chosen`: named with --db)."""
    need_terminal()
    store = open_store(path)
    # A damaged library is said so, not shown: checked on a thread of its own while the
    # interface starts (the check reads every page; the first frame waits for it).
    from reader.store import LibraryDamaged
    from reader.ui.library_check import LibraryCheck

    check = LibraryCheck(store.path)
    try:
        from reader.ui.app import run
    except ImportError as exc:  # pragma: no cover - the interface ships with the package
        raise click.ClickException(f"the interface is unavailable ({exc})") from None
    try:
        run(store, demo=demo, db=str(path) if chosen else None, check=check)
    except LibraryDamaged as exc:
        from reader import library

        raise term.Error(f"the library {store.path} is damaged ({exc}); "
                         f"{library.DAMAGED_HELP}") from None


@click.command()
@db_option
@click.pass_context
def tags(ctx: click.Context, db: str | None) -> None:
    """List tags with their article counts.

    \b
    Example:
      reader tags --db work.db
    """
    store = open_store(db_path(ctx, db), create=False, checked=True)
    for tag in store.tags():
        term.echo(f"{tag.count:>7}  {term.line(tag.name)}")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as a JSON object.")
@click.pass_context
def stats(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Show what the library holds.

    \b
    Examples:
      reader stats
      reader stats --json
    """
    store = open_store(db_path(ctx, db), create=False, checked=True)
    s = store.stats()
    # The rows of each table (the search index's shadow tables left out): what
    # `sqlite-utils tables --counts` shows.
    tables = ({name: count for name, count in store.table_counts().items()
               if not name.startswith("articles_fts")} if as_json else {})
    store.close()
    size = Path(s.path).stat().st_size if Path(s.path).exists() else 0
    if as_json:
        figures = {"library": s.path, "bytes": size, "articles": s.articles,
                   "unread": s.unread, "starred": s.starred, "tags": s.tags,
                   "annotations": s.annotations, "source_files": s.files, "words": s.words,
                   "tables": tables}
        click.echo(term.json_dumps(figures, indent=2))
        return
    rows = [
        ("library", s.path), ("size", f"{size / 1e6:.1f} MB"), ("articles", s.articles),
        ("unread", s.unread), ("starred", s.starred), ("tags", s.tags),
        ("annotations", s.annotations), ("source files", s.files), ("words", s.words),
    ]
    for name, value in rows:
        term.echo(f"{name:<13}{term.line(value)}")


@click.command()
@db_option
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Open the reader on the bundled demo archive.

    The demo's articles are imported into a library of their own, in the cache.

    \b
    Example:
      reader demo
    """
    from reader.importer import Importer

    check = os.environ.get(HEADLESS_CHECK) == "1"
    if not check:
        need_terminal()
    archive = demo_dir()
    if not archive.is_dir():
        raise term.Error(f"demo archive not found at {archive}")
    path = Path(db) if db else demo_db()
    store = open_store(path)
    Importer(store).run([archive])
    store.close()
    if check:
        _headless_check(path)
    else:
        run_interface(path, demo=True)


def _headless_check(path: Path) -> None:
    """Open the interface on `path` without a terminal, wait until the library's articles
    are listed, and quit; exit status 1 when they never are."""
    from reader.config import load
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.tag_list import TagList

    store = open_store(path)
    app = ReaderApp(store, config=load(), demo=True)
    shown: list[int] = []

    async def pilot(driver: Any) -> None:
        for _ in range(200):
            await driver.pause(0.05)
            articles, tags = app.screen.query(ArticleList), app.screen.query(TagList)
            if articles and tags and articles.first().row_count and tags.first().row_count:
                shown.extend((articles.first().row_count, tags.first().row_count))
                break
        app.exit()

    app.run(headless=True, size=(120, 36), auto_pilot=pilot)
    store.close()
    if not shown:
        raise click.ClickException("the interface showed no articles")
    click.echo(f"the interface listed {shown[0]} articles and {shown[1]} tags")
