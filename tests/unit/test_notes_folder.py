"""Highlights kept in a notes app (Obsidian, Logseq): re-exports keep what the user wrote,
imports bring edited notes back; Readwise's CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.archive import parse_file
from reader.archive.own import region_note, regions
from reader.cli import main
from reader.models import Anchor, ParsedArticle, Provenance
from reader.store import Store

BODY = ("The council met on Monday. The committee approved the budget after a long debate. "
        "The mayor thanked the volunteers who rebuilt the bridge. Boats came in late.")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def anchor(quote: str) -> Anchor:
    start = BODY.index(quote)
    return Anchor(quote, "", "", start, start + len(quote), "exact")


def library(path: Path) -> tuple[int, int, int]:
    with Store(path) as store:
        store.add_articles([ParsedArticle(
            "The Bridge", BODY, Provenance("/x/bridge.md", "markdown", 1, 3),
            date="2024-05-01", url="https://example.org/bridge", author="Ana Ruiz",
            tags=("town",))])
        [article_id] = store.article_ids()
        budget = store.add_annotation(article_id, anchor("approved the budget"),
                                      note="Worth remembering.")
        mayor = store.add_annotation(article_id, anchor("thanked the volunteers"))
        return article_id, budget, mayor


def test_a_notes_folder_round_trip_keeps_the_users_text(tmp_path: Path) -> None:
    db, vault = tmp_path / "library.db", tmp_path / "vault"
    article_id, budget, mayor = library(db)
    assert invoke("export", "annotations", "--db", str(db), "--out", str(vault)).exit_code == 0
    [note_file] = list(vault.glob("*.md"))
    text = note_file.read_text()
    assert f"<!-- reader:{budget} " in text and f"<!-- /reader:{mayor} -->" in text
    # In the notes app: a property, thoughts around the highlights, a note edited in place.
    text = text.replace("---\n", "---\naliases: [bridge]\n", 1)
    text = text.replace("# The Bridge\n", "# The Bridge\n\nMy summary, before any quote.\n")
    text = text.replace(f"<!-- /reader:{budget} -->\n",
                        f"<!-- /reader:{budget} -->\n\nSee also [[Budgets 2024]].\n")
    text = text.replace("Worth remembering.", "Worth remembering: the vote was 7 to 2.")
    text += "\nMy closing thoughts.\n"
    note_file.write_text(text)

    # Exporting again with nothing changed in reader touches nothing.
    result = invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    assert "0 files written, 1 unchanged" in result.output
    assert note_file.read_text() == text

    # The edited note comes back into the library, matched by its id.
    result = invoke("import", "--db", str(db), str(vault))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    with Store(db) as store:
        assert store.annotation(budget).note == "Worth remembering: the vote was 7 to 2."
        assert store.annotation(mayor).note == ""
        assert len(store.article_ids()) == 1  # no article made of the notes file
        # Meanwhile in reader: a note on the other highlight, a new highlight, a new tag.
        store.set_note(mayor, "Who were they?")
        boats = store.add_annotation(article_id, anchor("Boats came in late"))
        store.set_tags(article_id, ["town", "harbour"])

    result = invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    assert "1 files written" in result.output
    after = note_file.read_text()
    for kept in ("aliases:", "My summary, before any quote.", "See also [[Budgets 2024]].",
                 "My closing thoughts.", "Worth remembering: the vote was 7 to 2."):
        assert after.count(kept) == 1, kept
    assert "Who were they?" in after and "- harbour" in after
    # The new highlight sits in reading order, after the mayor's, before the user's ending.
    assert (after.index(f"^reader-{mayor}") < after.index(f"^reader-{boats}")
            < after.index("My closing thoughts."))
    # And importing again changes nothing.
    again = invoke("import", "--db", str(db), str(vault)).output
    assert "0 new, 1 already present" in again and "updated" not in again
    with Store(db) as store:
        assert store.annotation(mayor).note == "Who were they?"


def test_a_notes_file_is_read_only_inside_its_marks(tmp_path: Path) -> None:
    path = tmp_path / "000007-x.md"
    path.write_text("---\ntitle: X\n---\n\n# X\n\nMy own text with > a quote sign.\n\n"
                    "<!-- reader:12 2024-05-01T09:00:00+00:00 -->\n> the quote\n\n^reader-12\n\n"
                    "First paragraph.\n\nSecond paragraph.\n<!-- /reader:12 -->\n\n"
                    "<!-- reader:13 -->\n> only a quote\n\n^reader-13\n<!-- /reader:13 -->\n")
    parsed = parse_file(path)
    assert parsed.format == "reader-notes"
    [entry] = list(parsed.articles)
    assert entry.extras.notes == ((12, "First paragraph.\n\nSecond paragraph."), (13, ""))


def test_readwise_csv(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    library(db)
    result = invoke("export", "annotations", "--format", "readwise", "--db", str(db))
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
    assert [r[0] for r in rows[1:]] == ["approved the budget", "thanked the volunteers"]
    first = rows[1]
    assert first[1:6] == ["The Bridge", "Ana Ruiz", "https://example.org/bridge",
                          "Worth remembering.", str(BODY.index("approved the budget"))]
    assert len(first[6]) == 19 and first[6][10] == " "


def test_a_highlight_deleted_in_reader_keeps_its_text_marked_deleted(tmp_path: Path) -> None:
    db, vault = tmp_path / "library.db", tmp_path / "vault"
    _, budget, mayor = library(db)
    invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    [note_file] = list(vault.glob("*.md"))
    note_file.write_text(note_file.read_text().replace("Worth remembering.", "My words."))
    with Store(db) as store:
        store.delete_annotation(budget)
    # A filtered export cannot tell deleted from left out: it marks nothing.
    invoke("export", "annotations", "--db", str(db), "--out", str(vault), "--tag", "town")
    assert f"<!-- reader:{budget} deleted -->" not in note_file.read_text()
    invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    text = note_file.read_text()
    assert f"<!-- reader:{budget} deleted -->" in text and "My words." in text
    result = invoke("import", "--db", str(db), str(vault))
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.annotation(budget) is None and store.count_annotations() == 1
    # Once every highlight of an article is gone, its file is still kept and marked.
    with Store(db) as store:
        store.delete_annotation(mayor)
    invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    assert f"<!-- reader:{mayor} deleted -->" in note_file.read_text()
    # A note for a highlight this library never had is reported, not dropped silently.
    note_file.write_text(note_file.read_text() + "\n<!-- reader:999 -->\n> x\n\n^reader-999\n\n"
                         "Mine.\n<!-- /reader:999 -->\n")
    result = invoke("import", "--db", str(db), str(vault))
    assert result.exit_code == 1
    assert "1 highlights not imported: no such highlight or article in this library" in result.output


def test_a_region_removed_in_the_notes_app_stays_removed_until_it_changes(
        tmp_path: Path) -> None:
    db, vault = tmp_path / "library.db", tmp_path / "vault"
    _, budget, mayor = library(db)
    invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    [note_file] = list(vault.glob("*.md"))
    text = note_file.read_text()
    start = text.index(f"<!-- reader:{mayor} ")
    end = text.index(f"<!-- /reader:{mayor} -->\n") + len(f"<!-- /reader:{mayor} -->\n")
    note_file.write_text(text[:start] + text[end:])
    result = invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    assert "0 files written, 1 unchanged" in result.output
    assert f"^reader-{mayor}" not in note_file.read_text()
    with Store(db) as store:
        store.set_note(mayor, "Changed in reader.")
    invoke("export", "annotations", "--db", str(db), "--out", str(vault))
    after = note_file.read_text()
    assert "Changed in reader." in after
    assert after.index(f"^reader-{budget}") < after.index(f"^reader-{mayor}")


def _entry(number: int, quote: str, note: str) -> Any:
    from reader.models import Annotation, AnnotationEntry

    return AnnotationEntry(Annotation(number, 7, Anchor(quote, "", "", number * 10,
                                                        number * 10 + len(quote), "exact"),
                                      note), "The Bridge", tags=("town",))


USER_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<>\r"),
                    max_size=40).map(lambda t: t.strip())


@settings(max_examples=60, deadline=None)
@given(around=st.lists(USER_TEXT, min_size=4, max_size=4),
       notes=st.lists(st.text(max_size=20).map(lambda t: t.replace("<", "").replace("\r", "")),
                      min_size=3, max_size=3))
def test_whatever_the_user_writes_around_the_marks_survives_a_re_export(
        around: list[str], notes: list[str]) -> None:
    from reader import annotation_export as ax

    first = [_entry(1, "alpha", "one"), _entry(2, "beta", ""), _entry(3, "gamma", "three")]
    text = ax.article_markdown(first)
    # The user writes before, between and after the regions.
    marks = [text.index("<!-- reader:1 "), text.index("<!-- reader:2 "),
             text.index("<!-- reader:3 "), text.index("<!-- reader:exported")]
    pieces, last = [], 0
    for at, words in zip(marks, around, strict=True):
        pieces += [text[last:at], words + "\n\n" if words else ""]
        last = at
    edited = "".join(pieces) + text[last:]
    # In reader: notes changed, a highlight added.
    second = [_entry(i + 1, q, n) for i, (q, n) in enumerate(zip(("alpha", "beta", "gamma"),
                                                                 notes, strict=True))]
    second.append(_entry(4, "delta", "new"))
    merged = ax.merge_markdown(edited, second)
    def outside(markdown: str) -> str:
        """The text outside reader's regions and marks, spacing aside."""
        text = re.sub(r"<!-- reader:(\d+) .*?<!-- /reader:\1 -->", "", markdown, flags=re.S)
        return " ".join(re.sub(r"<!--.*?-->", "", text).split())

    assert outside(merged) == outside(edited)
    assert [r.id for r in regions(merged)] == [1, 2, 3, 4]
    for note in notes:  # reader's changes are in
        assert not note.strip() or note.strip("\n") in merged
    assert ax.merge_markdown(merged, second) == merged  # a second export changes nothing


@settings(max_examples=100, deadline=None)
@given(note=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
       | st.sampled_from(["> a quote of my own\n\nand a thought", "^reader-5", "- a\n- b"]),
       orphan=st.booleans())
def test_a_note_comes_back_as_written(note: str, orphan: bool) -> None:
    from reader import annotation_export as ax
    from reader.clean import may_be_mojibake, needs_sanitizing

    # Text that reads as mojibake (`Â\xa0`) is repaired on the way in, by design; characters
    # never shown (a BOM, a bidi override: reader.controls) are removed, line separators
    # become spaces.
    assume(not may_be_mojibake(note) and not needs_sanitizing(note))
    from reader.models import Annotation, AnnotationEntry

    anchor = Anchor("the quote", "", "", None if orphan else 0, None if orphan else 9,
                    "orphan" if orphan else "exact")
    entry = AnnotationEntry(Annotation(5, 7, anchor, note), "T")
    [region] = list(regions(ax.article_markdown([entry])))
    assert region_note(region.inner) == note.strip()
