"""A one-line key bar: the shown bindings of the focused pane, screen and app.

One widget drawing one line of Content. Textual's Footer mounts a widget per
key and restyles them all on every focus change, which costs more than the
rest of the start-up.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """Keys for what has focus now, as `key Description` pairs."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        dock: bottom;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    KEPT = ("app.help", "main.search", "annotations.search", "app.quit", "annotate.highlight",
            "annotate.color-1")
    """Binding ids shown however narrow the bar: a person can always find help, search
    and the way out, and while selecting, `h` and that the digits colour the selection (they
    switch panes otherwise); other keys give way from the end of the bar first."""

    def render(self) -> RenderResult:
        parts: list[tuple[bool, Content]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            parts.append((binding.id in self.KEPT, Content.assemble(
                (f" {key} ", "bold $text-primary"),
                (binding.description, ""),
            )))
        right = Content.assemble(("^p", "bold $text-primary"), (" Commands ", ""))
        room = self.size.width - right.cell_length - 1
        while parts and _width(parts) > room:
            dropped = next((i for i in range(len(parts) - 1, -1, -1) if not parts[i][0]), None)
            if dropped is None:
                break
            del parts[dropped]
        left = Content(" ").join(part for _, part in parts)
        gap = max(1, self.size.width - left.cell_length - right.cell_length)
        return Content.assemble(left, " " * gap, right)


def _width(parts: list[tuple[bool, Content]]) -> int:
    return sum(part.cell_length for _, part in parts) + max(0, len(parts) - 1)
