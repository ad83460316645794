"""The command palette's own commands (ctrl+p), offered by the screen that is open."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content


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
