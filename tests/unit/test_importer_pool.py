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


def _wxr(posts: int) -> bytes:
    items = "".join(
        f"""<item><title>Post {n}</title><link>https://blog.example/{n}</link>
<wp:post_date>2019-02-{1 + n % 28:02d} 10:00:00</wp:post_date>
<content:encoded><![CDATA[<p>Post {n} says <b>something</b> of its own.</p>]]></content:encoded>
<wp:post_type>{'post' if n % 5 else 'page'}</wp:post_type><wp:status>publish</wp:status></item>"""
        for n in range(posts))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title>{items}
</channel></rss>""".encode()


def _feed(entries: int) -> bytes:
    items = "".join(f"<item><title>Entry {n}</title><link>https://f.example/{n}</link>"
                    f"<description>&lt;p&gt;Entry {n} text.&lt;/p&gt;</description></item>"
                    for n in range(entries))
    # Cut short: the last entry never closes, which is reported.
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
            "<item><title>Cut").encode()


def _wallabag(records: int) -> bytes:
    import json

    rows = [{"title": f"Saved {n}", "url": f"https://w.example/{n}",
             "content": f"<p>Saved page {n}, kept whole.</p>", "is_archived": n % 2,
             "is_starred": 0, "tags": []} for n in range(records)]
    rows.insert(7, {"content": "<p>no title, no url</p>"})
    return json.dumps(rows).encode()


def test_large_exports_are_converted_by_several_processes_in_order(
        tmp_path: Path, monkeypatch) -> None:
    import reader.importer.pool

    monkeypatch.setattr(reader.importer.pool, "PARALLEL_BYTES", 1000)
    files = {"blog.xml": _wxr(40), "feed.rss": _feed(30), "wallabag.json": _wallabag(25),
             "notes.txt": ("Tag: x\n\n" + "".join(
                 f"Title {n}\nFebruary {1 + n}, 2019\n\nBody of post {n} here.\n\n"
                 for n in range(20))).encode()}
    outcomes = []
    for processes in (1, 3):  # three: two converting processes and the writer
        folder = tmp_path / f"p{processes}"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        store = Store(tmp_path / f"p{processes}.db")
        report = Importer(store).run(sorted(folder.iterdir()), processes=processes)
        titles = [store.article(i).title for i in sorted(store.article_ids())]  # type: ignore[union-attr]
        outcomes.append(([(f.path.name, f.format, f.result.new, f.problems) for f in report.files],
                         titles))
        store.close()
    assert outcomes[0] == outcomes[1]
    files_report, titles = outcomes[1]
    assert [n for _, _, n, _ in files_report] == [32, 30, 20, 25]
    assert titles[:3] == ["Post 1", "Post 2", "Post 3"] and "Saved 24" in titles
    problems = {name: p for name, _, _, p in files_report}
    assert problems["feed.rss"] and "cut short" in problems["feed.rss"][0]
    assert problems["wallabag.json"] and "record 8" in problems["wallabag.json"][0]
