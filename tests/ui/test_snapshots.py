"""What the screen looks like, with fixed data, at 120×36 and 80×24.

Update the baselines after an intended change with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.support import settle

WIDE = (120, 36)
NARROW = (80, 24)


def keys(*pressed: str):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

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
                        run_before=keys("slash", *"sentence"))


def test_search_results_narrow(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=NARROW,
                        run_before=keys("slash", *"windbreak OR bamboo"))


def test_reading_at_search_hit(snap_compare, make_app):
    """Opened from the results: every hit marked, the second one current."""
    assert snap_compare(make_app(), terminal_size=WIDE,
                        run_before=keys("slash", *"tomato", "enter", "enter", "n"))
