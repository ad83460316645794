"""Every bad input gets a one-line reason and loses nothing."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from reader.archive import ArchiveError, parse_file
from reader.importer import Importer
from reader.store import Store
from tests.conftest import FIXTURES

DIGEST = "Budget talks resume – Site\n\nBudget talks resume – Site\n\n{body}\n\nRead More\n\n\n"


def run(store: Store, *paths: Path):
    return Importer(store).run(paths)


def one_error(report) -> str:
    (failed,) = report.failed
    assert failed.error and "\n" not in failed.error
    return failed.error


def test_missing_path(fresh_store: Store, tmp_path: Path) -> None:
    good = FIXTURES / "note.txt"
    report = run(fresh_store, tmp_path / "nope.txt", good)
    assert one_error(report) == "no such file or folder"
    assert fresh_store.count() == 1


def test_folder_with_nothing_importable(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n")
    report = run(fresh_store, tmp_path)
    assert one_error(report) == "no importable files in this folder"
    assert [f.skipped for f in report.skipped] == ["not an archive (.png file)"]


def test_empty_and_blank_files(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("\n  \n\t\n")
    report = run(fresh_store, tmp_path / "empty.txt", tmp_path / "blank.txt", FIXTURES / "note.txt")
    assert [f.error for f in report.failed] == ["empty file", "no text in file"]
    assert fresh_store.count() == 1


def test_binary_file_named_txt(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 40)
    assert one_error(run(fresh_store, tmp_path / "image.txt")) == "binary file, not text"


def test_invalid_utf8_fails_whole_and_names_the_line(fresh_store: Store, tmp_path: Path) -> None:
    body = "".join(DIGEST.format(body=f"Article {i} is a perfectly fine body.") for i in range(3))
    path = tmp_path / "bad.txt"
    path.write_bytes(body.encode() + b"Caf\xe9 au lait\n")
    error = one_error(run(fresh_store, path))
    assert "not valid UTF-8" in error and "line 28" in error and "--encoding" in error
    assert fresh_store.count() == 0  # nothing half-written
    report = Importer(fresh_store, encoding="cp1252").run([path])
    assert report.ok and fresh_store.count() == 3


def test_invalid_bytes_deep_in_a_large_file_roll_back(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    items = "".join(DIGEST.format(body=f"Body number {i} " * 40) for i in range(6000))
    path.write_bytes(items.encode() + b"\xff\xfe broken\n")
    assert path.stat().st_size > 4 << 20  # parsed in a second process
    assert "not valid UTF-8" in one_error(run(fresh_store, path))
    assert fresh_store.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_boms_are_decoded(fresh_store: Store, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes((FIXTURES / "wp_posts_tagged_straight.txt").read_text().encode(encoding))
    report = run(fresh_store, path)
    assert report.ok and report.new == 3
    assert fresh_store.tags()[0].name == "rust"


def test_controls_escapes_and_bidi_are_stripped_at_import(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    title = "Evil\x1b]52;c;aGk=\x07 \x1b[31mred\x1b[0m \u202etitle\x00"
    body = "Body with \x1b[2J clear, a NUL\x00 and \x9b31m C1 and \u2066isolates\u2069 here."
    path.write_text(DIGEST.replace("Budget talks resume – Site", title).format(body=body))
    report = run(fresh_store, path)
    assert report.ok
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None
    assert article.title == "Evil red title"
    assert article.body == "Body with  clear, a NUL and  C1 and isolates here."


def test_markup_lookalikes_are_stored_verbatim(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "markup.md"
    path.write_text("---\ntitle: '[bold]x[/bold]'\ntags: ['[@click=app.quit]q[/]']\n---\n\n"
                    "[link=http://x]y[/link] and [/bold]\n")
    assert run(fresh_store, path).ok
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None
    assert article.title == "[bold]x[/bold]"
    assert article.tags == ("[@click=app.quit]q[/]",)
    assert article.body == "[link=http://x]y[/link] and [/bold]"


def test_html_is_detected_by_content_not_name(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<!doctype html><html><head><title>A page</title></head>"
                    "<body><p>Some words of a saved page.</p></body></html>")
    report = run(fresh_store, path)
    assert report.ok and report.files[0].format == "html"
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None and article.title == "A page"
    assert article.body == "Some words of a saved page."


def test_html_with_only_scripts_is_one_error(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<!doctype html><html><body><script>alert(1)</script></body></html>")
    assert "no article text" in one_error(run(fresh_store, path))


def _peak_parsing(path: Path, items: int) -> int:
    with path.open("w") as fh:
        for i in range(items):
            fh.write(DIGEST.format(body=f"Paragraph {i} of a long digest item. " * 60))
    tracemalloc.start()
    count = sum(1 for _ in parse_file(path).articles)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == items
    return peak


def test_large_dump_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    small = _peak_parsing(tmp_path / "small.txt", 1500)
    large = _peak_parsing(tmp_path / "large.txt", 12000)  # 28 MB
    assert (tmp_path / "large.txt").stat().st_size > 25_000_000
    # Memory is that of a few read chunks and one item: flat in the file's size.
    assert large < small * 1.3
    assert large < 16_000_000


def test_unknown_format_and_encoding_are_reported(tmp_path: Path) -> None:
    path = FIXTURES / "note.txt"
    with pytest.raises(ArchiveError, match="unknown format"):
        parse_file(path, fmt="pdf")
    with pytest.raises(ArchiveError, match="unknown encoding"):
        parse_file(path, encoding="klingon")
