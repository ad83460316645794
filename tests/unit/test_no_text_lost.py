"""No text is ever lost to sanitising (issue: unterminated escapes, mojibake quotes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.clean import needs_sanitizing, repair_mojibake, sanitize
from reader.importer import Importer
from reader.store import Store

MOJIBAKE = "He said “hello”".encode().decode("latin-1")
"""The curly quotes of a UTF-8 file read as Latin-1: they hold U+009C and U+009D."""


def tag_page(posts: int, special: dict[int, str]) -> str:
    lines = ["Lantern Notes", "A blog about small programs", "", "Posts Tagged 'walks'", "", ""]
    for n in range(1, posts + 1):
        lines += [
            f"Walk number {n} along the river",
            "",
            f"Posted on {n % 28 + 1} March 2019 by marta",
            "",
            f"The path past the mill was quiet on walk {n}, and the light was low.",
            special.get(n, f"We counted {n} herons before the bridge."),
            "",
            "Posted in Walks | Tagged river, walks | Leave a comment",
            "",
            "",
        ]
    return "\n".join(lines) + "\n"


def test_mojibake_quote_repaired_and_following_text_kept() -> None:
    assert sanitize(MOJIBAKE + " and left.\nNext line.") == "He said “hello” and left.\nNext line."
    assert repair_mojibake("Caf\u00c3\u00a9 au lait") == "Café au lait"
    assert repair_mojibake("plain café – fine") == "plain café – fine"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Unterminated string sequences lose their introducer only.
        ("a\x1b]52;c;abc and more\nline two\x07 end", "ac;abc and more\nline two end"),
        ("a\x1bPq and the rest", "aq and the rest"),
        ("a\x1b_apc and the rest", "aapc and the rest"),
        ("x \x9d then text \x9c more", "x  then text  more"),
        ("keep\x1b]0;title\nnext line", "keeptitle\nnext line"),
        # Terminated ones go whole, and only they.
        ("x \x9d52;c;AAA\x07 more", "x  more"),
        ("a\x1b]0;PWNED\x07b", "ab"),
        ("a\x1bP1$r\x1b\\b", "ab"),
    ],
)
def test_sequences_never_take_more_than_themselves(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean
    assert not needs_sanitizing(sanitize(raw))


def test_payload_is_bounded() -> None:
    long_line = "\x1b]2;" + "x" * 100_000 + "\x07tail"
    out = sanitize(long_line)
    assert out.endswith("tail") and "x" * 1000 in out


def test_fifty_post_tag_page_with_a_mojibake_quote_keeps_every_post(tmp_path: Path) -> None:
    page = tmp_path / "walks.txt"
    page.write_text(tag_page(50, {3: MOJIBAKE + " to the ferryman."}), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([page])
        assert report.ok and report.new == 50
        bodies = [a.body for a in store.iter_articles()]
        assert any("He said “hello” to the ferryman." in b for b in bodies)
        assert all("We counted 50 herons" not in b or "walk 50" in b for b in bodies)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_unterminated_escape_keeps_the_rest_of_the_body(tmp_path: Path, fmt: str) -> None:
    tail = "This closing paragraph must survive the import whole."
    if fmt == "md":
        text = f"# Title here\n\nFirst paragraph \x1b]52;c;QUJD cut short.\n\n{tail}\n"
    else:
        text = (f"<html><head><title>Title here</title></head><body><article><h1>Title here</h1>"
                f"<p>First paragraph &#x1b;]52;c;QUJD cut short, with enough words to be kept "
                f"as an article body by the extractor.</p><p>{tail} More words follow here so "
                f"that the page reads as an article.</p></article></body></html>")
    path = tmp_path / f"page.{fmt}"
    path.write_text(text, encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        assert Importer(store).run([path]).ok
        (article,) = list(store.iter_articles())
    assert tail in article.body and "\x1b" not in article.body


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Latin-1 letters left out: next to a C1 byte they are mojibake, which is repaired.
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
                                  blacklist_characters=[chr(c) for c in range(0xA0, 0x100)]),
                    max_size=60)
INTRODUCERS = st.sampled_from(["\x1b]", "\x1b]52;c;", "\x1bP", "\x1b_", "\x1b^", "\x1bX",
                               "\x9d", "\x9d8;;", "\x9b", "\x1b[", "\x1b", "\x90", "\x9e",
                               "\x9f", "\x98", "\x07", "\x9c", "\x1b\\"])


@settings(max_examples=300, deadline=None)
@given(before=PRINTABLE, hostile=st.lists(INTRODUCERS, min_size=1, max_size=3),
       tail=PRINTABLE, lines=st.lists(PRINTABLE, min_size=1, max_size=4))
def test_an_escape_never_takes_the_lines_after_it(before: str, hostile: list[str], tail: str,
                                                  lines: list[str]) -> None:
    text = before + "".join(hostile) + tail + "\n" + "\n".join(lines)
    out = sanitize(text).split("\n")
    assert not needs_sanitizing("\n".join(out))
    # The line holding the sequence keeps what came before it; the lines after are whole.
    assert out[0].startswith(sanitize(before))
    assert out[1:] == [sanitize(line) for line in lines]
