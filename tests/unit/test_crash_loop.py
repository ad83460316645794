"""SIGKILL at random points of imports into one library, again and again.

Each round starts `reader import` on a few files (one large enough to be parsed
in a child process) and kills the importing process alone at a random moment.
After every kill: the library passes SQLite's integrity check, every file is in
it whole or not at all, and no parser process is left. Rounds: READER_CRASH_LOOPS
(30 or more locally), 3 by default so that CI stays quick.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.store import Store
from tests.unit.test_processes import alive, children_of, wait_for

ROUNDS = int(os.environ.get("READER_CRASH_LOOPS", "3"))


def _dump(path: Path, stories: int, tag: str) -> tuple[Path, int]:
    path.write_text("".join(
        f"{tag} story {i} headline\n\n{tag} story {i} headline\n\n{f'{tag} words {i}. ' * 300}"
        "\n\nRead More\n\n\n" for i in range(stories)), encoding="utf-8")
    return path, stories


def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261205)
    db = tmp_path / "lib.db"
    Store(db).close()
    files = dict([_dump(tmp_path / "large.txt", 1000, "Large"),  # > 4 MB: a child parses it
                  _dump(tmp_path / "one.txt", 150, "One"),
                  _dump(tmp_path / "two.txt", 150, "Two")])
    survived = killed = 0
    for _ in range(ROUNDS):
        delay = rng.uniform(0.05, 2.5)
        proc = subprocess.Popen([sys.executable, "-m", "reader", "import", *map(str, files),
                                 "--db", str(db)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            children = children_of(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed += 1
            left = [pid for pid in children if not wait_for(lambda pid=pid: not alive(pid))]
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            assert not left, "a parser process outlived the import"
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            for path, stories in files.items():
                n = conn.execute("SELECT count(*) FROM provenance WHERE path = ?",
                                 (str(path.resolve()),)).fetchone()[0]
                assert n in (0, stories), f"{path.name}: {n} of {stories} articles"
        finally:
            conn.close()
        survived += 1
    final = subprocess.run([sys.executable, "-m", "reader", "import", *map(str, files),
                            "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    with Store(db) as store:
        assert store.count() == sum(files.values())
    print(f"\ncrash loop: {survived} rounds, {killed} killed mid-import, library intact")
