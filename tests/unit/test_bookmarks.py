"""Bookmark files and link exports: Netscape HTML, Pinboard, Delicious, readability.com,
elCurator, Firefox and Chrome bookmarks; every record a stub."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from reader.archive import (
    ArchiveError,
    NotAnArchive,
    browsers,
    detect_bytes,
    parse_bytes,
    parse_file,
)
from reader.importer import Importer, skip_reason
from reader.store import Store
from tests.conftest import FIXTURES, SHARED

RIL = SHARED / "samples" / "read-it-later"
EXPECTED = json.loads((RIL / "EXPECTED.json").read_text(encoding="utf-8"))["files"]
NETSCAPE = FIXTURES / "bookmarks-firefox.html"
CHROME = FIXTURES / "chrome-Bookmarks"

REAL = {
    "wallabag-fixtures/shaarli-bookmarks.html": "bookmarks",
    "wallabag-fixtures/pinboard_export": "pinboard",
    "wallabag-fixtures/delicious_export.2021.02.06_21.10.json": "delicious",
    "wallabag-fixtures/readability.json": "readability",
    "wallabag-fixtures/readability-read.json": "readability",
    "wallabag-fixtures/elcurator.json": "elcurator",
    "wallabag-fixtures/firefox-bookmarks.json": "firefox",
    "wallabag-fixtures/chrome-bookmarks": "chrome",
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_exports_match_expected_counts(name: str) -> None:
    expected = EXPECTED[name]
    parsed = parse_file(RIL / name)
    articles = list(parsed.articles)
    assert parsed.format == REAL[name] and not parsed.problems
    assert len(articles) == expected["records"]
    assert sum(1 for a in articles if a.tags) == expected["records_with_tags"]
    assert all(a.stub and a.body == "" for a in articles)
    assert all(a.url and a.url.startswith(("http://", "https://")) for a in articles)
    assert all(a.title and "\n" not in a.title for a in articles)
    assert all(a.date and len(a.date) == 10 and a.date[4] == "-" for a in articles)
    assert all(a.provenance.format == REAL[name] for a in articles)
    if "archive_true" in expected:
        assert sum(bool(a.read) for a in articles) == expected["archive_true"]
        assert sum(bool(a.starred) for a in articles) == expected["favorite_true"]
    if "toread_yes" in expected:
        assert sum(a.read is False for a in articles) == expected["toread_yes"]


def test_same_links_read_from_html_and_json_agree() -> None:
    html = list(parse_file(RIL / "wallabag-fixtures/shaarli-bookmarks.html").articles)
    firefox = list(parse_file(RIL / "wallabag-fixtures/firefox-bookmarks.json").articles)
    assert [a.url for a in html] == [a.url for a in firefox]
    assert html[0].tags == ("firefoxos",) and firefox[0].tags == ("test", "tag")
    assert firefox[0].date == "2013-12-27" and html[1].date == "2023-05-06"


def test_delicious_empty_tag_is_no_tag() -> None:
    articles = list(parse_file(
        RIL / "wallabag-fixtures/delicious_export.2021.02.06_21.10.json").articles)
    assert articles[1].title == "Review - Stack Overflow" and articles[1].tags == ()
    assert articles[0].date == "2013-01-18" and articles[0].source == "Delicious"


def test_readability_placeholder_title_falls_back_to_the_link() -> None:
    articles = list(parse_file(RIL / "wallabag-fixtures/readability.json").articles)
    assert articles[1].title == articles[1].url
    assert articles[1].starred and not articles[1].read


def test_chrome_date_counts_from_1601() -> None:
    (article,) = parse_file(RIL / "wallabag-fixtures/chrome-bookmarks").articles
    assert article.date == "2016-09-20" and article.source == "Chrome"


def by_title(articles) -> dict:
    return {a.title: a for a in articles}


def test_netscape_folders_roots_state_and_bad_links() -> None:
    parsed = parse_file(NETSCAPE)
    got = by_title(parsed.articles)
    assert parsed.format == "bookmarks"
    assert parsed.problems == ["2 records skipped: no web link (line 31, 32)"]
    assert got["Reading the tide tables"].tags == ("sea", "moon")
    assert got["Reading the tide tables"].date == "2020-09-13"
    # The innermost folder, not the path; back in the outer folder once the inner one closes.
    assert got["A slow loaf"].tags == ("Recipes",)
    assert got["Keeping a starter"].tags == ("Sourdough", "bread")
    assert got["Rye, after the subfolders"].tags == ("Recipes",)
    # Milli- and microsecond ADD_DATEs.
    assert got["A slow loaf"].date == "2020-09-14"
    assert got["Keeping a starter"].date == "2020-09-15"
    # The toolbar (named in another language) and Other Bookmarks are not tags.
    hostile = next(a for a in got.values() if a.url == "https://news.example/a?x=1&y=2")
    assert hostile.tags == ("[b]bold[/b]", "news") and hostile.read is False
    assert "\x1b" not in hostile.title and "\x07" not in hostile.title
    assert "evil" not in hostile.title and hostile.title.startswith("Tide & time")
    assert got["Write to the keeper"].url == "mailto:keeper@lighthouse.example"
    assert got["Write to the keeper"].tags == () and got["Write to the keeper"].read is True
    assert got["https://untitled.example/page"].url == "https://untitled.example/page"
    assert got["Reading the tide tables"].read is None  # no TOREAD: left as it is
    assert len(got) == 7 and all(a.stub and not a.body for a in got.values())
    assert not any("place:" in (a.url or "") or "javascript" in (a.url or "")
                   for a in got.values())
    assert all("description" not in a.title for a in got.values())


def test_netscape_without_doctype_and_named_browser_roots() -> None:
    page = (b"<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
            b"<DT><H3 ADD_DATE=\"1\">Bookmarks bar</H3>\n<DL><p>\n"
            b"<DT><A HREF=\"https://a.example/\">A</A>\n"
            b"<DT><H3>Favorites</H3>\n<DL><p>\n<DT><A HREF=\"https://b.example/\">B</A>\n"
            b"</DL><p>\n</DL><p>\n<DT><H3>Other bookmarks</H3>\n<DL><p>\n"
            b"<DT><A HREF=\"https://c.example/\">C</A>\n</DL><p>\n</DL><p>\n")
    assert detect_bytes(page) == "bookmarks"
    parsed = parse_bytes(page, "bookmarks.html")
    # A root folder by name only at the top; the same name deeper is the user's folder.
    assert [(a.title, a.tags) for a in parsed.articles] == [
        ("A", ()), ("B", ("Favorites",)), ("C", ())]


def test_pages_and_pocket_are_not_bookmark_files() -> None:
    page = (b"<!DOCTYPE html><html><head><title>My bookmarks</title></head><body>"
            b"<h1>My bookmarks</h1><dl><dt><a href='https://a.example/'>A</a></dt>"
            b"<dd>why I like it</dd></dl></body></html>")
    assert detect_bytes(page) == "html"
    ril = (RIL / "wallabag-fixtures/ril_export.html").read_bytes()
    assert detect_bytes(ril) == "pocket"
    assert detect_bytes(NETSCAPE.read_bytes()) == "bookmarks"


def test_chrome_tree_folders_and_skipped_nodes() -> None:
    parsed = parse_file(CHROME)
    articles = list(parsed.articles)
    assert parsed.format == "chrome"
    # Record numbers count bookmarks in order: the bookmarklet (4) passes quietly,
    # the file link (5) and the string where a node should be (6) are reported.
    assert parsed.problems == ["2 records skipped: no web link (record 5, 6)"]
    assert [(a.provenance.start_line, a.title, a.tags, a.date) for a in articles] == [
        (1, "Reading the tide tables", (), "2020-09-19"),
        (2, "Keeping a starter", ("Sourdough",), "2020-10-01"),
        (3, "A slow loaf", ("Recipes",), None),
        (7, "https://untitled.example/page", (), "2020-11-16"),
    ]


def nested_folders(depth: int) -> dict:
    inner: dict = {"type": "text/x-moz-place", "title": "Deep", "uri": "https://deep.example/",
                   "dateAdded": 1600000000000000}
    for level in range(depth):
        inner = {"type": "text/x-moz-place-container", "title": f"level {level}",
                 "children": [inner]}
    return inner


def firefox_backup(depth: int) -> dict:
    inner = nested_folders(depth)
    return {
        "type": "text/x-moz-place-container", "root": "placesRoot", "title": "", "children": [
            {"type": "text/x-moz-place-container", "root": "bookmarksMenuFolder",
             "title": "Menu", "children": [
                 {"type": "text/x-moz-place", "title": "Most visited",
                  "uri": "place:sort=8"},
                 {"type": "text/x-moz-place-separator", "title": ""},
                 {"type": "text/x-moz-place", "title": "Tide\u202e notes",
                  "uri": "https://tides.example/", "tags": "sea, moon,,sea",
                  "dateAdded": 1600000000000000},
                 {"type": "text/x-moz-place", "title": "no uri"},
                 inner,
             ]},
            {"type": "text/x-moz-place-container", "root": "tagsFolder", "title": "Tags",
             "children": [{"type": "text/x-moz-place-container", "title": "sea", "children": [
                 {"type": "text/x-moz-place", "title": "Again", "uri": "https://tides.example/"}
             ]}]},
        ]}


def test_firefox_backup_roots_tags_folder_and_separators() -> None:
    parsed = parse_bytes(json.dumps(firefox_backup(3)).encode(), "bookmarks.json")
    articles = list(parsed.articles)
    assert parsed.format == "firefox"
    assert [(a.title, a.tags) for a in articles] == [
        ("Tide notes", ("sea", "moon")), ("Deep", ("level 0",))]
    assert articles[0].date == "2020-09-13" and "\u202e" not in articles[0].title
    assert parsed.problems == ["1 record skipped: no web link (record 3)"]


def test_firefox_tree_deeper_than_recursion_allows() -> None:
    problems: list[str] = []
    tree = {"type": "text/x-moz-place-container", "root": "placesRoot",
            "children": [nested_folders(5000)]}
    (deep,) = browsers.parse_firefox(tree, "b.json", (), problems)
    assert deep.title == "Deep" and deep.tags == ("level 0",) and problems == []


def test_pinboard_state_and_bad_records() -> None:
    records = [
        {"href": "https://a.example/", "description": "A\x1b[31m", "extended": "my note",
         "time": "2020-01-02T03:04:05Z", "toread": "yes", "tags": "one  two\tthree"},
        {"href": "javascript:alert(1)", "description": "bad", "time": "", "tags": ""},
        "not a record",
        {"href": "http://b.example/", "description": "", "time": "junk", "toread": "no",
         "tags": ""},
    ]
    parsed = parse_bytes(json.dumps(records).encode(), "pinboard_export")
    first, second = parsed.articles
    assert parsed.format == "pinboard"
    assert (first.title, first.tags, first.read, first.date) == (
        "A", ("one", "two", "three"), False, "2020-01-02")
    assert (second.title, second.read, second.date) == ("http://b.example/", True, None)
    assert "my note" not in first.body and first.stub
    assert parsed.problems == ["2 records skipped: no web link (record 2, 3)"]


def test_elcurator_saved_is_starred_and_delicious_detected() -> None:
    elcurator = [{"url": "https://a.example/", "title": "A", "tags": ["x", ""],
                  "created_at": "2015-09-09 11:10:32 UTC", "is_saved": False}]
    (article,) = parse_bytes(json.dumps(elcurator).encode(), "e.json").articles
    assert (article.starred, article.tags, article.date) == (False, ("x",), "2015-09-09")
    delicious = [{"url": "https://b.example/", "title": "B", "tags": [],
                  "created": 1358531607, "private": "1"}]
    parsed = parse_bytes(json.dumps(delicious).encode(), "d.json")
    assert parsed.format == "delicious" and [a.url for a in parsed.articles] == [
        "https://b.example/"]


def test_unknown_json_trees_and_forced_mismatch() -> None:
    with pytest.raises(NotAnArchive):
        list(parse_bytes(b'{"roots": "nope", "version": 1}', "x.json").articles)
    with pytest.raises(NotAnArchive):
        list(parse_bytes(b'{"bookmarks": [{"link": "https://a.example/"}]}', "x.json").articles)
    with pytest.raises(ArchiveError, match="not a Chrome bookmarks file"):
        parse_bytes(b'[{"href": "https://a.example/"}]', "x.json", "chrome")
    forced = parse_file(RIL / "wallabag-fixtures/pinboard_export", "pinboard")
    assert len(list(forced.articles)) == 3


def test_found_in_folders_and_zips_and_imported(fresh_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("chrome-bookmarks", "pinboard_export", "shaarli-bookmarks.html",
                 "firefox-bookmarks.json", "readability.json"):
        shutil.copy(RIL / "wallabag-fixtures" / name, folder / name)
    shutil.copy(CHROME, folder / "Bookmarks")
    (folder / "settings.json").write_text('{"theme": "dark"}')
    for path in folder.iterdir():
        reason = skip_reason(path.name, path.read_bytes()[:4096])
        assert reason is None, path.name  # JSON is told apart once loaded
    report = Importer(fresh_store).run([folder])
    assert sorted(f.path.name for f in report.skipped) == ["settings.json"]
    assert not report.failed and [(f.path.name, f.problems) for f in report.partial] == [
        ("Bookmarks", ["2 records skipped: no web link (record 5, 6)"])]
    # The same link saved in two files is one stub (merged the second time).
    urls = set()
    for name in ("chrome-bookmarks", "pinboard_export", "shaarli-bookmarks.html",
                 "firefox-bookmarks.json", "readability.json"):
        urls |= {a.url for a in parse_file(folder / name).articles}
    urls |= {a.url for a in parse_file(CHROME).articles}
    assert fresh_store.count() == len(urls)
    assert report.new == 0 and report.stubs == len(urls)
    assert report.stubs + report.merged + report.present == 1 + 3 + 2 + 2 + 3 + 4
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(folder / "chrome-bookmarks", "exports/chrome-bookmarks")
        z.write(folder / "pinboard_export", "exports/pinboard_export")
    with Store(memory=True) as other:
        zipped = Importer(other).run([archive])
        assert zipped.ok and not zipped.skipped and zipped.stubs == 4


def test_cli_import_and_preview(db_path: Path) -> None:
    from click.testing import CliRunner

    from reader.cli import main

    runner = CliRunner()
    files = [str(RIL / "wallabag-fixtures/pinboard_export"),
             str(RIL / "wallabag-fixtures/delicious_export.2021.02.06_21.10.json")]
    preview = runner.invoke(main, ["import", "--preview", *files])
    assert preview.exit_code == 0, preview.output
    assert preview.output.count("(stub: link only)") == 6
    assert "6 articles would be imported, 6 of them stubs" in preview.output
    result = runner.invoke(main, ["import", *files, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "2 files imported: 0 new" in result.output
    assert "6 stubs (links without text)" in result.output
    exported = json.loads(runner.invoke(main, ["export", "articles", "--db",
                                               str(db_path)]).output)
    assert sorted(a["url"] for a in exported if a["stub"]) == sorted(
        a.url for f in files for a in parse_file(Path(f)).articles)
