"""The library session without any widget: writes now or queued, the state they mean,
and notes the library refuses (a full disk) kept, never dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.anchoring import make_anchor
from reader.models import ParsedArticle, Provenance
from reader.store import Store, StoreError
from reader.ui.session import EarlyCounts, LibrarySession, NoteText, Notice, note_places
from tests.ui.support import ARTICLES


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "library.db")
    store.add_articles(ARTICLES)
    store.set_timeout(0.05)
    yield store
    store.close()


@pytest.fixture
def importing(library: Store) -> Iterator[Store]:
    """A second connection holding the write lock, as `reader import` does."""
    other = Store(library.path)
    other.conn.execute("BEGIN IMMEDIATE")
    yield other
    if other.conn.in_transaction:
        other.conn.execute("ROLLBACK")
    other.close()


class Recorder:
    """A session's notices and drain requests, as a screen would receive them."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.drains = 0

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)

    def start_drain(self) -> None:
        self.drains += 1

    def said(self, text: str) -> bool:
        return any(text in n.text for n in self.notices)


def session_on(store: Store) -> tuple[LibrarySession, Recorder]:
    heard = Recorder()
    return LibrarySession(store, notify=heard.notify, start_drain=heard.start_drain), heard


def first_id(store: Store) -> int:
    return store.article_ids()[0]


def test_a_free_library_is_written_at_once(library: Store) -> None:
    session, heard = session_on(library)
    article_id = first_id(library)
    assert session.save("the star", lambda s: s.set_starred(article_id, True))
    assert library.summaries([article_id])[0].starred
    assert not session.pending and heard.drains == 0 and not heard.notices


def test_a_busy_library_queues_in_order_and_shows_the_intended_state(
        library: Store, importing: Store) -> None:
    session, heard = session_on(library)
    article_id = first_id(library)
    assert not session.save("the star", lambda s: s.set_starred(article_id, True))
    session.intend(article_id, starred=True)
    assert not session.save("marking read", lambda s: s.set_read(article_id, True), quiet=True)
    session.intend(article_id, read=True)
    assert [w.what for w in session.pending] == ["the star", "marking read"]
    assert heard.drains == 1  # one worker drains the queue
    assert heard.said("kept, and saved as soon as the library is free")
    shown = session.summaries([article_id])[0]
    assert shown.starred and shown.read
    assert not library.summaries([article_id])[0].starred  # not written yet
    importing.conn.execute("ROLLBACK")
    result = session.drain(lambda: False)
    assert result.saved == 2 and not result.failed
    assert session.drained(result) == [article_id]
    stored = library.summaries([article_id])[0]
    assert stored.starred and stored.read
    assert heard.said("2 kept changes saved")


def test_a_queued_highlight_gets_its_id_before_its_note_is_written(
        library: Store, importing: Store) -> None:
    session, _ = session_on(library)
    article = library.article(first_id(library))
    assert article is not None
    anchor = make_anchor(article.body, 0, 20)
    temp_id = session.add_highlight(article.id, anchor, "blue")
    assert temp_id is not None and temp_id < 0
    placeholder = session.annotation(temp_id)
    assert placeholder is not None
    session.set_note(placeholder, "later")
    assert [(a.id, a.note) for a in session.annotations(article.id)] == [(temp_id, "later")]
    importing.conn.execute("ROLLBACK")
    session.drained(session.drain(lambda: False))
    stored = library.annotations(article.id)
    assert [(a.anchor.quote, a.note, a.color) for a in stored] == [
        (anchor.quote, "later", "blue")]


def test_a_deletion_queued_hides_the_highlight_meanwhile(library: Store,
                                                          importing: Store) -> None:
    importing.conn.execute("ROLLBACK")
    article = library.article(first_id(library))
    assert article is not None
    annotation_id = library.add_annotation(article.id, make_anchor(article.body, 0, 10))
    importing.conn.execute("BEGIN IMMEDIATE")
    session, _ = session_on(library)
    annotation = session.annotation(annotation_id)
    assert annotation is not None
    assert not session.delete_highlight(annotation)
    assert session.annotations(article.id) == []
    assert session.annotation(annotation_id) is None
    assert len(library.annotations(article.id)) == 1


def test_quitting_while_busy_reports_the_changes_and_files_the_notes(
        library: Store, importing: Store) -> None:
    session, _ = session_on(library)
    article = library.article(first_id(library))
    assert article is not None
    annotation_id = session.add_highlight(article.id, make_anchor(article.body, 0, 10), "yellow")
    assert annotation_id is not None
    annotation = session.annotation(annotation_id)
    assert annotation is not None
    session.set_note(annotation, "my thought")
    report = session.unsaved_report()
    assert "these changes were not saved" in report
    assert "the note on" in report
    notes_file = Path(library.path).with_name("library-unsaved-notes.txt")
    assert "my thought" in notes_file.read_text(encoding="utf-8")
    assert session.queue.stopped


def _refuse_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Store, annotation_id: int, note: str) -> None:
        raise StoreError("database or disk is full")

    monkeypatch.setattr(Store, "set_note", full)


def test_a_refused_note_goes_to_the_unsaved_notes_file(library: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse_notes(monkeypatch)
    session, heard = session_on(library)
    article = library.article(first_id(library))
    assert article is not None
    annotation = library.annotation(
        library.add_annotation(article.id, make_anchor(article.body, 0, 10)))
    assert annotation is not None
    assert not session.set_note(annotation, "a thought worth keeping")
    place = session.places[0]
    assert "a thought worth keeping" in place.read_text(encoding="utf-8")
    assert heard.said(str(place))
    assert not session.unsaved_notes and session.would_lose() == ""


def test_a_note_no_file_can_take_stays_in_memory_and_says_where_it_can_go(
        library: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full disk of the audit: the library and every unsaved-notes file refuse."""
    _refuse_notes(monkeypatch)
    session, heard = session_on(library)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    session.places = [blocker / "unsaved.txt", blocker / "again.txt"]  # cannot be created
    article = library.article(first_id(library))
    assert article is not None
    annotation = library.annotation(
        library.add_annotation(article.id, make_anchor(article.body, 0, 10)))
    assert annotation is not None
    assert not session.set_note(annotation, "do not lose me")
    assert [n.text for n in session.unsaved_notes] == ["do not lose me"]
    assert heard.said("Copy unsaved notes") and heard.said("Save unsaved notes to")
    assert "do not lose me" in session.would_lose()
    # Another writable place takes it.
    elsewhere = tmp_path / "elsewhere.txt"
    assert session.save_unsaved_notes(elsewhere)
    assert "do not lose me" in elsewhere.read_text(encoding="utf-8")
    assert session.would_lose() == ""


def test_a_place_that_refuses_keeps_the_notes_in_memory(tmp_path: Path) -> None:
    session = LibrarySession(Store(memory=True))
    session.unsaved_notes.append(NoteText("Title", "quote", "text"))
    assert not session.save_unsaved_notes(tmp_path / "missing" / "notes.txt")
    assert len(session.unsaved_notes) == 1
    assert "text" in session.unsaved_text()
    report = session.unsaved_report()
    assert "here they are" in report and "text" in report


def test_notes_go_beside_the_library_then_home_then_temp(tmp_path: Path) -> None:
    places = note_places(str(tmp_path / "lib.db"))
    assert places[0] == tmp_path / "lib-unsaved-notes.txt"
    assert places[1].parent == Path.home()
    assert len(places) == 3
    assert note_places(":memory:") == []


def test_archive_text_in_notices_has_no_control_characters(library: Store,
                                                           importing: Store) -> None:
    session, heard = session_on(library)
    article_id = first_id(library)
    session.save("the star on “\x1b]0;PWNED\x07Title”", lambda s: s.set_starred(article_id, True))
    assert heard.notices
    assert all("\x1b" not in n.text and "\x07" not in n.text for n in heard.notices)


def test_changes_by_another_connection_are_noticed_ours_are_not(library: Store) -> None:
    session, _ = session_on(library)
    assert not session.outside_changed()  # the first look only takes note
    library.set_starred(first_id(library), True)  # through the session's own connection
    assert not session.outside_changed()
    with Store(library.path) as other:
        other.set_read(first_id(library), True)
    assert session.outside_changed()
    assert not session.outside_changed()


def test_early_counts_come_from_a_thread_of_their_own(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as library:
        library.add_articles([
            ParsedArticle(title=f"T {n}", body="Body.", tags=(f"tag{n % 3}",),
                          provenance=Provenance("x.txt", "text", n, n)) for n in range(7)])
        expected = (library.view_counts(), library.tags())
        early = EarlyCounts(library)
        assert early.result(None) == expected
    with Store(memory=True) as memory:  # one connection only: counted when asked
        assert EarlyCounts(memory).result(None) is None
