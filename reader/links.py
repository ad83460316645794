"""An article's links, opened only when it is safe: a web or mail address, shown first,
and a graphical browser to open it in.

Links come from archives, so they are hostile like the rest of the text: a
`javascript:` or `file:` link never opens, and neither does anything with
control characters or spaces in it. A console browser (lynx, w3m…) is never
started: it would take over the terminal the interface is drawn in; without a
graphical browser the address is for copying instead.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

SCHEMES = ("http", "https", "mailto")


def openable(url: str) -> bool:
    """Whether `url` may be opened: http(s) with a host, or mailto, and nothing odd in it."""
    if not url or len(url) > 4096 or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                          or 0x80 <= ord(c) < 0xA0 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.hostname)


def _graphical() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_link(url: str) -> tuple[bool, str]:
    """Open `url` in the graphical browser; (whether it did, a one-line message). Never raises."""
    if not openable(url):
        return False, "Not a web or mail address: not opened."
    if not _graphical():
        return False, "No graphical browser here: copy the address instead (c)."
    import webbrowser

    try:
        browser = webbrowser.get()
        if type(browser) is webbrowser.GenericBrowser:
            # Runs in this terminal and waits: a console browser.
            return False, "Only a console browser is available: copy the address instead (c)."
        if browser.open(url):
            return True, "Opened in the browser."
    except Exception as exc:  # a broken browser setup must not stop the reader
        return False, f"The browser could not be started ({type(exc).__name__})."
    return False, "The browser could not be started."
