"""Another program changes the library (an import in another terminal): the screen
follows in place, keeping the cursor, and says what arrived."""

from __future__ import annotations

from pathlib import Path

from reader.models import ParsedArticle, Provenance
from reader.store import Store
from reader.ui.screens import main as main_module
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.tag_list import TagFilter
from tests.ui.support import ARTICLES, Heard, settle


def _new(n: int) -> ParsedArticle:
    return ParsedArticle(title=f"Arrived later {n}", body=f"Body {n}.", date="2024-01-0{n}",
                         source="Elsewhere", url=None, tags=("arrivals",),
                         provenance=Provenance("later.md", "markdown", n, n))


async def test_an_import_elsewhere_shows_up_in_place(make_app, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(main_module, "WATCH_EVERY", 0.05)
    library = Store(tmp_path / "library.db")
    library.add_articles(ARTICLES)
    app = make_app(library)
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("j", "j")
        kept = screen.list_pane.highlighted_id
        before = screen.tag_list.count(TagFilter("all"))
        with Store(library.path) as other:
            other.add_articles([_new(1), _new(2)])
        for _ in range(100):
            await pilot.pause(0.05)
            await settle(pilot)
            if screen.tag_list.count(TagFilter("all")) == (before or 0) + 2:
                break
        assert screen.tag_list.count(TagFilter("all")) == (before or 0) + 2
        assert TagFilter("all", "arrivals") in screen.tag_list.filters
        assert len(screen.list_pane.article_list.ids) == len(ARTICLES) + 2
        assert screen.list_pane.highlighted_id == kept
        assert heard.said("2 articles added")
    library.close()
