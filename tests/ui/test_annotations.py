"""Highlights and notes in the interface: select, highlight, note, copy, jump, delete,
the annotations pane, the library-wide list and the orphan review."""

from __future__ import annotations

from unittest import mock

import pytest

from reader.models import Anchor
from reader.ui.dialogs import ConfirmScreen, NoteEditorScreen
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.main import MainScreen
from tests.ui.support import Heard, settle

SIZE = (120, 36)


def main(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def open_newest(pilot) -> MainScreen:
    """Open the newest article (the terminal one) and put the cursor in its text."""
    await settle(pilot)
    screen = main(pilot.app)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(*"jjjjjjjjj")
    return screen


@pytest.fixture
def no_system_clipboard(monkeypatch):
    """A display that pyperclip cannot use: copying must fall back to OSC 52."""
    import pyperclip

    monkeypatch.setenv("DISPLAY", ":99")

    def broken(*args, **kwargs):
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", broken)
    monkeypatch.setattr(pyperclip, "paste", broken)


async def test_select_highlight_note_copy(make_app, store, no_system_clipboard):
    app = make_app()
    heard = Heard()
    async with app.run_test(size=SIZE, message_hook=heard) as pilot:
        screen = await open_newest(pilot)
        reading = screen.reader_pane.reading_view
        article = reading.article
        body = article.body
        # v takes the sentence under the cursor; ) and w extend it.
        await pilot.press("v")
        start, end = reading.selection
        sentence = body[start:end]
        assert sentence.endswith(".") and body[end:end + 1] in (" ", "\n", "")
        await pilot.press("right_parenthesis", "w")
        start2, end2 = reading.selection
        assert start2 == start and end2 > end
        await pilot.press("b")  # with a selection, b shrinks by a word (not page up)
        assert reading.selection[1] < end2
        # a: highlight at once, and the note editor opens.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*"why [b]this[/b]", "enter", *"matters")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = store.annotations(article.id)
        assert len(saved) == 1
        annotation = saved[0]
        assert annotation.note == "why [b]this[/b]\nmatters"
        assert annotation.anchor.quote == body[annotation.anchor.start:annotation.anchor.end]
        assert annotation.anchor.start == start
        assert reading.selection is None
        assert [h.id for h in reading.highlights] == [annotation.id]
        # The pane lists it; the article list counts it.
        await pilot.press("4")
        assert screen.annotation_list.has_focus
        assert [e.annotation.id for e in screen.annotation_list.entries] == [annotation.id]
        assert screen.list_pane.article_list.summary(0).highlight_count == 1
        # y on the highlight: the quote with its citation, through OSC 52.
        await pilot.press("3")
        reading.move_caret(annotation.anchor.start + 2)
        with mock.patch.object(app, "copy_to_clipboard") as osc52:
            await pilot.press("y")
            await settle(pilot)
        osc52.assert_called_once()
        copied = osc52.call_args.args[0]
        assert copied.startswith("> " + annotation.anchor.quote[:20])
        assert f"— {article.title}, {article.source}, {article.date}" in copied
        toasts = heard.toasts
        assert any("OSC 52" in t and annotation.anchor.quote[:10] in t for t in toasts)
        # Y: plain text.
        with mock.patch.object(app, "copy_to_clipboard") as osc52:
            await pilot.press("Y")
            await settle(pilot)
        assert osc52.call_args.args[0] == annotation.anchor.quote


async def test_h_colours_jump_and_delete(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_newest(pilot)
        reading = screen.reader_pane.reading_view
        article_id = reading.article.id
        # h without a selection highlights the sentence at the cursor.
        await pilot.press("h")
        first = store.annotations(article_id)[0]
        assert first.color == "yellow"
        # A colour key with a selection highlights in that colour…
        await pilot.press("j", "j", "j", "j", "v", "3")
        colours = sorted(a.color for a in store.annotations(article_id))
        assert colours == ["blue", "yellow"]
        # …and without one it switches panes as before.
        await pilot.press("2")
        assert screen.list_pane.article_list.has_focus
        await pilot.press("3")
        # ] and [ go from highlight to highlight.
        starts = sorted(a.anchor.start for a in store.annotations(article_id))
        await pilot.press("g", "right_square_bracket")
        assert reading.caret == starts[0]
        await pilot.press("right_square_bracket")
        assert reading.caret == starts[1]
        await pilot.press("left_square_bracket")
        assert reading.caret == starts[0]
        # c recolours the highlight under the cursor.
        await pilot.press("c")
        assert store.annotation(first.id).color == "green"
        # x asks, n keeps, x then y deletes.
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert len(store.annotations(article_id)) == 2
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [a.id for a in store.annotations(article_id)] != [] and first.id not in [
            a.id for a in store.annotations(article_id)]
        assert len(reading.highlights) == 1


async def test_search_hit_becomes_a_highlight(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("slash", *"windbreak")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        reading = screen.reader_pane.reading_view
        start, end = reading.hits[0]
        await pilot.press("h")
        saved = store.annotations(reading.article.id)
        assert [(a.anchor.start, a.anchor.end) for a in saved] == [(start, end)]
        assert saved[0].anchor.quote == "windbreak"


async def test_orphan_review_and_reattach(make_app, store):
    article_id = store.article_ids()[0]
    orphan_id = store.add_annotation(
        article_id, Anchor("a sentence that was edited away", "before ", " after",
                           None, None, "orphan"), note="keep this note")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("O")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, AnnotationsScreen) and review.orphans
        assert [e.annotation.id for e in review.annotation_list.entries] == [orphan_id]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.reader_pane.reading_view.article.id == article_id
        assert screen.annotation_list.has_focus
        assert screen.annotation_list.highlighted.annotation.id == orphan_id
        # r without a selection says what to do; with one it re-attaches.
        await pilot.press("r")
        assert store.annotation(orphan_id).anchor.orphan
        await pilot.press("3", *"jjjjjjjj", "v", "r")
        fixed = store.annotation(orphan_id)
        assert not fixed.anchor.orphan and fixed.note == "keep this note"
        body = screen.reader_pane.reading_view.article.body
        assert fixed.anchor.quote == body[fixed.anchor.start:fixed.anchor.end]
        assert [h.id for h in screen.reader_pane.reading_view.highlights] == [orphan_id]
        assert store.orphans() == []


async def test_library_wide_annotations(make_app, store):
    ids = store.article_ids()
    bodies = {i: store.article(i).body for i in ids[:3]}
    made = []
    for article_id in ids[:3]:
        body = bodies[article_id]
        start = body.index("sentence number 2")
        made.append(store.add_annotation(article_id, Anchor(
            body[start:start + 17], "", "", start, start + 17, "exact"),
            note=f"note on {article_id}"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("A")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, AnnotationsScreen)
        # Newest first.
        assert [e.annotation.id for e in listing.annotation_list.entries] == made[::-1]
        await pilot.press("slash", *f"note on {ids[1]}")
        await settle(pilot)
        assert [e.annotation.id for e in listing.annotation_list.entries] == [made[1]]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen is screen
        reading = screen.reader_pane.reading_view
        assert reading.article.id == ids[1] and reading.has_focus
        assert reading.caret == store.annotation(made[1]).anchor.start


async def test_hostile_note_and_quote_show_literally(make_app, store):
    from tests.ui.test_safety import HOSTILE

    article_id = store.article_ids()[0]
    body = store.article(article_id).body
    store.add_annotation(article_id, Anchor(body[:10], "", "", 0, 10, "exact"),
                         note=" ".join(HOSTILE))
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "4")
        await settle(pilot)
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "[@click=app.quit]x[/]" in svg
        assert "\x1b" not in svg and "\x07" not in svg
        await pilot.press("A")
        await settle(pilot)
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "[@click=app.quit]x[/]" in svg
        assert app.is_running


async def test_mouse_drag_selects_and_h_highlights(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("enter")
        await settle(pilot)
        reading = screen.reader_pane.reading_view
        # Press on a line of the first paragraph, drag two lines down, release.
        await pilot.mouse_down("#reading", offset=(3, 13))
        await pilot.hover("#reading", offset=(30, 15))
        await pilot.mouse_up("#reading", offset=(30, 15))
        start, end = reading.selection
        body = reading.article.body
        selected = body[start:end]
        assert selected.startswith("goes on for a while. The shell sentence number 4 goes")
        assert "number 5" in selected and "number 6" not in selected
        await pilot.press("h")
        saved = store.annotations(reading.article.id)
        assert len(saved) == 1 and saved[0].anchor.start == start
