"""Digest dumps: doubled titles, separators, sources."""

from __future__ import annotations

from reader.archive import parse_file
from reader.archive.lines import meta
from tests.conftest import FIXTURES


def test_digest_variants() -> None:
    parsed = parse_file(FIXTURES / "digest_variants.txt")
    assert parsed.format == "digest"
    articles = list(parsed.articles)
    assert [(a.title, a.source) for a in articles] == [
        ("Ports Brace for a Busy Winter", "The Harbour Gazette"),
        ("City Council Votes on Bike Lanes – and Parking", "Northwind News"),
        ("A Library Opens Its Doors at Midnight", None),
        ("‘We Didn’t Expect This’: Bakers on the Sourdough Boom", "BBC News"),
        ("Weekend Weather: Sun, Then Storms", None),
    ]
    assert [a.date for a in articles] == [None, "2020-03-03", None, None, None]
    first = articles[0].body.split("\n")
    assert "Morning Briefing" not in articles[0].body  # page chrome before the first item
    assert "Image result for container ship, pictures" not in first
    assert first.count("Cranes at the northern terminal. PHOTO: LEO MARSH/GAZETTE") == 1
    assert "Cranes at the northern terminal." not in first
    # The title printed once: its first body line is the body, not a second title.
    assert articles[2].body.startswith("The central library tried opening at midnight")
    # A subhead does not start a new item; separators never stay in a body.
    assert "What Comes Next" in articles[3].body
    for article in articles:
        assert "Read More" not in article.body
        assert "Continue reading" not in article.body
        assert not article.body.startswith(article.title)
    # The last item has no separator and still counts.
    assert articles[-1].body.endswith("Keep an umbrella by the door and the barbecue covered.")
    assert articles[-1].provenance.end_line == 60


def test_seed_shaped_digest_spans(tmp_path) -> None:
    text = "A\n\nA\n\nbody one is here and long enough.\n\nRead More\n\n\nBudget talks resume – Site\nBudget talks resume – Site\n\nbody two.\n\nRead More\n"
    path = tmp_path / "d.txt"
    path.write_text(text)
    articles = list(parse_file(path).articles)
    assert [(a.title, a.source, a.body) for a in articles] == [
        ("A", None, "body one is here and long enough."),
        ("Budget talks resume", "Site", "body two."),
    ]
    assert [(a.provenance.start_line, a.provenance.end_line) for a in articles] == [(1, 7), (10, 15)]


def test_copies_differing_by_a_source_suffix(tmp_path) -> None:
    path = tmp_path / "d.txt"
    path.write_text(
        "Rail strike called off at last minute\n\nRail strike called off at last minute – Northwind News\n\n"
        "Unions and operators agreed late on Sunday night.\n\nRead More\n\n\n"
        "Second item title here\nSecond item title here\n\nIts body.\n\nRead More\n"
    )
    articles = list(parse_file(path).articles)
    assert [(a.title, a.source) for a in articles] == [
        ("Rail strike called off at last minute", "Northwind News"),
        ("Second item title here", None),
    ]
    assert articles[0].body == "Unions and operators agreed late on Sunday night."


def doubled_title_digest(tmp_path, titles: list[str]) -> list:
    """The articles of a digest whose items print their titles twice, a blank between."""
    items = [f"{t}\n\n{t}\n\nThe first paragraph of item {i} tells what happened today.\n\n"
             f"A second paragraph of item {i} adds the details that matter.\n\nRead More\n\n\n"
             for i, t in enumerate(titles)]
    dump = tmp_path / "digest.txt"
    dump.write_text("".join(items), encoding="utf-8")
    return list(parse_file(dump, "digest").articles)


def assert_each_item_whole(articles, titles: list[str]) -> None:
    """Every item of `doubled_title_digest` is its own article: its title, its text once."""
    assert [a.title for a in articles] == titles
    for i, a in enumerate(articles):
        assert a.body.count("tells what happened") == 1 and f"item {i} adds" in a.body


def test_title_opening_like_a_share_row_is_a_title(tmp_path) -> None:
    # A title may begin with `Share To`, `Share This`, `Share On`: printed twice, it is
    # an item's title, not a share widget; the item is neither merged nor lost.
    titles = ["Harbour Cranes Stand Idle as Talks Stall",
              "Share To Win: Neighbours Swap Tools Across the Valley",
              "Share This Garden Plan With Your Allotment Club",
              "Share On Weekends Keeps the Mill Running",
              "Late Trains Return to the Coast Line"]
    assert_each_item_whole(doubled_title_digest(tmp_path, titles), titles)


def test_share_rows_are_still_left_out(tmp_path) -> None:
    rows = ["Share this:", "Share on Facebook", "Share this: Facebook Twitter Email",
            "Share on Facebook Share on Twitter Share on LinkedIn",
            "Share to TwitterShare to Facebook"]
    for row in rows:
        assert meta(row), row


def test_title_opening_like_a_share_button_is_a_title(tmp_path) -> None:
    # `Tweet`, `Pin it`, `Telegram`, `Email this` alone are share buttons; a title may
    # open with the same word and is still the item's title, its item kept whole.
    titles = ["Tweeting Through the Storm at the Harbour",
              "Telegram From the Front Arrives Late",
              "Pin It On the Wall: A Guide to Seed Calendars",
              "Email This Week Brings New Rules for Tenants"]
    assert_each_item_whole(doubled_title_digest(tmp_path, titles), titles)


def test_share_button_rows_are_still_left_out() -> None:
    for row in ["Tweet", "Pin it", "Tweet WhatsApp Telegram", "Tweet 12", "BlogThis!",
                "Email ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest"]:
        assert meta(row), row
