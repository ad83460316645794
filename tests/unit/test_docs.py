"""The command line documents itself: help with an example on every command, the README
and the manual page in step with the commands; the conventions terminal tools share."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from reader import manpage
from reader.cli import demo_dir, main
from reader.store import Store
from tests.conftest import FIXTURES, ROOT


def commands(group: click.Group = main, prefix: str = "reader") -> list[tuple[str, Any]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
    return found


COMMANDS = commands()


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_the_command_list_is_complete() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"reader import", "reader export articles", "reader backup", "reader paths",
            "reader demo"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(path: str, flag: str) -> None:
    result = invoke(*path.split()[1:], flag)
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("Usage: ")
    summary = text.split("\n\n")[1].strip()
    assert len(summary) > 10, f"{path} has no help"
    assert "Example" in text, f"{path} has no example"
    examples = text[text.index("Example"):].split("\n\n")[0]
    assert f"\n    {path}" in examples or (path == "reader" and "\n    reader " in examples), (
        f"{path}: its example does not use it")


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_every_command_is_in_the_readme(path: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{path} " in readme or f"{path}`" in readme, f"{path} is not in the README"


def test_the_manual_page_is_in_step_with_the_commands() -> None:
    page = (ROOT / "docs" / "reader.1").read_text(encoding="utf-8")
    assert page == manpage.render(), (
        "docs/reader.1 is out of date: python -m reader.manpage > docs/reader.1")
    for path, _ in COMMANDS:
        assert f".SS {path}" in page


def test_version_names_textual_and_sqlite() -> None:
    from importlib.metadata import version

    text = invoke("--version").output.strip()
    assert text.startswith(f"reader {version('reader-tui')} (")
    assert f"Textual {version('textual')}" in text
    assert f"SQLite {sqlite3.sqlite_version}" in text


def test_paths(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    result = invoke("--db", str(tmp_path / "x.db"), "paths", "--json",
                    env={"READER_CONFIG": str(config)})
    found = json.loads(result.output)
    assert found["library"] == str(tmp_path / "x.db")
    assert found["config"] == str(config)
    assert set(found) == {"library", "config", "cache", "demo_library", "demo_archive"}
    assert Path(found["demo_archive"]).is_dir()
    plain = invoke("paths", env={"READER_DB": str(tmp_path / "y.db")}).output
    assert f"library       {tmp_path / 'y.db'}\n" in plain


def test_the_demo_archive_ships_inside_the_package() -> None:
    import reader

    folder = demo_dir()
    assert folder.is_relative_to(Path(reader.__file__).parent)
    assert len(list(folder.glob("*.md"))) + len(list(folder.glob("*.txt"))) >= 5


def test_the_demo_runs_headless_for_the_install_check(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(db)],
                                env={"READER_HEADLESS_CHECK": "1",
                                     "READER_CONFIG": str(tmp_path / "none.toml")})
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        count = store.stats().articles
    assert f"the interface listed {count} articles" in result.output and count >= 5


def test_stats_json(db_path: Path) -> None:
    invoke("import", "--db", str(db_path), str(FIXTURES / "article.md"))
    figures = json.loads(invoke("stats", "--json", "--db", str(db_path)).output)
    assert figures["articles"] == 1 and figures["unread"] == 1 and figures["tags"] == 2
    assert figures["bytes"] > 0 and figures["library"] == str(db_path)
    expected = {"articles": 1, "tags": 2, "article_tags": 2, "provenance": 1, "annotations": 0}
    assert {k: figures["tables"][k] for k in expected} == expected
    assert all(isinstance(n, int) for n in figures["tables"].values())


def test_the_library_reads_with_the_sqlite_utils_command_line(db_path: Path) -> None:
    from sqlite_utils.cli import cli

    invoke("import", "--db", str(db_path), str(FIXTURES / "article.md"))
    result = CliRunner().invoke(cli, [str(db_path), "select title, date from articles"])
    assert result.exit_code == 0
    assert json.loads(result.output) == [{"title": "Notes on Plain Text", "date": "2021-07-04"}]


def test_backup_is_a_consistent_copy_while_another_writer_is_busy(db_path: Path,
                                                                  tmp_path: Path) -> None:
    invoke("import", "--db", str(db_path), str(FIXTURES / "article.md"))
    writer = Store(db_path)
    started, release = threading.Event(), threading.Event()

    def write() -> None:  # the interface, mid-change
        with writer.transaction() as conn:
            conn.execute("UPDATE articles SET starred = 1")
            started.set()
            release.wait(10)

    thread = threading.Thread(target=write)
    thread.start()
    started.wait(10)
    target = tmp_path / "backups" / "copy.db"
    try:
        result = invoke("backup", str(target), "--db", str(db_path))
    finally:
        release.set()
        thread.join()
        writer.close()
    assert result.exit_code == 0, result.output
    with Store(target) as copy:
        [article] = list(copy.iter_articles())
        assert article.title == "Notes on Plain Text" and not article.starred
    # An existing file is not replaced unless asked; the library itself never.
    again = invoke("backup", str(target), "--db", str(db_path))
    assert again.exit_code == 1 and "exists" in again.output
    assert invoke("backup", str(target), "--force", "--db", str(db_path)).exit_code == 0
    with Store(target) as copy:
        assert next(copy.iter_articles()).starred
    itself = invoke("backup", str(db_path), "--force", "--db", str(db_path))
    assert itself.exit_code == 1 and "the library itself" in itself.output
    assert not list(target.parent.glob(".*partial"))


def test_backup_of_no_library_says_so(tmp_path: Path) -> None:
    result = invoke("backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no library" in result.output
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.db").exists()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_readme_sets_it_up(shell: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"_READER_COMPLETE={shell}_source reader" in readme
    result = CliRunner().invoke(main, [], prog_name="reader",
                                env={"_READER_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0 and "_READER_COMPLETE" in result.output


@pytest.mark.parametrize("args", [["articles"], ["articles", "--format", "jsonl"],
                                  ["articles", "--format", "markdown"],
                                  ["annotations", "--format", "json"],
                                  ["annotations", "--format", "readwise"], ["annotations"]])
def test_an_export_that_cannot_be_written_says_so_in_one_line(db_path: Path, tmp_path: Path,
                                                              args: list[str]) -> None:
    invoke("import", "--db", str(db_path), str(FIXTURES / "article.md"))
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    out = blocked / ("notes" if args in (["annotations"], ["articles", "--format", "markdown"])
                     else "x.json")
    result = CliRunner().invoke(main, ["export", *args, "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {out}") and "cannot write" in result.output
    assert result.output.count("\n") == 1
