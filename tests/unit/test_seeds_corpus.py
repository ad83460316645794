"""The real dumps in ../shared/seeds import exactly as their ground truth says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.archive import parse_file
from reader.importer import Importer
from reader.store import Store
from tests.conftest import SHARED

TRUTHS = sorted((SHARED / "seeds-truth").glob("*.truth.json"))
FORMAT_NAMES = {"A": "tagpage", "B": "digest"}



def content_lines(body: str) -> list[str]:
    return [line.strip() for line in body.split("\n") if line.strip()]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_seed_splits_exactly(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    parsed = parse_file(SHARED / "seeds" / truth["file"])
    assert parsed.format == FORMAT_NAMES[truth["format"]]
    articles = list(parsed.articles)
    assert len(articles) == truth["article_count"]
    for got, want in zip(articles, truth["articles"], strict=True):
        lines = content_lines(got.body)
        assert got.title == want["title"]
        assert got.date == want["date"]
        assert got.source == want["source"]
        assert list(got.tags) == truth["tags"]
        assert lines[0][:80] == want["first_line"]
        assert lines[-1][:80] == want["last_line"]
        assert [got.provenance.start_line, got.provenance.end_line] == want["span"]
        for junk in want["junk"]:
            assert junk.strip() not in lines, f"junk line left in {got.title!r}"


def test_seeds_import_and_export_all_nineteen(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    report = Importer(store).run(sorted((SHARED / "seeds").glob("*.txt")))
    assert report.ok
    expected = [a for p in TRUTHS for a in json.loads(p.read_text())["articles"]]
    assert report.new == len(expected) == 19
    stored = list(store.iter_articles())
    assert [a.title for a in stored] == [a["title"] for a in expected]
    assert [a.date for a in stored] == [a["date"] for a in expected]
    assert [a.source for a in stored] == [a["source"] for a in expected]
    again = Importer(store).run(sorted((SHARED / "seeds").glob("*.txt")))
    assert (again.new, again.present, again.merged) == (0, 19, 0)
    assert store.count() == 19
