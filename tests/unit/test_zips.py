"""Folders and zips: stable order, unknown files skipped, names that cannot escape, bombs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reader.archive import zipped
from reader.importer import Importer
from reader.store import Store
from tests.conftest import FIXTURES, SHARED

RIL = SHARED / "samples" / "read-it-later" / "wallabag-fixtures"
FEED = SHARED / "samples" / "feeds" / "netnewswire" / "theomnishow.rss"
PAGE = SHARED / "samples" / "readability-pages" / "mozilla-1" / "source.html"


def make_zip(path: Path, files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return path


def mixed_folder(root: Path) -> Path:
    root.mkdir()
    (root / "notes").mkdir()
    (root / "notes" / "note.txt").write_bytes((FIXTURES / "note.txt").read_bytes())
    (root / "feed.rss").write_bytes(FEED.read_bytes())
    (root / "page.html").write_bytes(PAGE.read_bytes())
    (root / "pocket.csv").write_bytes((RIL / "pocket.csv").read_bytes())
    (root / "LICENSE").write_text("MIT License\n\nPermission is hereby granted…\n")
    (root / "EXPECTED.json").write_text('{"files": {}}')
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def summary(report) -> tuple[int, ...]:
    return (report.new, report.present, report.merged, report.stubs, len(report.skipped),
            len(report.failed))


def test_mixed_folder_and_the_same_folder_zipped(fresh_store: Store, tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "mixed")
    archive = make_zip(tmp_path / "mixed.zip", {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file()})
    report = Importer(fresh_store).run([folder, archive])
    # The folder: 1 note + 4 feed entries + 1 page new, 7 stubs; the zip: the same, merged.
    assert summary(report) == (6, 0, 13, 7, 6, 0)
    reasons = {f.path.name: f.skipped for f in report.skipped}
    assert reasons == {
        "EXPECTED.json": "JSON, but not an export reader knows (wallabag, Omnivore, bookmarks)",
        "LICENSE": "not a known archive format (no text file name)",
        "logo.png": "not an archive (.png file)",
    }
    zipped_names = [str(f.path).split("!/", 1)[1] for f in report.files if "!/" in str(f.path)]
    assert zipped_names == sorted(zipped_names)
    assert fresh_store.count() == 13
    paths = {p.path for i in fresh_store.article_ids() for p in fresh_store.provenance(i)}
    assert f"{archive.resolve()}!/notes/note.txt" in paths


def test_zip_alone_then_folder_merges_nothing_twice(fresh_store: Store, tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "m")
    archive = make_zip(tmp_path / "m.zip", {"inner/pocket.csv": (RIL / "pocket.csv").read_bytes()})
    first = Importer(fresh_store).run([archive])
    assert (first.stubs, first.ok) == (7, True)
    second = Importer(fresh_store).run([folder])
    assert second.stubs == 0 and second.merged == 7


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd.txt", "a/../../b.txt",
                                  "C:/windows/x.txt", "..\\up.txt"])
def test_entry_names_never_escape(fresh_store: Store, tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "a.zip", {name: b"Escaped\n\nThis must not be read.\n",
                                            "ok.txt": (FIXTURES / "note.txt").read_bytes()})
    report = Importer(fresh_store).run([archive])
    (failed,) = report.failed
    assert failed.error == "entry name escapes the zip (absolute or ..)"
    assert report.new == 1 and not (tmp_path.parent / "evil.txt").exists()


def test_safe_name() -> None:
    assert zipped.safe_name("./a//b/./c.txt") == "a/b/c.txt"
    assert zipped.safe_name("a/../b") is None and zipped.safe_name("\\\\host\\x") is None


def test_symlink_entry_refused(fresh_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("link.txt")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    report = Importer(fresh_store).run([path])
    assert [f.error for f in report.failed] == ["symbolic link in a zip, not followed"]
    assert fresh_store.count() == 0


def test_bomb_refused_by_ratio(fresh_store: Store, tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"big.txt": b"a" * (8 << 20)})
    report = Importer(fresh_store).run([archive])
    (failed,) = report.failed
    assert failed.error.startswith("zip bomb refused (compression")


def test_bomb_refused_by_declared_total(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(zipped, "MAX_TOTAL_BYTES", 1000)
    archive = make_zip(tmp_path / "many.zip", {f"{i}.txt": b"x" * 400 for i in range(4)})
    with pytest.raises(zipped.ArchiveError, match="zip bomb refused: it declares"):
        zipped.SafeZip(archive)


def test_bomb_refused_by_actual_size(tmp_path: Path) -> None:
    # An entry whose header lies about its size: reading stops at the declared size
    # (zipfile stops there too, and then finds the checksum wrong).
    data = b"word " * 50_000
    make_zip(tmp_path / "x.zip", {"lie.txt": data}, zipfile.ZIP_STORED)
    raw = bytearray((tmp_path / "x.zip").read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24:central + 28] = (1000).to_bytes(4, "little")  # declared file size
    with zipped.SafeZip(bytes(raw)) as archive:
        (entry,) = archive.entries()
        assert entry.info is not None and entry.info.file_size == 1000
        with pytest.raises(zipped.ArchiveError, match=r"holds more than it declares|damaged zip entry \(Bad CRC"):
            archive.read(entry)


def test_nested_zips_to_a_small_depth(fresh_store: Store, tmp_path: Path) -> None:
    note = (FIXTURES / "note.txt").read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("deep.txt", note)
    level = inner.getvalue()
    for _ in range(zipped.MAX_DEPTH + 1):
        wrapper = io.BytesIO()
        with zipfile.ZipFile(wrapper, "w") as z:
            z.writestr("next.zip", level)
        level = wrapper.getvalue()
    (tmp_path / "top.zip").write_bytes(level)
    report = Importer(fresh_store).run([tmp_path / "top.zip"])
    (failed,) = report.failed
    assert "nested more than" in failed.error and fresh_store.count() == 0
    shallow = make_zip(tmp_path / "two.zip", {"in.zip": inner.getvalue()})
    report = Importer(fresh_store).run([shallow])
    assert report.new == 1
    (article_id,) = fresh_store.article_ids()
    assert fresh_store.provenance(article_id)[0].path.endswith("two.zip!/in.zip!/deep.txt")


def test_damaged_zip_is_one_line(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    report = Importer(fresh_store).run([tmp_path / "bad.zip"])
    (failed,) = report.failed
    assert failed.error.startswith("not a readable zip file") and "\n" not in failed.error
