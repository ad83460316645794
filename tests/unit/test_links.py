"""Opening links: only web and mail addresses, never in a console browser."""

from __future__ import annotations

import webbrowser

import pytest

from reader import links
from reader.render import document


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "http://x.example",
                                 "mailto:ann@example.org", "HTTPS://EXAMPLE.ORG"])
def test_web_and_mail_addresses_are_openable(url: str) -> None:
    assert links.openable(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x",
    "ftp://example.org", "https://", "https://exa mple.org", "https://example.org/\x1b]52;c;x\x07",
    "https://example.org/\x9b31m", "relative/page", "", "http://[bad"])
def test_everything_else_is_not(url: str) -> None:
    assert not links.openable(url)
    assert links.open_link(url)[0] is False


def test_no_browser_without_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    called = []
    monkeypatch.setattr(webbrowser, "get", lambda *a: called.append(a))
    ok, message = links.open_link("https://example.org")
    assert not ok and "copy" in message and not called


def test_console_browsers_are_refused_and_graphical_ones_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.GenericBrowser("lynx"))
    assert links.open_link("https://example.org")[0] is False and not opened
    monkeypatch.setattr(webbrowser, "get", lambda *a: Graphical("firefox"))
    assert links.open_link("https://example.org") == (True, "Opened in the browser.")
    assert opened == ["https://example.org"]

    def broken(*a: object) -> None:
        raise webbrowser.Error("none")

    monkeypatch.setattr(webbrowser, "get", broken)
    assert links.open_link("https://example.org")[0] is False


def test_a_documents_links_are_numbered_as_shown() -> None:
    doc = document("See [a](https://a.example) and [b](mailto:b@example.org), "
                   "[a again](https://a.example).", 80)
    assert doc.links == ["https://a.example", "mailto:b@example.org"]
    assert "a[1] and b[2], a again[1]." in doc.text_of(0)
