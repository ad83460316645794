"""Digest dumps: doubled titles, separators, sources."""

from __future__ import annotations

from reader.archive import parse_file
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
