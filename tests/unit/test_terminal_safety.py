"""Nothing from an archive, a file name or a URL reaches the terminal from a command."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import terminal
from reader.cli import main
from reader.importer import Importer
from reader.models import ImportedHighlight, ParsedArticle, Provenance
from reader.store import Store

HOSTILE = [
    "\x1b]52;c;UFdORUQ=\x07",  # OSC 52: sets the clipboard
    "\x1b]0;PWNED\x07",  # OSC 0: the window title
    "\x1b]8;;http://evil.example\x1b\\",  # OSC 8: a hyperlink
    "\x1b[31m\x1b[2J",  # CSI: colour, clear screen
    "\x1bP1$r\x1b\\",  # DCS
    "\x9b31m\x9d0;x\x07\x85",  # C1 CSI and OSC, NEL
    "\u202egnp.exe\u2066\u2069\u200f",  # bidi overrides and isolates
    "\x7f\x00\x08",
]
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                    "\u2028\u2029]")
EVIL = "".join(HOSTILE)


def assert_safe(output: str) -> None:
    found = UNSAFE.search(output)
    assert found is None, f"{found.group()!r} at {found.start()} in {output[max(0, found.start() - 40):found.start() + 40]!r}"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("bad", HOSTILE)
def test_terminal_line_and_json_escape_everything(bad: str) -> None:
    assert_safe(terminal.line(f"a{bad}b\nc"))
    assert "\n" not in terminal.line("a\nb")
    dumped = terminal.json_dumps({"k": f"x{bad}y"})
    assert_safe(dumped)
    assert json.loads(dumped) == {"k": f"x{bad}y"}


def _hostile_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{HOSTILE[0]}{HOSTILE[1]}.md", "# A note\n\nKept whole.\n")
        zf.writestr(f"{HOSTILE[3]}bad{HOSTILE[6]}.txt", b"\x00\x01\x02binary" * 100)
        zf.writestr(f"skip{HOSTILE[5]}.png", b"png")


def test_import_and_preview_print_no_escape_from_names(tmp_path: Path) -> None:
    archive = tmp_path / "hostile.zip"
    _hostile_zip(archive)
    odd = tmp_path / f"file{HOSTILE[1]}{HOSTILE[3]}{HOSTILE[6]}.txt"
    odd.write_bytes(b"")
    db = str(tmp_path / "lib.db")
    for args in (["import", str(archive), str(odd), "--db", db],
                 ["import", "--preview", str(archive), str(odd)]):
        result = run(*args)
        assert result.exit_code == 1
        assert "error:" in result.output and "skipped:" in result.output
        assert "A note" in result.output or "1 new" in result.output
        assert_safe(result.output)


def _hostile_library(db: Path) -> None:
    with Store(db) as store:
        # As an older version stored them: nothing sanitised.
        store.add_articles([ParsedArticle(
            title=f"Title {EVIL}", body=f"Body {EVIL} with words to search for.",
            provenance=Provenance(f"/archives/{EVIL}.txt", "tagpage", 1, 4),
            url=f"https://ex.example/{EVIL}", source=f"Site{EVIL}", author=f"Ann{EVIL}",
            tags=(f"tag{EVIL}",),
            highlights=(ImportedHighlight(quote="words", note=f"note {EVIL}"),),
        )])


@pytest.mark.parametrize("args", [
    ["export", "articles", "--format", "json"],
    ["export", "articles", "--format", "jsonl"],
    ["export", "articles", "--format", "markdown"],
    ["export", "annotations", "--format", "markdown"],
    ["export", "annotations", "--format", "json"],
    ["search", "words"],
    ["search", "words", "--json"],
    ["stats"],
    ["tags"],
])
def test_every_output_of_a_hostile_library_is_safe(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "lib.db"
    _hostile_library(db)
    result = run(*args, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert_safe(result.output)
    if "json" in args and args[0] == "export" and args[1] == "articles":
        (article,) = json.loads(result.output)
        assert article["title"] == f"Title {EVIL}"  # escaped, not altered


def test_urls_with_control_characters_are_refused_at_import(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>One</title><link>https://ok.example/one</link>"
        "<description>The first entry, with its own words.</description></item>"
        "<item><title>Two</title><link>https://ex.example/&#x9d;52;c;QQ==&#x7;two</link>"
        "<description>The second entry, also with words.</description></item>"
        "</channel></rss>", encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([feed])
        urls = sorted((a.title, a.url or "") for a in store.iter_articles())
    assert urls == [("One", "https://ok.example/one"), ("Two", "")]
    (file_report,) = report.files
    assert any("URL" in p for p in file_report.problems)


def test_progress_label_is_safe(tmp_path: Path, monkeypatch) -> None:
    from reader.cli import importing

    labels: list[str] = []

    class Bar:
        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def __setattr__(self, name: str, value: str) -> None:
            if name == "label":
                labels.append(value)

        def update(self, n: int) -> None:
            return None

        def render_progress(self) -> None:
            return None

    monkeypatch.setattr(importing, "_progress_bar", lambda paths: Bar())
    archive = tmp_path / "hostile.zip"
    _hostile_zip(archive)
    run("import", str(archive), "--db", str(tmp_path / "lib.db"))
    assert ".md: 1 articles" in labels  # the entry named with OSC 52 and OSC 0
    for label in labels:
        assert_safe(label)


def test_library_loggers_print_no_traceback() -> None:
    import subprocess
    import sys

    code = ("import logging, reader.importer\n"
            "try:\n    raise ValueError('bad url')\n"
            "except ValueError:\n"
            "    logging.getLogger('readability.readability').exception('error getting summary')\n"
            "    logging.getLogger('trafilatura.core').error('x', exc_info=True)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "error getting summary" not in proc.stderr


def test_clicks_own_messages_are_safe(tmp_path: Path) -> None:
    folder = tmp_path / f"dir{HOSTILE[1]}{HOSTILE[6]}"
    folder.mkdir()
    for args in (["stats", "--db", str(folder)], ["--db", str(folder), "stats"],
                 ["import", str(folder / "x.txt"), "--db", str(folder)]):
        result = run(*args)
        assert result.exit_code == 2 and "is a directory" in result.output
        assert_safe(result.output)


def test_preview_of_a_hostile_dump_is_safe(tmp_path: Path) -> None:
    from tests.unit.test_hostile_archives import archives

    for fmt in ("tagpage", "markdown", "feed"):
        result = run("import", "--preview", str(archives(tmp_path)[fmt]))
        assert "would be imported" in result.output
        assert_safe(result.output)
