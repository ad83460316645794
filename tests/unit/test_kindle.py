"""Kindle `My Clippings.txt` and KOReader's clippings exports: a book per article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.archive import ArchiveError, detect_bytes, parse_bytes, parse_file
from reader.archive.kindle import clip_position, clipping_date, split_title
from reader.importer import Importer
from reader.store import Store
from tests.conftest import FIXTURES

KINDLE = FIXTURES / "My Clippings.txt"


def books(path: Path):
    parsed = parse_file(path)
    assert parsed.format == "kindle"
    return {a.title: a for a in parsed.articles}


def test_one_article_per_book_with_its_passages_in_reading_order() -> None:
    found = books(KINDLE)
    assert set(found) == {"The Orchard Year", "Field Notes on Rivers"}
    orchard = found["The Orchard Year"]
    assert orchard.author == "Mara Hollis" and orchard.date == "2019-03-03"
    # Location 40-42 before 170-172; the passage extended later is kept once, the longer.
    assert orchard.body == ("Pruning is a conversation with next year.\n\n"
                            "Trees keep their own calendar, and the orchard keeps theirs.")
    quotes = [(h.quote, h.note) for h in orchard.highlights]
    assert quotes == [
        ("Pruning is a conversation with next year.", ""),
        ("Trees keep their own calendar, and the orchard keeps theirs.",
         "Compare with the vineyard chapter."),
        ("", "Ask the grower about frost."),  # a note at a location with no highlight
    ]
    assert found["Field Notes on Rivers"].author == "Dana Oyelaran"


def test_other_languages_and_koreader_shapes() -> None:
    found = books(FIXTURES / "clippings-de-ja.txt")
    garden = found["Das Gartenjahr"]
    assert (garden.author, garden.date) == ("Lena Brandt", "2019-04-01")
    assert [(h.quote, h.note) for h in garden.highlights] == [
        ("Im April zählt jeder Tag doppelt.", "Stimmt für Tomaten.")]
    assert found["庭の一年"].date == "2019-05-02"
    ko = books(FIXTURES / "koreader-clippings.txt")
    assert set(ko) == {"Salt and Stone", "Second Book"}  # a chapter is not a book
    salt = ko["Salt and Stone"]
    assert salt.date == "2020-06-06"
    assert [(h.quote, h.note) for h in salt.highlights] == [
        ("The sea takes back what it lends.", "A good epigraph."),
        ("Stone remembers the shape of water.", "")]


def test_koreader_in_kindle_shape() -> None:
    text = ("Salt and Stone (Unknown)\n- Your highlight on page 14 | Added on Saturday, "
            "June 06, 2020 10:01:02 AM\n\nThe sea takes back what it lends.\n==========\n"
            "Salt and Stone (Unknown)\n- Your note on page 14 | Added on Saturday, June 06, "
            "2020 10:01:02 AM\n\nA good epigraph.\n==========\n")
    assert detect_bytes(text.encode()) == "kindle"
    (article,) = parse_bytes(text.encode(), "clips.txt").articles
    assert article.title == "Salt and Stone" and article.author is None
    assert [(h.quote, h.note) for h in article.highlights] == [
        ("The sea takes back what it lends.", "A good epigraph.")]


@pytest.mark.parametrize(("line", "expected"), [
    ("Dune (Herbert, Frank)", ("Dune", "Frank Herbert")),
    ("Collected Essays (Vol. 2) (Ann Lee; Bo Park)", ("Collected Essays (Vol. 2)",
                                                      "Ann Lee; Bo Park")),
    ("\ufeffA Personal Document", ("A Personal Document", None)),
])
def test_titles_and_authors(line: str, expected: tuple[str, str | None]) -> None:
    assert split_title(line) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Added on Sunday, 3 March 2019 10:15:04", "2019-03-03"),
    ("Ajouté le lundi 1 avril 2019 09:12:44", "2019-04-01"),
    ("Añadido el martes, 2 de abril de 2019 9:00:00", "2019-04-02"),
    ("作成日: 2019年5月2日木曜日 21:04:11", "2019-05-02"),
    ("added on Sat Jun  6 10:01:02 2020", "2020-06-06"),
    ("added sometime", None),
])
def test_clipping_dates(text: str, expected: str | None) -> None:
    assert clipping_date(text) == expected


def test_text_that_only_mentions_a_separator_is_not_clippings() -> None:
    assert detect_bytes(b"Notes\n\n==========\n\nSome text.\n") != "kindle"


def test_bookmarks_hold_no_article_and_an_empty_file_is_an_error() -> None:
    data = (b"Book (A. Writer)\n- Your Bookmark on Location 4 | Added on Monday, March 4, "
            b"2019 8:01:10 PM\n\n\n==========\n")
    assert list(parse_bytes(data, "x.txt").articles) == []
    with pytest.raises(ArchiveError):
        list(parse_bytes(b"==========\n", "x.txt", "kindle").articles)


def _annotations(store: Store) -> dict[str, list[tuple[str, str, bool]]]:
    out = {}
    for article_id in store.article_ids():
        article = store.article(article_id)
        assert article is not None
        out[article.title] = sorted((a.anchor.quote, a.note, a.anchor.orphan)
                                    for a in store.annotations(article_id))
    return out


def test_highlights_are_placed_in_the_body(fresh_store: Store) -> None:
    report = Importer(fresh_store).run([KINDLE])
    assert report.ok and report.new == 2 and report.annotations == 4 and report.orphans == 1
    notes = _annotations(fresh_store)["The Orchard Year"]
    placed = [n for n in notes if n[0]]
    assert placed and not any(orphan for _, _, orphan in placed)


def test_reimporting_a_newer_file_adds_only_new_clippings(fresh_store: Store,
                                                          tmp_path: Path) -> None:
    Importer(fresh_store).run([KINDLE])
    before = _annotations(fresh_store)
    # The device's file, copied again later: one more clipping for a known book.
    newer = tmp_path / "My Clippings.txt"
    shutil.copy(KINDLE, newer)
    with newer.open("a", encoding="utf-8", newline="\r\n") as fh:
        fh.write("\ufeffField Notes on Rivers (Dana Oyelaran)\n- Your Highlight on Location "
                 "120-121 | Added on Tuesday, March 5, 2019 7:00:00 AM\n\nDeltas are "
                 "patient.\n==========\n")
    report = Importer(fresh_store).run([newer])
    assert report.ok and report.new == 0 and report.annotations == 1
    after = _annotations(fresh_store)
    assert len(fresh_store.article_ids()) == 2
    assert after["The Orchard Year"] == before["The Orchard Year"]
    assert after["Field Notes on Rivers"] == sorted(
        [*before["Field Notes on Rivers"], ("Deltas are patient.", "", False)])
    # And once more: nothing new.
    again = Importer(fresh_store).run([newer])
    assert again.annotations == 0 and _annotations(fresh_store) == after


def test_a_cleared_device_file_loses_no_passage(fresh_store: Store, tmp_path: Path) -> None:
    Importer(fresh_store).run([KINDLE])
    later = tmp_path / "My Clippings.txt"
    later.write_text("Field Notes on Rivers (Dana Oyelaran)\n- Your Highlight on Location "
                     "130-131 | Added on Tuesday, March 5, 2019 7:00:00 AM\n\nFloods keep "
                     "time.\n==========\n", encoding="utf-8")
    assert Importer(fresh_store).run([later]).ok
    rivers = next(a for a in (fresh_store.article(i) for i in fresh_store.article_ids())
                  if a is not None and a.title == "Field Notes on Rivers")
    assert "A river is a long argument" in rivers.body and "Floods keep time." in rivers.body
    assert not any(orphan for *_, orphan in _annotations(fresh_store)["Field Notes on Rivers"])


def test_markdown_with_a_table_row_and_a_setext_heading_is_not_clippings() -> None:
    text = b"Notes\n- option | value\n\nSome text.\n\nHeading\n==========\n\nMore.\n"
    assert detect_bytes(text) != "kindle"


@pytest.mark.parametrize(("meta", "expected"), [
    ("Your Highlight on page 12 | Location 1,234-1,240 | Added on Monday", (1234, 1240)),
    ("Ihre Markierung bei Position 1.234-1.240 | Hinzugefügt am Montag", (1234, 1240)),
    ("Highlight Loc. 1345-47  | Added on Friday, April 08, 2011", (1345, 1347)),
    ("Your Highlight on page 12 | Added on Sunday", (12, 12)),
])
def test_locations(meta: str, expected: tuple[int, int]) -> None:
    assert clip_position(meta) == expected


def test_a_deleted_book_stays_deleted_when_its_file_grows(fresh_store: Store,
                                                          tmp_path: Path) -> None:
    clippings = tmp_path / "My Clippings.txt"
    shutil.copy(KINDLE, clippings)
    Importer(fresh_store).run([clippings])
    rivers = next(i for i in fresh_store.article_ids()
                  if (a := fresh_store.article(i)) is not None and a.title.startswith("Field"))
    fresh_store.delete_articles([rivers])
    with clippings.open("a", encoding="utf-8") as fh:
        fh.write("Field Notes on Rivers (Dana Oyelaran)\n- Your Highlight on Location 140-141 | "
                 "Added on Tuesday, March 5, 2019 7:00:00 AM\n\nEstuaries mix.\n==========\n")
    Importer(fresh_store).run([clippings])
    titles = {a.title for a in (fresh_store.article(i) for i in fresh_store.article_ids()) if a}
    assert titles == {"The Orchard Year"}


@pytest.mark.parametrize(("highlight", "note"), [
    ("Tu subrayado en la página 5 | posición 70-71 | Añadido el lunes, 1 de abril de 2019 "
     "9:12:44", "Tu nota en la página 5 | posición 71 | Añadido el lunes, 1 de abril de 2019"),
    ("La tua evidenziazione a pagina 5 | posizione 70-71 | Aggiunto in data lunedì 1 aprile "
     "2019 09:12:44", "La tua nota a pagina 5 | posizione 71 | Aggiunto in data lunedì 1 "
     "aprile 2019"),
    ("Seu destaque ou posição 70-71 | Adicionado: segunda-feira, 1 de abril de 2019 09:12:44",
     "Sua nota ou posição 71 | Adicionado: segunda-feira, 1 de abril de 2019 09:13:00"),
    ("Je markering op pagina 5 | locatie 70-71 | Toegevoegd op maandag 1 april 2019 09:12:44",
     "Je notitie op pagina 5 | locatie 71 | Toegevoegd op maandag 1 april 2019 09:13:00"),
    ("您在第 5 页（位置 #70-71）的标注 | 添加于 2019年4月1日星期一 上午9:12:44",
     "您在第 5 页（位置 #71）的笔记 | 添加于 2019年4月1日星期一 上午9:13:00"),
])
def test_device_languages(highlight: str, note: str) -> None:
    text = (f"Libro (Ana Ruiz)\n- {highlight}\n\nUna frase subrayada.\n==========\n"
            f"Libro (Ana Ruiz)\n- {note}\n\nMi nota.\n==========\n")
    assert detect_bytes(text.encode()) == "kindle"
    (article,) = parse_bytes(text.encode(), "c.txt").articles
    assert article.date == "2019-04-01"
    assert [(h.quote, h.note) for h in article.highlights] == [("Una frase subrayada.",
                                                                "Mi nota.")]
