"""Component styles resolved against what they are drawn on, legible in every theme.

Textual's partial component styles (`get_component_rich_style(…, partial=True)`)
drop a colour's alpha and leave `auto` unresolved: the theme's `$text-muted`
(`auto 60%`) became pure white on any background — white on light grey in the
light theme, brighter than body text in the dark one. `Inks` resolves each
component's colour and background over the background it is drawn on (the base
style's), the way Textual resolves a widget's own colours, and lifts a colour
that would still be hard to read towards the background's contrast text until
it reaches WCAG AA: 4.5:1 for text, 3:1 for the decorations named in
`decorations`. Cached per (component, background) until the theme changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from textual.color import Color

if TYPE_CHECKING:
    from textual.widget import Widget

TEXT_CONTRAST = 4.5
"""WCAG AA for text."""
DECORATION_CONTRAST = 3.0
"""WCAG AA for non-text marks (bars, rules, the stub mark)."""


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def legible(color: Color, background: Color, minimum: float) -> Color:
    """`color`, moved towards the background's contrast text just far enough to reach
    `minimum` against `background` (unchanged when it already does)."""
    if contrast(color, background) >= minimum:
        return color
    target = background.get_contrast_text(1.0)
    for step in range(1, 11):
        moved = color.blend(target, step / 10)
        if contrast(moved, background) >= minimum:
            return moved
    return target


class Inks:
    """A widget's component styles, resolved over the background they are drawn on."""

    def __init__(self, widget: Widget, decorations: Iterable[str] = ()) -> None:
        self._widget = widget
        self._decorations = frozenset(decorations)
        self._cache: dict[tuple[str, object], Style] = {}

    def clear(self) -> None:
        """Forget the resolved styles (the theme or the CSS changed)."""
        self._cache.clear()

    def __call__(self, base: Style, name: str) -> Style:
        """`base` with component `name` on top, its colours resolved over `base`'s
        background (else the widget's)."""
        return base + self.extra(base, name)

    def extra(self, base: Style, name: str) -> Style:
        """Only what component `name` adds over `base`, resolved."""
        key = (name, base.bgcolor)
        extra = self._cache.get(key)
        if extra is None:
            extra = self._resolve(base, name)
            self._cache[key] = extra
        return extra

    def _resolve(self, base: Style, name: str) -> Style:
        widget = self._widget
        styles = widget.get_component_styles(name)
        under = (Color.from_rich_color(base.bgcolor) if base.bgcolor is not None
                 else widget.background_colors[1])
        extra = Style() + styles.text_style
        background = under
        if styles.has_rule("background") and styles.background.a > 0:
            background = under + styles.background
            extra += Style(bgcolor=background.rich_color)
        if styles.has_rule("color") or (styles.has_rule("auto_color") and styles.auto_color):
            color = styles.color
            if styles.has_rule("auto_color") and styles.auto_color:
                color = background.get_contrast_text(color.a)
            minimum = DECORATION_CONTRAST if name in self._decorations else TEXT_CONTRAST
            ink = legible(background + color, background, minimum)
            extra += Style(color=ink.rich_color)
        return extra
