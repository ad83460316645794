"""Size limits at import: a giant line, a giant article, a zip that inflates too far."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from reader.archive import source, zipped
from reader.importer import MAX_ARTICLE_CHARS, Importer
from reader.store import Store


def test_a_giant_one_line_text_is_refused_in_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(source, "MAX_LINE_CHARS", 200_000)
    path = tmp_path / "huge.txt"
    path.write_text("Title\n\n" + "word " * 100_000, encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path])
        assert store.count() == 0
    (failed,) = report.failed
    assert "line 3 is longer than" in (failed.error or "") and "\n" not in (failed.error or "")


def test_an_article_over_the_limit_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "small.md").write_text("# Small\n\nA short note that is kept.\n", encoding="utf-8")
    line = "A paragraph of a very long article that goes on and on. " * 20
    big = "# Big\n\n" + "".join(f"{n}. {line}\n\n"
                                 for n in range(MAX_ARTICLE_CHARS // len(line) + 2))
    (folder / "big.md").write_text(big, encoding="utf-8")  # > 4 MB: parsed in a child process
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([folder])
        assert [a.title for a in store.iter_articles()] == ["Small"]
    assert not report.ok
    (bad,) = [f for f in report.files if f.path.name == "big.md"]
    assert "over the 10 MB limit" in (bad.error or "")


def _lying_zip(path: Path, size: int) -> None:
    """A zip of `size` bytes of one letter whose directory claims it barely compressed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("letters.txt", b"Title\n\n" + b"a" * (size - 7))
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 20, size // 50)  # claims 50:1, really ~1000:1
    path.write_bytes(bytes(data))


def test_zip_ratio_is_checked_on_the_bytes_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    _lying_zip(path, 8 << 20)
    honest = tmp_path / "ok.zip"
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("note.md", "# Kept\n\n" + "A line of an ordinary note, kept whole.\n" * 2000)
    with zipfile.ZipFile(path) as zf:  # the declared figures pass the declared-ratio check
        info = zf.infolist()[0]
        assert info.file_size <= zipped.MAX_RATIO * info.compress_size
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path, honest])
        assert [a.title for a in store.iter_articles()] == ["Kept"]
    (failed,) = report.failed
    assert "zip bomb refused (inflated" in (failed.error or "")


def test_a_giant_line_inside_a_zip_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(source, "MAX_LINE_CHARS", 200_000)
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("huge.txt", "Title\n\n" + "word " * 100_000)
        zf.writestr("junk.txt", b"\xff\xfe" + bytes(range(256)) * 40)
        zf.writestr("fine.md", "# Fine\n\nKept.\n")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path])
        assert [a.title for a in store.iter_articles()] == ["Fine"]
    errors = sorted(f.error or "" for f in report.failed)
    assert len(errors) == 2
    assert "binary file" in errors[0] and "line 3 is longer than" in errors[1]
