"""`reader export`: articles (JSON, JSON lines, Markdown) and highlights and notes
(Markdown for note apps, W3C Web Annotations, Readwise's CSV)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from reader import terminal as term
from reader.cli.base import db_option, db_path, open_store
from reader.models import Article


@click.group()
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
    from reader.annotation_export import front_matter

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
    return f"{front_matter(meta)}\n# {' '.join(article.title.split())}\n\n{article.body}\n"


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
    from reader.annotation_export import article_file_name

    store = open_store(db_path(ctx, db), create=False, checked=True)
    articles = store.iter_articles(tag=tag)
    if fmt == "markdown" and out and (Path(out).is_dir() or not Path(out).suffix):
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for article in articles:
                (folder / article_file_name(article.id, article.title)).write_text(
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

    store = open_store(db_path(ctx, db), create=False, checked=True)
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
