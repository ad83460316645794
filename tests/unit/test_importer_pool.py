"""Importing many files: parsed in a pool of processes, written in order."""

from __future__ import annotations

from pathlib import Path

from reader.importer import Importer
from reader.store import Store

PAGE = """<html><head><title>{title} | Example Post</title>
<meta property="og:site_name" content="Example Post"></head><body>
<nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{title} opens with a paragraph long enough to be an article's body, written
for this test so that every extractor keeps it and the page becomes one article.</p>
<p>A second paragraph says more about {title}, so the page reads like a story.</p>
</article></body></html>"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02d}.html").write_text(PAGE.format(title=f"Story number {n}"))
    (folder / "05b.html").write_bytes(b"\x00\x01\x02 binary junk \xff\xfe" * 10)
    (folder / "07b.txt").write_text("")
    (folder / "notes.md").write_text("# A note\n\nWritten by hand, kept in the same folder.\n")
    return folder


def _run(tmp_path: Path, name: str, processes: int) -> tuple[list[tuple[str, str | None,
                                                                        str | None, int]],
                                                               list[str]]:
    store = Store(tmp_path / f"{name}.db")
    report = Importer(store).run([_folder(tmp_path / name)], processes=processes)
    files = [(f.path.name, f.error, f.skipped, f.result.new) for f in report.files]
    titles = [s.title for s in store.summaries(store.article_ids())]
    store.close()
    return files, titles


def test_pool_imports_what_one_process_does_in_the_same_order(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = _run(tmp_path, "one", processes=1)
    two = _run(tmp_path, "two", processes=2)
    assert one == two
    files, titles = two
    assert [f[0] for f in files] == sorted(f[0] for f in files)
    assert sum(f[3] for f in files) == 13
    assert sorted(titles) == sorted([f"Story number {n}" for n in range(12)] + ["A note"])
    errors = {name: error for name, error, _, _ in files if error}
    skipped = {name: reason for name, _, reason, _ in files if reason}
    assert set(errors) == {"07b.txt"} and set(skipped) == {"05b.html"}
    assert all("\n" not in e for e in (*errors.values(), *skipped.values()))


def test_pool_reimport_finds_everything_present(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    store = Store(tmp_path / "library.db")
    first = Importer(store).run([folder], processes=2)
    again = Importer(store).run([folder], processes=2)
    assert first.new == 13 and again.new == 0 and again.present == 13
    store.close()
