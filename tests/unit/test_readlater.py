"""Read-it-later exports: wallabag, Omnivore, Pocket, Instapaper; stubs, state, highlights."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from reader.archive import ArchiveError, NotAnArchive, parse_bytes, parse_file
from reader.archive.omnivore import parse_highlights
from reader.importer import Importer
from reader.models import ImportedHighlight
from reader.store import Store, article_hash
from tests.conftest import FIXTURES, SHARED

RIL = SHARED / "samples" / "read-it-later"
EXPECTED = json.loads((RIL / "EXPECTED.json").read_text(encoding="utf-8"))["files"]
OMNIVORE_ZIP = FIXTURES / "omnivore-export.zip"

REAL = {
    "wallabag-fixtures/wallabag-v2.json": "wallabag",
    "wallabag-fixtures/wallabag-v2-read.json": "wallabag",
    "wallabag-fixtures/wallabag-v1.json": "wallabag",
    "wallabag-fixtures/wallabag-v1-read.json": "wallabag",
    "legadilo-fixtures/valid_wallabag.json": "wallabag",
    "wallabag-fixtures/omnivore.json": "omnivore",
    "wallabag-fixtures/pocket.csv": "pocket",
    "wallabag-fixtures/ril_export.html": "pocket",
    "wallabag-fixtures/instapaper-export.csv": "instapaper",
}
STUB_FORMATS = ("omnivore", "pocket", "instapaper")
"""Without their zip, Omnivore records have no text either."""


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_exports_match_expected_counts(name: str) -> None:
    expected = EXPECTED[name]
    parsed = parse_file(RIL / name)
    articles = list(parsed.articles)
    assert parsed.format == REAL[name] and not parsed.problems
    assert len(articles) == expected["records"]
    assert sum(1 for a in articles if set(a.tags)) == expected["records_with_tags"]
    assert all(a.stub == (parsed.format in STUB_FORMATS) for a in articles)
    assert all(a.url and a.url.startswith("http") for a in articles)
    assert all(a.title and "\n" not in a.title for a in articles)
    tags = {t for a in articles for t in a.tags}
    for key in ("distinct_tags", "distinct_labels"):
        if key in expected and parsed.format != "wallabag":
            assert tags == set(expected[key])
    if "is_starred_true" in expected:
        assert sum(bool(a.starred) for a in articles) == expected["is_starred_true"]
        assert sum(bool(a.read) for a in articles) == expected["is_archived_true"]
    if "is_fav_true" in expected:
        assert sum(bool(a.starred) for a in articles) == expected["is_fav_true"]
        assert sum(bool(a.read) for a in articles) == expected["is_read_true"]
    if "status_counts" in expected:
        assert sum(bool(a.read) for a in articles) == expected["status_counts"]["archive"]
    if "state_counts" in expected:
        assert sum(bool(a.read) for a in articles) == expected["state_counts"]["Archived"]
    assert sum(len(a.highlights) for a in articles) == expected.get("annotations_total", 0)


def test_wallabag_tags_split_and_merged() -> None:
    v2 = list(parse_file(RIL / "wallabag-fixtures/wallabag-v2.json").articles)
    assert {t for a in v2 for t in a.tags} == {"mediapart", "blog"}
    v1 = list(parse_file(RIL / "wallabag-fixtures/wallabag-v1-read.json").articles)
    assert {t for a in v1 for t in a.tags} == {"framasoft", "tag"}


def test_wallabag_26_shape_sanitised_and_invalid_record_skipped() -> None:
    (article,) = parse_file(RIL / "legadilo-fixtures/valid_wallabag.json").articles
    assert article.title == "Refactoring with AI" and article.tags == ("programming",)
    assert article.body == "Some data" and "script" not in article.body.casefold()
    assert article.date == "2024-04-19" and not article.stub
    parsed = parse_file(RIL / "legadilo-fixtures/invalid_wallabag.json")
    assert list(parsed.articles) == []
    assert parsed.problems == ["1 record skipped: no URL and no title (record 1)"]


def test_empty_wallabag_file_fails_cleanly(fresh_store: Store) -> None:
    report = Importer(fresh_store).run([RIL / "wallabag-fixtures/wallabag-v2-empty.json"])
    assert [f.error for f in report.failed] == ["empty file"]


def test_pocket_csv_title_with_newline() -> None:
    articles = list(parse_file(RIL / "wallabag-fixtures/pocket.csv").articles)
    last = articles[-1]
    assert last.title.startswith("Des abeilles pour résoudre") and "humains et les" in last.title
    assert last.provenance.start_line == 8 and last.body == "" and last.stub
    assert last.date == "2020-09-12" and last.source == "Pocket"


def test_instapaper_folders() -> None:
    articles = list(parse_file(RIL / "wallabag-fixtures/instapaper-export.csv").articles)
    state = [(a.tags, a.read, a.starred) for a in articles]
    assert state == [((), False, False), ((), True, False), ((), True, True),
                     (("test_tag",), False, False)]


def wallabag(records: list[dict]) -> bytes:
    return json.dumps(records).encode()


HOSTILE = [{
    "id": 1, "title": "Tide\x1b]8;;x\x07 notes", "url": "https://tides.example/a",
    "is_archived": 1, "is_starred": True, "tags": ["sea", {"label": "moon"}],
    "content": "<p>The moon pulls the water.</p><script>steal()</script>"
               "<p><a href='javascript:alert(1)'>click</a> and <a href='/more'>more</a></p>",
    "annotations": [
        {"quote": "moon pulls the water", "text": "key idea", "ranges": [
            {"start": "/p[1]", "startOffset": 4, "end": "/p[1]", "endOffset": 24}]},
        {"quote": "never in the body", "text": ""},
    ],
}, {"id": 2, "title": "javascript link", "url": "javascript:alert(1)", "is_archived": 0,
    "content": ""}]


def test_wallabag_v2_record_hostile_fields() -> None:
    first, second = parse_bytes(wallabag(HOSTILE), "w.json").articles
    assert first.title == "Tide notes" and first.tags == ("sea", "moon")
    assert first.read is True and first.starred is True
    assert "steal" not in first.body and "javascript" not in first.body
    assert "(https://tides.example/more)" in first.body
    assert first.highlights == (ImportedHighlight("moon pulls the water", "key idea"),
                                ImportedHighlight("never in the body"))
    assert second.url is None and second.stub
    pickle.loads(pickle.dumps(first))  # parsed in a child process for large files


def test_highlights_anchored_orphans_kept_and_not_duplicated(fresh_store: Store) -> None:
    data = wallabag(HOSTILE[:1])
    first = fresh_store.add_articles(parse_bytes(data, "w.json").articles)
    assert (first.new, first.annotations, first.orphans) == (1, 2, 1)
    (article_id,) = fresh_store.article_ids()
    notes = fresh_store.annotations(article_id)
    placed, orphan = notes
    body = fresh_store.article(article_id).body
    assert body[placed.anchor.start:placed.anchor.end] == "moon pulls the water"
    assert placed.note == "key idea" and placed.anchor.prefix.endswith("The ")
    assert orphan.anchor.orphan and orphan.anchor.quote == "never in the body"
    again = fresh_store.add_articles(parse_bytes(data, "w.json").articles)
    assert (again.present, again.annotations) == (1, 0)
    assert len(fresh_store.annotations(article_id)) == 2
    assert fresh_store.article(article_id).starred


def test_stub_hash_from_url_and_filled_by_full_text(fresh_store: Store) -> None:
    csv = (b"title,url,time_added,tags,status\nSame,https://a.example/1,1600000000,x|y,unread\n"
           b"Same,https://a.example/2,1600000000,,archive\n")
    one, two = parse_bytes(csv, "p.csv").articles
    assert article_hash(one) != article_hash(two)
    result = fresh_store.add_articles([one, two])
    assert (result.new, result.stubs) == (0, 2)
    full = [{"title": "Same", "url": "https://a.example/1", "is_archived": 0, "is_starred": 1,
             "content": "<p>The whole text arrived later.</p>"}]
    merged = fresh_store.add_articles(parse_bytes(wallabag(full), "w.json").articles)
    assert merged.merged == 1 and fresh_store.count() == 2
    filled = [fresh_store.article(i) for i in fresh_store.article_ids()]
    assert sorted(a.stub for a in filled) == [False, True]
    assert any(a.body == "The whole text arrived later." and a.starred and
               set(a.tags) == {"x", "y"} for a in filled)
    summaries = fresh_store.summaries(fresh_store.article_ids())
    assert sorted(s.stub for s in summaries) == [False, True]


def test_omnivore_highlight_markdown() -> None:
    text = ("> first quote\n> \n> still first\n\n#a #b\n\nmy note\n\n> second\n\n"
            "> third\n\nnote on third\n\nmore of it")
    assert parse_highlights("A page note\n\n" + text) == (
        ImportedHighlight("", "A page note"),
        ImportedHighlight("first quote\n\nstill first", "my note\n\n#a #b"),
        ImportedHighlight("second"),
        ImportedHighlight("third", "note on third\n\nmore of it"),
    )


def test_omnivore_export_zip(fresh_store: Store) -> None:
    report = Importer(fresh_store).run([OMNIVORE_ZIP])
    assert report.ok and not report.skipped
    assert [f.path.name for f in report.files] == ["metadata_0_to_2.json",
                                                   "metadata_2_to_3.json"]
    assert str(report.files[0].path).endswith("omnivore-export.zip!/metadata_0_to_2.json")
    assert (report.new, report.stubs, report.annotations, report.orphans) == (2, 1, 3, 1)
    by_title = {fresh_store.article(i).title: fresh_store.article(i)
                for i in fresh_store.article_ids()}
    tide = by_title["Reading the tide tables"]
    assert tide.read and set(tide.tags) == {"sea", "science"} and tide.author == "Mara Quill"
    assert "alert" not in tide.body and tide.body.startswith("Tides rise")
    assert by_title["A scanned manual"].stub and not by_title["A slow loaf"].stub
    notes = fresh_store.annotations(tide.id)
    assert [n.anchor.method for n in notes] == ["exact", "fuzzy", "orphan"]
    assert notes[0].note == "Worth remembering for the next trip.\n\n#astronomy #tides"
    assert tide.provenance[0].path.endswith("omnivore-export.zip!/metadata_0_to_2.json")
    again = Importer(fresh_store).run([OMNIVORE_ZIP])
    assert (again.new, again.present, again.annotations) == (0, 3, 0)
    assert fresh_store.count_annotations() == 3


def test_unknown_json_is_refused_by_name() -> None:
    with pytest.raises(NotAnArchive, match="not an export reader knows"):
        list(parse_bytes(b'[{"href": "https://x.example"}]', "pins.json").articles)
    with pytest.raises(ArchiveError, match="not valid JSON"):
        parse_bytes(b'[{"is_archived": 1,', "cut.json")


def test_cli_summary_counts_stubs_and_annotations(db_path: Path) -> None:
    from click.testing import CliRunner

    from reader.cli import main

    runner = CliRunner()
    args = ["import", str(OMNIVORE_ZIP), str(RIL / "wallabag-fixtures/pocket.csv"),
            "--db", str(db_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert ("3 files imported: 2 new, 0 already present, 0 merged, 8 stubs (links without "
            "text), 3 annotations, 1 of them orphans, 0 skipped, 0 failed") in result.output
    preview = runner.invoke(main, ["import", "--preview", *args[1:3]])
    assert "(stub: link only)" in preview.output and "(3 highlights)" in preview.output
    assert "10 articles would be imported, 8 of them stubs, 3 annotations" in preview.output
    exported = runner.invoke(main, ["export", "articles", "--db", str(db_path)])
    assert sum(a["stub"] for a in json.loads(exported.output)) == 8


def test_every_format_can_be_forced_from_the_command_line() -> None:
    from reader.archive import FORMATS
    from reader.cli.importing import FORMAT_CHOICES

    assert set(FORMAT_CHOICES) == set(FORMATS)


def test_forced_format_reads_ril_and_csv() -> None:
    parsed = parse_file(RIL / "wallabag-fixtures/ril_export.html", "pocket")
    assert [a.tags for a in parsed.articles] == [("ifttt", "new_entry_simple")] * 2
    parsed = parse_file(RIL / "wallabag-fixtures/instapaper-export.csv", "instapaper")
    assert len(list(parsed.articles)) == 4


def test_escaped_entities_in_export_fields_are_unescaped_once() -> None:
    record = {"id": 1, "title": "Fish &amp;amp; Chips &#8212; a history", "url": "https://x.example/f",
              "content": "<p>Text of the article.</p>", "tags": [{"label": "Privacy &amp; Technology"}],
              "is_archived": 0, "is_starred": 0, "created_at": "2020-01-02T00:00:00+00:00"}
    (article,) = parse_bytes(json.dumps([record]).encode(), "wallabag.json").articles
    assert article.title == "Fish &amp; Chips — a history"
    assert article.tags == ("Privacy & Technology",)
