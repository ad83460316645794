"""`reader import`: files, folders and zips into the library, with progress, a preview
that writes nothing, and one line for each file that fails."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from reader import terminal as term
from reader.cli.base import db_option, db_path, open_store, refuse_damaged, terminal_safe

FORMAT_CHOICES = ("tagpage", "digest", "markdown", "text", "html", "feed", "wxr", "wallabag",
                  "records", "jsonfeed",
                  "omnivore", "pocket", "instapaper", "bookmarks", "pinboard", "delicious",
                  "readability", "elcurator", "firefox", "chrome", "kindle", "reader-json",
                  "reader-markdown", "reader-notes", "web-annotations")
"""`reader import --format` choices: reader.archive.FORMATS, listed here so that
the command line loads without the parsers."""
IMPORT_WAIT = 600.0
"""Seconds an import waits for another process's write (another import's file)."""


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--format", "fmt", type=click.Choice(list(FORMAT_CHOICES)),
              help="Skip detection and read every file as this format.")
@click.option("--tag", "tags", multiple=True, help="Add this tag to every article (repeatable).")
@click.option("--encoding", help="Decode files with this encoding instead of detecting it.")
@click.option("--pages", is_flag=True,
              help="WordPress exports: import the site's pages as well as its posts.")
@click.option("--preview", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--restore", is_flag=True,
              help="Bring back articles of these files deleted with `reader delete`.")
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[str, ...], db: str | None, fmt: str | None,
                   tags: tuple[str, ...], encoding: str | None, pages: bool,
                   preview: bool, restore: bool) -> None:
    """Import archive files or folders into the library.

    \b
    Examples:
      reader import ~/clippings/*.txt          # files or folders; formats detected
      reader import saved.zip --preview        # what would be imported; writes nothing
      reader import library.json               # a library moved: `reader export articles`
    """
    from reader.importer import Importer

    if preview:
        _preview(Importer(None, fmt=fmt, tags=tags, encoding=encoding, pages=pages), paths)
        return
    # Two imports at once take turns, file by file, rather than fail.
    store = open_store(db_path(ctx, db), timeout=IMPORT_WAIT)
    if store.read_only:
        raise term.Error(f"the library {store.path} is read-only; nothing can be imported "
                         "into it")
    refuse_damaged(store)  # never write into a damaged library
    with _progress_bar(paths) as bar:

        def progress(path: Path, articles: int, finished: bool) -> None:
            bar.label = term.line(f"{path.name}: {articles} articles")
            if finished:
                bar.update(1)
            else:
                bar.render_progress()

        importer = Importer(store, fmt=fmt, tags=tags, encoding=encoding, pages=pages,
                            progress=progress, restore=restore)
        try:
            report = importer.run(paths)
        except KeyboardInterrupt:
            term.echo("\ninterrupted: the file being imported was rolled back; the files "
                      "before it are kept", err=True)
            ctx.exit(130)
    for f in report.files:
        if f.error:
            term.echo(f"error: {term.line(f.path)}: {term.line(f.error)}", err=True)
        elif f.problems:
            for problem in f.problems:  # one line each: a loss says where it is
                term.echo(f"error: {term.line(f.path)}: {term.line(problem)}", err=True)
        elif f.skipped:
            term.echo(f"skipped: {term.line(f.path)}: {term.line(f.skipped)}", err=True)
    imported = [f for f in report.files if not f.error and not f.skipped]
    # Counts that are often zero are shown only when they are not.
    extra = "".join(
        f", {n} {word}" for n, word in (
            (report.updated, "updated"), (report.stubs, "stubs (links without text)"),
            (report.annotations, "annotations"), (report.orphans, "of them orphans"),
            (report.restored, "restored"),
            (report.deleted, "deleted before, left out (--restore brings them back)"))
        if n)
    click.echo(
        f"{len(imported)} file{'s' if len(imported) != 1 else ''} imported: "
        f"{report.new} new, {report.present} already present, {report.merged} merged"
        f"{extra}, {len(report.skipped)} skipped, {len(report.failed)} failed"
        + (f", {len(report.partial)} imported with losses (listed above)" if report.partial
           else "")
    )
    if report.orphaned:
        n = report.orphaned
        click.echo(f"{n} highlight{'s' if n != 1 else ''} no longer found in changed text: "
                   "kept as orphans (O in the reader lists them)")
    store.close()
    if report.ok:
        # Checked sound as it began (above), closed with every transaction committed:
        # the interface's next start need not read it whole (docs/reliability.md).
        from reader import library

        library.remember(Path(store.path).expanduser())
    else:
        ctx.exit(1)


class _NoBar:
    """Stands in for click's progress bar when standard error is not a terminal."""

    label = ""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None

    def render_progress(self) -> None:
        return None


def _progress_bar(paths: tuple[str, ...]) -> Any:
    if not sys.stderr.isatty():
        return _NoBar()
    total = 0
    for p in map(Path, paths):
        total += sum(1 for c in p.rglob("*") if c.is_file()) if p.is_dir() else 1
    return click.progressbar(length=max(total, 1), label="Importing", file=sys.stderr,
                             show_pos=True)


def _preview(importer: Any, paths: tuple[str, ...]) -> None:
    from reader.archive import RECORD_FORMATS  # loaded with the importer already

    total = stubs = annotations = 0
    failed = False
    current = None
    for report, article in importer.preview(paths):
        if article is not None:
            if report is not current:
                term.echo(f"{term.line(report.path)} ({report.format})")
                current = report
                if report.format in ("tagpage", "digest"):
                    _explain_dump(Path(report.path))
            extras = getattr(article, "extras", None)
            if extras is not None and extras.standalone:  # notes, highlights to place
                for number, note in extras.notes:
                    click.echo(f"  highlight {number}: note {terminal_safe(note)[:60]!r}")
                for annotation in extras.annotations:
                    click.echo(f"  highlight: {terminal_safe(annotation.anchor.quote)[:60]!r}")
                annotations += len(extras.notes) + len(extras.annotations)
                continue
            p = article.provenance
            tags = f"  [{', '.join(article.tags)}]" if article.tags else ""
            source = f"  — {article.source}" if article.source else ""
            marks = "  (stub: link only)" if article.stub else ""
            if article.highlights:
                n = len(article.highlights)
                marks += f"  ({n} highlight{'s' if n != 1 else ''})"
            where = (f"record {p.start_line}" if p.format in RECORD_FORMATS
                     else f"line {p.start_line}" if p.start_line == p.end_line
                     else f"lines {p.start_line}-{p.end_line}")
            term.echo(f"  {where}  {article.date or '':10}  "
                      f"{term.line(article.title)}{term.line(source)}{term.line(tags)}{marks}")
            total += 1
            stubs += article.stub
            annotations += len(article.highlights)
            continue
        if report.error or report.problems:
            failed = True
            for problem in [report.error] if report.error else report.problems:
                term.echo(f"error: {term.line(report.path)}: {term.line(problem)}", err=True)
        elif report.skipped:
            term.echo(f"skipped: {term.line(report.path)}: {term.line(report.skipped)}",
                      err=True)
    extra = f", {stubs} of them stubs" if stubs else ""
    extra += f", {annotations} annotations" if annotations else ""
    click.echo(f"{total} article{'s' if total != 1 else ''} would be imported{extra} (preview: "
               "nothing written)")
    if failed:
        sys.exit(1)


def _explain_dump(path: Path) -> None:
    """The record template inferred for a text dump, before its articles."""
    from reader.archive.listing import explain_file
    from reader.archive.source import ArchiveError

    if not path.is_file():
        return
    try:
        for line in explain_file(path):
            term.echo(f"  template: {term.line(line)}")
    except ArchiveError:
        return
