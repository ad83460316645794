"""Highlight colours: one palette for the reading view and the annotation lists.

Each colour has two shades: the background a highlight gets in the reading
view (drawn under text, so it is mixed at 45%) and the ink the quote gets in
an annotation list (drawn as text, so it is lighter).
"""

from __future__ import annotations

COLORS = ("yellow", "green", "blue", "pink", "purple")
"""Highlight colours, in the order of the keys 1–5."""

BACKGROUND = {
    "yellow": "#b8a000",
    "green": "#3c9a3c",
    "blue": "#3870c8",
    "pink": "#c8508c",
    "purple": "#8850c8",
}
"""A highlight's background in the reading view (at 45%)."""

INK = {
    "yellow": "#e0c000",
    "green": "#50c050",
    "blue": "#5090f0",
    "pink": "#f070b0",
    "purple": "#b080f0",
}
"""A highlight's quote in an annotation list."""


def css(widget: str, component: str, prop: str, shades: dict[str, str],
        suffix: str = "") -> str:
    """A CSS rule per colour: `Widget > .component-colour { prop: shade suffix; }`."""
    return "".join(f"    {widget} > .{component}{color} {{ {prop}: {shades[color]}{suffix}; }}\n"
                   for color in COLORS)
