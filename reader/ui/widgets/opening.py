"""Waiting for a dialog to open, so that keys typed right after the key that opens it
land in it.

A terminal delivers a paste or `tmux send-keys` as one burst. Keys the app has
already handed to the focused widget stay with it: typed after `e` (edit a note),
they were taken as list keys while the editor was still opening, and the note
lost its first letters or all of them. A priority binding's action is awaited by
the app before it hands on the next key, so the keys that open the note editor
are priority bindings whose actions ask for the editor and then wait here, briefly,
until a new screen is on top and has its focus.
"""

from __future__ import annotations

import asyncio

from textual.widget import Widget

OPEN_WAIT = 0.5
"""Seconds to wait at most (a request that opens nothing costs no more)."""


async def until_opened(widget: Widget, timeout: float = OPEN_WAIT) -> bool:
    """Wait until another screen than the widget's is on top with a focused widget;
    True when one is."""
    app = widget.app
    before = widget.screen
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        screen = app.screen
        if screen is not before and screen.focused is not None:
            return True
        await asyncio.sleep(0.005)
    return False
