"""`reader search`: the same language and ranking as the interface, safe output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.models import ParsedArticle, Provenance
from reader.store import Store


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def art(title: str, body: str, n: int, **kw: object) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance("/x.txt", "text", n, n + 1),
                         **kw)  # type: ignore[arg-type]


@pytest.fixture
def library(db_path: Path) -> Path:
    with Store(db_path) as store:
        store.add_articles([
            *(art(f"Filler {i}", f"Weather and tea on day {i}.", 100 + i) for i in range(10)),
            art("Kettle notes", "How a kettle boils.\n\nA second kettle paragraph.", 1,
                date="2021-03-04", source="Example News", tags=("home", "tea")),
            art("Morning", "The kettle sings in the morning.", 2, date="2019-01-01"),
            art("Hostile \x1b[31mred\x1b[0m kettle", "Bell\x07 and \x1b]52;c;ZXZpbA==\x07 kettle "
                "\x9b2J text.", 3, date="2018-01-01"),
        ])
    return db_path


def test_plain_output_marks_hits_in_brackets(library: Path) -> None:
    result = invoke("search", "kettle", "--db", str(library))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2021-03-04  [Kettle] notes  — Example News  (3 hits)  #11"
    assert lines[1].strip() == "How a [kettle] boils. A second [kettle] paragraph."
    assert len(lines) == 6


def test_query_words_may_be_given_separately_or_quoted(library: Path) -> None:
    one = invoke("search", "kettle morning", "--db", str(library)).output
    two = invoke("search", "kettle", "morning", "--db", str(library)).output
    assert one == two and one.startswith("2019-01-01  [Morning]")


def test_json_output(library: Path) -> None:
    result = invoke("search", "kettle", "--json", "--limit", "2", "--db", str(library))
    rows = json.loads(result.output)
    assert len(rows) == 2
    assert set(rows[0]) >= {"id", "title", "date", "source", "tags", "score", "snippet"}
    assert rows[0]["title"] == "Kettle notes"
    assert rows[0]["tags"] == ["home", "tea"]
    assert rows[0]["score"] >= rows[1]["score"] > 0
    assert "[" not in rows[0]["snippet"]


def test_filters_work_from_the_command_line(library: Path) -> None:
    rows = json.loads(invoke("search", "tag:tea", "--json", "--db", str(library)).output)
    assert [r["title"] for r in rows] == ["Kettle notes"]
    rows = json.loads(invoke("search", "kettle before:2020", "--json", "--db", str(library)).output)
    assert sorted(r["date"] for r in rows) == ["2018-01-01", "2019-01-01"]


def test_no_control_character_reaches_the_terminal(library: Path) -> None:
    output = invoke("search", "hostile", "--db", str(library)).output
    assert "[Hostile] red kettle" in output
    assert not any((ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0 for c in output)


@pytest.mark.parametrize("query", ["C++", "don't", "AND", '"unbalanced', "*", "-", "title:"])
def test_hostile_queries_exit_cleanly(library: Path, query: str) -> None:
    result = invoke("search", query, "--db", str(library))
    assert result.exit_code == 0
    assert isinstance(json.loads(invoke("search", query, "--json", "--db", str(library)).output), list)


def test_no_results_says_so(library: Path) -> None:
    result = CliRunner().invoke(main, ["search", "zebra", "--db", str(library)])
    assert result.exit_code == 0
    assert "no results" in result.output
