"""Markdown and plain-text files: one article each."""

from __future__ import annotations

from pathlib import Path

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
