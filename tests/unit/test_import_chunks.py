"""A large listing dump split by several processes, a part each: the same articles,
in the same order, as one process splitting it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive.listing import WINDOW
from reader.importer import Importer
from reader.importer.chunks import open_part, plan
from reader.importer.expansion import Job
from reader.importer.parsing import Options, parse_job, prepare_all
from reader.importer.parts import ChunkedParse
from reader.store import Store

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _dump(path: Path, records: int) -> Path:
    """A tag page of `records` posts: title, date, two or three paragraphs, a footer;
    every seventh post a caption printed twice, every eleventh a date header."""
    out = ["Posts Tagged ‘gardens’", "", "Home  About  Archive", ""]
    for n in range(records):
        if n % 11 == 0:
            out += [f"{MONTHS[n % 12]} {1 + n % 28}, {2000 + n % 20}", ""]
        out += [f"Notes from the allotment, week {n}", "",
                f"{MONTHS[(n + 3) % 12]} {1 + (n * 7) % 28}, {2001 + n % 19}", ""]
        out.append(f"Week {n} began with rain. The beans on row {n % 9} climbed another "
                   "hand's width, and the slugs found the lettuces before we did.")
        if n % 7 == 0:
            out += ["", f"Photo of row {n % 9}", f"Photo of row {n % 9} Photo: Ann"]
        out += ["", f"By the weekend the soil had dried enough to dig. Post {n} ends with "
                "a list of what to sow next, written as a paragraph rather than a list."]
        if n % 3 == 0:
            out += ["", "A third paragraph, on compost, appears in every third post; it is "
                    f"long enough to read as running text ({n})."]
        out += ["", "Posted in Gardens | Leave a comment", ""]
    out += ["« Older posts", "", "Search", "Recent Posts"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _dump(tmp_path_factory.mktemp("chunks") / "allotment.txt", 2600)
    assert path.read_bytes().count(b"\n") > 4 * WINDOW  # five windows or more
    return path


def _whole(path: Path) -> list[object]:
    return list(prepare_all(parse_job(Job(path, disk=path), Options()).articles))


def test_the_plan_cuts_at_window_starts_and_finds_their_bytes(dump: Path) -> None:
    starts, offsets = plan(dump, 0, 3)
    assert starts[0] == 0 and len(starts) == 3 and starts == sorted(set(starts))
    data = dump.read_bytes()
    for line, at in offsets.items():
        assert line % WINDOW == 0
        assert data[:at].count(b"\n") == line and data[at - 1:at] == b"\n"


def test_parts_joined_are_the_whole_split(dump: Path) -> None:
    whole = _whole(dump)
    parts = []
    previous = None
    for k in range(3):
        found = open_part(dump, None, (), None, (k, 3))
        assert found is not None
        parsed, part = found
        assert parsed.format == "tagpage"
        parts += list(prepare_all(parsed.articles))
        if k:
            assert (part.entry, part.template, part.page_tags) == previous
        previous = (part.exit, part.template, part.page_tags)
    assert len(whole) > 2000 and parts == whole


def test_children_split_a_part_each_and_join_them_in_order(dump: Path) -> None:
    chunked = ChunkedParse(dump, Options(), 3)
    got = list(chunked)
    assert chunked.joined == 3  # cut in three, each part's start checked
    assert got == _whole(dump)
    assert not any(Path(spool).exists() for spool in chunked.spools)


def test_the_importing_process_splits_the_first_part_itself(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut in two, one child splits the second part; the first is split where its
    articles are written, so they never cross between processes."""
    import reader.importer.pool as pool

    started: list[tuple[int, int] | None] = []
    init = pool.ParallelParse.__init__

    def counted(self, path, options, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(options.part)
        init(self, path, options, *args, **kwargs)

    monkeypatch.setattr(pool.ParallelParse, "__init__", counted)
    chunked = ChunkedParse(dump, Options(), 2)
    assert list(chunked) == _whole(dump) and chunked.joined == 2
    assert started == [(1, 2)]


def test_a_failure_splitting_the_first_part_is_the_files_one_line_error(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error in the part split here reads as a parser process's would,
    and the child splitting the other part is stopped."""
    from reader.archive import ArchiveError
    from reader.importer import parts

    prepare = parts.prepare_all

    def failing(articles):  # type: ignore[no-untyped-def]
        for n, item in enumerate(prepare(articles)):
            if n == 5:
                raise ValueError("a bad line")
            yield item

    monkeypatch.setattr(parts, "prepare_all", failing)
    chunked = ChunkedParse(dump, Options(), 2)
    got = []
    with pytest.raises(ArchiveError, match=r"^cannot parse \(ValueError: a bad line\)$"):
        got.extend(chunked)
    assert len(got) == 5
    assert not any(p.process.is_alive() for p in chunked.parsers[1:])  # type: ignore[union-attr]
    assert not any(Path(spool).exists() for spool in chunked.spools)


def test_parts_that_do_not_join_are_split_again_by_one_process(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.importer.pool as pool

    entry = pool.ParallelParse.entry
    # Every part after the first says it began in another state than the one before
    # it ended in (as when its window before began otherwise than the whole split's).
    monkeypatch.setattr(pool.ParallelParse, "entry", lambda self: ("other", entry(self)))
    chunked = ChunkedParse(dump, Options(), 3)
    got = list(chunked)
    assert chunked.joined == 1
    assert got == _whole(dump)


def test_a_text_that_is_no_listing_is_split_by_the_first_process_alone(tmp_path: Path) -> None:
    prose = tmp_path / "essay.txt"
    prose.write_text("An essay\n\n" + "A sentence of running text, one of many. " * 40
                     + "\n\n" * 3 * WINDOW, encoding="utf-8")
    assert open_part(prose, None, (), None, (1, 2)) is None
    chunked = ChunkedParse(prose, Options(), 2)
    got = list(chunked)
    assert chunked.joined == 1 and got == _whole(prose)


def _library(tmp_path: Path, name: str, dump: Path, processes: int) -> tuple[object, ...]:
    store = Store(tmp_path / f"{name}.db")
    report = Importer(store).run([dump], processes=processes)
    rows = store.conn.execute(
        "SELECT id, hash, title, body, date, source, url, author, tags_text, words"
        " FROM articles ORDER BY id").fetchall()
    places = store.conn.execute("SELECT article_id, path, format, start_line, end_line"
                                " FROM provenance ORDER BY article_id").fetchall()
    files = [(f.format, f.error, f.problems, f.result.new) for f in report.files]
    store.close()
    return files, rows, places


def test_an_import_cut_in_parts_stores_what_one_process_does(
        tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch,
        joined_parts: list[int]) -> None:
    import reader.importer.parts as parts
    import reader.importer.pool as pool

    monkeypatch.setattr(pool, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(parts, "CHUNK_BYTES", 1000)
    one = _library(tmp_path, "one", dump, processes=1)
    two = _library(tmp_path, "two", dump, processes=2)
    assert joined_parts == [2]
    assert one == two
    files, rows, _ = two
    assert files[0][0] == "tagpage" and files[0][3] == len(rows) > 2000


def test_parts_left_by_a_killed_importer_are_removed_by_the_next(dump: Path) -> None:
    import subprocess
    import sys
    import tempfile

    from reader.importer.parts import SPOOL_PREFIX

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = Path(tempfile.gettempdir()) / f"{SPOOL_PREFIX}{gone.stdout.strip()}-x.part"
    stale.write_bytes(b"")
    list(ChunkedParse(dump, Options(), 2))
    assert not stale.exists()


def test_a_part_is_read_as_its_process_writes_it(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import reader.importer.pool as pool

    write = pool._write_frame

    def slowly(sink, message):  # type: ignore[no-untyped-def]
        # Each message's length, a pause, then the rest: the importer meets
        # messages half written and waits for them.
        buffer = __import__("io").BytesIO()
        write(buffer, message)
        data = buffer.getvalue()
        sink.write(data[:5])
        time.sleep(0.002)
        sink.write(data[5:pool.FRAME + 3])
        time.sleep(0.002)
        sink.write(data[pool.FRAME + 3:])

    monkeypatch.setattr(pool, "_write_frame", slowly)
    chunked = ChunkedParse(dump, Options(), 3)
    got = list(chunked)
    assert chunked.joined == 3
    assert got == _whole(dump)


def test_a_part_that_cannot_be_written_is_the_files_one_line_error(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.importer.pool as pool
    from reader.archive import ArchiveError

    def full(sink, message):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pool, "_write_frame", full)
    chunked = ChunkedParse(dump, Options(), 2)
    with pytest.raises(ArchiveError, match="cannot write a temporary file while parsing "
                                           r"\(No space left on device\)"):
        list(chunked)
    assert not any(Path(spool).exists() for spool in chunked.spools)


def test_each_format_cuts_its_first_part_by_its_own_share(
        dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The importing process splits the first part and writes them all: its part is
    the smaller, the more so where records cost less to split (a tag page) than
    where they cost more (a digest, each title matched with its copy)."""
    from reader.importer import chunks

    assert chunks.FIRST_SHARE < chunks.FIRST_SHARES["digest"] < 1
    tag, _ = plan(dump, 0, 2, chunks.FIRST_SHARE)
    digest, _ = plan(dump, 0, 2, chunks.FIRST_SHARES["digest"])
    assert 0 < tag[1] < digest[1]
    asked: list[float] = []
    real = chunks.plan
    monkeypatch.setattr(chunks, "plan", lambda path, skip, parts, share: (
        asked.append(share), real(path, skip, parts, share))[1])
    assert open_part(dump, None, (), None, (1, 2)) is not None
    assert open_part(dump, "digest", (), None, (1, 2)) is not None
    assert asked == [chunks.FIRST_SHARE, chunks.FIRST_SHARES["digest"]]
