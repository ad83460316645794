"""The reader pane: the reading view and its find box, and what is done to an article there.

The pane opens an article where its reader left it, saves the reading
position, marks it read once its end has stayed in view, finds in it (in a
worker: the cost grows with the article), and turns the view's requests into
changes through the session: highlights, notes, colours, re-attaching,
deleting; quotes and links go to the clipboard or the browser. It posts
`ArticleChanged` when an article's state changed (the screen refreshes the
list and the counts) and `HighlightsShown` with the open article's highlights
(the screen hands them to the annotations pane beside it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import field

from textual import on, work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.config import Config
from reader.models import Annotation
from reader.ui import history, outside
from reader.ui.messages import message
from reader.ui.session import LibrarySession, preview
from reader.ui.widgets.reading_view import Highlight, ReadingView
from reader.ui.widgets.search_box import SearchBox
from reader.ui.widgets.texts import welcome

FIND_DEBOUNCE = 0.05
"""Seconds of quiet typing before a find runs (a newer key cancels it)."""
READ_AFTER = 2.0
"""Seconds an article whose end shows as it opens stays open before it counts as read."""


def _title(title: str) -> str:
    """An article's title quoted, on one line, cut (archive text: notify with markup=False)."""
    return preview(title, 50)


class ReaderPane(Vertical):
    """The open article and everything done to it."""

    @message
    class ArticleChanged(Message):
        """The open article's state (read, say) changed here."""

        article_id: int
        """The article changed."""

    @message
    class HighlightsShown(Message):
        """The open article's highlights as they stand (for the annotations pane)."""

        annotations: list[Annotation] | None
        """Its highlights, queued changes included; None when no article is open."""
        title: str = ""
        """The article's title."""
        select: int | None = None
        """A highlight to put the annotations pane's cursor on."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReaderPane.HighlightsShown) and self.select is None

    @message
    class FindDone(Message):
        """A worker found a query's hits in the open article."""

        token: int
        """Which request this answers."""
        article_id: int
        """The article searched."""
        hits: list[tuple[int, int]] = field(default_factory=list)
        """Body spans of the hits."""

        def can_replace(self, message: Message) -> bool:
            # Typed on: only the newest request counts (never replaced by an older one).
            return isinstance(message, ReaderPane.FindDone) and message.token <= self.token

    def __init__(self, session: LibrarySession, config: Config, *,
                 id: str | None = None, db: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        """The library, read and written through the interface's session."""
        self.config = config
        """The user's settings (line width, quote template)."""
        self.reading_view = ReadingView(wrap=config.wrap, id="reading")
        self.reading_view.welcome_text = welcome(db)
        """The article, laid out."""
        self._box: SearchBox | None = None
        self._find_token = 0
        self._read_timer: Timer | None = None
        self._history_path = history.path_for(session.store.path)

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.reading_view

    def on_mount(self) -> None:
        self.reading_view.border_title = Content("Reading")

    @property
    def article_id(self) -> int | None:
        """The open article's id."""
        article = self.reading_view.article
        return article.id if article is not None else None

    def focus_target(self) -> Widget:
        """What takes the focus when the pane does."""
        return self.reading_view

    def show_welcome(self) -> None:
        """An empty library: say how to fill it."""
        self.reading_view.show_welcome()

    def forget(self, article_ids: list[int]) -> bool:
        """These articles were deleted: when one is open, show none (its position is not
        saved: it is gone). True when it was open."""
        if self.article_id not in article_ids:
            return False
        self._cancel_read_timer()
        self.reading_view.show_welcome(welcome=False)
        return True

    # -- opening and reading ----------------------------------------------------------

    def open(self, article_id: int, query: str = "",
             title_hits: tuple[tuple[int, int], ...] = ()) -> bool:
        """Show an article where its reader left it; with `query`, its hits marked.
        False when it is no longer in the library."""
        reading = self.reading_view
        if reading.article is None or reading.article.id != article_id:
            self.save_position()
            self._cancel_read_timer()
            article = self.session.article(article_id)
            if article is None:
                self.notify("That article is no longer in the library.", severity="warning")
                return False
            reading.show_article(article, article.position)
            self.load_highlights()
        if query:
            article = reading.article
            assert article is not None
            from reader import search  # loaded on first use: start-up does not need it

            reading.set_hits(search.find_in_text(search.parse(query, live=True), article.body),
                             title=title_hits)
        return True

    def update_state(self, article_id: int, **state: object) -> None:
        """The article's state changed (starred, read, tags): redraw it if it is open."""
        import dataclasses

        article = self.reading_view.article
        if article is not None and article.id == article_id:
            self.reading_view.update_article(dataclasses.replace(article, **state))  # type: ignore[arg-type]

    def reload_article(self) -> None:
        """Show the open article as stored (after queued writes were saved)."""
        article = self.reading_view.article
        if article is not None:
            stored = self.session.store.article(article.id)
            if stored is not None:
                self.reading_view.update_article(stored)
        self.load_highlights()

    def save_position(self) -> None:
        """Remember how far the open article was read."""
        article = self.reading_view.article
        if article is None or self.session.queue.stopped:
            return
        position, article_id = self.reading_view.position, article.id
        self.session.save("the reading position in " + _title(article.title),
                          lambda store: store.set_position(article_id, position), quiet=True)
        self.session.intend(article_id, position=position)

    def set_read(self, article_id: int, read: bool, title: str) -> bool:
        """Mark an article read or unread; True when written now."""
        written = self.session.save(
            ("marking read " if read else "marking unread ") + _title(title),
            lambda store: store.set_read(article_id, read), quiet=read)
        self.session.intend(article_id, read=read)
        self.update_state(article_id, read=read)
        return written

    @on(ReadingView.EndReached)
    def _end_reached(self, message: ReadingView.EndReached) -> None:
        article = self.reading_view.article
        if article is None or article.id != message.article_id or article.read:
            return
        self._cancel_read_timer()
        if message.at_once:
            # Opening an article that fits on the screen is not reading it: it counts
            # once it has stayed open (and in view) for a moment.
            self._read_timer = self.set_timer(
                READ_AFTER, lambda: self._read_if_still_open(article.id))
        else:
            self._mark_read(article.id, article.title)

    def _read_if_still_open(self, article_id: int) -> None:
        self._read_timer = None
        article = self.reading_view.article
        if (article is not None and article.id == article_id and not article.read
                and self.reading_view.region.area > 0):
            self._mark_read(article_id, article.title)

    def _mark_read(self, article_id: int, title: str) -> None:
        self.set_read(article_id, True, title)
        self.post_message(self.ArticleChanged(article_id))

    def cancel_read_timer(self) -> None:
        """The reader chose read or unread: the timer's guess no longer stands."""
        self._cancel_read_timer()

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def on_unmount(self) -> None:
        self._cancel_read_timer()

    # -- find in the article ------------------------------------------------------------

    @property
    def find_box(self) -> SearchBox:
        """The find-in-article box (mounted on the first `f`)."""
        assert self._box is not None, "the find box is mounted on the first find"
        return self._box

    async def open_find(self) -> SearchBox | None:
        """Show the find box under the view (None when no article is open)."""
        if self.reading_view.article is None:
            self.notify("Open an article first.", severity="warning", timeout=2)
            return None
        box = self._box
        if box is None:  # mounted on first use: an Input costs start-up
            box = SearchBox(placeholder="Find in this article", id="find")
            box.history = list(history.load(self._history_path).get("find", []))
            await self.mount(box)
            self._box = box
        box.display = True
        return box

    @on(SearchBox.Changed, "#find")
    def _find_changed(self, event: SearchBox.Changed) -> None:
        self._find_token += 1
        article = self.reading_view.article
        if article is not None:
            self.run_find(event.value, article.id, article.body, self._find_token)

    @on(SearchBox.Submitted, "#find")
    def _find_submitted(self, event: SearchBox.Submitted) -> None:
        event.stop()
        box = self.find_box
        before = list(box.history)
        box.remember(event.value)
        if box.history != before:
            history.update(self._history_path, "find", box.history)
        self.reading_view.focus()

    @on(SearchBox.Closed, "#find")
    def _find_closed(self, event: SearchBox.Closed) -> None:
        event.stop()
        self.find_box.display = False
        self._find_token += 1
        self.reading_view.set_hits([], jump=False)
        self.reading_view.focus()

    @work(thread=True, exclusive=True, group="find")
    def run_find(self, text: str, article_id: int, body: str, token: int) -> None:
        """Every hit of `text` in the article (its cost grows with the article)."""
        time.sleep(FIND_DEBOUNCE)
        if get_current_worker().is_cancelled:
            return
        words = text.strip()
        # One Latin letter as a prefix marks most of a long article: wait for a second.
        if not words or (len(words) == 1 and words.isascii()):
            hits: list[tuple[int, int]] = []
        else:
            try:
                from reader import search

                hits = search.find_in_text(search.parse(text, live=True), body)
            except Exception as exc:  # pragma: no cover - find_in_text takes any text
                self.app.call_from_thread(self.notify, f"Find failed: {exc}",
                                          severity="error", markup=False)
                return
        if not get_current_worker().is_cancelled:
            self.post_message(self.FindDone(token, article_id, hits))

    @on(FindDone)
    def _find_done(self, message: FindDone) -> None:
        if message.token != self._find_token or self.article_id != message.article_id:
            return
        self.reading_view.set_hits(message.hits)
        if not message.hits and len(self.find_box.value.strip()) > 1:
            self.reading_view.border_title = Content("Not found")

    # -- highlights and notes -----------------------------------------------------------

    def load_highlights(self, select: int | None = None) -> None:
        """Show the open article's highlights inline, and post them for the list beside."""
        article = self.reading_view.article
        if article is None:
            self.reading_view.set_highlights([])
            self.post_message(self.HighlightsShown(None))
            return
        annotations = self.session.annotations(article.id)
        self.reading_view.set_highlights([
            Highlight(a.id, a.anchor.start, a.anchor.end, a.color, a.note)
            for a in annotations if a.anchor.start is not None and a.anchor.end is not None])
        self.post_message(self.HighlightsShown(annotations, article.title, select))

    def highlights_changed(self, select: int | None = None) -> None:
        """After a highlight changed: redraw, and tell the screen the article changed."""
        self.load_highlights(select)
        article_id = self.article_id
        if article_id is not None:
            self.post_message(self.ArticleChanged(article_id))

    @on(ReadingView.HighlightRequested)
    def _highlight_requested(self, message: ReadingView.HighlightRequested) -> None:
        article = self.reading_view.article
        if article is None:
            return
        try:
            from reader import anchoring  # loaded on first use: start-up does not need it

            anchor = anchoring.make_anchor(article.body, message.start, message.end)
        except ValueError:
            self.notify("Nothing to highlight there.", severity="warning", timeout=2)
            return
        annotation_id = self.session.add_highlight(article.id, anchor, message.color)
        if annotation_id is None:
            return  # refused for another reason (said so)
        self.highlights_changed(select=annotation_id)
        if message.with_note:
            annotation = self.session.annotation(annotation_id)
            if annotation is not None:
                self.edit_note(annotation)
        elif annotation_id > 0:
            self.notify("Highlighted: " + preview(anchor.quote), timeout=2, markup=False)

    @on(ReadingView.HighlightAction)
    def _highlight_action(self, message: ReadingView.HighlightAction) -> None:
        annotation = self.session.annotation(message.highlight.id)
        if annotation is None:
            return
        if message.action == "color":
            self.session.set_color(annotation, message.color)
            self.highlights_changed()
        else:
            self.act(annotation, message.action)

    def act(self, annotation: Annotation, action: str) -> None:
        """`note`, `delete` or `reattach` a highlight of the open article."""
        if action == "note":
            self.edit_note(annotation)
        elif action == "delete":
            self.confirm_delete(annotation)
        elif action == "reattach":
            self.reattach(annotation.id)

    def edit_note(self, annotation: Annotation, done: Callable[[], None] | None = None
                  ) -> None:
        """Open the note editor on a highlight; the note is saved, queued or kept."""
        from reader.ui.dialogs import edit_note

        edit_note(self.screen, annotation, self.set_note, done or self.highlights_changed)

    def set_note(self, annotation: Annotation, note: str) -> bool:
        """Save a highlight's note (never lost: queued or kept elsewhere when refused)."""
        article = self.reading_view.article
        title = article.title if article is not None and article.id == annotation.article_id \
            else ""
        return self.session.set_note(annotation, note, title)

    def confirm_delete(self, annotation: Annotation, done: Callable[[], None] | None = None
                       ) -> None:
        """Ask, then delete a highlight (or queue its deletion)."""
        from reader.ui.dialogs import confirm_delete

        confirm_delete(self.screen, annotation, self.session.delete_highlight,
                       done or self.highlights_changed)

    def reattach(self, annotation_id: int) -> None:
        """Put a highlight (an orphan, usually) on the reading view's selection."""
        article = self.reading_view.article
        selection = self.reading_view.selection
        if article is None or selection is None:
            self.notify("Select the passage first: v in the reading view, then r.",
                        severity="warning", timeout=4)
            return
        annotation = self.session.annotation(annotation_id)
        if annotation is None or annotation.article_id != article.id:
            return
        try:
            from reader import anchoring

            anchor = anchoring.make_anchor(article.body, *selection)
        except ValueError:
            return
        self.session.reattach(annotation, anchor)
        self.reading_view.clear_selection()
        self.highlights_changed()
        self.notify("Re-attached to " + preview(anchor.quote), timeout=3, markup=False)

    def go_to(self, annotation: Annotation) -> bool:
        """Open a highlight's article with the cursor on it; False when it has no place
        (an orphan: the annotations pane shows it selected)."""
        if not self.open(annotation.article_id):
            return False
        self.load_highlights(select=annotation.id)
        if annotation.anchor.start is None:
            return False
        self.reading_view.move_caret(annotation.anchor.start, center=True)
        return True

    # -- quotes and links ----------------------------------------------------------------

    @on(ReadingView.CopyRequested)
    def _copy_requested(self, message: ReadingView.CopyRequested) -> None:
        from reader import clipboard  # loaded on first copy

        article = self.reading_view.article
        if article is None:
            return
        passage = article.body[message.start:message.end].strip()
        if message.plain:
            text = passage
        else:
            note = message.highlight.note if message.highlight is not None else ""
            text = clipboard.format_quote(
                self.config.quote_template, quote=passage, title=article.title,
                source=article.source, date=article.date, url=article.url, tags=article.tags,
                note=note)
        outside.copy_text(self, text)

    @on(ReadingView.LinksRequested)
    def _links_requested(self, message: ReadingView.LinksRequested) -> None:
        from reader.ui.dialogs import LinksScreen

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            action, url = answer
            if action == "open":
                outside.open_url(self, url)
            else:
                outside.copy_text(self, url)

        self.app.push_screen(LinksScreen(message.links, message.start, message.texts,
                                         message.address), chosen)

    @on(ReadingView.AddressRequested)
    def _address_requested(self, message: ReadingView.AddressRequested) -> None:
        if message.action == "copy":
            outside.copy_text(self, message.address)
            return
        from reader.ui.dialogs import OpenLinkScreen

        def answered(answer: str | None) -> None:
            if answer == "open":
                outside.open_url(self, message.address)
            elif answer == "copy":
                outside.copy_text(self, message.address)

        self.app.push_screen(OpenLinkScreen(message.address), answered)
