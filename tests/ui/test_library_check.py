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
