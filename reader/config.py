"""The user's settings: a small TOML file in the user config dir.

```toml
theme = "textual-dark"   # any Textual theme; `ctrl+t` toggles dark/light and saves here
wrap = 80                # reading width in cells

[quotes]                 # what y copies; fields: {quote} {quote_block} {citation}
template = "{quote_block}\n\n— {title} ({url})"   # {title} {source} {date} {url} {tags} {note}

[keys]                   # binding id = key(s), comma-separated
"article.star" = "S"
"list.down" = "j,down,n"
```

A file that cannot be read or holds bad values never stops the reader: the
defaults are used and `Config.problems` says what was wrong, one line each.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
DEFAULT_WRAP = 80
MIN_WRAP, MAX_WRAP = 20, 400


@dataclass(slots=True)
class Config:
    """Settings as read from the config file (or the defaults)."""

    theme: str = DEFAULT_THEME
    wrap: int = DEFAULT_WRAP
    """Reading width in cells; the text is centred when the pane is wider."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id → comma-separated keys, overriding the defaults."""
    quote_template: str | None = None
    """How `y` formats a quote (`reader.clipboard.format_quote`); None: the default."""
    path: Path | None = None
    """The file this came from (and where the theme is saved); None: not saved."""
    problems: list[str] = field(default_factory=list)
    """One line per thing in the file that was ignored."""


def default_path() -> Path:
    """`$READER_CONFIG`, else config.toml in the user config dir."""
    env = os.environ.get("READER_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader", appauthor=False)) / "config.toml"


def load(path: Path | None = None) -> Config:
    """Read the config file; a missing file means the defaults."""
    path = default_path() if path is None else path
    config = Config(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.problems.append(f"{path}: cannot read ({exc}); using the defaults")
        return config
    except tomllib.TOMLDecodeError as exc:
        config.problems.append(f"{path}: not valid TOML ({exc}); using the defaults")
        return config
    return parse(data, config)


def parse(data: dict[str, Any], config: Config | None = None) -> Config:
    """Settings from decoded TOML, keeping what is valid."""
    config = Config() if config is None else config
    where = str(config.path) if config.path else "config"
    for name, value in data.items():
        if name == "theme":
            if isinstance(value, str) and value.strip():
                config.theme = value.strip()
            else:
                config.problems.append(f"{where}: theme must be a theme name")
        elif name == "wrap":
            if isinstance(value, int) and not isinstance(value, bool) and (
                MIN_WRAP <= value <= MAX_WRAP
            ):
                config.wrap = value
            else:
                config.problems.append(
                    f"{where}: wrap must be a whole number from {MIN_WRAP} to {MAX_WRAP}")
        elif name == "quotes":
            _read_quotes(value, config, where)
        elif name == "keys":
            if isinstance(value, dict):
                _read_keys(value, "", config, where)
            else:
                config.problems.append(f"{where}: [keys] must be a table")
        else:
            config.problems.append(f"{where}: unknown setting {name!r}")
    return config


def _read_quotes(value: Any, config: Config, where: str) -> None:
    from reader.clipboard import template_error

    if not isinstance(value, dict):
        config.problems.append(f"{where}: [quotes] must be a table")
        return
    for key, template in value.items():
        if key != "template":
            config.problems.append(f"{where}: unknown setting quotes.{key}")
        elif not isinstance(template, str) or not template.strip():
            config.problems.append(f"{where}: quotes.template must be text")
        elif (problem := template_error(template)) is not None:
            config.problems.append(f"{where}: quotes.template: {problem}; using the default")
        else:
            config.quote_template = template


def _read_keys(table: dict[str, Any], prefix: str, config: Config, where: str) -> None:
    # Unquoted dotted ids (list.down = "n") arrive as nested tables.
    for name, value in table.items():
        binding_id = f"{prefix}{name}"
        if isinstance(value, dict):
            _read_keys(value, binding_id + ".", config, where)
        elif isinstance(value, str) and value.strip():
            config.keys[binding_id] = ",".join(k.strip() for k in value.split(",") if k.strip())
        elif isinstance(value, list) and value and all(
            isinstance(k, str) and k.strip() for k in value
        ):
            config.keys[binding_id] = ",".join(k.strip() for k in value)
        else:
            config.problems.append(f"{where}: keys.{binding_id} must be a key such as \"j\"")


_THEME_LINE = re.compile(r"^\s*theme\s*=.*$", re.MULTILINE)
_TABLE_LINE = re.compile(r"^\s*\[", re.MULTILINE)


def save_theme(config: Config, theme: str) -> str | None:
    """Remember the theme in the config file, keeping the rest of it as written.

    Returns None on success, else a one-line reason.
    """
    config.theme = theme
    if config.path is None:
        return None
    line = f'theme = "{_toml_escape(theme)}"'
    try:
        text = config.path.read_text(encoding="utf-8") if config.path.exists() else ""
        table = _TABLE_LINE.search(text)
        top = text[:table.start()] if table else text
        if _THEME_LINE.search(top):
            top = _THEME_LINE.sub(line.replace("\\", "\\\\"), top, count=1)
        else:
            top = line + "\n" + top
        new = top + (text[table.start():] if table else "")
        config.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = config.path.with_name(config.path.name + ".tmp")
        tmp.write_text(new, encoding="utf-8")
        tmp.replace(config.path)
    except OSError as exc:
        return f"could not save the theme to {config.path} ({exc.strerror or exc})"
    return None


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
