"""Arbitrary text never breaks the parsers; a full disk or a killed import loses nothing."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import ArchiveError, parse_file
from reader.clean import needs_sanitizing
from reader.importer import Importer
from reader.store import Store

LINES = st.lists(
    st.one_of(
        st.sampled_from([
            "", "", "Posts Tagged ‘x’", "Read More", "Continue reading →", "February 12, 2019",
            "Posted on 3 March 2020 by ann", "Posted in News | Leave a comment", "« Older Entries",
            "A Title Line", "A Title Line", "Image result for cats, pictures", "Tag: y", "---",
            "title: x", "# Heading", "Showing posts with label z. Show all posts",
        ]),
        st.text(max_size=80),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES, crlf=st.booleans())
def test_any_text_parses_into_sane_articles(tmp_path: Path, lines: list[str], crlf: bool) -> None:
    path = tmp_path / "fuzz.txt"
    text = ("\r\n" if crlf else "\n").join(lines)
    path.write_bytes(text.encode("utf-8", "surrogatepass") if text.isascii() else
                     text.encode("utf-8", "replace"))
    try:
        parsed = parse_file(path)
        articles = list(parsed.articles)
    except ArchiveError as exc:
        assert "\n" not in str(exc)
        return
    count = len(text.split("\n"))
    for article in articles:
        assert article.title.strip()
        assert not needs_sanitizing(article.title + article.body)
        assert 1 <= article.provenance.start_line <= article.provenance.end_line <= max(count, 1)


def test_full_disk_rolls_the_file_back(tmp_path: Path) -> None:
    db = tmp_path / "small.db"
    store = Store(db)
    dump = tmp_path / "dump.txt"
    dump.write_text("".join(
        f"Item number {i} of the day\n\nItem number {i} of the day\n\n{f'Words of text {i}. ' * 400}\n\nRead More\n\n\n"
        for i in range(300)))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 40}")  # the disk fills mid-file
    report = Importer(store).run([dump])
    (failed,) = report.failed
    assert "full" in (failed.error or "")
    assert store.count() == 0
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert Importer(store).run([dump]).new == 300


KILL_SCRIPT = """
import sys
from reader.importer import Importer
from reader.store import Store
Importer(Store(sys.argv[1])).run([sys.argv[2]])
"""


def test_killed_import_leaves_the_library_intact(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    store = Store(db)
    store.add_articles([])  # an existing library with nothing pending
    dump = tmp_path / "big.txt"
    dump.write_text("".join(
        f"Story {i} headline here\n\nStory {i} headline here\n\n{f'Body text {i}. ' * 300}\n\nRead More\n\n\n"
        for i in range(4000)))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(dump)])
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    count = Store(db).count()
    assert count in (0, 4000)  # the file's transaction is all or nothing
    assert Importer(Store(db)).run([dump]).ok
    assert Store(db).count() == 4000
