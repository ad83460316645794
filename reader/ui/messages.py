"""How the interface's messages are declared."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, cast, dataclass_transform

T = TypeVar("T", bound=type[Any])


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def message(cls: T) -> T:
    """Declare a message class (nested on the widget that sends it, a docstring on each
    field) as a dataclass compared by identity, as an event is, and shown by Textual's
    own repr. Without an `__eq__` and a `__repr__` to compile it costs a third of a plain
    dataclass to create, and the interface declares two dozen as it starts."""
    return cast(T, dataclass(eq=False, repr=False)(cls))
