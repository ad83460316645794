"""Tag page dumps of several blog themes, from fixtures written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import parse_file
from reader.archive.tagpage import header_tag
from reader.models import ParsedArticle
from tests.conftest import FIXTURES


def parse(name: str) -> tuple[str, list[ParsedArticle]]:
    parsed = parse_file(FIXTURES / name)
    return parsed.format, list(parsed.articles)


def lines(article: ParsedArticle) -> list[str]:
    return [ln for ln in article.body.split("\n") if ln]


@pytest.mark.parametrize(
    ("line", "tag"),
    [
        ("Posts Tagged ‘WeChat’", "WeChat"),
        ("Posts Tagged 'rust'", "rust"),
        ('Posts tagged "rust"', "rust"),
        ("Archive for the ‘Travel’ Category", "Travel"),
        ("Archive for the 'Travel' Category", "Travel"),
        ("Tag Archives: cycling", "cycling"),
        ("Category Archives: Soup", "Soup"),
        ("Tag: photography", "photography"),
        ("Showing posts with label soup. Show all posts", "soup"),
        ("Showing posts with label soup", "soup"),
        ("Posts about gardening", "gardening"),
    ],
)
def test_header_variants(line: str, tag: str) -> None:
    assert header_tag(line) == tag


def test_not_headers() -> None:
    assert header_tag("The tag: a short history of graffiti in a long sentence") != "x"
    assert header_tag("One World, Two Internets") is None


def test_wordpress_posted_on_with_footers_and_chrome() -> None:
    fmt, articles = parse("wp_posts_tagged_straight.txt")
    assert fmt == "tagpage"
    assert [a.title for a in articles] == [
        "Why I Rewrote My Backup Script in Rust",
        "A Borrow Checker Story",
        "Cargo Workspaces for the Impatient",
    ]
    assert [a.date for a in articles] == ["2019-03-14", "2019-02-02", "2019-01-09"]
    assert all(a.tags == ("rust",) for a in articles)
    first = lines(articles[0])
    assert first[0].startswith("The old script was forty lines")
    assert "What changed" in first  # a subhead stays in the body, it does not split
    assert first[-1] == "Rust made the failure cases impossible to ignore. Every error had to go somewhere."
    bodies = "\n".join(a.body for a in articles)
    for chrome in ("Skip to content", "Share this:", "Twitter", "Like Loading...", "Advertisement",
                   "« Older Entries", "Recent Posts", "Proudly powered by WordPress",
                   "Posted in", "Leave a comment"):
        assert chrome not in bodies
    assert lines(articles[-1])[-1] == "Put the members in the root manifest and keep each crate's own manifest short."


def test_category_archive_crlf_bom_kubrick_dates_and_a_dateless_post() -> None:
    fmt, articles = parse("crlf_bom_category.txt")
    assert fmt == "tagpage"
    assert [(a.title, a.date) for a in articles] == [
        ("Three Days on the Night Trains of Europe", "2009-06-23"),
        ("A Short Walk Along the Harbour Wall", None),
        ("Packing Light, Finally", "2009-05-01"),
    ]
    assert all(a.tags == ("Travel",) for a in articles)
    body = articles[0].body
    assert "\r" not in body and "\ufeff" not in body
    # A doubled video title inside a body is not a digest item and not a new post.
    assert "Night Train to Vienna – Full Documentary" in body
    assert lines(articles[0])[-1] == "We arrived rested, which is more than any airline has ever managed."
    assert "Newer Entries" not in articles[-1].body


def test_dates_only_in_footers() -> None:
    _, articles = parse("tag_archives_footer_dates.txt")
    assert [(a.title, a.date) for a in articles] == [
        ("Gravel Is Just Cycling With Extra Steps", "2019-04-07"),
        ("The Bike Shed Finally Has a Roof", "2019-03-30"),
        ("Commuting in the Rain: A Defence", "2019-03-04"),
    ]
    assert all("This entry was posted" not in a.body for a in articles)
    assert lines(articles[1])[0] == "After three winters of tarpaulin, the shed has a real roof with real gutters."


def test_blogger_dates_above_titles_shared_by_a_day() -> None:
    _, articles = parse("blogger_label.txt")
    assert [(a.title, a.date) for a in articles] == [
        ("Leek and Potato, the Lazy Way", "2019-11-12"),
        ("A Note on Stock Cubes", "2019-11-12"),
        ("Roasted Tomato Soup for a Crowd", "2019-10-05"),
    ]
    assert all(a.tags == ("soup",) for a in articles)
    assert all("Posted by Ann" not in a.body and "Labels:" not in a.body for a in articles)
    assert "Older Posts" not in articles[-1].body


def test_dense_posts_without_blank_lines_after_dates() -> None:
    _, articles = parse("tag_colon_dense.txt")
    assert [(a.title, a.date) for a in articles] == [
        ("Learning to See in Black and White", "2019-02-12"),
        ("Light Meter Apps Compared", "2019-01-03"),
    ]
    assert "THE FIRST WEEK" in articles[0].body
    assert lines(articles[1])[-1] == "The cheapest app was within a third of a stop every single time."


def test_provenance_line_ranges() -> None:
    _, articles = parse("wp_posts_tagged_straight.txt")
    text = (FIXTURES / "wp_posts_tagged_straight.txt").read_text().split("\n")
    for article in articles:
        p = article.provenance
        assert text[p.start_line - 1] == article.title
        assert Path(p.path).name == "wp_posts_tagged_straight.txt"
        assert p.format == "tagpage"
        assert p.end_line > p.start_line


def test_cli_tag_is_added_to_the_header_tag() -> None:
    parsed = parse_file(FIXTURES / "tag_colon_dense.txt", tags=("mine",))
    assert all(a.tags == ("photography", "mine") for a in parsed.articles)


def test_bylines_between_title_and_date() -> None:
    _, articles = parse("bylines_iso.txt")
    assert [(a.title, a.date, a.author) for a in articles] == [
        ("Saturn Through a Borrowed Telescope", "2019-08-14", "Ines Okafor"),
        ("Counting Meteors With Children", "2019-08-12", "Ines Okafor"),
    ]
    assert "Notes from a backyard observatory" not in articles[0].body
    assert all("By Ines" not in a.body for a in articles)
    assert lines(articles[0])[-1] == "We stayed out until the dew settled on everything."


def test_dates_in_footers_after_the_body() -> None:
    _, articles = parse("date_in_footer.txt")
    assert [(a.title, a.date) for a in articles] == [
        ("On Sharpening Pencils", "2022-03-02"),
        ("The Case for Paper Maps", "2022-02-11"),
        ("Why Notebooks Have Margins", "2022-01-20"),
    ]
    assert all(a.tags == ("Notes",) for a in articles)
    assert lines(articles[0])[-1] == "Thanks for reading."  # a short last paragraph stays
    assert lines(articles[1])[-1] == "Fold it badly. Everyone does."
    bodies = "\n".join(a.body for a in articles)
    for chrome in ("Small essays", "March 2, 2022", "Leave a comment", "2 Comments", "Older posts"):
        assert chrome not in bodies


def test_comment_counts_under_the_date_do_not_make_dates_footers(tmp_path: Path) -> None:
    posts = "".join(
        f"Post Number {n} Has a Title\n\nMarch {n}, 2022\n\n{n} Comments\n\n"
        f"Body of post {n} begins here and runs on for a while, as bodies do.\n\n"
        f"Short closing line {n}.\n\n"
        for n in range(1, 5)
    )
    path = tmp_path / "t.txt"
    path.write_text("Posts Tagged ‘x’\n\n" + posts)
    articles = list(parse_file(path).articles)
    assert [(a.title, a.date) for a in articles] == [
        (f"Post Number {n} Has a Title", f"2022-03-0{n}") for n in range(1, 5)]
    assert all(lines(a)[-1].startswith("Short closing line") for a in articles)


@pytest.mark.parametrize(
    "line",
    ["Posts Tagged ‘WeChat’", "Archive for the 'Travel' Category", "TOPIC ARCHIVE: x",
     "Category: Soup", "Label: soup", "Showing posts with label soup", "Posts about gardening",
     "Articles filed under Travel", "Entries labelled: x", "Stories Labeled x",
     "Browsing Category: x", "Tagged: x", "Topic: x"],
)
def test_every_header_passes_the_quick_test_of_the_page_breaks(line: str) -> None:
    from reader.archive.listing.segment import _may_name_tag

    assert header_tag(line) is not None
    assert _may_name_tag(line)
