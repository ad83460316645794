"""Copying quotes: the system clipboard through pyperclip, else the terminal's OSC 52.

`copy` never raises. It tries pyperclip first and checks that the text really
arrived (pyperclip's xclip and wl-copy back-ends do not look at the tool's exit
status, so a dead `DISPLAY` "succeeds"); when pyperclip has no mechanism
(no display server: SSH, a bare tmux, Wayland without wl-copy), raises, or
the check fails, it hands the text to the OSC 52 callable the interface passes
(Textual's `App.copy_to_clipboard`), which asks the terminal to set its
clipboard and works over SSH. The result says which way it went, for the
notification. Copied text is sanitised first: no control characters or
escape sequences ever reach the clipboard or the terminal.

No Textual here: the interface passes its OSC 52 writer in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from string import Formatter
from typing import Any, Literal

from reader.clean import sanitize

Method = Literal["system", "osc52", "none"]

OSC52_COMFORTABLE = 74_994
"""Bytes of text past which some terminals drop an OSC 52 request (base64 grows 4/3)."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    """Which way a copy went, and what was copied."""

    method: Method
    """`system` (pyperclip, checked), `osc52` (asked the terminal), `none` (failed)."""
    text: str
    """The text as copied, sanitised."""
    detail: str = ""
    """Why the system clipboard was passed over, or why nothing worked."""

    @property
    def ok(self) -> bool:
        return self.method != "none"

    @property
    def message(self) -> str:
        """One plain line for the notification (plain text: show it without markup)."""
        what = _preview(self.text)
        if self.method == "system":
            return f"Copied to the clipboard: {what}"
        if self.method == "osc52":
            return f"Copied through the terminal (OSC 52): {what}"
        return f"Could not copy: {self.detail or 'no clipboard available'}"


def _preview(text: str, width: int = 48) -> str:
    flat = " ".join(text.split())
    chars = f"{len(text):,} character{'s' if len(text) != 1 else ''}"
    if len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    return f"“{flat}” ({chars})"


def clean_for_clipboard(text: str) -> str:
    """`text` without escape sequences or control characters; CRLF and CR become LF."""
    return sanitize(text.replace("\r\n", "\n").replace("\r", "\n"))


def copy(text: str, osc52: Callable[[str], None] | None = None) -> CopyResult:
    """Copy `text` to the system clipboard, else through OSC 52. Never raises."""
    try:
        text = clean_for_clipboard(text)
    except Exception as exc:  # pragma: no cover - sanitize takes any str
        return CopyResult("none", "", f"the text could not be prepared ({exc})")
    reason = _system_copy(text)
    if reason is None:
        return CopyResult("system", text)
    if osc52 is None:
        return CopyResult("none", text, f"{reason}, and the terminal cannot be asked (OSC 52)")
    try:
        osc52(text)
    except Exception as exc:
        return CopyResult("none", text, f"{reason}; OSC 52 failed too ({_one_line(exc)})")
    if len(text.encode()) > OSC52_COMFORTABLE:
        reason += "; long text: some terminals ignore OSC 52 requests this large"
    return CopyResult("osc52", text, reason)


def _one_line(exc: BaseException) -> str:
    words = " ".join(str(exc).split())
    return (words[:120] or type(exc).__name__)


def _no_display() -> bool:
    """Linux and BSD without X or Wayland: every pyperclip back-end would fail noisily."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        if _wsl():
            return False
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def _wsl() -> bool:
    try:
        with open("/proc/version", encoding="utf-8", errors="replace") as f:
            return "microsoft" in f.read().lower()
    except OSError:
        return False


def _system_copy(text: str) -> str | None:
    """Copy with pyperclip; None when it verifiably worked, else the reason it did not."""
    if _no_display():
        return "no display server for the system clipboard"
    try:
        import pyperclip
    except Exception as exc:  # an optional dependency in a broken install
        return f"pyperclip unavailable ({_one_line(exc)})"
    _quiet(pyperclip)
    try:
        pyperclip.copy(text)
    except Exception as exc:
        return f"system clipboard unavailable ({_one_line(exc)})"
    try:
        pasted = pyperclip.paste()
    except Exception as exc:
        return f"system clipboard could not be checked ({_one_line(exc)})"
    if not isinstance(pasted, str) or _comparable(pasted) != _comparable(text):
        return "the system clipboard tool did not take the text"
    return None


def _comparable(text: str) -> str:
    # Windows hands back CRLF; some tools add or drop a final newline.
    return text.replace("\r\n", "\n").rstrip("\n")


class _QuietSubprocess:
    """`subprocess` as pyperclip sees it: children's errors go nowhere, not on screen.

    xclip and wl-copy write their complaints ("Can't open display") straight to
    the terminal the interface is drawing on.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        return subprocess.Popen(*args, **kwargs)


def _quiet(module: Any) -> None:
    if isinstance(getattr(module, "subprocess", None), type(subprocess)):
        module.subprocess = _QuietSubprocess()


# -- quotes -------------------------------------------------------------------

QUOTE_FIELDS = ("quote", "quote_block", "citation", "title", "source", "date", "url", "tags",
                "note")
"""Fields a quote template may use: `quote` as is, `quote_block` as a Markdown block
quote, `citation` the default `— Title, Source, Date` line, `tags` comma-separated."""

DEFAULT_TEMPLATE = "{quote_block}\n\n{citation}"


def block_quote(text: str) -> str:
    """`text` as a Markdown block quote (blank lines kept inside it as `>`).

    The one way a quote is written as Markdown: copied quotes and exported
    highlights (`reader.annotation_export`) alike.
    """
    lines = text.strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() if line.strip() else ">" for line in lines)


def citation(title: str | None, source: str | None, date: str | None) -> str:
    """`— Title, Source, Date` with the missing parts left out; empty when all are."""
    parts = [p.strip() for p in (title, source, date) if p and p.strip()]
    return "— " + ", ".join(parts) if parts else ""


def format_quote(template: str | None = None, *, quote: str, title: str | None = None,
                 source: str | None = None, date: str | None = None, url: str | None = None,
                 tags: Iterable[str] | str | None = None, note: str | None = None) -> str:
    """A quote with its citation, by `template` (`{quote}`, `{title}`… see QUOTE_FIELDS).

    The default is the quote as a Markdown block quote, a blank line, then
    `— Title, Source, Date`. A template that cannot be used (an unknown field,
    an unbalanced brace) falls back to the default, so copying never fails on
    configuration: check templates when loading them with `template_error`.
    """
    tag_text = tags if isinstance(tags, str) else ", ".join(t for t in (tags or ()) if t)
    fields = {
        "quote": quote.strip("\n"),
        "quote_block": block_quote(quote),
        "citation": citation(title, source, date),
        "title": title or "",
        "source": source or "",
        "date": date or "",
        "url": url or "",
        "tags": tag_text,
        "note": note or "",
    }
    if template is None or template_error(template) is not None:
        template = DEFAULT_TEMPLATE
    text = template.format_map(_Blank(fields))
    # A field left empty must not leave stray blank lines or a dangling separator.
    text = re.sub(r"\n{3,}", "\n\n", text).lstrip("\n").rstrip()
    return text + "\n"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def template_error(template: str) -> str | None:
    """Why a quote template cannot be used (one line), or None when it can."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:
        return f"the template cannot be used ({exc})"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in QUOTE_FIELDS:
            return f"unknown field {{{name}}} (fields: {', '.join(QUOTE_FIELDS)})"
        if spec or conversion:
            return f"{{{name}}}: write fields without a conversion or format"
    return None
