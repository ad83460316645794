"""The command palette's own commands (ctrl+p), offered by the screen that is open, and
the main screen's list of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.ui.widgets.tag_list import TagFilter

Command = tuple[str, str, Callable[[], object]]
"""A palette command: title (may hold archive text), help (ours only), callback."""


def highlight(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters marked.

    `Matcher.highlight` parses its argument as markup; titles here can hold tag
    names from the archive, so the text goes in plain and only offsets are styled.
    """
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            content = content.stylize("reverse", offset, offset + 1)
    return content


class ReaderCommands(Provider):
    """Views, tags, sorting and article commands of the main screen."""

    def _commands(self) -> list[tuple[str, str, object]]:
        get = getattr(self.screen, "palette_commands", None)
        return get() if get is not None else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlight(matcher, title), callback, text=title,  # type: ignore[arg-type]
                          help=help_text)


def main_commands(screen: Any) -> list[Command]:
    """The main screen's commands (`screen`: a MainScreen; the type is not imported, the
    screen imports this module)."""
    listed = screen.list_pane
    commands: list[Command] = [
        ("Show all articles", "Every article in the library",
         lambda: screen.show(TagFilter("all"))),
        ("Show unread articles", "Articles not read yet",
         lambda: screen.show(TagFilter("unread"))),
        ("Show starred articles", "Articles with a star",
         lambda: screen.show(TagFilter("starred"))),
        ("Show annotated articles", "Articles with highlights or notes",
         lambda: screen.show(TagFilter("annotated"))),
        ("Sort by date", "Newest first", lambda: screen.show(listed.filter, "date")),
        ("Sort by title", "Alphabetically", lambda: screen.show(listed.filter, "title")),
        ("Star or unstar the article", "s", screen.action_star),
        ("Mark the article read or unread", "m", screen.action_toggle_read),
        ("Edit the article's tags", "t", screen.action_edit_tags),
        ("Search the library", "/", lambda: screen.call_later(screen.action_search)),
        ("Find in the article", "f", lambda: screen.call_later(screen.action_find)),
        ("Show related articles", "R · the articles most like this one",
         lambda: screen.call_later(screen.action_related)),
        ("Show the article's highlights", "4", lambda: screen.action_focus_pane("annotations")),
        ("All highlights in the library", "A", screen.action_all_annotations),
        ("Review orphaned highlights", "O", screen.action_orphans),
        ("Toggle dark and light theme", "Remembered in the config file",
         screen.app.action_toggle_theme),
        ("Show the keys", "?", screen.app.action_help),
    ]
    if screen.session.unsaved_notes:
        commands += [
            ("Copy unsaved notes", "Notes the library could not take, to the clipboard",
             lambda: copy_unsaved_notes(screen)),
            ("Save unsaved notes to…", "Notes the library could not take, to a file",
             lambda: save_unsaved_notes(screen)),
        ]
    for filter in screen.tag_list.filters:
        if filter.tag is not None:
            commands.append((f"Show tag {filter.label}", "Articles with this tag",
                             lambda f=filter: screen.show(f)))  # type: ignore[misc]
    return commands


def copy_unsaved_notes(screen: Any) -> None:
    """Copy the notes the session holds only in memory; once copied they are the
    clipboard's to keep."""
    from reader.ui import outside

    session = screen.session

    def done(ok: bool) -> None:
        if ok:
            session.notes_copied()

    outside.copy_text(screen, session.unsaved_text(), done)


def save_unsaved_notes(screen: Any) -> None:
    """Ask where, then write the notes the session holds only in memory there."""
    from pathlib import Path

    from reader.ui.dialogs import PathScreen

    def chosen(path: str | None) -> None:
        if path:
            screen.session.save_unsaved_notes(Path(path))

    screen.app.push_screen(PathScreen("Write the unsaved notes to"), chosen)
