"""Fixed data and helpers for the interface tests."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from reader.models import ParsedArticle, Provenance


def _article(n: int, title: str, body: str, *, date: str | None, source: str | None = None,
             tags: tuple[str, ...] = (), url: str | None = None) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, date=date, source=source, url=url, tags=tags,
                         provenance=Provenance("fixtures/library.md", "markdown", n * 10,
                                               n * 10 + 9))


def _paragraphs(topic: str, count: int) -> str:
    return "\n\n".join(
        f"Paragraph {i + 1} about {topic}. " + " ".join(
            f"The {topic} sentence number {j + 1} goes on for a while." for j in range(6))
        for i in range(count)
    )


ARTICLES = [
    _article(1, "Balcony Tomatoes in a Windy Spring", "Tomatoes lean in the wind.\n\n"
             "## What worked\n\n- stakes made of *bamboo*\n- a **windbreak** of netting\n"
             "- watering at dawn\n\n> The balcony is a climate, not a shelf.\n\n"
             + _paragraphs("tomato", 12),
             date="2021-03-14", source="Field Notes", tags=("gardening", "balcony")),
    _article(2, "Compost in a Cupboard", _paragraphs("compost", 3),
             date="2021-02-02", source="Field Notes", tags=("gardening",)),
    _article(3, "Paying With a Phone in Shanghai", "Cash is rare now.\n\n"
             "See [the payments report](https://example.org/pay) and `QR codes`.\n\n"
             + _paragraphs("payment", 4),
             date="2021-05-20", source="Demo Journal", tags=("china", "payments"),
             url="https://example.org/shanghai"),
    _article(4, "A Long History of the Typeface", "# Before the press\n\n"
             + _paragraphs("type", 40) + "\n\n# The machine\n\n" + _paragraphs("press", 40),
             date="2020-06-01", source="Demo Journal", tags=("typography", "long-read")),
    _article(5, "Your First Hour in the Terminal", "1. open it\n2. type `ls`\n3. breathe\n\n"
             + _paragraphs("shell", 2),
             date="2023-02-07", source="The Terminal Times", tags=("terminal",)),
    _article(6, "Learning to Love the Pager", _paragraphs("pager", 2), date=None,
             source=None, tags=("terminal",)),
    _article(7, "Zürich Before Nine", "Coffee, trams and 中文 text in one line.\n\n"
             + _paragraphs("morning", 3),
             date="2019-10-12", source="Demo Journal", tags=("travel", "switzerland")),
    _article(8, "Seed Swaps and the Quiet Economy", _paragraphs("seed", 5),
             date="2020-11-21", source="Field Notes", tags=("gardening",)),
]


async def settle(pilot: Pilot) -> None:
    """Let the workers finish and their messages arrive."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def steady(pilot: Pilot) -> None:
    """Stop the text cursors blinking, so a screenshot does not depend on how long the
    steps before it took (a busy machine can cross a blink)."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


async def burst(pilot: Pilot, keys: str) -> None:
    """Type `keys` the way a terminal delivers a paste or `tmux send-keys`: every key
    queued at once, none handled before the next arrives (Pilot.press waits in between)."""
    app = pilot.app
    for char in keys:
        key = {"/": "slash", " ": "space"}.get(char, char)
        app.post_message(events.Key(key, char))
    await pilot.pause()
    await pilot.pause()


class Heard:
    """Every message the app handled, as `run_test(message_hook=heard)` hands them over."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def toasts(self) -> list[str]:
        """The notifications shown, oldest first."""
        return [str(m.notification.message) for m in self.messages if isinstance(m, Notify)]

    def said(self, text: str) -> bool:
        """Some notification held `text`."""
        return any(text in toast for toast in self.toasts)
