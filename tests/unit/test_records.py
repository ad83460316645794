"""Any JSON list or JSON lines of articles, whatever its fields are called (`records`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import ArchiveError, parse_bytes, parse_file
from reader.cli import main
from reader.store import Store

COLLECTION = [  # a search test collection's shape: an id, a title, a plain text
    {"_id": "d1", "title": "Heated wings", "text": "Wings heated by friction change shape."},
    {"_id": "d2", "title": "Bird flight", "text": "Birds fly at low speed.\n# and glide"},
    {"_id": "d3", "title": "", "text": "A note without a title, on kettles and tea."},
]


def lines(records: list[object]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_json_lines_of_titles_and_texts_import_one_article_each() -> None:
    parsed = parse_bytes(lines(COLLECTION), "corpus.jsonl")
    articles = list(parsed.articles)
    assert parsed.format == "records" and not parsed.problems
    assert [a.title for a in articles] == ["Heated wings", "Bird flight",
                                            "A note without a title, on kettles and tea."]
    # Plain text keeps its lines as printed: `# and glide` is no heading.
    assert articles[1].body == "Birds fly at low speed.\n\\# and glide"
    assert [a.provenance.start_line for a in articles] == [1, 2, 3]


def test_a_json_list_with_html_dates_authors_and_tags() -> None:
    records = [
        {"headline": "A page", "link": "https://example.org/a", "content_html":
         "<p>Hello <b>world</b></p><script>alert(1)</script>",
         "date_published": "2021-03-04T10:00:00Z", "author": {"name": "Ann Lee"},
         "keywords": ["rivers", "walks"]},
        {"title": "Second", "url": "https://example.org/b", "body": "**Markdown** kept",
         "published": "March 5, 2021", "authors": [{"name": "Bo"}, {"name": "Cy"}],
         "tags": "a, b"},
    ]
    articles = list(parse_bytes(json.dumps(records).encode(), "saved.json").articles)
    first, second = articles
    assert (first.title, first.url, first.date, first.author, first.tags) == (
        "A page", "https://example.org/a", "2021-03-04", "Ann Lee", ("rivers", "walks"))
    assert first.body == "Hello **world**"  # through the page path: no script survives
    assert (second.date, second.author, second.tags) == ("2021-03-05", "Bo, Cy", ("a", "b"))
    assert second.body == "**Markdown** kept"


def test_a_link_without_text_is_a_stub_and_a_record_with_neither_is_counted() -> None:
    records = [*COLLECTION[:2], {"title": "Only a link", "url": "https://example.org/x"},
               {"title": "Nothing at all"}, ["not", "an", "object"]]
    parsed = parse_bytes(lines(records), "mixed.jsonl")
    articles = list(parsed.articles)
    assert [(a.title, a.stub) for a in articles] == [
        ("Heated wings", False), ("Bird flight", False), ("Only a link", True)]
    assert parsed.problems == ["2 records without text or link skipped"]


def test_lists_of_links_stay_bookmark_exports() -> None:
    # Delicious's keys, and no text: still its own format (stubs), not `records`.
    delicious = [{"url": "https://example.org/a", "title": "A", "created": 1600000000,
                  "tags": ["x"]}] * 3
    assert parse_bytes(json.dumps(delicious).encode(), "d.json").format == "delicious"
    with pytest.raises(ArchiveError, match="not an export reader knows"):
        list(parse_bytes(json.dumps([{"name": "x", "version": 1}]).encode(), "p.json").articles)


def test_hostile_text_is_made_safe() -> None:
    record = {"title": "Bad \x1b]52;c;aGk=\x07 [b]title[/b]",
              "text": "Line one\x1b[31m red\x00\nLine two\u202e"}
    article = next(parse_bytes(lines([record]), "bad.jsonl").articles)
    for field in (article.title, article.body):
        assert "\x1b" not in field and "\x00" not in field and "\u202e" not in field
    assert "red" in article.body and "Line two" in article.body


def test_bad_json_lines_name_the_line() -> None:
    data = lines(COLLECTION[:1]) + b'{"title": "cut\n'
    with pytest.raises(ArchiveError, match=r"not valid JSON lines .* on line 2"):
        parse_bytes(data, "cut.jsonl")


def test_a_gzipped_collection_imports_and_searches(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress(lines(COLLECTION)))
    assert parse_file(path).format == "records"
    db = tmp_path / "lib.db"
    result = CliRunner().invoke(main, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["--db", str(db), "search", "--json", "heated wings"])
    assert [hit["title"] for hit in json.loads(result.output)][:1] == ["Heated wings"]
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
