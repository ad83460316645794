"""An import that finishes remembers the library sound, so that the interface's next
start skips reading the whole file; a killed or failed one remembers nothing, and the
check runs (docs/reliability.md, The interface's start-up check)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from reader import library
from reader.cli import main
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui.library_check import LibraryCheck


def digest(path: Path, articles: int, first: int = 0, words: int = 40) -> Path:
    path.write_text("".join(
        f"Story {i} headline here\n\nStory {i} headline here\n\n"
        f"{f'Body text of story {i}. ' * words}\n\nRead More\n\n\n"
        for i in range(first, first + articles)), encoding="utf-8")
    return path


def reader_import(*args: str) -> int:
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False).exit_code


def test_a_finished_import_is_remembered_and_the_next_start_skips_the_check(
        tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert reader_import(str(digest(tmp_path / "a.txt", 20)), "--db", str(db)) == 0
    check = LibraryCheck(db)
    assert check.skipped and check.problem() is None
    # Into a library already remembered: remembered again, as the import left it.
    assert reader_import(str(digest(tmp_path / "b.txt", 20, first=20)), "--db", str(db)) == 0
    assert Store(db).count() == 40
    assert LibraryCheck(db).skipped
    # Anything else that writes it afterwards still makes the next start check it.
    with Store(db) as store:
        store.add_articles([ParsedArticle(title="Later", body="A later story.",
                                          provenance=Provenance("y.txt", "text", 1, 1))])
    assert not LibraryCheck(db).skipped


def test_a_failed_import_remembers_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert reader_import(str(digest(tmp_path / "a.txt", 5)), "--db", str(db)) == 0
    assert library.remembered(db)
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff\xfe binary" * 100)
    # The good file is written, the junk refused: the import ends with an error.
    assert reader_import(str(digest(tmp_path / "b.txt", 5, first=5)), str(junk),
                         "--db", str(db)) == 1
    assert Store(db).count() == 10
    assert not LibraryCheck(db).skipped


def test_a_killed_import_remembers_nothing_and_the_check_runs(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    assert reader_import(str(digest(tmp_path / "a.txt", 5)), "--db", str(db)) == 0
    assert library.remembered(db)
    big = digest(tmp_path / "big.txt", 6000, first=5, words=150)
    proc = subprocess.Popen([sys.executable, "-m", "reader", "import", str(big), "--db",
                             str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while library.remembered(db) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # until the import has written to the file
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL  # killed mid-import, not finished
    check = LibraryCheck(db)
    assert not check.skipped
    assert check.problem() is None  # and the check, run, finds it sound
    assert Store(db).count() in (5, 6005)


def written(path: Path, articles: int) -> None:
    with Store(path) as store:
        store.add_articles([
            ParsedArticle(title=f"Story {n}", body=f"Paragraph {n} of a story.",
                          provenance=Provenance("x.txt", "text", n, n))
            for n in range(articles)])


def log_rows(path: Path) -> int:
    # Read-only: a connection that closes last folds the log into the file, a write.
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM search_log").fetchone()[0])
    finally:
        conn.close()


def following(path: Path) -> None:
    """The follower of an import that has returned, in a process of its own (it lowers
    its priority), until it stops."""
    subprocess.run([sys.executable, "-m", "reader.follower", str(path), "1"], check=True,
                   timeout=120)


def test_the_follower_carries_what_the_import_remembered_over_its_own_write(
        tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    written(db, 30)
    library.remember(db)  # as the import does when it finishes
    before = library.fingerprint(db)
    following(db)  # the import has finished: catch up, forget the log, stop
    assert log_rows(db) == 0  # the follower wrote to the library
    assert library.fingerprint(db) != before
    assert LibraryCheck(db).skipped


def test_the_follower_remembers_nothing_the_import_did_not(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    written(db, 30)  # a killed import: nothing remembered
    following(db)
    assert log_rows(db) == 0
    assert not library.remembered(db)
    assert not LibraryCheck(db).skipped


def test_an_import_with_its_follower_leaves_the_next_start_without_a_check(
        tmp_path: Path) -> None:
    # Enough articles for the import to start its follower, which writes to the
    # library after the import has returned (it forgets the changes it applied).
    db = tmp_path / "lib.db"
    big = digest(tmp_path / "big.txt", 1200)
    done = subprocess.run([sys.executable, "-m", "reader", "import", str(big), "--db",
                           str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 180
    while log_rows(db) and time.monotonic() < deadline:
        time.sleep(0.1)  # the follower at work
    assert log_rows(db) == 0
    while not library.remembered(db) and time.monotonic() < deadline:
        time.sleep(0.05)  # between its last write and what it remembers
    check = LibraryCheck(db)
    assert check.skipped
    assert Store(db).count() == 1200
