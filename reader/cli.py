"""The command line: a thin click layer over the library. The interface loads lazily."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from reader.models import Article

FORMAT_CHOICES = ("tagpage", "digest", "markdown", "text", "html", "feed", "wxr", "wallabag",
                  "omnivore", "pocket", "instapaper", "bookmarks", "pinboard", "delicious",
                  "readability", "elcurator", "firefox", "chrome", "kindle")
"""`reader import --format` choices: reader.archive.FORMATS, listed here so that
the command line loads without the parsers."""
_RECORD_FORMATS = ("wallabag", "omnivore", "pinboard", "delicious", "readability", "elcurator",
                   "firefox", "chrome")
"""Formats whose provenance counts JSON records, not lines."""
DB_HELP = "Library file (default: $READER_DB, else the user data dir)."
DEMO_DIR = Path(__file__).resolve().parent.parent / "assets" / "demo"


def default_db() -> Path:
    env = os.environ.get("READER_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("reader", appauthor=False)) / "library.db"


def _db_path(ctx: click.Context, db: str | None) -> Path:
    if db:
        return Path(db).expanduser()
    parent = ctx.find_root().params.get("db")
    return Path(parent).expanduser() if parent else default_db()


IMPORT_WAIT = 600.0
"""Seconds an import waits for another process's write (another import's file)."""


def _open_store(path: Path, timeout: float = 10.0) -> Any:
    from reader.store import Store, StoreError, slow_upgrade

    if slow_upgrade(path):
        click.echo("Upgrading the library to this version's format (once; a large library "
                   "takes a minute at most)…", err=True)
    try:
        return Store(path, timeout=timeout)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def db_option(func: Any) -> Any:
    return click.option("--db", "db", type=click.Path(dir_okay=False), help=DB_HELP)(func)


@click.group(invoke_without_command=True)
@click.option("--db", "db", type=click.Path(dir_okay=False), help=DB_HELP)
@click.version_option(package_name="reader")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """A terminal reader for archives of saved web articles.

    Without a command, opens the reader on the library.
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
    try:
        from reader.ui.app import run
    except ImportError as exc:  # pragma: no cover - the interface ships with the package
        raise click.ClickException(f"the interface is unavailable ({exc})") from None
    run(store, demo=demo, db=str(path) if chosen else None)


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
    """Import archive files or folders into the library."""
    from reader.importer import Importer

    if preview:
        _preview(Importer(None, fmt=fmt, tags=tags, encoding=encoding, pages=pages), paths)
        return
    # Two imports at once take turns, file by file, rather than fail.
    store = _open_store(_db_path(ctx, db), timeout=IMPORT_WAIT)
    with _progress_bar(paths) as bar:

        def progress(path: Path, articles: int, finished: bool) -> None:
            bar.label = f"{path.name}: {articles} articles"
            if finished:
                bar.update(1)
            else:
                bar.render_progress()

        importer = Importer(store, fmt=fmt, tags=tags, encoding=encoding, pages=pages,
                            progress=progress, restore=restore)
        report = importer.run(paths)
    for f in report.files:
        if f.error:
            click.echo(f"error: {f.path}: {f.error}", err=True)
        elif f.problems:
            click.echo(f"error: {f.path}: {'; '.join(f.problems)}", err=True)
        elif f.skipped:
            click.echo(f"skipped: {f.path}: {f.skipped}", err=True)
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
                click.echo(f"{report.path} ({report.format})")
                current = report
                if report.format in ("tagpage", "digest"):
                    _explain_dump(Path(report.path))
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
            click.echo(f"  {where}  {article.date or '':10}  "
                       f"{article.title}{source}{tags}{marks}")
            total += 1
            stubs += article.stub
            annotations += len(article.highlights)
            continue
        if report.error or report.problems:
            failed = True
            click.echo(f"error: {report.path}: {report.error or '; '.join(report.problems)}",
                       err=True)
        elif report.skipped:
            click.echo(f"skipped: {report.path}: {report.skipped}", err=True)
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
            click.echo(f"  template: {line}")
    except ArchiveError:
        return


@main.group()
def export() -> None:
    """Export the library."""


def article_json(article: Article) -> dict[str, Any]:
    """The export shape of an article (SPEC §7)."""
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
        "body": article.body,
        "provenance": [
            {"path": p.path, "format": p.format, "start_line": p.start_line,
             "end_line": p.end_line}
            for p in article.provenance
        ],
    }


def article_markdown(article: Article) -> str:
    import yaml

    meta = {k: v for k, v in {
        "title": article.title, "date": article.date, "source": article.source,
        "url": article.url, "author": article.author, "tags": list(article.tags) or None,
    }.items() if v}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n\n# {article.title}\n\n{article.body}\n"


@export.command("articles")
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "markdown"]),
              default="json", show_default=True)
@click.option("--tag", help="Only articles with this tag.")
@click.option("--out", type=click.Path(), help="Write here instead of standard output "
              "(a folder for markdown: one file per article).")
@click.pass_context
def export_articles(ctx: click.Context, db: str | None, fmt: str, tag: str | None,
                    out: str | None) -> None:
    """Export articles as JSON, JSON lines or Markdown."""
    store = _open_store(_db_path(ctx, db))
    articles = store.iter_articles(tag=tag)
    if fmt == "markdown" and out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for article in articles:
            (folder / f"{article.id:06d}-{_slug(article.title)}.md").write_text(
                article_markdown(article), encoding="utf-8")
        return
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    try:
        for chunk in _export_chunks(fmt, articles):
            stream.write(chunk)
    finally:
        if out:
            stream.close()


def _export_chunks(fmt: str, articles: Iterator[Article]) -> Iterator[str]:
    if fmt == "jsonl":
        for article in articles:
            yield json.dumps(article_json(article), ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        for i, article in enumerate(articles):
            yield ("\n" if i else "") + article_markdown(article)
    else:
        yield "["
        for i, article in enumerate(articles):
            yield ("," if i else "") + "\n  " + json.dumps(article_json(article),
                                                           ensure_ascii=False)
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
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@click.option("--tag", help="Only highlights in articles with this tag.")
@click.option("--since", callback=_since, metavar="YYYY-MM-DD",
              help="Only highlights created or edited on or after this date.")
@click.option("--out", type=click.Path(), help="Write here instead of standard output "
              "(a folder for markdown: one file per article).")
@click.pass_context
def export_annotations(ctx: click.Context, db: str | None, fmt: str, tag: str | None,
                       since: str | None, out: str | None) -> None:
    """Export highlights and notes: Markdown for note apps, or W3C Web Annotation JSON."""
    from reader import annotation_export as ax

    store = _open_store(_db_path(ctx, db))
    entries = store.all_annotations(tag=tag, since=since)
    store.close()
    if fmt == "json":
        text = json.dumps(ax.web_annotations(entries), ensure_ascii=False, indent=2) + "\n"
    elif out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        groups = ax.by_article(entries)
        for group in groups:
            (folder / ax.file_name(group)).write_text(ax.article_markdown(group),
                                                      encoding="utf-8")
        click.echo(f"{len(entries)} highlights from {len(groups)} articles written to {folder}",
                   err=True)
        return
    else:
        text = ax.document_markdown(ax.by_article(entries))
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


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
    """
    if not " ".join(query).strip():
        raise click.ClickException(
            "nothing to search for: give words or filters, e.g. reader search 'tag:news bridge'")
    store = _search_store(ctx, db)
    hits = store.search(" ".join(query), limit=limit, live=complete, width=_snippet_width())
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
    """The articles most like article ARTICLE_ID (by its most telling words)."""
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
    """Rebuild the search index from the library (it lives beside it, in LIBRARY-search/)."""
    import time

    store = _open_store(_db_path(ctx, db))
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
    store = _open_store(_db_path(ctx, db))
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
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
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

    from reader.clean import sanitize

    return re.sub(r"\s", " ", sanitize(text))


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
    store = _open_store(_db_path(ctx, db))
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
    """List tags with their article counts."""
    store = _open_store(_db_path(ctx, db))
    for tag in store.tags():
        click.echo(f"{tag.count:>7}  {tag.name}")


@main.command()
@db_option
@click.pass_context
def stats(ctx: click.Context, db: str | None) -> None:
    """Show what the library holds."""
    store = _open_store(_db_path(ctx, db))
    s = store.stats()
    size = Path(s.path).stat().st_size if Path(s.path).exists() else 0
    rows = [
        ("library", s.path), ("size", f"{size / 1e6:.1f} MB"), ("articles", s.articles),
        ("unread", s.unread), ("starred", s.starred), ("tags", s.tags),
        ("annotations", s.annotations), ("source files", s.files), ("words", s.words),
    ]
    for name, value in rows:
        click.echo(f"{name:<13}{value}")


@main.command()
@db_option
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Open the reader on the bundled demo archive (imported into a demo library)."""
    from reader.importer import Importer

    _need_terminal()
    if not DEMO_DIR.is_dir():
        raise click.ClickException(f"demo archive not found at {DEMO_DIR}")
    if db:
        path = Path(db)
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("reader", appauthor=False)) / "demo.db"
    store = _open_store(path)
    Importer(store).run([DEMO_DIR])
    store.close()
    _run_interface(path, demo=True)
