"""Every styled span on screen is legible in both built-in themes (WCAG AA).

Each pane is drawn in textual-dark and textual-light and every cell of text is
checked against the background it is drawn on: 4.5:1 for text, 3:1 for marks
(borders, rules, bars, the stub's arrow). And the hierarchy holds: muted text
(dates, sources, the article's header, quotes) is quieter than body text,
never louder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from reader.config import Config
from reader.models import ParsedArticle, Provenance
from reader.ui.app import ReaderApp
from reader.ui.widgets.themed import contrast
from tests.ui.support import settle
from tests.ui.test_snapshots import _highlighted

THEMES = ("textual-dark", "textual-light")
MARKS = set("↗·▌▐▊▎│┃─━╭╮╰╯┌┐└┘├┤┬┴┼═║▔▏▕ ")
SCROLLBAR = set("▁▂▃▄▅▆▇█▀ ")
"""Textual's scrollbar thumb, drawn in eighths of a cell: its own two colours, not text."""

JOURNEYS = {
    "library": (),
    "tags": ("1",),
    "reading": ("j", "j", "enter"),
    "reading-focused": ("j", "j", "enter", "3"),
    "highlights": ("j", "j", "enter", "4"),
    "search": ("slash", *"tomato"),
    "stub": ("G", "enter"),
    "help": ("question_mark",),
    "links": ("j", "enter", "l"),
    "delete": ("j", "j", "x"),
}


def spans(app: ReaderApp) -> list[tuple[str, Color, Color, bool]]:
    """(text, ink, background, reversed) of every styled span on screen; under a dialog,
    of the dialog's (what lies behind it is faded on purpose)."""
    update = app.screen._compositor.render_full_update()
    dialogs = app.screen.query("#dialog")
    region = dialogs.first().region if dialogs else None
    found = []
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for segment in strip:
                style = segment.style
                at, x = x, x + segment.cell_length
                if style is None or not segment.text.strip() or set(segment.text) <= SCROLLBAR:
                    continue
                if region is not None and not region.contains(at, y):
                    continue
                ink = style.color.get_truecolor() if style.color else None
                paper = style.bgcolor.get_truecolor() if style.bgcolor else None
                assert ink is not None and paper is not None, (segment.text, str(style))
                if style.reverse:
                    ink, paper = paper, ink
                found.append((segment.text, Color(*ink), Color(*paper), bool(style.reverse)))
    return found


async def _run(store, tmp_path: Path, theme: str, keys: tuple[str, ...]):
    app = ReaderApp(store, config=Config(path=tmp_path / "config.toml", theme=theme))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        return spans(app)


def _stub_and_highlights(store) -> None:
    _highlighted(store)
    store.add_articles([ParsedArticle(
        title="Zz a saved link", body="", date="2018-01-01", source="Pocket",
        url="https://example.org/saved", stub=True,
        provenance=Provenance("fixtures/pocket.html", "pocket", 1, 1))])


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("journey", list(JOURNEYS))
async def test_every_span_is_legible(store, tmp_path, theme, journey):
    _stub_and_highlights(store)
    found = await _run(store, tmp_path, theme, JOURNEYS[journey])
    assert found
    poor = []
    for text, ink, paper, _ in found:
        minimum = 3.0 if set(text) <= MARKS else 4.5
        ratio = contrast(ink, paper)
        if ratio < minimum:
            poor.append(f"{text[:30]!r}: {ink.hex} on {paper.hex} = {ratio:.2f} < {minimum}")
    assert not poor, "\n".join(dict.fromkeys(poor))


@pytest.mark.parametrize("theme", THEMES)
async def test_muted_text_is_quieter_than_body_text(store, tmp_path, theme):
    """The block quote and the header's date line sit below body text, in both themes."""
    found = await _run(store, tmp_path, theme, ("j", "j", "enter"))

    def ratio_of(fragment: str) -> float:
        for text, ink, paper, _ in found:
            if fragment in text:
                return contrast(ink, paper)
        raise AssertionError(f"{fragment!r} not on screen")

    body = ratio_of("Tomatoes lean in the wind.")
    assert ratio_of("The balcony is a climate") < body
    assert ratio_of("Field Notes") < body
    assert ratio_of("The balcony is a climate") >= 4.5
