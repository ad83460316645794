"""The clipboard fallback chain (pyperclip, then OSC 52) and quote formatting."""

from __future__ import annotations

import sys

import pyperclip
import pytest

from reader import clipboard
from reader.clipboard import (
    CopyResult,
    block_quote,
    citation,
    clean_for_clipboard,
    copy,
    format_quote,
    template_error,
)


class FakeClipboard:
    """pyperclip's copy and paste, with the failures real back-ends show."""

    def __init__(self, copy_error: Exception | None = None, tool_works: bool = True,
                 paste_error: Exception | None = None) -> None:
        self.copy_error = copy_error
        self.tool_works = tool_works
        self.paste_error = paste_error
        self.content = "something older"
        self.copied: list[str] = []

    def copy(self, text: str) -> None:
        self.copied.append(text)
        if self.copy_error:
            raise self.copy_error
        if self.tool_works:
            self.content = text

    def paste(self) -> str:
        if self.paste_error:
            raise self.paste_error
        return self.content


class Terminal:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[str] = []
        self.fail = fail

    def __call__(self, text: str) -> None:
        if self.fail:
            raise RuntimeError("driver gone")
        self.sent.append(text)


@pytest.fixture
def system(monkeypatch: pytest.MonkeyPatch) -> FakeClipboard:
    fake = FakeClipboard()
    monkeypatch.setattr(clipboard, "_no_display", lambda: False)
    monkeypatch.setattr(pyperclip, "copy", fake.copy)
    monkeypatch.setattr(pyperclip, "paste", fake.paste)
    return fake


def test_system_clipboard_first_when_it_works(system: FakeClipboard) -> None:
    terminal = Terminal()
    result = copy("A quote.", terminal)
    assert result == CopyResult("system", "A quote.")
    assert result.ok and terminal.sent == []
    assert system.content == "A quote."
    assert result.message.startswith("Copied to the clipboard: “A quote.”")


def test_pyperclip_raising_falls_back_to_osc52(system: FakeClipboard) -> None:
    system.copy_error = pyperclip.PyperclipException("could not find a copy/paste mechanism")
    terminal = Terminal()
    result = copy("A quote.", terminal)
    assert result.method == "osc52" and result.ok
    assert terminal.sent == ["A quote."]
    assert "could not find a copy/paste mechanism" in result.detail
    assert "OSC 52" in result.message


def test_pyperclip_succeeding_while_the_tool_failed_falls_back(system: FakeClipboard) -> None:
    system.tool_works = False  # xclip with a dead DISPLAY: exit status ignored
    terminal = Terminal()
    result = copy("A quote.", terminal)
    assert system.copied == ["A quote."]
    assert result.method == "osc52"
    assert terminal.sent == ["A quote."]
    assert "did not take the text" in result.detail


def test_unverifiable_copy_also_goes_through_osc52(system: FakeClipboard) -> None:
    system.paste_error = pyperclip.PyperclipException("no paste")
    terminal = Terminal()
    assert copy("A quote.", terminal).method == "osc52"
    assert terminal.sent == ["A quote."]


def test_crlf_from_the_system_clipboard_still_verifies(system: FakeClipboard,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyperclip, "paste", lambda: "one\r\ntwo\r\n")
    assert copy("one\ntwo", Terminal()).method == "system"


def test_no_display_server_skips_pyperclip(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(clipboard, "_no_display", lambda: True)
    monkeypatch.setattr(pyperclip, "copy", calls.append)
    terminal = Terminal()
    result = copy("Over SSH.", terminal)
    assert calls == [] and terminal.sent == ["Over SSH."]
    assert result.method == "osc52" and "no display server" in result.detail


def test_no_osc52_available_reports_failure_without_raising(system: FakeClipboard) -> None:
    system.copy_error = RuntimeError("boom")
    result = copy("A quote.", None)
    assert result.method == "none" and not result.ok
    assert result.message.startswith("Could not copy:")
    assert "OSC 52" in result.detail


def test_osc52_failing_too_never_raises(system: FakeClipboard) -> None:
    system.copy_error = RuntimeError("boom")
    result = copy("A quote.", Terminal(fail=True))
    assert result.method == "none"
    assert "driver gone" in result.detail


def test_display_detection_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(clipboard, "_wsl", lambda: False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert clipboard._no_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not clipboard._no_display()
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("WAYLAND_DISPLAY")
    assert not clipboard._no_display()


def test_control_characters_are_stripped_before_copying(system: FakeClipboard) -> None:
    system.copy_error = RuntimeError("boom")
    terminal = Terminal()
    dirty = "Red\x1b[31m text\x1b]52;c;ZXZpbA==\x07 and\x00 bell\x07, C1\x9c, bidi\u202e\r\nend\ttab"
    result = copy(dirty, terminal)
    assert terminal.sent == ["Red text and bell, C1, bidi\nend\ttab"]
    assert result.text == terminal.sent[0]


def test_clean_for_clipboard_keeps_newlines_and_tabs() -> None:
    assert clean_for_clipboard("a\rb\r\nc\n\td") == "a\nb\nc\n\td"


def test_pyperclip_children_write_no_errors_on_screen(capfd: pytest.CaptureFixture[str]) -> None:
    quiet = clipboard._QuietSubprocess()
    child = quiet.Popen([sys.executable, "-c", "import sys; sys.stderr.write('Error: no display')"])
    child.wait()
    assert "no display" not in capfd.readouterr().err


def test_quiet_replaces_the_subprocess_module_pyperclip_uses() -> None:
    class FakeModule:
        subprocess = sys.modules["subprocess"]

    clipboard._quiet(FakeModule)
    assert isinstance(FakeModule.subprocess, clipboard._QuietSubprocess)
    assert FakeModule.subprocess.PIPE == sys.modules["subprocess"].PIPE


def test_long_text_through_osc52_carries_a_warning(system: FakeClipboard) -> None:
    system.copy_error = RuntimeError("boom")
    result = copy("x" * 100_000, Terminal())
    assert result.method == "osc52" and "large" in result.detail
    assert "100,000 characters" in result.message


# -- quotes -------------------------------------------------------------------------


def test_default_quote_is_a_block_quote_then_the_citation() -> None:
    text = format_quote(quote="First line.\n\nSecond line.", title="The Bridge",
                        source="Harbour News", date="2024-05-01")
    assert text == ("> First line.\n>\n> Second line.\n\n"
                    "— The Bridge, Harbour News, 2024-05-01\n")


def test_missing_citation_parts_are_left_out_cleanly() -> None:
    assert format_quote(quote="Q.", title="T", date=None, source="") == "> Q.\n\n— T\n"
    assert format_quote(quote="Q.") == "> Q.\n"
    assert citation(None, "S", "2024-01-01") == "— S, 2024-01-01"


def test_template_fields() -> None:
    template = "{quote}\n— {title} ({date}) <{url}> [{tags}]\nNote: {note}"
    text = format_quote(template, quote="Q.", title="T", date="2024-01-01",
                        url="https://example.org/a", tags=("x", "y"), note="mine")
    assert text == "Q.\n— T (2024-01-01) <https://example.org/a> [x, y]\nNote: mine\n"


def test_a_bad_template_falls_back_to_the_default() -> None:
    assert format_quote("{quote", quote="Q.", title="T") == "> Q.\n\n— T\n"
    assert format_quote("{nonsense}", quote="Q.", title="T") == "> Q.\n\n— T\n"


def test_template_errors_are_explained() -> None:
    assert template_error("{quote_block}\n\n{citation} {url}") is None
    assert "unknown field {author}" in (template_error("{author}") or "")
    assert template_error("{quote") is not None
    assert template_error("{quote!r}") is not None
    assert template_error("{0}") is not None


def test_block_quote_lines() -> None:
    assert block_quote("a\n\n  b  \n") == "> a\n>\n>   b"
