"""The reader's Textual application (placeholder until the three-pane interface lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from reader.store import Store


class ReaderApp(App[None]):
    """Shows what the library holds."""

    TITLE = "reader"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        stats = self.store.stats()
        yield Header()
        yield Static(f"{stats.articles} articles, {len(self.store.tags())} tags.", markup=False)
        yield Footer()


def run(store: Store, demo: bool = False) -> None:
    ReaderApp(store).run()
