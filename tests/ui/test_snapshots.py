"""What the screen looks like, with fixed data, at 120×36 and 80×24.

Update the baselines after an intended change with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.support import settle, steady

WIDE = (120, 36)
NARROW = (80, 24)


def keys(*pressed: str):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    return run_before


def typed(before: tuple[str, ...], text: str, after: tuple[str, ...] = ()):
    """Keys, then `text` typed without waiting between letters, then more keys."""
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press(*before)
        await pilot.press(*text)
        await settle(pilot)
        for key in after:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    return run_before


def test_library_wide(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=keys())


def test_reading_wide(snap_compare, make_app):
    """The third article (lists, a quote, emphasis) open beside the list."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=keys("j", "j", "enter"))


def test_reading_light_theme(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=keys("ctrl+t", "j", "j", "enter"))


def test_tag_chosen_wide(snap_compare, make_app):
    """#gardening chosen in the tag pane; its articles in the list."""
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=keys("1", *"j" * 6, "enter"))


def test_library_narrow(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=keys())


def test_tags_narrow(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=keys("1"))


def test_reading_narrow(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=keys("j", "j", "enter"))


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=keys("question_mark"))


def test_empty_library(snap_compare, make_app, empty_store):
    assert snap_compare(make_app(empty_store), terminal_size=WIDE, run_before=keys())


def test_empty_library_narrow(snap_compare, make_app, empty_store):
    assert snap_compare(make_app(empty_store), terminal_size=NARROW, run_before=keys("3"))


def test_search_results_wide(snap_compare, make_app):
    """Results as you type: title, hit count, date · source · tags, snippet with marks."""
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=typed(("slash",), "sentence"))


def test_search_results_narrow(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=NARROW,
                        run_before=typed(("slash",), "windbreak OR bamboo"))


def test_reading_at_search_hit(snap_compare, make_app):
    """Opened from the results: every hit marked, the second one current."""
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=typed(("slash",), "tomato", ("enter", "enter", "n")))


def _highlighted(store) -> None:
    """Two highlights in the balcony article (yellow, and blue with a note)."""
    from reader.anchoring import make_anchor

    article = next(store.article(i) for i in store.article_ids()
                   if store.article(i).title.startswith("Balcony"))
    body = article.body
    first = body.index("The balcony is a climate")
    store.add_annotation(article.id, make_anchor(body, first, first + 38))
    second = body.index("Paragraph 1 about tomato.")
    store.add_annotation(article.id, make_anchor(body, second, second + 62),
                         note="Try this with [b]beans[/b] next year.", color="blue")


def test_reading_highlights_wide(snap_compare, make_app, store):
    """Highlights inline in colour, the annotations pane beside them, a selection."""
    _highlighted(store)
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=typed(("j", "j", "enter", "4", "3"), "j" * 14, ("v",)))


def test_reading_highlights_narrow(snap_compare, make_app, store):
    _highlighted(store)
    assert snap_compare(make_app(), terminal_size=NARROW,
                        run_before=keys("j", "j", "enter", "right_square_bracket"))


def test_all_annotations(snap_compare, make_app, store):
    _highlighted(store)
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=keys("A"))
