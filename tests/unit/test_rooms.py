"""The importer and the command line as packages: small documented rooms, and the
names callers imported from the old single modules still there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

import reader.cli
import reader.importer


@pytest.mark.parametrize(("package", "rooms"), [
    (reader.importer, {"__init__", "chunks", "expansion", "parsing", "parts", "pool",
                       "reports"}),
    (reader.cli, {"__init__", "base", "importing", "exporting", "searching", "reading",
                  "maintenance"}),
])
def test_every_room_is_small_and_says_what_lives_there(package: object,
                                                       rooms: set[str]) -> None:
    modules = sorted(Path(package.__file__).parent.glob("*.py"))  # type: ignore[attr-defined]
    assert {m.stem for m in modules} == rooms
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 600, module.name
        assert ast.get_docstring(ast.parse(text)), module.name


def test_the_importers_names_are_where_callers_find_them() -> None:
    from reader.importer import expansion, parsing, reports

    assert reader.importer.FileReport is reports.FileReport
    assert reader.importer.ImportReport is reports.ImportReport
    assert reader.importer.MAX_ARTICLE_CHARS == parsing.MAX_ARTICLE_CHARS == 10_000_000
    assert reader.importer.skip_reason is expansion.skip_reason
    assert reader.importer.skip_reason("photo.png", b"\x89PNG") == "not an archive (.png file)"


def test_every_command_is_registered_on_the_group() -> None:
    result = CliRunner().invoke(reader.cli.main, ["--help"])
    assert result.exit_code == 0
    for command in ("import", "export", "search", "related", "reindex", "delete", "tags",
                    "stats", "paths", "backup", "demo", "check"):
        assert f"  {command} " in result.output, command
