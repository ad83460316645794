"""A one-line query box with recent queries on up/down (library search and find in article)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from reader.ui.history import KEPT
from reader.ui.messages import message


class SearchBox(Input):
    """Type a query; up/down recall recent ones; escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "recall(-1)", "Earlier", show=False, id="search.earlier",
                tooltip="Recall an earlier search."),
        Binding("down", "recall(1)", "Later", show=False, id="search.later",
                tooltip="Recall a later search."),
        Binding("escape", "close", "Close", id="search.close",
                tooltip="Close the box and go back to the previous list."),
    ]

    @message
    class Closed(Message):
        """Escape was pressed in the box."""

        box: SearchBox
        """The box closed."""

        @property
        def control(self) -> SearchBox:
            return self.box

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)
        self.history: list[str] = []
        """Recent queries, oldest first (the screen loads and saves them)."""
        self._recall: int | None = None
        self._typed = ""

    def remember(self, query: str) -> None:
        """Add `query` to the recent ones (most recent last, no repeats)."""
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-KEPT]
        self._recall = None

    def action_recall(self, step: int) -> None:
        if not self.history:
            return
        if self._recall is None:
            if step > 0:
                return
            self._typed = self.value
            index = len(self.history) - 1
        else:
            index = self._recall + step
        if index >= len(self.history):
            self._recall = None
            self.value = self._typed
        else:
            self._recall = max(0, index)
            self.value = self.history[self._recall]
        self.cursor_position = len(self.value)

    def action_close(self) -> None:
        self._recall = None
        self.post_message(self.Closed(self))
