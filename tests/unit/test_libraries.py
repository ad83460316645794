"""Damaged, foreign, read-only, missing and odd libraries and paths."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import library
from reader.cli import main
from reader.importer import Importer
from reader.store import Store
from tests.conftest import damage_index_files


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def dump(path: Path, stories: int, start: int = 0) -> Path:
    path.write_text("".join(
        f"Story {i} headline here\n\nStory {i} headline here\n\n{f'Body text {i}. ' * 60}"
        "\n\nRead More\n\n\n" for i in range(start, start + stories)), encoding="utf-8")
    return path


def filled(db: Path, tmp_path: Path, stories: int = 400) -> Path:
    with Store(db) as store:
        assert Importer(store).run([dump(tmp_path / "seed.txt", stories)]).ok
    return db


def corrupt_middle(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    pages = len(data) // page
    for n in range(pages * 2 // 5, pages * 3 // 5):
        data[n * page: n * page + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("args", [
    ["stats"], ["tags"], ["search", "nosuchwordanywhere"], ["export", "articles"],
    ["export", "annotations"], ["import", "NEW"], ["delete", "1", "--yes"],
])
def test_a_corrupt_page_makes_every_command_say_damaged(tmp_path: Path, args: list[str]) -> None:
    db = filled(tmp_path / "lib.db", tmp_path)
    corrupt_middle(db)
    before = db.read_bytes()
    args = [str(dump(tmp_path / "new.txt", 5, 9000)) if a == "NEW" else a for a in args]
    result = run(*args, "--db", str(db))
    assert result.exit_code != 0, result.output
    assert "damaged" in result.output and "Traceback" not in result.output
    assert "reader check" in result.output
    assert db.read_bytes() == before  # nothing written into it


def test_reader_check_reports_one_line_each(tmp_path: Path) -> None:
    db = filled(tmp_path / "lib.db", tmp_path)
    sound = run("check", "--db", str(db))
    assert sound.exit_code == 0, sound.output
    lines = sound.output.strip().splitlines()
    assert lines[0] == "integrity: ok" and "references: ok" in lines
    assert lines[-1].startswith("search index: ")
    assert all(line.endswith(": ok") for line in lines[:-1])
    corrupt_middle(db)
    damaged = run("check", "--db", str(db))
    assert damaged.exit_code == 1
    assert "integrity: " in damaged.output and "integrity: ok" not in damaged.output
    assert "backup" in damaged.output


def test_reader_check_reports_a_damaged_search_index_apart(tmp_path: Path) -> None:
    db = filled(tmp_path / "lib.db", tmp_path)
    assert run("search", "story", "--db", str(db)).exit_code == 0  # the index is built
    assert run("check", "--db", str(db)).output.strip().endswith("search index: ok")
    damage_index_files(Path(f"{db}-search"))
    damaged = run("check", "--db", str(db))
    assert damaged.exit_code == 1
    assert "search index: damaged" in damaged.output and "reader reindex" in damaged.output
    assert "integrity: ok" in damaged.output and "backup" not in damaged.output
    assert run("reindex", "--db", str(db)).exit_code == 0
    assert run("check", "--db", str(db)).exit_code == 0


def test_a_damaged_schema_page_is_reported_by_every_command(tmp_path: Path) -> None:
    db = filled(tmp_path / "lib.db", tmp_path, stories=20)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\x5a" * (4096 - 100)  # page 1 after the file header: the schema
    db.write_bytes(bytes(data))
    for args in (["stats"], ["search", "x"], ["check"], ["import", str(tmp_path / "seed.txt")]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 1, args
        assert "damaged" in result.output and "Traceback" not in result.output


def test_the_interface_refuses_a_damaged_library(tmp_path: Path, monkeypatch) -> None:
    import reader.cli.reading

    db = filled(tmp_path / "lib.db", tmp_path)
    corrupt_middle(db)
    monkeypatch.setattr(reader.cli.reading, "need_terminal", lambda: None)  # as on a terminal
    result = run("--db", str(db))
    assert result.exit_code == 1
    assert "damaged" in result.output and "reader check" in result.output


def test_another_applications_sqlite_file_is_not_changed(tmp_path: Path) -> None:
    other = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('mine')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (["stats"], ["import", str(dump(tmp_path / "d.txt", 2))]):
        result = run(*args, "--db", str(other))
        assert result.exit_code == 1
        assert "not a reader library" in result.output and "not changed" in result.output
    assert other.read_bytes() == before  # bytes 18-19 (journal mode) included
    assert not Path(f"{other}-wal").exists()


def test_read_only_library_reads_searches_and_exports(tmp_path: Path, monkeypatch) -> None:
    db = filled(tmp_path / "lib.db", tmp_path, stories=20)
    before = db.read_bytes()
    monkeypatch.setattr(library, "_writable", lambda path: False)
    with Store(db) as store:
        assert store.read_only and store.count() == 20
        assert any("read-only" in w for w in store.warnings)
    stats = run("stats", "--db", str(db))
    assert stats.exit_code == 0 and "articles     20" in stats.output
    assert "read-only" in stats.output
    assert run("search", "Story", "--db", str(db)).exit_code == 0
    assert run("export", "articles", "--db", str(db)).exit_code == 0
    checked = run("check", "--db", str(db))
    assert checked.exit_code == 0 and "integrity: ok" in checked.output
    refused = run("import", str(dump(tmp_path / "more.txt", 2, 500)), "--db", str(db))
    assert refused.exit_code == 1 and "read-only" in refused.output
    assert "damaged" not in refused.output
    kept = run("delete", "1", "--yes", "--db", str(db))
    assert kept.exit_code == 1 and "read-only" in kept.output
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["stats"], ["tags"], ["search", "x"],
                                     ["export", "articles"], ["export", "annotations"],
                                     ["check"], ["delete", "1", "--yes"]])
def test_read_only_commands_do_not_create_a_library(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "nowhere" / "lib.db"
    result = run(*command, "--db", str(db))
    assert result.exit_code == 1
    assert "no library at" in result.output
    assert not db.exists() and not db.parent.exists()


def test_an_empty_file_is_no_library_for_commands_that_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run("stats", "--db", str(empty))
    assert result.exit_code == 1 and "no library at" in result.output
    assert empty.read_bytes() == b""


def test_empty_db_path_is_refused(tmp_path: Path) -> None:
    for args in (["stats", "--db", ""], ["--db", "", "stats"]):
        result = run(*args)
        assert result.exit_code == 2 and "--db" in result.output


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    db = tmp_path / "lib.db"
    proc = subprocess.run([sys.executable, "-m", "reader", "import", str(fifo), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "not a regular file" in proc.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "inner.txt")
    (folder / "note.md").write_text("# Note\n\nKept.\n")
    inside = subprocess.run([sys.executable, "-m", "reader", "import", str(folder), "--db",
                             str(db)], capture_output=True, text=True, timeout=60)
    assert inside.returncode == 0 and "inner.txt: not a regular file" in inside.stderr
    as_db = subprocess.run([sys.executable, "-m", "reader", "stats", "--db", str(fifo)],
                           capture_output=True, text=True, timeout=60)
    assert as_db.returncode == 1 and "not a regular file" in as_db.stderr


def test_symlinks_leaving_a_folder_are_skipped_and_said(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Private\n\nNot for the library, this one stays out of it.\n")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "note.md").write_text("# Kept\n\nA note inside the folder.\n")
    (folder / "x.txt").symlink_to(secret)
    (folder / "out").symlink_to(tmp_path, target_is_directory=True)
    db = tmp_path / "lib.db"
    result = run("import", str(folder), "--db", str(db))
    assert "symbolic link leading out of the folder" in result.output
    with Store(db) as store:
        assert [a.title for a in store.iter_articles()] == ["Kept"]
    # Named on the command line, a link is the user's choice.
    direct = run("import", str(folder / "x.txt"), "--db", str(db))
    assert direct.exit_code == 0


def test_binary_junk_after_a_utf16_mark_is_refused(tmp_path: Path) -> None:
    import random

    junk = tmp_path / "junk.txt"
    rng = random.Random(7)
    junk.write_bytes(b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(20000)))
    text = tmp_path / "fine.txt"
    text.write_bytes("Title\n\nA real UTF-16 text with a mark.\n".encode("utf-16"))
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([junk, text])
        assert store.count() == 1
    (failed,) = report.failed
    assert "binary file" in (failed.error or "")


def test_a_damaged_write_ahead_log_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    store = Store(db)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    assert Importer(store).run([dump(tmp_path / "a.txt", 50)]).ok
    assert Importer(store).run([dump(tmp_path / "b.txt", 50, 100)]).ok
    # Copies as a crash leaves them: the log not yet checkpointed.
    main, wal = db.read_bytes(), Path(f"{db}-wal").read_bytes()
    store.close()
    sound, damaged = tmp_path / "sound", tmp_path / "damaged"
    for folder in (sound, damaged):
        folder.mkdir()
        (folder / "lib.db").write_bytes(main)
    (sound / "lib.db-wal").write_bytes(wal)
    flipped = bytearray(wal)
    flipped[len(flipped) // 3] ^= 0xFF  # one flipped bit early in the log's frames
    (damaged / "lib.db-wal").write_bytes(bytes(flipped))
    with Store(sound / "lib.db") as intact:
        assert intact.warnings == [] and intact.count() == 100
    result = run("stats", "--db", str(damaged / "lib.db"))
    assert "warning:" in result.output and "write-ahead log is damaged" in result.output
    assert "Traceback" not in result.output


DRIVER = """
import json, subprocess, sys
db = sys.argv[1]
out = {}
for name, args in {"stats": ["stats"], "search": ["search", "Story"],
                   "export": ["export", "articles", "--format", "jsonl"],
                   "check": ["check"], "import": ["import", sys.argv[2]]}.items():
    p = subprocess.run([sys.executable, "-m", "reader", *args, "--db", db],
                       capture_output=True, text=True)
    out[name] = [p.returncode, p.stdout, p.stderr]
print(json.dumps(out))
"""


def test_a_library_on_a_read_only_mount_opens_read_only(tmp_path: Path) -> None:
    """A real read-only bind mount, in a user namespace of its own."""
    import json
    import shutil

    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-r", "-m", "true"], capture_output=True) \
        if unshare else None
    if probe is None or probe.returncode != 0:
        pytest.skip("no user namespaces here to mount in (the read-only logic is tested above)")
    src, mnt = tmp_path / "src", tmp_path / "mnt"
    src.mkdir()
    mnt.mkdir()
    filled(src / "lib.db", tmp_path, stories=20)
    extra = dump(tmp_path / "extra.txt", 2, 700)
    proc = subprocess.run(
        [unshare, "-r", "-m", "sh", "-c",
         'mount --bind -o ro "$1" "$2" && exec "$3" -c "$4" "$2/lib.db" "$5"',
         "sh", str(src), str(mnt), sys.executable, DRIVER, str(extra)],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["stats"][0] == 0 and "articles     20" in out["stats"][1]
    assert "read-only" in out["stats"][2] and "damaged" not in out["stats"][2]
    assert out["search"][0] == 0 and "Story" in out["search"][1]
    assert out["export"][0] == 0 and len(out["export"][1].splitlines()) == 20
    assert out["check"][0] == 0 and "integrity: ok" in out["check"][1]
    assert out["import"][0] == 1 and "read-only" in out["import"][2]
