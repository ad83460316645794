"""The command line: a thin click layer over the library. The interface loads lazily."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from reader import terminal as term
from reader.models import Article

FORMAT_CHOICES = ("tagpage", "digest", "markdown", "text", "html", "feed", "wxr", "wallabag",
                  "omnivore", "pocket", "instapaper", "bookmarks", "pinboard", "delicious",
                  "readability", "elcurator", "firefox", "chrome", "kindle", "reader-json",
                  "reader-markdown", "reader-notes", "web-annotations")
"""`reader import --format` choices: reader.archive.FORMATS, listed here so that
the command line loads without the parsers."""
_RECORD_FORMATS = ("wallabag", "omnivore", "pinboard", "delicious", "readability", "elcurator",
                   "firefox", "chrome")
"""Formats whose provenance counts JSON records, not lines."""
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
    env = os.environ.get("READER_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("reader", appauthor=False)) / "library.db"


def _db_path(ctx: click.Context, db: str | None) -> Path:
    if db is None:
        db = ctx.find_root().params.get("db")
    if db == "":
        raise click.BadParameter("an empty path; leave --db out for the default library",
                                 param_hint="--db")
    return Path(db).expanduser() if db else default_db()


IMPORT_WAIT = 600.0
"""Seconds an import waits for another process's write (another import's file)."""


def _open_store(path: Path, timeout: float = 10.0, *, create: bool = True,
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
        _refuse_damaged(store)
    return store


def _refuse_damaged(store: Any) -> None:
    """Stop with the damage report when the library fails SQLite's quick check."""
    from reader import library

    problem = library.quick_check(store.conn)
    if problem:
        raise term.Error(f"the library {store.path} is damaged ({problem}); "
                         f"{library.DAMAGED_HELP}")


def _make_safe(exc: click.ClickException) -> None:
    # `message` is typed final in click; it is a plain attribute, read when shown.
    object.__setattr__(exc, "message", term.line(exc.message))


class _Commands(click.Group):
    """The command group: an SQLite error that means damage becomes one clear line, and
    click's own messages (which quote the paths given) are made terminal-safe."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            _make_safe(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            _make_safe(exc)
            raise
        except sqlite3.DatabaseError as exc:
            from reader import library

            if isinstance(exc, sqlite3.OperationalError) and not library.is_damage(exc):
                raise term.Error(f"library error ({exc})") from None
            raise term.Error(f"the library is damaged ({exc}); "
                             f"{library.DAMAGED_HELP}") from None


def db_option(func: Any) -> Any:
    return click.option("--db", "db", type=click.Path(dir_okay=False), help=DB_HELP)(func)


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
        _run_interface(_db_path(ctx, db), chosen=bool(db))


def _need_terminal() -> None:
    """The interface draws on a terminal and reads keys from it: refuse without one
    (started from a script or a pipe it would wait forever for keys)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.ClickException(
            "the reader needs a terminal (standard input or output is not one); "
            "`reader search`, `reader export` and `reader stats` work without")


def _run_interface(path: Path, demo: bool = False, chosen: bool = False) -> None:
    _need_terminal()
    store = _open_store(path)
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


@main.command("import")
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
    store = _open_store(_db_path(ctx, db), timeout=IMPORT_WAIT)
    if store.read_only:
        raise term.Error(f"the library {store.path} is read-only; nothing can be imported "
                         "into it")
    _refuse_damaged(store)  # never write into a damaged library
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
            term.echo(f"error: {term.line(f.path)}: {term.line('; '.join(f.problems))}", err=True)
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
    )
    if report.orphaned:
        n = report.orphaned
        click.echo(f"{n} highlight{'s' if n != 1 else ''} no longer found in changed text: "
                   "kept as orphans (O in the reader lists them)")
    store.close()
    if not report.ok:
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
                    click.echo(f"  highlight {number}: note {_terminal_safe(note)[:60]!r}")
                for annotation in extras.annotations:
                    click.echo(f"  highlight: {_terminal_safe(annotation.anchor.quote)[:60]!r}")
                annotations += len(extras.notes) + len(extras.annotations)
                continue
            p = article.provenance
            tags = f"  [{', '.join(article.tags)}]" if article.tags else ""
            source = f"  — {article.source}" if article.source else ""
            marks = "  (stub: link only)" if article.stub else ""
            if article.highlights:
                n = len(article.highlights)
                marks += f"  ({n} highlight{'s' if n != 1 else ''})"
            where = (f"record {p.start_line}" if p.format in _RECORD_FORMATS
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
            term.echo(f"error: {term.line(report.path)}: "
                      f"{term.line(report.error or '; '.join(report.problems))}", err=True)
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


@main.group()
def export() -> None:
    """Export the library: articles, or highlights and notes.

    \b
    Examples:
      reader export articles --out library.json
      reader export annotations --out ~/vault/reader/
    """


def article_json(article: Article, annotations: list[Any] | None = None) -> dict[str, Any]:
    """The export shape of an article (SPEC §7), with what a restore needs: reading state
    and position, every provenance, highlights; the body last (detected by its head)."""
    from reader.archive.own import annotation_record

    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "tags": list(article.tags),
        "read": article.read,
        "starred": article.starred,
        "stub": article.stub,
        "position": round(article.position, 4),
        "provenance": [
            {"path": p.path, "format": p.format, "start_line": p.start_line,
             "end_line": p.end_line}
            for p in article.provenance
        ],
        "annotations": [annotation_record(a) for a in annotations or []],
        "body": article.body,
    }


def article_markdown(article: Article) -> str:
    """An article as Markdown; its front matter keeps what `reader import` restores."""
    import yaml

    meta: dict[str, Any] = {k: v for k, v in {
        "title": article.title, "date": article.date, "source": article.source,
        "url": article.url, "author": article.author, "tags": list(article.tags) or None,
    }.items() if v}
    meta |= {"read": article.read, "starred": article.starred}
    if article.stub:
        meta["stub"] = True
    if article.position:
        meta["position"] = round(article.position, 4)
    meta["provenance"] = [{"path": p.path, "format": p.format, "start_line": p.start_line,
                           "end_line": p.end_line} for p in article.provenance]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000).strip()
    return f"---\n{front}\n---\n\n# {' '.join(article.title.split())}\n\n{article.body}\n"


@export.command("articles")
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "markdown"]),
              default="json", show_default=True)
@click.option("--tag", help="Only articles with this tag.")
@click.option("--out", type=click.Path(), help="Write here instead of standard output "
              "(for markdown a folder, one file per article; a file name ending in .md: "
              "one document).")
@click.pass_context
def export_articles(ctx: click.Context, db: str | None, fmt: str, tag: str | None,
                    out: str | None) -> None:
    """Export articles as JSON, JSON lines or Markdown.

    Everything `reader import` needs to restore them is kept: tags, dates,
    read and starred state, where they came from, highlights and notes.

    \b
    Examples:
      reader export articles --out library.json     # back in: reader import library.json
      reader export articles --format markdown --out articles/
    """
    store = _open_store(_db_path(ctx, db), create=False, checked=True)
    articles = store.iter_articles(tag=tag)
    if fmt == "markdown" and out and (Path(out).is_dir() or not Path(out).suffix):
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for article in articles:
                (folder / f"{article.id:06d}-{_slug(article.title)}.md").write_text(
                    term.text(article_markdown(article)), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{out}: cannot write ({exc.strerror or exc})") from None
        return
    try:
        stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot write ({exc.strerror or exc})") from None
    try:
        for chunk in _export_chunks(fmt, articles, store):
            stream.write(chunk)
    finally:
        if out:
            stream.close()


def _export_chunks(fmt: str, articles: Iterator[Article], store: Any) -> Iterator[str]:
    if fmt == "jsonl":
        for article in articles:
            yield term.json_dumps(article_json(article, store.annotations(article.id))) + "\n"
    elif fmt == "markdown":
        for i, article in enumerate(articles):
            yield ("\n" if i else "") + term.text(article_markdown(article))
    else:
        yield "["
        for i, article in enumerate(articles):
            yield ("," if i else "") + "\n  " + term.json_dumps(
                article_json(article, store.annotations(article.id)))
        yield "\n]\n"


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@export.command("annotations")
@db_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "readwise"]),
              default="markdown", show_default=True,
              help="markdown for note apps, json (W3C Web Annotations), readwise (CSV).")
@click.option("--tag", help="Only highlights in articles with this tag.")
@click.option("--since", callback=_since, metavar="YYYY-MM-DD",
              help="Only highlights created or edited on or after this date.")
@click.option("--out", type=click.Path(), help="Write here instead of standard output "
              "(for markdown a folder, one file per article, kept up to date; a file "
              "name ending in .md: one document).")
@click.pass_context
def export_annotations(ctx: click.Context, db: str | None, fmt: str, tag: str | None,
                       since: str | None, out: str | None) -> None:
    """Export highlights and notes: Markdown for note apps, W3C Web Annotation JSON,
    or Readwise's CSV.

    Exporting Markdown again into the same folder updates only what changed and
    keeps what was written around the highlights; `reader import FOLDER` brings
    notes edited there back into the library.

    \b
    Examples:
      reader export annotations --out ~/vault/reader/   # one file per article
      reader export annotations --format readwise --out highlights.csv
    """
    from reader import annotation_export as ax

    store = _open_store(_db_path(ctx, db), create=False, checked=True)
    entries = store.all_annotations(tag=tag, since=since)
    authors: dict[int, str | None] = (
        {e.annotation.article_id: None for e in entries} if fmt == "readwise" else {})
    for article_id in authors:
        found = store.article(article_id)
        authors[article_id] = found.author if found else None
    store.close()
    if fmt == "json":
        text = term.json_dumps(ax.web_annotations(entries), indent=2) + "\n"
    elif fmt == "readwise":
        text = ax.readwise_csv(entries, authors)
    elif out and (Path(out).is_dir() or not Path(out).suffix):
        groups = ax.by_article(entries)
        everything = tag is None and since is None
        try:
            written, unchanged = ax.sync_folder(
                Path(out), groups, {e.annotation.id for e in entries} if everything else None)
        except OSError as exc:
            raise click.ClickException(f"{out}: cannot write ({exc.strerror or exc})") from None
        term.echo(f"{len(entries)} highlights from {len(groups)} articles: {written} files "
                   f"written, {unchanged} unchanged in {out}", err=True)
        return
    else:
        text = term.text(ax.document_markdown(ax.by_article(entries)))
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{out}: cannot write ({exc.strerror or exc})") from None
    else:
        term.write(text)


def _slug(title: str) -> str:
    import re

    slug = re.sub(r"[^\w]+", "-", title.casefold()).strip("-")
    return slug[:60] or "untitled"


@main.command("search")
@click.argument("query", nargs=-1)
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many results.")
@click.option("--complete", is_flag=True,
              help="Read the last word as still being typed: `clim` finds climate too "
                   "(as the interface's search box does).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array (id, title, date, source, tags, score, snippet).")
@click.pass_context
def search_command(ctx: click.Context, query: tuple[str, ...], db: str | None, limit: int,
                   complete: bool, as_json: bool) -> None:
    """Search the library: words, "phrases", prefix*, -word, OR, tag:, source:, title:,
    before:/after: (2019, 2019-02, 2019-02-12), is:unread, is:starred, has:highlights,
    has:notes. All the words first, ranked; then, when they find less than a page or the
    query is a long sentence, articles with most of them.

    \b
    Examples:
      reader search 'climate "sea level" tag:news'
      reader search 'is:unread after:2024' --json --limit 5
    """
    if not " ".join(query).strip():
        raise click.ClickException(
            "nothing to search for: give words or filters, e.g. reader search 'tag:news bridge'")
    store = _search_store(ctx, db)
    hits = store.search(" ".join(query), limit=limit, live=complete, width=_snippet_width())
    if not hits:
        _refuse_damaged(store)  # "no results" only from a sound library
    store.close()
    _print_hits(hits, as_json, "no results")


@main.command("related")
@click.argument("article_id", type=int)
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many articles.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array (id, title, date, source, tags, score, snippet).")
@click.pass_context
def related_command(ctx: click.Context, article_id: int, db: str | None, limit: int,
                    as_json: bool) -> None:
    """The articles most like article ARTICLE_ID (by its most telling words).

    \b
    Examples:
      reader related 42
      reader related 42 --json --limit 5
    """
    store = _search_store(ctx, db)
    if store.article(article_id) is None:
        store.close()
        raise click.ClickException(f"no article {article_id}")
    hits = store.related(article_id, limit=limit, width=_snippet_width())
    store.close()
    _print_hits(hits, as_json, "no related articles")


@main.command("reindex")
@db_option
@click.pass_context
def reindex_command(ctx: click.Context, db: str | None) -> None:
    """Rebuild the search index from the library (it lives beside it, in LIBRARY-search/).

    \b
    Example:
      reader reindex --db work.db
    """
    import time

    store = _open_store(_db_path(ctx, db), create=False, checked=True)
    start = time.perf_counter()
    from reader.index import IndexBusy

    try:
        count = store.reindex()
    except IndexBusy:
        raise click.ClickException("the search index is being written by another process"
                                   " (an import): try again when it is done") from None
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot write the search index ({exc})") from None
    finally:
        store.close()
    click.echo(f"Search index rebuilt: {count} articles in {time.perf_counter() - start:.1f} s.",
               err=True)


def _search_store(ctx: click.Context, db: str | None) -> Any:
    store = _open_store(_db_path(ctx, db), create=False)
    store.on_search_notice = lambda message: click.echo(_terminal_safe(message), err=True)
    return store


def _snippet_width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((132, 24)).columns - 14)


def _print_hits(hits: list[Any], as_json: bool, none: str) -> None:
    if as_json:
        rows = [{"id": h.id, "title": h.title, "date": h.date, "source": h.source,
                 "tags": list(h.tags), "score": round(h.score, 4), "snippet": h.snippet,
                 "hit_count": h.hit_count} for h in hits]
        click.echo(term.json_dumps(rows, indent=2))
        return
    bold = sys.stdout.isatty()
    for h in hits:
        source = f"  — {_terminal_safe(h.source)}" if h.source else ""
        click.echo(f"{h.date or '':10}  {_marked(h.title, h.title_hits, bold)}{source}"
                   f"  ({h.hit_count} hit{'s' if h.hit_count != 1 else ''})  #{h.id}")
        click.echo(f"            {_marked(h.snippet, h.snippet_hits, bold)}")
    if not hits:
        click.echo(none, err=True)


def _terminal_safe(text: str) -> str:
    """Archive text with every control character (escape sequences too) removed."""
    import re

    return re.sub(r"\s", " ", term.line(text))


def _marked(text: str, spans: tuple[tuple[int, int], ...], bold: bool) -> str:
    """Hits shown in bold on a terminal, in [brackets] otherwise; the text itself made safe."""
    start_mark, end_mark = ("\x1b[1m", "\x1b[22m") if bold else ("[", "]")
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [_terminal_safe(text[pos:start]) if pos < start else "", start_mark,
                _terminal_safe(text[start:end]), end_mark]
        pos = end
    out.append(_terminal_safe(text[pos:]))
    return "".join(out)


@main.command("delete", context_settings={"help_option_names": ["-h", "--help"]})
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
            click.echo(f"error: {_terminal_safe(value)}: not an article id (a number)", err=True)
    store = _open_store(_db_path(ctx, db), create=False, checked=True)
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
            click.echo(f"{d.id:>7}  {_terminal_safe(d.title)} — "
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


@main.command()
@db_option
@click.pass_context
def tags(ctx: click.Context, db: str | None) -> None:
    """List tags with their article counts.

    \b
    Example:
      reader tags --db work.db
    """
    store = _open_store(_db_path(ctx, db), create=False, checked=True)
    for tag in store.tags():
        term.echo(f"{tag.count:>7}  {term.line(tag.name)}")


@main.command()
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
    store = _open_store(_db_path(ctx, db), create=False, checked=True)
    s = store.stats()
    # The rows of each table, from sqlite-utils' introspection (the search index's
    # shadow tables left out): what `sqlite-utils tables --counts` shows.
    tables = ({t.name: t.count for t in store.db.tables
               if not t.name.startswith(("articles_fts", "sqlite_"))} if as_json else {})
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


def demo_db() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader", appauthor=False)) / "demo.db"


@main.command()
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

    found = {"library": str(_db_path(ctx, db)), "config": str(default_path()),
             "cache": user_cache_dir("reader", appauthor=False),
             "demo library": str(demo_db()), "demo archive": str(demo_dir())}
    if as_json:
        click.echo(term.json_dumps({k.replace(" ", "_"): v for k, v in found.items()}, indent=2))
        return
    for name, value in found.items():
        click.echo(f"{name:<14}{value}")


@main.command()
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

    source = _db_path(ctx, db)
    if not source.exists():
        raise click.ClickException(f"{source}: no library there (nothing to back up)")
    store = _open_store(source)
    try:
        size = backup_library(store, Path(file).expanduser(), replace=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"{source} backed up to {file} ({size / 1e6:.1f} MB)", err=True)


@main.command()
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
        _need_terminal()
    archive = demo_dir()
    if not archive.is_dir():
        raise term.Error(f"demo archive not found at {archive}")
    path = Path(db) if db else demo_db()
    store = _open_store(path)
    Importer(store).run([archive])
    store.close()
    if check:
        _headless_check(path)
    else:
        _run_interface(path, demo=True)


@main.command()
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
        store = Store(_db_path(ctx, db), create=False)
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


def _headless_check(path: Path) -> None:
    """Open the interface on `path` without a terminal, wait until the library's articles
    are listed, and quit; exit status 1 when they never are."""
    from reader.config import load
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.tag_list import TagList

    store = _open_store(path)
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
