"""Cleaning and sanitising shared by every format."""

from __future__ import annotations

import pytest

from reader.clean import (
    clean_lines,
    comparable,
    is_junk,
    is_separator,
    needs_sanitizing,
    sanitize,
    split_source,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text", "plain text"),
        ("red\x1b[31malert\x1b[0m", "redalert"),
        ("copy\x1b]52;c;aGVsbG8=\x07me", "copyme"),
        ("title\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "titlelink"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("c1\x9b31m csi", "c1 csi"),
        ("\u202egnp.exe", "gnp.exe"),
        ("isolate\u2066x\u2069", "isolatex"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
        ("[@click=app.quit]x[/] [/bold]", "[@click=app.quit]x[/] [/bold]"),
    ],
)
def test_sanitize(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean
    assert not needs_sanitizing(sanitize(raw))


@pytest.mark.parametrize(
    "line",
    [
        "Image result for WeChat, pictures",
        "Advertisement",
        "Share this:",
        "Like Loading...",
        "Posted in News | Tagged a, b | Leave a comment",
        "3 Comments",
        "Now playing:",
        "Watch this:",
        "4:59",
        "huawei-p30-pro-4",
        "Get our daily newsletter",
        "Click to share on Twitter (Opens in new window)",
    ],
)
def test_junk_lines(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "FILED UNDER news", "Tagged with a", "Tagged: a, b", "tags: a", "Labels: x", "Categories: y",
        "This entry was posted on Monday.", "Bookmark the permalink.", "No comments so far",
        "One Response", "12 replies", "Leave a Reply", "Comment are off", "Comments closed",
        "Share this story:", "Like this", "Story continues below advertisement",
        "Sponsored content", "Pin it", "Be the first to like this.", "Watch now:", "Up next",
        "Copy link", "Sign up for our newsletter", "Subscribe to the Daily newsletter",
        "Upgrade your inbox today", "Download this podcast", "Posted by Ann at 10:30 am",
        "10:30:15", "share", "Share via Email", "poſted in News",
    ],
)
def test_every_kind_of_junk_line_passes_the_quick_test(line: str) -> None:
    # `is_junk` asks the regex only about lines whose first word may begin a junk line.
    assert is_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "The 5G collision",
        "Read: Everything you need to know about the controversy",
        "Photo captions are content.",
        "Image: pexels",
        "Posted on the wall of the station, the notice was ignored.",
    ],
)
def test_content_lines_are_not_junk(line: str) -> None:
    assert not is_junk(line)


@pytest.mark.parametrize(
    "line",
    ["Read More", "Read more", "Read More »", "Continue reading", "Continue reading →",
     "Read more…", "[Read more]", "Continue reading “The Title” →", "Read the full story",
     "Read more at CNET", "Full story"],
)
def test_separators(line: str) -> None:
    assert is_separator(line)


@pytest.mark.parametrize("line", ["Read more about the budget in our explainer, published today.",
                                  "Reading list", "More to read"])
def test_not_separators(line: str) -> None:
    assert not is_separator(line)


@pytest.mark.parametrize(
    ("raw", "title", "source"),
    [
        ("Huawei can survive without Android – CNET", "Huawei can survive without Android",
         "CNET"),
        ("Stocks slip on trade fears – Investing.com", "Stocks slip on trade fears",
         "Investing.com"),
        ("Brexit talks resume - BBC News", "Brexit talks resume", "BBC News"),
        ("Ports brace for winter | Business | The Guardian", "Ports brace for winter",
         "The Guardian"),
        ("Opinion | Will China Export its Innovation? – The New York Times",
         "Opinion | Will China Export its Innovation?", "The New York Times"),
        ("Vim at 30 – and still going – Example Weekly", "Vim at 30 – and still going",
         "Example Weekly"),
        ("Vim at 30 – and still going strong", "Vim at 30 – and still going strong", None),
        ("Business this week", "Business this week", None),
        ("The U.S.-China tech war gets an iron curtain", "The U.S.-China tech war gets an iron "
         "curtain", None),
        ("Crackdown on influences — Enforcing Ideology", "Crackdown on influences — Enforcing "
         "Ideology", None),
    ],
)
def test_split_source(raw: str, title: str, source: str | None) -> None:
    assert split_source(raw) == (title, source)


def test_comparable_ignores_style() -> None:
    assert comparable("China’s “Huawei” — Charges…") == comparable("china's \"huawei\" - charges...")
    assert comparable("a\u00a0 b") == "a b"


def test_clean_lines_drops_junk_duplicates_and_title() -> None:
    lines = [
        "My Title",
        "",
        "First paragraph.",
        "Image result for cats, pictures",
        "A caption here.",
        "A caption here. PHOTO: ANN LEE/AGENCY",
        "",
        "",
        "Same line twice.",
        "Same line twice.",
        "  indented line  ",
    ]
    assert clean_lines(lines, title="My Title") == [
        "First paragraph.",
        "A caption here. PHOTO: ANN LEE/AGENCY",
        "",
        "Same line twice.",
        "indented line",
    ]


def test_comparable_of_ascii_text_squashes_every_space_as_split_does() -> None:
    import random

    from reader.clean import comparable

    rng = random.Random(7)
    alphabet = "aB .\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f-'"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert comparable(text) == " ".join(text.split()).casefold(), repr(text)
    assert comparable("  Two\n\n paragraphs,\tONE\x0bkey \r\n") == "two paragraphs, one key"


def test_may_be_mojibake_looks_for_every_hint() -> None:
    from reader.clean import _HINTS, may_be_mojibake

    for hint in _HINTS:
        assert may_be_mojibake(f"caf{hint}s"), hint
        assert may_be_mojibake(f"caf{hint}s – x"), hint
    assert not may_be_mojibake("café – naïve “quotes”") and not may_be_mojibake("plain")
