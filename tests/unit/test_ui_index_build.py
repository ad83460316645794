"""The interface's background build of the search index (reader.ui.index_build)."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.index
from reader.index import IndexBusy
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui import index_build
from reader.ui.index_build import IndexBuild

ARTICLES = [ParsedArticle(title=f"Kettle {i}", body=f"Tea and weather on day {i}.",
                          provenance=Provenance("/x.txt", "text", i, i + 1))
            for i in range(1, 40)]


def searched_library(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles(ARTICLES)
        assert store.search("kettle")


def test_an_index_of_another_version_is_built_and_said_so(db_path, monkeypatch):
    searched_library(db_path)
    monkeypatch.setattr(reader.index, "INDEX_VERSION", reader.index.INDEX_VERSION + 1)
    with Store(db_path) as store:
        build = IndexBuild(store)
        changes: list[str] = []
        build.on_change = lambda: changes.append(build.state)
        assert build.start()
        assert build.line().startswith("Building the search index (after an upgrade)")
        assert build.total == len(ARTICLES)
        assert f"{len(ARTICLES)} articles" in build.told()
        thread = store.search_index.building
        if thread is not None:
            thread.join(60)
        assert build.state == "ready" and changes[-1] == "ready"
        assert build.line() == "" and build.short() == ""
        assert not build.start()  # asked once
        assert store.search_index.needs_build(store.conn) is None
        assert len(store.search("kettle", limit=100)) == len(ARTICLES)


def test_a_sound_index_is_left_alone(db_path):
    searched_library(db_path)
    with Store(db_path) as store:
        build = IndexBuild(store)
        assert not build.start()
        assert build.state == "ready" and store.search_index.building is None


def test_a_library_in_memory_builds_its_index_at_its_first_search_as_before():
    store = Store(memory=True)
    build = IndexBuild(store)
    assert build.state == "ready" and not build.start()
    store.close()


def test_another_program_writing_the_index_hands_searches_back(db_path, monkeypatch):
    searched_library(db_path)
    monkeypatch.setattr(reader.index, "INDEX_VERSION", reader.index.INDEX_VERSION + 1)

    def busy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise IndexBusy

    monkeypatch.setattr(reader.index.SearchIndex, "_build", busy)
    with Store(db_path) as store:
        build = IndexBuild(store)
        build.start()
        thread = store.search_index.building
        if thread is not None:
            thread.join(60)
        assert build.state == "ready" and build.error == ""


def test_a_failed_build_is_one_terminal_safe_line(db_path, monkeypatch):
    searched_library(db_path)
    monkeypatch.setattr(reader.index, "INDEX_VERSION", reader.index.INDEX_VERSION + 1)

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no space left\non device\x1b[2J")

    monkeypatch.setattr(reader.index.SearchIndex, "_build", broken)
    with Store(db_path) as store:
        build = IndexBuild(store)
        build.start()
        thread = store.search_index.building
        if thread is not None:
            thread.join(60)
        assert build.state == "failed", (build.why, build.total, store.read_only)
        line = build.line()
        assert "no space left" in line and "reader reindex" in line
        assert "\n" not in line and "\x1b" not in line


def test_progress_is_reported_a_few_times_a_second_at_most(monkeypatch):
    monkeypatch.setattr(index_build, "PROGRESS_EVERY", 3600.0)
    store = Store(memory=True)
    build = IndexBuild(store)
    calls: list[int] = []
    build.on_change = lambda: calls.append(build.done)
    for done in range(0, 10_000, 500):
        build._progress(done, 10_000)
    assert calls == [0]  # the first report, then none within the interval
    assert build.done == 9_500
    store.close()


@pytest.mark.parametrize(("reason", "why"), [
    ("missing", "it was missing"), ("damaged", "it was damaged"),
    ("incomplete", "an earlier build was cut short"),
    ("of another version (3)", "after an upgrade")])
def test_reasons_read_as_a_person_would_say_them(reason, why):
    assert index_build._why(reason) == why


@pytest.mark.parametrize("fails", [False, True])
def test_a_build_that_ends_before_it_is_handed_back_ends_as_it_did(db_path, monkeypatch,
                                                                    fails):
    """`build_in_background` hands back its thread attribute, which a quick thread has
    already cleared: the build's own end decides, never a guess."""
    searched_library(db_path)
    monkeypatch.setattr(reader.index, "INDEX_VERSION", reader.index.INDEX_VERSION + 1)
    if fails:
        def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError("no space left on device")

        monkeypatch.setattr(reader.index.SearchIndex, "_build", broken)
    start = reader.index.SearchIndex.build_in_background

    def quick(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        thread = start(self, *args, **kwargs)
        if thread is not None:
            thread.join(60)
        return None  # as when the thread ended before the method returned

    monkeypatch.setattr(reader.index.SearchIndex, "build_in_background", quick)
    with Store(db_path) as store:
        build = IndexBuild(store)
        build.start()
        assert build.state == ("failed" if fails else "ready")
