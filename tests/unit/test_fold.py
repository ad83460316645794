"""A large import's last commit leaves folding the write-ahead log into the library file
to its index follower, which has the library open when the import closes it: the
import returns once its transaction is committed (`Store.hold_fold`)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reader import follower, library
from reader.importer import Importer
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from tests.unit.test_remembered_check import digest, log_rows

PAGES = 1500
"""Articles of a page and more each: past the thousand pages at which a commit folds."""


def articles(count: int = PAGES, first: int = 0) -> list[ParsedArticle]:
    return [ParsedArticle(title=f"Kettle {n}", body=f"Kettle number {n} whistles. " * 160,
                          provenance=Provenance("k.txt", "text", n, n))
            for n in range(first, first + count)]


def opened(db: Path) -> sqlite3.Connection:
    """Another process's connection to the library, read once (as the follower's is)."""
    conn = sqlite3.connect(f"file:{db}?mode=rw", uri=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    return conn


def test_a_held_fold_leaves_the_pages_in_the_log_until_fold(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    with Store(db) as store:
        other = opened(db)
        store.add_articles(articles(10, first=PAGES))
        folded = db.stat().st_size
        store.hold_fold()
        store.add_articles(articles())
        assert db.stat().st_size == folded  # committed, in the log only
        assert store.count() == PAGES + 10
        store.fold()
        assert db.stat().st_size > folded + PAGES * 4096  # in the file now
        store.add_articles(articles(1200, first=PAGES + 10))
        assert db.stat().st_size > folded + (PAGES + 1000) * 4096  # folds at commits again
    other.close()


def test_closing_with_another_process_open_leaves_the_fold_to_it(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    store = Store(db)
    other = opened(db)
    store.hold_fold()
    store.add_articles(articles())
    small = db.stat().st_size
    store.close()
    assert db.stat().st_size == small  # not folded as it closed
    other.close()  # the last connection folds
    assert db.stat().st_size > small + PAGES * 4096
    with Store(db) as store:
        assert store.count() == PAGES


def test_the_follower_folds_the_log_once_the_import_has_returned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lib.db"
    Store(db).close()
    other = opened(db)  # so that only a checkpoint folds, never a last close
    importing = {"alive": True}
    monkeypatch.setattr(os, "getppid", lambda: 4242 if importing["alive"] else 1)
    monkeypatch.setattr(os, "nice", lambda n: n)
    waiting = threading.Event()
    empty = follower._log_empty

    def watched(conn: sqlite3.Connection) -> bool:
        waiting.set()  # the library open, waiting for the import to commit
        return empty(conn)

    monkeypatch.setattr(follower, "_log_empty", watched)
    # The follower starts beside the import (its importer, process 4242, is running).
    following = threading.Thread(target=follower.follow, args=(str(db), 4242, 0.01))
    following.start()
    assert waiting.wait(30)
    with Store(db) as store:
        store.hold_fold()
        store.add_articles(articles())
    library.remember(db)  # as the import does when it finishes
    small = db.stat().st_size
    importing["alive"] = False  # the import returns
    following.join(60)
    assert not following.is_alive()
    assert db.stat().st_size > small + PAGES * 4096  # folded by the follower
    assert library.remembered(db)  # and still remembered sound
    other.close()
    assert log_rows(db) == 0


def test_a_large_file_starts_the_follower_before_its_import_and_holds_its_fold(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.importer as importer
    import reader.importer.pool as pool

    monkeypatch.setattr(pool, "PARALLEL_BYTES", 10_000)
    monkeypatch.setattr(importer, "FOLLOW_BYTES", 10_000)
    large = [digest(tmp_path / f"b-large{n}.txt", 30, first=100 * n) for n in range(2)]
    small = digest(tmp_path / "a-small.txt", 2)
    assert small.stat().st_size < 10_000 < min(f.stat().st_size for f in large)
    events: list[tuple[str, int]] = []
    store = Store(tmp_path / "lib.db")
    monkeypatch.setattr(store, "index_follower", lambda: events.append(
        ("follower", store.count())) or "follower")
    for name in ("hold_fold", "fold"):
        method = getattr(store, name)

        def record(method=method, name=name) -> None:  # type: ignore[no-untyped-def]
            events.append((name, store.count()))
            method()

        monkeypatch.setattr(store, name, record)
    report = Importer(store).run([small, *large], processes=1)
    one, two, _ = (f.result.new for f in report.files)
    assert one and two
    # The small file neither starts the follower nor holds; the first large one starts
    # it and holds; the second folds what the first held, then holds its own.
    assert events == [("fold", 0), ("fold", one), ("follower", one), ("hold_fold", one),
                      ("fold", one + two), ("hold_fold", one + two)]
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    store.close()


def test_a_large_import_returns_and_its_follower_folds_and_remembers(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    big = digest(tmp_path / "big.txt", 4200)  # past 4 MB: the follower starts first
    assert big.stat().st_size >= 4 << 20
    done = subprocess.run([sys.executable, "-m", "reader", "import", str(big), "--db",
                           str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 180
    wal = Path(f"{db}-wal")
    # Looked at without opening it (a connection opening the log can change its status
    # time): the follower folds, catches up, forgets the log, closes last, remembers.
    while (wal.exists() or not library.remembered(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert library.remembered(db) and not wal.exists()
    assert db.stat().st_size > 4 << 20  # the articles are in the file itself
    assert log_rows(db) == 0
    with Store(db) as store:
        assert store.count() == 4200
        assert len(store.search("story 4199")) >= 1


def _follower(db: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """The follower of an import this process stands for (its parent: alive)."""
    started = subprocess.Popen([sys.executable, "-m", "reader.follower", str(db),
                                str(os.getpid())])
    return started, Path(f"/proc/{started.pid}")


def _loaded(proc: Path) -> bool:
    """Whether the process has loaded the index (tantivy's library in its memory)."""
    return "tantivy" in (proc / "maps").read_text()


def _has_the_log_open(proc: Path) -> bool:
    return any(str(link.readlink()).endswith("lib.db-wal")
               for link in (proc / "fd").iterdir() if link.is_symlink())


def _until(test: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not test() and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(test())


PROC = pytest.mark.skipif(not Path("/proc/self/maps").exists(),
                          reason="reads a process's /proc")


@PROC
def test_the_follower_loads_the_index_only_once_the_import_has_committed(
        tmp_path: Path) -> None:
    # Started before a large file, it must take no CPU from the import's processes
    # until there is something to catch up.
    db = tmp_path / "lib.db"
    Store(db).close()
    started, proc = _follower(db)
    try:
        assert _until(lambda: _has_the_log_open(proc))
        time.sleep(0.3)
        assert not _loaded(proc)  # waiting, the library open
        with Store(db) as store:
            store.add_articles(articles(3))
        assert _until(lambda: _loaded(proc))  # catching up
    finally:
        started.kill()
        started.wait()


@PROC
def test_a_follower_started_after_a_commit_catches_up_at_once(tmp_path: Path) -> None:
    # Started after a file of an import of several was committed: its changes are
    # caught up while the next file is imported, not after.
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.add_articles(articles(3))
    started, proc = _follower(db)
    try:
        assert _until(lambda: _loaded(proc), seconds=20)
    finally:
        started.kill()
        started.wait()
