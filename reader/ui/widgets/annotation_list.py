"""Highlights as a list: the quote in its colour, the note below (and the article, library-wide).

The same widget is the annotations pane beside the reading view (one
article's highlights, orphans last) and the library-wide list. It receives
models and posts messages; the screen asks the store.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message

from reader.models import Annotation, AnnotationEntry
from reader.render import visible
from reader.ui.messages import message
from reader.ui.widgets.cursor_list import CursorList, fit
from reader.ui.widgets.opening import until_opened
from reader.ui.widgets.palette import COLORS, INK, css


def _flat(text: str) -> str:
    return visible(" ".join(text.split()), one_line=True)


class AnnotationList(CursorList):
    """Highlights with their notes; enter jumps to one, e edits its note, x deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app waits for the editor before it hands on the next key.
        Binding("e", "edit_note", "Edit note", id="notes.edit", priority=True,
                tooltip="Edit the note of the highlight under the cursor."),
        Binding("x,delete", "act('delete')", "Delete", id="notes.delete",
                tooltip="Delete the highlight under the cursor (asks first)."),
        Binding("r", "act('reattach')", "Re-attach", id="notes.reattach",
                tooltip="Re-attach the highlight to the selection in the reading view."),
    ]

    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {
        "annotation-list--orphan", *(f"annotation-list--{color}" for color in COLORS)}

    DEFAULT_CSS = """
    AnnotationList > .annotation-list--orphan { color: $text-error; }
    """ + css("AnnotationList", "annotation-list--", "color", INK)

    @message
    class Chosen(Message):
        """A highlight was chosen (enter or a click)."""

        annotation_list: AnnotationList
        """The list it was chosen in."""
        entry: AnnotationEntry
        """The chosen highlight and its article."""

        @property
        def control(self) -> AnnotationList:
            return self.annotation_list

    @message
    class Action(Message):
        """Edit the note of, delete or re-attach a highlight."""

        annotation_list: AnnotationList
        """The list it was asked in."""
        entry: AnnotationEntry
        """The highlight acted on."""
        action: str
        """`note`, `delete` or `reattach`."""

        @property
        def control(self) -> AnnotationList:
            return self.annotation_list

    def __init__(self, *, titles: bool = False, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.titles = titles
        """Show each highlight's article (the library-wide list)."""
        self._entries: list[AnnotationEntry] = []
        self.empty_message = "No highlights yet: v selects, h highlights."
        """Shown when the list is empty."""

    @property
    def row_count(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> list[AnnotationEntry]:
        """The highlights listed, in order."""
        return self._entries

    @property
    def highlighted(self) -> AnnotationEntry | None:
        """The highlight under the cursor."""
        return self._entries[self.cursor] if self._entries else None

    def set_entries(self, entries: list[AnnotationEntry], *, keep: int | None = None) -> None:
        """Show these; the cursor stays on annotation `keep` when it is still there."""
        self._entries = list(entries)
        index = next((i for i, e in enumerate(self._entries) if e.annotation.id == keep), None)
        self.rows_changed(cursor=index if index is not None else min(
            self.cursor, max(0, len(self._entries) - 1)))

    def set_annotations(self, annotations: list[Annotation], title: str = "") -> None:
        """One article's highlights."""
        keep = self.highlighted.annotation.id if self.highlighted else None
        self.set_entries([AnnotationEntry(a, title) for a in annotations], keep=keep)

    def select_annotation(self, annotation_id: int) -> None:
        """Put the cursor on this highlight."""
        for index, entry in enumerate(self._entries):
            if entry.annotation.id == annotation_id:
                self.move_cursor(index, center=True)
                return

    def row_height_for(self, width: int) -> int:
        return 3 if self.titles else 2

    def row_chosen(self, index: int) -> None:
        self.post_message(self.Chosen(self, self._entries[index]))

    def action_act(self, action: str) -> None:
        if self._entries:
            self.post_message(self.Action(self, self._entries[self.cursor], action))

    async def action_edit_note(self) -> None:
        """Open the note editor, keys typed meanwhile kept for it (see `opening`)."""
        if self._entries:
            self.action_act("note")
            await until_opened(self)

    def render_empty(self, y: int, width: int, base: Style) -> list[Segment]:
        if y != 1:
            return []
        dim = self.ink(base, "cursor-list--dim")
        return [Segment(" " + fit(self.empty_message, width - 2), dim)]

    def render_row(self, index: int, line: int, width: int, base: Style) -> list[Segment]:
        entry = self._entries[index]
        annotation = entry.annotation
        dim = self.ink(base, "cursor-list--dim")
        if line == 0:
            orphan = annotation.anchor.orphan
            name = "orphan" if orphan else (
                annotation.color if annotation.color in COLORS else "yellow")
            mark = self.ink(base, f"annotation-list--{name}")
            quote = fit("“" + _flat(annotation.anchor.quote) + "”", width - 4)
            return [Segment(" ", base), Segment("⚠" if orphan else "▌", mark),
                    Segment(" ", base), Segment(quote, base)]
        if line == 1:
            note = _flat(annotation.note)
            if not note:
                return [Segment("   ", base), Segment("no note", dim)]
            accent = self.ink(base, "cursor-list--accent")
            return [Segment("   ", base), Segment("✎ ", accent),
                    Segment(fit(note, width - 6), base)]
        parts = [_flat(entry.title) or "Untitled", *(p for p in (entry.date,) if p)]
        return [Segment("   ", base), Segment(fit(" · ".join(parts), width - 4), dim)]
