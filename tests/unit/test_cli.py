"""The command line, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import main
from tests.conftest import FIXTURES, SHARED


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_import_then_export_json(db_path: Path) -> None:
    result = invoke("import", str(FIXTURES / "wp_posts_tagged_straight.txt"),
                    str(FIXTURES / "article.md"), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "2 files imported: 4 new, 0 already present, 0 merged, 0 skipped, 0 failed" in result.output
    exported = json.loads(invoke("export", "articles", "--format", "json", "--db", str(db_path)).output)
    assert len(exported) == 4
    first = exported[0]
    assert set(first) >= {"id", "title", "date", "source", "url", "tags", "body", "provenance"}
    assert first["provenance"][0]["format"] == "tagpage"
    assert set(first["provenance"][0]) == {"path", "format", "start_line", "end_line"}
    assert exported[3]["url"] == "https://example.org/plain-text"


def test_seeds_export_matches_truth(db_path: Path) -> None:
    seeds = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    assert invoke("import", *seeds, "--db", str(db_path)).exit_code == 0
    exported = json.loads(invoke("export", "articles", "--db", str(db_path)).output)
    truths = [json.loads(p.read_text()) for p in sorted((SHARED / "seeds-truth").glob("*.json"))]
    expected = [(a["title"], a["date"], a["source"]) for t in truths for a in t["articles"]]
    assert [(a["title"], a["date"], a["source"]) for a in exported] == expected


def test_reimport_reports_already_present(db_path: Path) -> None:
    path = str(FIXTURES / "digest_variants.txt")
    invoke("import", path, "--db", str(db_path))
    result = invoke("import", path, "--db", str(db_path))
    assert "0 new, 5 already present" in result.output


def test_failure_exit_status_and_one_line_reasons(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = invoke("import", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                    str(FIXTURES / "note.txt"), "--db", str(db_path))
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'empty.txt'}: empty file" in result.output
    assert f"error: {tmp_path / 'missing.txt'}: no such file or folder" in result.output
    assert "1 new" in result.output and "2 failed" in result.output


def test_usage_errors_exit_2(db_path: Path) -> None:
    assert invoke("import", "--db", str(db_path)).exit_code == 2
    assert invoke("import", "x", "--format", "pdf", "--db", str(db_path)).exit_code == 2
    assert invoke("frobnicate").exit_code == 2


def test_preview_writes_nothing(db_path: Path) -> None:
    result = invoke("import", "--preview", str(FIXTURES / "crlf_bom_category.txt"), "--db", str(db_path))
    assert result.exit_code == 0
    assert "lines 3-21  2009-06-23  Three Days on the Night Trains of Europe  [Travel]" in result.output
    assert "3 articles would be imported" in result.output
    assert not db_path.exists()


def test_tags_stats_and_tag_option(db_path: Path) -> None:
    invoke("import", str(FIXTURES / "note.txt"), "--tag", "letters", "--tag", "bread", "--db", str(db_path))
    assert invoke("tags", "--db", str(db_path)).output.split() == ["1", "bread", "1", "letters"]
    stats = invoke("stats", "--db", str(db_path)).output
    assert "articles     1" in stats and "tags         2" in stats


def test_reader_db_environment_and_group_option(tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    invoke("import", str(FIXTURES / "note.txt"), env={"READER_DB": str(env_db)})
    assert env_db.exists()
    group_db = tmp_path / "group.db"
    assert invoke("--db", str(group_db), "import", str(FIXTURES / "note.txt")).exit_code == 0
    assert "articles     1" in invoke("--db", str(group_db), "stats").output


@pytest.mark.parametrize("fmt", ["jsonl", "markdown"])
def test_other_export_formats(db_path: Path, fmt: str) -> None:
    invoke("import", str(FIXTURES / "article.md"), str(FIXTURES / "note.txt"), "--db", str(db_path))
    out = invoke("export", "articles", "--format", fmt, "--db", str(db_path)).output
    if fmt == "jsonl":
        assert [json.loads(line)["title"] for line in out.splitlines()] == [
            "Notes on Plain Text", "A Letter About Bread"]
    else:
        assert out.startswith("---\ntitle: Notes on Plain Text\n")
        assert "# A Letter About Bread" in out


def test_markdown_export_to_a_folder(db_path: Path, tmp_path: Path) -> None:
    invoke("import", str(FIXTURES / "digest_variants.txt"), "--db", str(db_path))
    out = tmp_path / "out"
    invoke("export", "articles", "--format", "markdown", "--out", str(out), "--db", str(db_path))
    assert len(list(out.glob("*.md"))) == 5


def test_bad_library_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(main, ["stats", "--db", str(bad)])
    assert result.exit_code == 1
    assert "not a reader library" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    names = main.list_commands(click.Context(main))
    assert "import" in names and "search" in names
    for name in names:
        assert f"reader {name}" in readme, name


def test_two_imports_at_once_take_turns(db_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys
    import threading

    from reader.store import Store

    first = tmp_path / "one.md"
    first.write_text("# One\n\nThe first note, imported while another import runs.\n")
    holder = Store(db_path)
    release = threading.Event()

    def hold() -> None:
        with holder.transaction():  # another import, busy with a large file
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "reader", "import", "--db", str(db_path),
                                 str(first)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.5)  # waiting for its turn, not failing
    finally:
        release.set()
        thread.join()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "1 new" in out
    holder.close()


def test_imports_wait_long_for_their_turn_other_commands_do_not(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.store
    from reader.cli.importing import IMPORT_WAIT

    waits: list[float] = []
    original = reader.store.Store.__init__

    def recording(self, *args, timeout: float = 10.0, **kw) -> None:  # type: ignore[no-untyped-def]
        waits.append(timeout)
        original(self, *args, timeout=timeout, **kw)

    monkeypatch.setattr(reader.store.Store, "__init__", recording)
    invoke("import", "--db", str(db_path), str(FIXTURES / "note.txt"))
    invoke("stats", "--db", str(db_path))
    assert waits == [IMPORT_WAIT, 10.0] and IMPORT_WAIT >= 300


def test_the_interface_refuses_to_start_without_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    for args in ([], ["demo"]):
        result = CliRunner().invoke(main, [*args, "--db", str(db)] if args else
                                    ["--db", str(db)])
        assert result.exit_code == 1
        assert "needs a terminal" in result.output and "\n" not in result.output.strip()
    assert not db.exists()  # nothing imported for a demo that cannot be shown


def test_the_program_runs_the_command_then_freezes_what_is_left(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`reader` (the installed script and `python -m reader`) is `run`: the command as
    `main` runs it, its exit status kept, then every object left frozen, so that the
    interpreter's teardown runs no full collection over them."""
    import gc
    import tomllib

    from reader.cli import run

    project = Path(__file__).resolve().parents[2]
    scripts = tomllib.loads((project / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["reader"] == "reader.cli:run"
    assert "run()" in (project / "reader" / "__main__.py").read_text()

    monkeypatch.setattr("sys.argv", ["reader", "--version"])
    assert gc.get_freeze_count() == 0
    try:
        with pytest.raises(SystemExit) as exit_info:
            run()
        assert exit_info.value.code in (0, None)
        assert capsys.readouterr().out.startswith("reader ")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
