"""What `reader import` loads before its first article: only what a text dump needs.

A format's reading machinery (YAML, XML parsers, the HTML stages), the other
commands and the search package's marks and snippets are loaded when used. A
module imported at the top of a file again would load for every import; these
tests say which, without timing anything.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

import click

from reader import search
from reader.cli import COMMANDS, main

NOT_FOR_A_TEXT_DUMP = (
    "yaml",  # front matter and reader's Markdown export
    "defusedxml", "xml.etree.ElementTree",  # WordPress exports
    "reader.archive.html_markdown", "reader.archive.codeblocks",  # pages, feeds, exports
    "reader.archive.page_meta", "reader.archive.extract",  # saved pages
    "reader.cli.exporting", "reader.cli.searching", "reader.cli.maintenance",
    "reader.cli.reading",  # the other commands
    "reader.search.marks", "reader.search.snippets", "reader.search.textinfo",
    "reader.index", "tantivy", "textual",
    "concurrent.futures.process",  # the pool of processes, for a second file
)

_IMPORT_IN_A_NEW_PROCESS = """
import json, sys
from click.testing import CliRunner
from reader.cli import main

result = CliRunner().invoke(main, sys.argv[1:])
print(json.dumps({"output": result.output, "code": result.exit_code,
                  "modules": sorted(sys.modules)}))
"""


def _import_in_a_new_process(*args: str) -> tuple[str, set[str]]:
    run = subprocess.run([sys.executable, "-c", _IMPORT_IN_A_NEW_PROCESS, *args],
                         capture_output=True, text=True, check=True)
    found = json.loads(run.stdout)
    assert found["code"] == 0, found["output"]
    return found["output"], set(found["modules"])


def test_a_text_import_loads_no_other_format_or_command(tmp_path: Path) -> None:
    dump = tmp_path / "note.txt"
    dump.write_text("A note about gardens\n\nGardens grow slowly.\n", encoding="utf-8")
    output, loaded = _import_in_a_new_process("import", str(dump), "--db",
                                              str(tmp_path / "library.db"))
    assert "1 new" in output
    assert "reader.archive.listing" in loaded and "reader.search.query" in loaded
    assert sorted(loaded.intersection(NOT_FOR_A_TEXT_DUMP)) == []


def test_a_format_loads_what_it_needs_when_it_reads(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Gardens\n---\n\nGardens grow slowly.\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><head><title>Ponds</title></head><body><article>"
                    "<p>Ponds fill with rain and stay.</p></article></body></html>",
                    encoding="utf-8")
    code = ("import json, sys\n"
            "from pathlib import Path\n"
            "from reader.archive import parse_file\n"
            "titles = [a.title for p in sys.argv[1:] for a in parse_file(Path(p)).articles]\n"
            "print(json.dumps([titles, sorted(sys.modules)]))\n")
    run = subprocess.run([sys.executable, "-c", code, str(post), str(page)],
                         capture_output=True, text=True, check=True)
    titles, loaded = json.loads(run.stdout)
    assert titles == ["Gardens", "Ponds"]
    assert {"yaml", "reader.archive.html_markdown", "reader.archive.page_meta"} <= set(loaded)


def test_every_search_name_is_found_in_its_module() -> None:
    homes = search._HOME
    assert sorted(homes) == sorted(search.__all__)
    for name in search.__all__:
        value = getattr(search, name)
        assert getattr(importlib.import_module(f"reader.search.{homes[name]}"), name) is value


def test_every_command_is_where_the_group_says() -> None:
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name


_IMPORT_WITH_A_FOLLOWER = """
import json, sys
import reader.importer
from click.testing import CliRunner
from reader.cli import main

reader.importer.FOLLOW_FROM = 1  # the index's follower starts after the first article
result = CliRunner().invoke(main, sys.argv[1:])
print(json.dumps({"output": result.output, "code": result.exit_code,
                  "modules": sorted(sys.modules)}))
"""


def test_starting_the_index_follower_loads_nothing_of_the_index(tmp_path: Path) -> None:
    # The follower is a process of its own: the importing process only starts it.
    dump = tmp_path / "note.txt"
    dump.write_text("A note about gardens\n\nGardens grow slowly.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", _IMPORT_WITH_A_FOLLOWER, "import", str(dump),
                          "--db", str(tmp_path / "library.db")],
                         capture_output=True, text=True, check=True)
    found = json.loads(run.stdout)
    assert found["code"] == 0 and "1 new" in found["output"]
    assert sorted({"reader.index", "tantivy"}.intersection(found["modules"])) == []
    # ... and it did start: the follower builds the library's index.
    index = tmp_path / "library.db-search"
    deadline = time.monotonic() + 60
    while not index.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert index.exists()
