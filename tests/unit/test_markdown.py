"""Markdown and plain-text files: one article each."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import detect, parse_file
from tests.conftest import FIXTURES


def test_front_matter_is_honoured() -> None:
    parsed = parse_file(FIXTURES / "article.md")
    assert parsed.format == "markdown"
    (article,) = parsed.articles
    assert (article.title, article.date, article.tags, article.source, article.url, article.author) == (
        "Notes on Plain Text", "2021-07-04", ("writing", "tools"), "Lantern Notes",
        "https://example.org/plain-text", "Marta",
    )
    assert article.body.startswith("Plain text outlives")  # the repeated H1 is dropped
    assert "## Why it lasts" in article.body and "> Write things down" in article.body


def test_plain_text_title_from_first_line() -> None:
    parsed = parse_file(FIXTURES / "note.txt")
    assert parsed.format == "text"
    (article,) = parsed.articles
    assert article.title == "A Letter About Bread"
    assert article.body.startswith("Dear friend")


def test_comma_separated_tags_and_string_dates(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: X marks\ndate: 'March 3, 2020'\ntags: a, b ,a\n---\nBody.\n")
    (article,) = parse_file(path).articles
    assert (article.date, article.tags) == ("2020-03-03", ("a", "b"))


def test_broken_front_matter_is_body_text(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    (article,) = parse_file(path).articles
    assert "Body." in article.body


def test_untitled_text_gets_a_title_from_its_words(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("just one long sentence without a title line that goes on and on. " * 3)
    (article,) = parse_file(path).articles
    assert article.title.startswith("just one long sentence")
    assert len(article.title) <= 81


def test_detection_is_by_content_not_extension(tmp_path: Path) -> None:
    digest = (FIXTURES / "digest_variants.txt").read_text()
    path = tmp_path / "looks-like-notes.md"
    path.write_text(digest)
    assert parse_file(path).format == "digest"
    assert detect((FIXTURES / "blogger_label.txt").read_text().split("\n")) == "tagpage"
    assert detect(["# Heading", "", "text"]) == "markdown"
    assert detect(["Just a note.", "", "More text."]) == "text"


def test_toml_front_matter_as_hugo_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text('+++\ntitle = "Pruning Old Branches"\ndate = 2023-02-11T09:30:00Z\n'
                    'tags = ["git", "tidying"]\nauthor = "Ines"\ndraft = false\n+++\n\n'
                    "Branches pile up.\n\n## Listing them\n\nOne command lists them.\n")
    parsed = parse_file(path)
    assert parsed.format == "markdown"
    (article,) = parsed.articles
    assert (article.title, article.date, article.tags, article.author) == (
        "Pruning Old Branches", "2023-02-11", ("git", "tidying"), "Ines")
    assert article.body.startswith("Branches pile up.") and "+++" not in article.body


def test_toml_front_matter_with_zola_tables(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_text('+++\ntitle = "Static Sites"\ndate = 2022-08-30\n\n[taxonomies]\n'
                    'tags = ["web"]\ncategories = ["notes"]\n\n[extra]\nauthor = "Bo"\n+++\n'
                    "Zola builds it.\n")
    (article,) = parse_file(path).articles
    assert (article.title, article.date, article.tags, article.author) == (
        "Static Sites", "2022-08-30", ("web", "notes"), "Bo")
    assert article.body == "Zola builds it."


def test_broken_toml_front_matter_stays_in_the_body(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text('+++\ntitle = "unterminated\n+++\n\n# Heading\n\nText.\n')
    (article,) = parse_file(path).articles
    assert 'title = "unterminated' in article.body


def test_front_matter_wins_over_dump_detection() -> None:
    text = ("---\ntitle: Release log\n---\n\nVersion 2.1\n\nMarch 3, 2021\n\nVersion 2.0\n\n"
            "January 5, 2021\n")
    lines = text.split("\n")
    assert detect(lines) == "markdown"


def test_a_dump_that_splits_into_nothing_is_one_article(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the listing splitter makes of a text it took for a dump, a file
    # is never "no articles found": it falls back to one article.
    import reader.archive.listing

    monkeypatch.setattr(reader.archive.listing, "sniff", lambda lines: _Template())
    monkeypatch.setattr(reader.archive.listing, "parse", lambda *a, **k: iter(()))
    path = tmp_path / "tagged.txt"
    path.write_text("Posts tagged “gardening”\n\nNothing here yet, but soon.\n")
    assert detect(path.read_text().split("\n")) == "tagpage"
    parsed = parse_file(path)
    (article,) = parsed.articles
    assert parsed.format == "text"
    assert (article.title, article.body) == ("Posts tagged “gardening”",
                                             "Nothing here yet, but soon.")


class _Template:
    start = "single"
    sources = False


def test_markdown_opening_with_a_comment_is_markdown(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text("<!-- This file is generated; edit the source instead. -->\n\n"
                    "# A Guide\n\nIt starts here.\n")
    parsed = parse_file(path)
    (article,) = parsed.articles
    assert parsed.format == "markdown"
    assert (article.title, article.body) == ("A Guide", "It starts here.")


def test_a_rule_is_not_a_text_title(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("==================\n\nThe notes begin here, after a rule.\n")
    (article,) = parse_file(path).articles
    assert article.title.startswith("The notes begin")
