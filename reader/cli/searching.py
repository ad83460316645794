"""Searching: `reader search`, `reader related`, and `reader reindex` which rebuilds
the search index."""

from __future__ import annotations

import sys
from typing import Any

import click

from reader import terminal as term
from reader.cli.base import db_option, db_path, open_store, refuse_damaged, terminal_safe


@click.command("search")
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
        refuse_damaged(store)  # "no results" only from a sound library
    store.close()
    _print_hits(hits, as_json, "no results")


@click.command("related")
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


@click.command("reindex")
@db_option
@click.pass_context
def reindex_command(ctx: click.Context, db: str | None) -> None:
    """Rebuild the search index from the library (it lives beside it, in LIBRARY-search/).

    \b
    Example:
      reader reindex --db work.db
    """
    import time

    store = open_store(db_path(ctx, db), create=False, checked=True)
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
    store = open_store(db_path(ctx, db), create=False)
    store.on_search_notice = lambda message: click.echo(terminal_safe(message), err=True)
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
        source = f"  — {terminal_safe(h.source)}" if h.source else ""
        click.echo(f"{h.date or '':10}  {_marked(h.title, h.title_hits, bold)}{source}"
                   f"  ({h.hit_count} hit{'s' if h.hit_count != 1 else ''})  #{h.id}")
        click.echo(f"            {_marked(h.snippet, h.snippet_hits, bold)}")
    if not hits:
        click.echo(none, err=True)


def _marked(text: str, spans: tuple[tuple[int, int], ...], bold: bool) -> str:
    """Hits shown in bold on a terminal, in [brackets] otherwise; the text itself made safe."""
    start_mark, end_mark = ("\x1b[1m", "\x1b[22m") if bold else ("[", "]")
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [terminal_safe(text[pos:start]) if pos < start else "", start_mark,
                terminal_safe(text[start:end]), end_mark]
        pos = end
    out.append(terminal_safe(text[pos:]))
    return "".join(out)
