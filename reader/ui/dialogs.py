"""Small modal screens: the tag editor, the key help, notes, questions, links and paths;
and the two exchanges every highlight list has (edit a note, confirm a deletion)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from reader.models import Annotation
from reader.render import visible
from reader.store import Deletion

Answer = TypeVar("Answer")
"""What a dialog answers when it closes."""
SaveNote = Callable[[Annotation, str], bool]
"""Saves a highlight's note; True when written now, False when kept queued (or refused)."""
Delete = Callable[[Annotation], bool]
"""Deletes a highlight; True when done now, False when queued (or refused)."""


def edit_note(screen: Screen[Any], annotation: Annotation, save: SaveNote,
              done: Callable[[], None]) -> None:
    """Open the note editor on a highlight; save the note, then `done()`.

    When the library is busy the note stays queued (`save` keeps it and says so) and
    is shown as the highlight's note meanwhile; when it refuses the note, the note is
    kept elsewhere and the user told where: a typed note is never lost.
    """

    def saved(note: str | None) -> None:
        if note is None or note == annotation.note:
            return
        if save(annotation, note):
            screen.notify("Note saved." if note else "Note removed.", timeout=2)
        done()

    screen.app.push_screen(NoteEditorScreen(annotation.anchor.quote, annotation.note), saved)


def confirm_delete(screen: Screen[Any], annotation: Annotation, delete: Delete,
                   done: Callable[[], None]) -> None:
    """Ask, then delete a highlight and its note, then `done()`."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        if delete(annotation):
            screen.notify("Highlight deleted.", timeout=2)
        done()

    detail = "“" + cut(annotation.anchor.quote, 160) + "”"
    if annotation.note:
        detail += "\n✎ " + cut(annotation.note, 160)
    screen.app.push_screen(ConfirmScreen("Delete this highlight and its note?", detail),
                           answered)


def cut(text: str, width: int) -> str:
    """`text` on one line, its spaces made single, cut to `width` characters with `…`."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def confirm_delete_articles(screen: Screen[Any], deletions: list[Deletion],
                            delete: Callable[[list[Deletion]], bool],
                            done: Callable[[bool], None]) -> None:
    """Ask, naming the articles and the highlights that go with them; then delete them and
    `done(written_now)`."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        now = delete(deletions)
        if now:
            screen.notify("Article deleted." if len(deletions) == 1
                          else f"{len(deletions)} articles deleted.", timeout=2)
        done(now)

    highlights = sum(d.highlights for d in deletions)
    notes = sum(d.notes for d in deletions)
    lines = ["“" + cut(d.title, 100) + "”" for d in deletions[:3]]
    if len(deletions) > 3:
        lines.append(f"and {len(deletions) - 3} more")
    if highlights:
        lines.append(f"{highlights} highlight{'s' if highlights != 1 else ''}"
                     + (f" ({notes} with a note)" if notes else "")
                     + (" go" if highlights != 1 else " goes")
                     + (" with it." if len(deletions) == 1 else " with them."))
    else:
        lines.append("No highlights go with it." if len(deletions) == 1
                     else "No highlights go with them.")
    question = ("Delete this article?" if len(deletions) == 1
                else f"Delete these {len(deletions)} articles?")
    screen.app.push_screen(ConfirmScreen(question, "\n".join(lines)), answered)


def close_binding(id: str, tooltip: str, *, keys: str = "escape",
                  description: str = "Close") -> Binding:
    """The key that closes a `Closable` screen answering nothing: escape (or `keys`),
    named `id` in the key map."""
    return Binding(keys, "close", description, id=id, tooltip=tooltip)


class Closable:
    """For a screen its `close_binding` key dismisses, answering None (the dialogs here and
    the library's highlights). A plain mixin, listed first: a Screen base here would bring
    Screen's own styles in over ModalScreen's."""

    def action_close(self) -> None:
        """Close, answering nothing."""
        cast("Screen[Any]", self).dismiss(None)


class Dialog(ModalScreen[Answer]):
    """A small modal screen centred over the main one. Its styles are its own (not the
    app's stylesheet): Textual parses them when the first dialog opens, not as the
    interface starts."""

    SCOPED_CSS = False  # the rules read as written (as in the app's stylesheet before)
    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    #dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #dialog-title {
        width: 1fr;
        margin-bottom: 1;
    }
    #dialog .hint {
        color: $text-muted;
        margin-top: 1;
        width: 1fr;
    }
    HelpScreen #dialog {
        width: 80;
        height: 90%;
    }
    /* The keys scroll; the hints below them always show. */
    #help-keys {
        height: 1fr;
    }
    #note-text {
        height: 10;
    }
    #links-list {
        height: auto;
        max-height: 16;
    }
    #link-url {
        max-height: 8;
    }
    #confirm-detail {
        color: $text-muted;
        max-height: 6;
    }
    /* The chosen link: a quiet background, so the number and the address stay legible. */
    #links-list > .option-list--option-highlighted {
        background: $primary-muted;
        color: $text;
    }
    #links-list:focus > .option-list--option-highlighted {
        background: $primary-muted;
        color: $text;
    }
    """


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, empty ones and repeats dropped."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen[tag] = None
    return list(seen)


class TagEditorScreen(Closable, Dialog[list[str] | None]):
    """Edit an article's tags as one comma-separated line; returns them, or None."""

    BINDINGS = [
        close_binding("tags.cancel", "Close without changing the tags.", description="Cancel"),
    ]

    def __init__(self, title: str, tags: Iterable[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = list(tags)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = visible(self._title, one_line=True)
            yield Label(Content.assemble(("Tags of ", "bold"), (title, "italic")),
                        id="dialog-title")
            yield Input(", ".join(self._tags), placeholder="tag, another tag",
                        id="tags-input", select_on_focus=False)
            yield Label(Content("enter saves · escape cancels · separate tags with commas"),
                        classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))


class HelpScreen(Closable, Dialog[None]):
    """Every key, generated from the bindings (with the user's keymap applied)."""

    BINDINGS = [
        close_binding("help.close", "Close the help.", keys="escape,q,question_mark"),
        # No ids: the help lists its own keys only to close it.
        Binding("j,down", "scroll_keys(1)", "Down", show=False),
        Binding("k,up", "scroll_keys(-1)", "Up", show=False),
        Binding("space,pagedown", "scroll_keys(10)", "Page down", show=False),
        Binding("b,pageup", "scroll_keys(-10)", "Page up", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
        """`sections`: (heading, [(keys, description, binding id)])."""
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content.styled("Keys", "bold"), id="dialog-title")
            with VerticalScroll(id="help-keys"):
                yield Static(self._table(), id="help-table")
            yield Label(Content(
                "While a selection is active (v in the reading view), 1–5 highlight it in a "
                "colour, b extends it back by a word and escape drops it; otherwise 1–4 switch "
                "panes, b pages up and escape goes back."), classes="hint")
            yield Label(Content("Remap any key by its id in the [keys] table of the config "
                                "file · escape closes"), classes="hint")

    def _table(self) -> Content:
        width = max((len(keys) for _, rows in self._sections for keys, _, _ in rows),
                    default=4)
        lines: list[Content] = []
        for heading, rows in self._sections:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(heading, "bold $text-primary"))
            for keys, description, binding_id in rows:
                lines.append(Content.assemble(
                    ("  " + keys.ljust(width) + "  ", "$text-primary"),
                    (description.ljust(24) + " ", ""),
                    (binding_id, "$text-muted"),
                ))
        return Content("\n").join(lines)

    def action_scroll_keys(self, lines: int) -> None:
        """j/k and paging scroll the keys (the list is taller than most terminals)."""
        self.query_one("#help-keys", VerticalScroll).scroll_relative(
            y=lines, animate=False, immediate=True)


class NoteEditorScreen(Closable, Dialog[str | None]):
    """A multi-line note for a highlight; returns the text, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True,
                tooltip="Save the note."),
        close_binding("note.cancel", "Close without changing the note.",
                      description="Cancel"),
    ]

    def __init__(self, quote: str, note: str = "") -> None:
        super().__init__()
        self._quote = quote
        self._note = note

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        with Vertical(id="dialog"):
            quote = visible(" ".join(self._quote.split()), one_line=True)
            if len(quote) > 200:
                quote = quote[:199] + "…"
            yield Label(Content.assemble(("Note on ", "bold"), ("“" + quote + "”", "italic")),
                        id="dialog-title")
            yield TextArea(self._note, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Label(Content("ctrl+s saves · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        from textual.widgets import TextArea

        self.dismiss(self.query_one("#note-text", TextArea).text.strip("\n"))


class ConfirmScreen(Dialog[bool]):
    """A yes/no question; returns True for yes."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes."),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No."),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self._question = question
        self._detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content.styled(self._question, "bold"), id="dialog-title")
            if self._detail:
                yield Static(Content(visible(self._detail)), id="confirm-detail")
            yield Label(Content("y or enter: yes · n or escape: no"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def _shown_url(url: str, width: int | None = None) -> str:
    """An address as plain text on one line (archive text), cut to `width`."""
    text = visible(url, one_line=True)
    if width is not None and len(text) > width:
        text = text[:width - 1] + "…"
    return text


class LinksScreen(Closable, Dialog[tuple[str, str] | None]):
    """The open article's links; returns ("open" or "copy", url), or None."""

    BINDINGS = [
        close_binding("links.close", "Close the list of links.", keys="escape,l"),
        Binding("c", "copy", "Copy", id="links.copy",
                tooltip="Copy the chosen link's address to the clipboard."),
    ]

    def __init__(self, links: list[str], start: int = 0, texts: list[str] | None = None,
                 address: str | None = None) -> None:
        """`links`: the article's targets (link `[n]` is `links[n - 1]`); `start`: the
        index in `links` to put the cursor on (-1: the address); `texts`: each link's
        text; `address`: the article's own address, listed first as link 0."""
        super().__init__()
        self._numbers = ([0] if address else []) + list(range(1, len(links) + 1))
        self._links = ([address] if address else []) + list(links)
        texts = list(texts or [])
        self._texts = (["The article's own address"] if address else []) + [
            texts[i] if i < len(texts) else "" for i in range(len(links))]
        self._start = start + 1 if address else max(0, start)

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        from reader.links import openable

        width = len(str(self._numbers[-1])) if self._numbers else 1
        options = []
        for number, url, text in zip(self._numbers, self._links, self._texts, strict=True):
            mark = (f"[{number}]".rjust(width + 2) + " ", "$text-primary")
            parts: list[tuple[str, str] | str] = [mark]
            if text:
                parts += [_shown_url(text, 200), "\n", " " * (width + 3)]
            parts.append((_shown_url(url, 300), "$text-muted") if text else _shown_url(url, 300))
            if not openable(url):
                parts.append(("  (cannot be opened)", "$text-muted"))
            options.append(Option(Content.assemble(*parts), id=f"link-{number}"))
        count = len(self._links) - (1 if self._numbers and self._numbers[0] == 0 else 0)
        with Vertical(id="dialog"):
            yield Label(Content.styled(f"Links · {count}", "bold"), id="dialog-title")
            yield OptionList(*options, id="links-list")
            yield Label(Content("enter opens (after showing the address) · c copies · "
                                "escape closes"), classes="hint")

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        listing = self.query_one("#links-list", OptionList)
        listing.highlighted = min(max(0, self._start), len(self._links) - 1)
        listing.focus()

    @property
    def highlighted(self) -> str | None:
        """The URL under the cursor."""
        from textual.widgets import OptionList

        index = self.query_one("#links-list", OptionList).highlighted
        return self._links[index] if index is not None else None

    def on_option_list_option_selected(self, event: Any) -> None:
        event.stop()
        url = self._links[event.option_index]

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.dismiss((answer, url))

        self.app.push_screen(OpenLinkScreen(url), answered)

    def action_copy(self) -> None:
        url = self.highlighted
        if url is not None:
            self.dismiss(("copy", url))


class OpenLinkScreen(Dialog[str | None]):
    """The full address of a link, and whether to open it: returns "open", "copy" or None."""

    BINDINGS = [
        Binding("y,enter", "answer('open')", "Open", id="link.open",
                tooltip="Open the address in the browser (web and mail addresses only)."),
        Binding("c", "answer('copy')", "Copy", id="link.copy",
                tooltip="Copy the address to the clipboard instead."),
        Binding("n,escape", "answer(None)", "No", id="link.no",
                tooltip="Back to the links without opening it."),
    ]

    def __init__(self, url: str) -> None:
        from reader.links import openable

        super().__init__()
        self._url = url
        self._openable = openable(url)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            question = "Open this address?" if self._openable else "This link cannot be opened"
            yield Label(Content.styled(question, "bold"), id="dialog-title")
            yield Static(Content(_shown_url(self._url)), id="link-url")
            if self._openable:
                hint = "y or enter: open in the browser · c: copy the address · n or escape: no"
            else:
                hint = ("Only web (http, https) and mail addresses, with nothing hidden in "
                        "them, are opened. c: copy the address · escape: back")
            yield Label(Content(hint), classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A link that may not be opened offers copying only.
        return self._openable or not (action == "answer" and parameters == ("open",))

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class PathScreen(Closable, Dialog[str | None]):
    """Ask for a file's path; returns it (trimmed), or None."""

    BINDINGS = [
        close_binding("path.cancel", "Close without writing anything.", description="Cancel"),
    ]

    def __init__(self, question: str, path: str = "") -> None:
        super().__init__()
        self._question = question
        self._path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content.styled(self._question, "bold"), id="dialog-title")
            yield Input(self._path, placeholder="a file in a folder with room",
                        id="path-input", select_on_focus=False)
            yield Label(Content("enter writes · escape cancels"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)
