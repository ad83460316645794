"""The reader's Textual application: settings, app-wide keys and one main screen."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType

from reader import config as settings
from reader.config import Config
from reader.store import Store
from reader.ui import session as writes
from reader.ui.commands import ReaderCommands
from reader.ui.library_check import LibraryCheck
from reader.ui.panes.list_pane import ListPane
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.cursor_list import CursorList
from reader.ui.widgets.reading_view import ReadingView
from reader.ui.widgets.tag_list import TagList

RENAMED = {"main.notes-pane": "main.annotations-pane"}
"""Binding ids of earlier versions, still read in the [keys] table: old → new."""
GC_THRESHOLD = 10_000
"""New container objects between two collections of the youngest generation."""


class ReaderApp(App[None]):
    """A terminal reader for a library of saved articles."""

    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit reader."),
        Binding("question_mark", "help", "Help", id="app.help",
                tooltip="Show every key and its binding id."),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands",
                priority=True,
                tooltip="Open the command palette."),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, id="app.theme",
                tooltip="Switch between the dark and the light theme."),
    ]

    def __init__(self, store: Store, *, config: Config | None = None,
                 demo: bool = False, db: str | None = None,
                 check: LibraryCheck | None = None) -> None:
        super().__init__()
        self.db = db
        """The library file when it was chosen with `--db` (the welcome names it)."""
        self.check = check
        """The library's quick check, still running as the interface starts (the first
        frame waits for it; a damaged library closes the interface)."""
        # Every frame leaves cyclic garbage (Textual's strips cache themselves), so with
        # CPython's default threshold of 700 a key press set off two to eight
        # collections, and now and then a full pass over the whole heap (60 ms with a
        # long article open). Collecting every 10,000 new objects instead costs about a
        # tenth of that time and a few megabytes at most.
        gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
        self.store = store
        """The library."""
        # A write from the interface waits a moment for another program's write (an
        # import) and is then queued and retried in the background: the event loop
        # never waits for the store's own timeout.
        store.set_timeout(writes.UI_WAIT)
        self._quitting = False
        self.config = config if config is not None else Config()
        """The user's settings."""
        self.demo = demo
        if demo:
            self.sub_title = "demo"
        self._problems = list(self.config.problems)
        # Set before the first styling pass: changing it later restyles everything.
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self._problems.append(f"unknown theme {self.config.theme!r}; using {self.theme}")

    @property
    def keys(self) -> dict[str, str]:
        """The [keys] table of the config file, binding ids of earlier versions renamed."""
        return {RENAMED.get(k, k): v for k, v in self.config.keys.items()}

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.store, self.config, db=self.db, check=self.check)

    def on_mount(self) -> None:
        problems = self._problems
        if self.config.keys:
            keys = self.keys
            known = {b.id for b in _all_bindings() if b.id}
            unknown = sorted(set(keys) - known)
            if unknown:
                problems.append("unknown binding ids in [keys]: " + ", ".join(unknown))
            bad = sorted({key.strip() for names in keys.values()
                          for key in names.split(",") if not valid_key(key.strip())})
            if bad:
                problems.append("key names not known in [keys] (left unbound): "
                                + ", ".join(bad))
            keymap = {k: ",".join(key for key in v.split(",") if valid_key(key.strip()))
                      for k, v in keys.items() if k in known}
            self.set_keymap({k: v for k, v in keymap.items() if v})
        for problem in problems:
            self.notify(problem, title="Config", severity="warning", timeout=8, markup=False)
        if getattr(self.store, "read_only", False):
            self.notify(f"{self.store.path} is read-only: reading and searching work, "
                        "changes cannot be saved", title="Read-only library",
                        severity="warning", timeout=10, markup=False)

    def action_toggle_theme(self) -> None:
        """Dark ↔ light, remembered in the config file."""
        dark = self.current_theme.dark
        self.theme = settings.LIGHT_THEME if dark else settings.DEFAULT_THEME
        problem = settings.save_theme(self.config, self.theme)
        if problem:
            self.notify(problem, severity="warning", markup=False)

    def action_help(self) -> None:
        """Show every key, as bound now."""
        from reader.ui.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_sections(self, self.keys)))

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen (under any dialogs)."""
        stack = self.screen_stack
        return stack[0] if stack and isinstance(stack[0], MainScreen) else None

    async def action_quit(self) -> None:
        main = self.main_screen
        if main is None:
            self.exit()
            return
        session = main.session
        if self._quitting:  # q again while waiting: quit now, saying what was not saved
            self._exit_reporting(main)
            return
        main.reader_pane.save_position()
        if not session.pending:
            self._exit_asking(main)
            return
        self._quitting = True
        count = len(session.pending)
        self.notify(f"Saving {count} kept change{'s' if count != 1 else ''}: waiting up to "
                    f"{writes.QUIT_WAIT:.0f} s for the library to be free (q again quits now "
                    "and says what was not saved).", title="Quitting", timeout=writes.QUIT_WAIT)
        self.run_worker(self._quit_when_saved(main), group="quit", exclusive=True)

    def _exit_asking(self, main: MainScreen) -> None:
        """Quit, unless notes held only in memory would go: then ask first, naming them."""
        lost = main.session.would_lose()
        if not lost:
            self.exit()
            return
        from reader.ui.dialogs import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return  # already asking

        def answered(yes: bool | None) -> None:
            if yes:
                self._exit_reporting(main)

        self.push_screen(ConfirmScreen(
            "Quit, leaving notes that are not saved anywhere?",
            lost + "\nn stays: then ctrl+p, “Copy unsaved notes” or “Save unsaved notes "
            "to…”. y quits, printing them in the terminal as it closes."), answered)

    async def _quit_when_saved(self, main: MainScreen) -> None:
        deadline = time.monotonic() + writes.QUIT_WAIT
        while main.session.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self._exit_reporting(main)

    def _exit_reporting(self, main: MainScreen) -> None:
        report = main.session.unsaved_report()
        if report:
            self.exit(return_code=1, message=Text(report))
        else:
            self.exit()


MODIFIERS = ("ctrl+", "shift+", "alt+", "meta+", "super+", "hyper+")
"""Prefixes a key name may carry."""


def valid_key(name: str) -> bool:
    """A key name Textual can bind: a character, a named key (`pagedown`, `f5`), or a
    character's name (`question_mark`, `slash`), after any modifiers."""
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    key = name
    while key.startswith(MODIFIERS):
        key = key.split("+", 1)[1]
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    if not key or key != key.lower():
        return False
    if key in {k.value for k in Keys} or key in KEY_NAME_REPLACEMENTS.values():
        return True
    try:
        unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return False
    return True


def _sections() -> list[tuple[str, list[type]]]:
    # Inputs and dialogs are imported on first use (they cost start-up time).
    from reader.ui.dialogs import (
        ConfirmScreen,
        HelpScreen,
        LinksScreen,
        NoteEditorScreen,
        OpenLinkScreen,
        PathScreen,
        TagEditorScreen,
    )
    from reader.ui.screens.annotations import AnnotationsScreen
    from reader.ui.widgets.search_box import SearchBox

    return [
        ("Everywhere", [ReaderApp, MainScreen]),
        ("Tag pane and article list", [CursorList, TagList, ArticleList, ListPane]),
        ("Reading view", [ReadingView]),
        ("Search and find boxes", [SearchBox]),
        ("Annotations pane and list", [AnnotationList]),
        ("Every highlight (A) and dialogs", [AnnotationsScreen, NoteEditorScreen, ConfirmScreen,
                                             TagEditorScreen, PathScreen, HelpScreen]),
        ("Links (l in the reading view)", [LinksScreen, OpenLinkScreen]),
    ]


def _all_bindings() -> list[Binding]:
    return [b for _, classes in _sections() for c in classes for b in _bindings_of(c)]


def _bindings_of(cls: type) -> list[Binding]:
    # The class's own BINDINGS, as declared (inherited ones are listed once, by the base).
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def help_sections(app: App[Any], keymap: dict[str, str]
                  ) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(heading, [(keys, description, id)]) for every binding with an id."""
    sections = []
    for heading, classes in _sections():
        rows = []
        for cls in classes:
            for binding in _bindings_of(cls):
                if binding.id is None:
                    continue
                keys = keymap.get(binding.id, binding.key)
                shown = " ".join(
                    app.get_key_display(binding.with_key(key.strip())) for key in keys.split(",")
                )
                rows.append((shown, binding.description or binding.tooltip, binding.id))
        sections.append((heading, rows))
    return sections


def run(store: Store, demo: bool = False, config_path: Path | None = None,
        db: str | None = None, check: LibraryCheck | None = None) -> None:
    """Open the interface on `store` until the user quits.

    `check`: the library's quick check, begun by the caller. A damaged library raises
    the store's `LibraryDamaged`: before anything is drawn when the library is small (or the check
    is done), else the first frame waits for the check and the interface closes.
    """
    checked = check
    if check is not None and (check.small or check.done):
        check.refuse()
        check = None
    app = ReaderApp(store, config=settings.load(config_path), demo=demo, db=db, check=check)
    app.run()
    if check is not None:
        check.refuse()
    if checked is not None and app.return_code in (None, 0):
        store.close()  # the log folded into the file: what is remembered is the file as left
        checked.remember()
