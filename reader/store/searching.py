"""What the store does for search: results, counts and related articles.

The index (reader.index) is derived from the library and caught up from
`search_log` before each search; see that module. Results take their metadata
and tags from the library, their snippets from the index's plain text.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from reader.models import SearchHit
from reader.store.base import Room
from reader.store.reading import VIEWS

if TYPE_CHECKING:
    from reader.index import SearchIndex
    from reader.search import Query


class Searching(Room):
    """Search through the library's index."""

    @functools.cached_property
    def search_index(self) -> SearchIndex:
        """The library's search index (opened, rebuilt and caught up on first use)."""
        from reader.index import SearchIndex, index_path

        path = None if self.path == ":memory:" else index_path(self.path)
        return SearchIndex(path, notice=self._search_notice)

    @functools.cached_property
    def search_notices(self) -> list[str]:
        """One-line messages about the index (rebuilt, and why), oldest first."""
        return []

    def _search_notice(self, message: str) -> None:
        self.search_notices.append(message)
        if self.on_search_notice is not None:
            self.on_search_notice(message)

    _told_behind = False
    on_search_notice: Any = None
    """Called with each index message as it happens (the command line prints them)."""

    def _searcher(self) -> Any:
        """A searcher of the index, caught up first when it can be (None when the
        index is being built by another process: searches find nothing meanwhile)."""
        from reader.index import IndexBusy

        index = self.search_index
        try:
            if not index.sync(self.conn, wait=False) and not self._told_behind:
                behind = index.pending(self.conn)
                if behind:
                    self._told_behind = True
                    index.notice(f"The search index is catching up with {behind} changes"
                                 " (after an import): results may be incomplete for a moment.")
            return index.searcher(self.conn)
        except IndexBusy:
            index.notice("The search index is being built by another process: try again"
                         " in a moment.")
            return None
        except (ValueError, OSError):
            # Damaged while open: rebuilt from the library, never an error for a search.
            count = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            index.notice(f"Rebuilding the search index (damaged): {count} articles.")
            try:
                index.rebuild(self.conn)
            except IndexBusy:
                return None
            return index.searcher(self.conn)

    def reindex(self, progress: Any = None) -> int:
        """Rebuild the search index from the library; how many articles it holds."""
        index = self.search_index
        count = index.rebuild(self.conn, progress)
        index.prune(self.conn)
        return count

    def search(self, query: str | Query, *, view: str = "all", tag: str | None = None,
               limit: int = 50, offset: int = 0, live: bool = False,
               width: int | None = None) -> list[SearchHit]:
        """One page of results, best first (see `reader.index.ranked`).

        `query` is text in the query language (never an error) or a parsed
        `search.Query`; `view`/`tag` narrow it as in the article list; `live`
        completes the last word as it is typed (`clim` finds climate too);
        `width` sizes the snippets (characters).
        """
        from reader import index, search
        q = query if isinstance(query, search.Query) else search.parse(query, live=live)
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if q.empty or limit <= 0:
            return []
        searcher = self._searcher()
        if searcher is None:
            return []
        try:
            p = index.plan(q, self.conn, view, tag, searcher)
            if p is None:
                return []
            found = index.ranked(searcher, p, max(0, limit), max(0, offset))
        except ValueError:
            return []  # a query the index refuses (none known): nothing found, no error
        return self._search_hits(q, searcher, found, width or search.SNIPPET_CHARS)

    def search_count(self, query: str | Query, *, view: str = "all",
                     tag: str | None = None, live: bool = False) -> int:
        """How many articles `search` would find in all."""
        from reader import index, search
        q = query if isinstance(query, search.Query) else search.parse(query, live=live)
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if q.empty:
            return 0
        searcher = self._searcher()
        if searcher is None:
            return 0
        try:
            p = index.plan(q, self.conn, view, tag, searcher)
            return 0 if p is None else index.count(searcher, p)
        except ValueError:
            return 0

    def related(self, article_id: int, limit: int = 20,
                width: int | None = None) -> list[SearchHit]:
        """The articles most like this one (more like this: its most telling words)."""
        from reader import index, search
        searcher = self._searcher()
        rows = index.read_rows(self.conn, [article_id])
        if searcher is None or not rows or limit <= 0:
            return []
        query = index.related_query(searcher, rows[0])
        if query is None:
            return []
        found = index.ranked(searcher, index.Plan([query], True), limit, 0)
        words = " OR ".join(dict.fromkeys(
            w for w in index.analyze(rows[0].title) if w not in index.STOPWORDS))
        return self._search_hits(search.parse(words), searcher, found,
                                 width or search.SNIPPET_CHARS)

    def index_follower(self) -> Follower | None:
        """A process keeping the search index caught up while this store imports
        (None for a library in memory: its searches catch up themselves)."""
        if self.path == ":memory:":
            return None
        return Follower(self.path)

    def _search_hits(self, q: Query, searcher: Any, found: list[Any],
                     width: int) -> list[SearchHit]:
        """Results in their order: meta and tags from the library, snippet and marks
        from the article's plain text as indexed (no Markdown, no addresses)."""
        from reader import search
        if not found:
            return []
        ids = [f.id for f in found]
        marks = ",".join("?" * len(ids))
        meta = {r[0]: r[1:] for r in self.conn.execute(
            f"SELECT id, title, date, source, read, starred FROM articles WHERE id IN ({marks})",
            ids)}
        tags: dict[int, list[str]] = {}
        for article_id, name in self.conn.execute(
                "SELECT at.article_id, t.name FROM article_tags at JOIN tags t"
                f" ON t.id = at.tag_id WHERE at.article_id IN ({marks})"
                " ORDER BY t.name COLLATE NOCASE", ids):
            tags.setdefault(article_id, []).append(name)
        body_marker = search.Marker(q)
        title_marker = search.Marker(q, title=True)
        hits = []
        for f in found:
            if f.id not in meta:
                continue  # deleted since the index last caught up
            title, date, source, read, starred = meta[f.id]
            doc = searcher.doc(f.address)
            stored, info = doc.get_first("plain"), doc.get_first("info")
            plain = bytes(stored).decode("utf-8", "replace") if stored else ""
            body_hits = body_marker.find(plain, bytes(info).decode() if info else None)
            title_hits = title_marker.find(title)
            snippet, snippet_hits = search.snippet_around(plain, body_hits, width,
                                                          body_marker.one_word)
            hits.append(SearchHit(
                id=f.id, title=title, date=date, source=source,
                tags=tuple(tags.get(f.id, ())), score=f.score, snippet=snippet,
                snippet_hits=tuple(snippet_hits), title_hits=tuple(title_hits),
                hit_count=len(body_hits) + len(title_hits), read=bool(read),
                starred=bool(starred),
            ))
        return hits


class Follower:
    """Keeps a library's search index caught up from a process of its own
    (`reader.follower`), started by an import: indexing never runs inside the
    import's transactions, competes with it for the interpreter, nor holds up its end
    (the process finishes catching up after the import returns, then stops). One that
    dies loses nothing: the log is in the library, and the next search catches up from
    the index's last commit. Starting it loads nothing of the index here: the
    importing process goes on writing."""

    def __init__(self, library: str) -> None:
        import os
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader.follower", str(library), str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the index to have caught up (benchmarks, tests)."""
        self.process.wait(timeout)
