"""Parser processes: none outlives a killed import, ctrl+c prints no traceback."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from reader.store import Store

KILL_SCRIPT = """
import sys
from reader.importer import Importer
from reader.store import Store
Importer(Store(sys.argv[1])).run(sys.argv[2:])
"""


def big_dump(path: Path, stories: int = 6000) -> Path:
    path.write_text("".join(
        f"Story {i} headline here\n\nStory {i} headline here\n\n{f'Body text {i}. ' * 300}"
        "\n\nRead More\n\n\n" for i in range(stories)), encoding="utf-8")
    return path


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def wait_for(condition, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_killing_the_importer_alone_leaves_no_parser_behind(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    Store(db).close()
    dump = big_dump(tmp_path / "big.txt")  # over 4 MB: parsed in a child process
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(dump)])
    try:
        assert wait_for(lambda: bool(children_of(proc.pid))), "no parser process started"
        children = children_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, not its group
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    survivors = {pid for pid in children if wait_for(lambda pid=pid: not alive(pid))
                 is False}
    for pid in survivors:  # leave nothing behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_ctrl_c_mid_import_prints_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    folder = tmp_path / "many"
    folder.mkdir()
    big_dump(folder / "a-big.txt")
    for n in range(12):
        big_dump(folder / f"small-{n}.txt", stories=40)
    proc = subprocess.Popen([sys.executable, "-m", "reader", "import", str(folder), "--db", str(db)],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            start_new_session=True, text=True)
    try:
        assert wait_for(lambda: bool(children_of(proc.pid)))
        time.sleep(0.5)  # past the start-up of the processes: parsing and writing
        # As a terminal's ctrl+c: the whole group. One pressed while a parser process
        # is being started is ignored (see `_quiet_start`): pressed again, as a user would.
        for _ in range(20):
            os.killpg(proc.pid, signal.SIGINT)
            if wait_for(lambda: proc.poll() is not None, 1.0):
                break
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert proc.returncode != 0
    assert "interrupted" in err
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_forked_parsers_start_no_resource_tracker(monkeypatch) -> None:
    """Processes forked from the importer need no resource tracker (their pipes and a
    pool's locks leave no named resource behind): none is started for them, an
    interpreter less beside every large import. Other start methods start it first,
    while ctrl+c is ignored."""
    import multiprocessing
    from multiprocessing import resource_tracker

    from reader.importer.pool import quiet_start

    started: list[int] = []
    monkeypatch.setattr(resource_tracker, "ensure_running",
                        lambda: started.append(signal.getsignal(signal.SIGINT)))
    with quiet_start(multiprocessing.get_context("fork")):
        pass
    assert started == []
    with quiet_start(multiprocessing.get_context("spawn")):
        pass
    assert started == [signal.SIG_IGN]
