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
        delay = rng.uniform(0.05, 1.2)
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


NOTES_SCRIPT = """
import sys
from reader.models import Anchor
from reader.store import Store
store = Store(sys.argv[1])
article_id = int(sys.argv[2])
n = int(sys.argv[3])
while True:
    note_id = store.add_annotation(article_id, Anchor("words", "", "", 0, 5), note=f"note {n}")
    store.set_note(note_id, f"note {n} edited")
    print(n, flush=True)  # acknowledged: both writes committed
    n += 1
"""


def test_acknowledged_note_writes_survive_sigkill(tmp_path: Path) -> None:
    """Note writes acknowledged before a SIGKILL are all there after it."""
    from reader.models import ParsedArticle, Provenance

    rng = random.Random(5)
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.add_articles([ParsedArticle("Notes", "words " * 50, Provenance("/n.txt", "text",
                                                                             1, 1))])
        (article_id,) = store.article_ids()
    acked: list[int] = []
    for _ in range(ROUNDS):
        proc = subprocess.Popen([sys.executable, "-c", NOTES_SCRIPT, str(db), str(article_id),
                                 str(len(acked) and acked[-1] + 1)],
                                stdout=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=rng.uniform(0.3, 1.5))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        assert proc.stdout is not None
        acked += [int(line) for line in proc.stdout.read().split()]
        with Store(db) as store:
            notes = {a.note for a in store.annotations(article_id)}
        assert all(f"note {n} edited" in notes for n in acked)
    assert acked
    print(f"\nnote writes: {len(acked)} acknowledged across {ROUNDS} kills, none lost")
