"""The library's quick check, run beside the interface's start-up: a sound library opens,
a damaged one is refused before anything shows (small) or as the first frame would
(large), never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config
from reader.models import ParsedArticle, Provenance
from reader.store import LibraryDamaged, Store
from reader.ui import app as ui_app
from reader.ui.app import ReaderApp
from reader.ui.library_check import LibraryCheck
from reader.ui.screens.main import MainScreen


def library(path: Path, articles: int = 300) -> Path:
    with Store(path) as store:
        store.add_articles([
            ParsedArticle(title=f"Story {n}", body=f"Paragraph {n} of a story. " * 40,
                          date="2022-01-01", provenance=Provenance("x.txt", "text", n, n))
            for n in range(articles)])
    return path


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for n in range(pages * 2 // 5, pages * 3 // 5):
        data[n * page: n * page + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_a_sound_library_passes(tmp_path: Path) -> None:
    check = LibraryCheck(library(tmp_path / "lib.db"))
    assert check.problem() is None
    assert check.done and check.small
    check.refuse()  # nothing to refuse


def test_a_damaged_library_is_found(tmp_path: Path) -> None:
    path = library(tmp_path / "lib.db")
    damage(path)
    check = LibraryCheck(path)
    assert check.problem()
    with pytest.raises(LibraryDamaged):
        check.refuse()


def test_run_refuses_a_small_damaged_library_before_the_interface_starts(
        tmp_path: Path, monkeypatch) -> None:
    path = library(tmp_path / "lib.db")
    damage(path)  # in the middle: the library opens, its pages are damaged
    store = Store(path)
    started = []
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: started.append(self))
    with pytest.raises(LibraryDamaged):
        ui_app.run(store, check=LibraryCheck(path))
    assert not started
    store.close()


class Finding:
    """A check of a large library that is still running as the interface starts, and
    then finds damage."""

    small = False
    done = False

    def problem(self) -> str:
        return "database disk image is malformed"


async def test_the_first_frame_waits_for_the_check_and_a_damaged_library_closes_it(
        store) -> None:
    app = ReaderApp(store, config=Config(), check=Finding())  # type: ignore[arg-type]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        # Nothing of the library was listed or shown: the interface is closing.
        assert screen.list_pane.article_list.row_count == 0
    assert app.return_code == 1


async def test_a_sound_check_opens_the_library(store, tmp_path: Path) -> None:
    sound = LibraryCheck(library(tmp_path / "other.db", articles=3))
    app = ReaderApp(store, config=Config(), check=sound)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.list_pane.article_list.row_count == store.count()
    assert app.return_code in (None, 0)


def test_a_library_closed_sound_is_not_read_again_until_something_writes_it(
        tmp_path: Path, monkeypatch) -> None:
    path = library(tmp_path / "lib.db")
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: None)
    first = LibraryCheck(path)
    assert not first.skipped
    ui_app.run(Store(path), check=first)
    # Closed by the interface, unchanged since: the next start does not read it whole,
    # though it opens the library (and so its empty write-ahead log) before it asks.
    reopened = Store(path)
    assert path.with_name(path.name + "-wal").exists()
    again = LibraryCheck(path)
    assert again.skipped and again.done and again.problem() is None
    reopened.close()
    # An import (or any other write) makes the next start check it again.
    with Store(path) as store:
        store.add_articles([ParsedArticle(title="Later", body="A later story.",
                                          provenance=Provenance("y.txt", "text", 1, 1))])
    assert not LibraryCheck(path).skipped


def test_damage_after_a_sound_close_is_found_even_with_its_time_set_back(
        tmp_path: Path, monkeypatch) -> None:
    import os

    path = library(tmp_path / "lib.db")
    monkeypatch.setattr(ReaderApp, "run", lambda self, *a, **k: None)
    ui_app.run(Store(path), check=LibraryCheck(path))
    before = path.stat()
    damage(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    check = LibraryCheck(path)
    assert not check.skipped
    with pytest.raises(LibraryDamaged):
        check.refuse()


def test_an_interface_that_did_not_close_cleanly_remembers_nothing(
        tmp_path: Path, monkeypatch) -> None:
    path = library(tmp_path / "lib.db")

    def failing(self: ReaderApp, *args: object, **kwargs: object) -> None:
        self.exit(return_code=1)

    monkeypatch.setattr(ReaderApp, "run", failing)
    ui_app.run(Store(path), check=LibraryCheck(path))
    assert not LibraryCheck(path).skipped
