"""`reader export annotations`: Markdown for note apps, W3C Web Annotation JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from reader.anchoring import make_anchor
from reader.cli import main
from reader.models import ParsedArticle, Provenance
from reader.store import Store

BRIDGE = ("After a long debate, the committee approved the budget.\n\n"
          "Residents had asked for it since 2015. The mayor said little.")
HARBOUR = "Boats: came in: late.\n\nThe harbour master (a \"character\") waved."


def library(path: Path) -> dict[str, int]:
    """Two articles, three highlights (one with a multi-line note, one orphan)."""
    store = Store(path)
    store.add_articles([
        ParsedArticle("The Bridge: a story", BRIDGE, Provenance("a.txt", "text", 1, 3),
                      date="2024-05-01", source="Harbour News",
                      url="https://example.org/bridge", tags=("town", "money & budgets")),
        ParsedArticle("Harbour", HARBOUR, Provenance("b.txt", "text", 1, 3), tags=("sea",)),
    ])
    ids = {a.title: a.id for a in store.iter_articles()}
    bridge, harbour = ids["The Bridge: a story"], ids["Harbour"]

    def mark(article_id: int, body: str, quote: str, note: str = "") -> int:
        start = body.index(quote)
        return store.add_annotation(article_id, make_anchor(body, start, start + len(quote)),
                                    note=note)

    ids = {
        "budget": mark(bridge, BRIDGE, "the committee approved the budget",
                       note="Worth *remembering*.\n\n---\nkey: not front matter"),
        "mayor": mark(bridge, BRIDGE, "The mayor said little."),
        "boats": mark(harbour, HARBOUR, 'Boats: came in: late.\n\nThe harbour master (a "character")'),
    }
    store.conn.execute("UPDATE articles SET body = ? WHERE id = ?",
                       (BRIDGE.replace("The mayor said little.", ""), bridge))
    store.reanchor_article(bridge)
    store.close()
    return ids


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", "annotations", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def front_matter(text: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, text[:200]
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def test_markdown_one_file_per_article(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = library(db)
    out = tmp_path / "notes"
    run("--db", str(db), "--format", "markdown", "--out", str(out))
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["000001-the-bridge-a-story.md", "000002-harbour.md"]
    bridge = files[0].read_text(encoding="utf-8")
    meta = front_matter(bridge)
    assert meta == {"title": "The Bridge: a story", "source": "Harbour News",
                    "date": "2024-05-01", "tags": ["money & budgets", "town"],
                    "url": "https://example.org/bridge"}
    body = bridge.split("\n---\n", 1)[1]
    assert "# The Bridge: a story" in body
    assert "> the committee approved the budget\n\n^reader-{}\n\nWorth *remembering*.".format(
        ids["budget"]) in body
    # The orphan is exported too, marked, after the placed highlights.
    assert body.index(f"^reader-{ids['mayor']}") > body.index(f"^reader-{ids['budget']}")
    assert "*Not found in the current text of the article.*" in body
    harbour = files[1].read_text(encoding="utf-8")
    assert front_matter(harbour) == {"title": "Harbour", "tags": ["sea"]}
    assert "> Boats: came in: late.\n>\n> The harbour master" in harbour
    assert f"^reader-{ids['boats']}" in harbour


def test_markdown_block_ids_are_stable_across_exports(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    library(db)
    first = run("--db", str(db))
    again = run("--db", str(db))
    strip = re.compile(r"^exported: .*$", re.M)
    assert strip.sub("", first) == strip.sub("", again)


def test_markdown_single_document_on_stdout(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = library(db)
    text = run("--db", str(db))
    meta = front_matter(text)
    assert meta["title"] == "Highlights" and meta["highlights"] == 3 and meta["articles"] == 2
    assert text.count("\n---\n") >= 1 and text.startswith("---\n")
    assert "## The Bridge: a story" in text and "## Harbour" in text
    assert "Harbour News · 2024-05-01 · <https://example.org/bridge> · #money-budgets #town" in text
    for hid in ids.values():
        assert text.count(f"^reader-{hid}\n") == 1


def test_filters_tag_and_since(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = library(db)
    text = run("--db", str(db), "--tag", "sea")
    assert f"^reader-{ids['boats']}" in text and f"^reader-{ids['budget']}" not in text
    assert front_matter(run("--db", str(db), "--since", "2999-01-01"))["highlights"] == 0
    assert front_matter(run("--db", str(db), "--since", "2000-01-01"))["highlights"] == 3
    bad = CliRunner().invoke(main, ["export", "annotations", "--db", str(db), "--since", "May"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_json_has_the_w3c_web_annotation_shape(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    ids = library(db)
    out = tmp_path / "annotations.json"
    run("--db", str(db), "--format", "json", "--out", str(out))
    items = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(items, list) and len(items) == 3
    by_id = {item["id"]: item for item in items}
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created"])
        assert item["target"]["selector"][0]["type"] == "TextQuoteSelector"
    budget = by_id[f"urn:reader:annotation:{ids['budget']}"]
    assert budget["motivation"] == "commenting"
    assert budget["body"] == {"type": "TextualBody", "purpose": "commenting",
                              "format": "text/markdown",
                              "value": "Worth *remembering*.\n\n---\nkey: not front matter"}
    target = budget["target"]
    assert target["source"] == "https://example.org/bridge"
    quote, position = target["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "the committee approved the budget",
                     "prefix": "After a long debate, ", "suffix": ".\n\nResidents had asked for it si"}
    assert position["type"] == "TextPositionSelector"
    assert BRIDGE[position["start"]:position["end"]] == quote["exact"]
    # The orphan: no position, no body, only its quote.
    mayor = by_id[f"urn:reader:annotation:{ids['mayor']}"]
    assert mayor["motivation"] == "highlighting" and "body" not in mayor
    assert [s["type"] for s in mayor["target"]["selector"]] == ["TextQuoteSelector"]
    # No URL: the article's own identifier.
    boats = by_id[f"urn:reader:annotation:{ids['boats']}"]
    assert boats["target"]["source"].startswith("urn:reader:article:")
    assert boats["target"]["styleClass"] == "reader-yellow"


def test_json_on_stdout_of_an_empty_library(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()
    assert json.loads(run("--db", str(db), "--format", "json")) == []
    assert front_matter(run("--db", str(db)))["highlights"] == 0
