"""Building the search index in the background: an interface never waits for it."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

from reader.index import index_path
from reader.models import ParsedArticle, Provenance
from reader.store import Store


def art(title: str, body: str, n: int) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance("/x.txt", "text", n, n + 1))


ARTICLES = [art(f"Note {i}", f"Tea and weather on day {i}.", i) for i in range(1, 1200)] + [
    art("Kettles", "The kettle boils over.", 5000)]


def test_a_missing_index_is_built_in_the_background_with_progress(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles(ARTICLES)
        assert [h.title for h in store.search("kettle")] == ["Kettles"]
        store.search_index.prune(store.conn)  # the log no longer holds every change
    shutil.rmtree(index_path(db_path))
    with Store(db_path) as store:
        index = store.search_index
        assert index.needs_build(store.conn) == "missing"
        halfway, release = threading.Event(), threading.Event()
        steps: list[tuple[int, int]] = []
        ended: list[BaseException | None] = []

        def progress(done: int, total: int) -> None:
            steps.append((done, total))
            if len(steps) == 1:
                halfway.set()
                release.wait(30)

        thread = index.build_in_background(lambda: sqlite3.connect(db_path), progress,
                                           ended.append)
        assert thread is not None
        assert halfway.wait(30)
        # While it builds, a search answers at once: nothing found, and a message why.
        assert store.search("kettle") == []
        assert store.search_notices
        release.set()
        thread.join(60)
        assert ended == [None]
        assert steps[-1] == (len(ARTICLES), len(ARTICLES))
        assert [d for d, _ in steps] == sorted(d for d, _ in steps)
        assert index.building is None
        assert [h.title for h in store.search("kettle")] == ["Kettles"]
        assert index.needs_build(store.conn) is None
        assert index.build_in_background(lambda: sqlite3.connect(db_path)) is None


def test_a_sound_index_needs_no_build(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles(ARTICLES[:3])
        store.search("tea")
    with Store(db_path) as store:
        assert store.search_index.needs_build(store.conn) is None
        assert store.search_index.build_in_background(lambda: sqlite3.connect(db_path)) is None
        assert [h.title for h in store.search("day 2")][:1] == ["Note 2"]
