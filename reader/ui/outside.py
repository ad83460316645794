"""The clipboard and the browser, reached off the UI thread.

Copying may start a subprocess (pyperclip) and opening a link starts a
browser; both run in a thread worker of the widget that asks, and report back
with a notification (archive text: never as markup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget


def copy_text(node: Widget | Screen[Any], text: str,
              done: Callable[[bool], None] | None = None) -> None:
    """Copy through pyperclip, else OSC 52; `done(ok)` runs after, on the UI thread."""

    def work() -> None:
        from reader import clipboard  # subprocess and pyperclip: loaded on first copy

        app = node.app

        def osc52(value: str) -> None:
            app.call_from_thread(app.copy_to_clipboard, value)

        result = clipboard.copy(text, osc52=osc52)  # never raises
        app.call_from_thread(node.notify, result.message, title="Copy",
                             severity="information" if result.ok else "warning",
                             timeout=4 if result.ok else 8, markup=False)
        if done is not None:
            app.call_from_thread(done, result.ok)

    node.run_worker(work, thread=True, group="copy")


def open_url(node: Widget | Screen[Any], url: str) -> None:
    """Open a link in the graphical browser (starting one may take a moment)."""

    def work() -> None:
        from reader import links

        ok, text = links.open_link(url)  # never raises; refuses anything not openable
        node.app.call_from_thread(node.notify, text, title="Link",
                                  severity="information" if ok else "warning",
                                  timeout=4 if ok else 8, markup=False)

    node.run_worker(work, thread=True, group="links")
