"""The core runs without Textual: importing any of it never loads the interface.

Every module of the package is imported (found by walking it, so a new module is
covered the day it lands), except the interface (`reader.ui`) and `python -m
reader`'s entry; the command line is imported too, since it loads the interface
only when it opens it. The import-linter contract that says the same statically
(`lint-imports`, in CI) must name every module of the core: a new one missing
from it fails here.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import reader

ROOT = Path(__file__).resolve().parents[2]
CORE_CONTRACT = "The core never imports the interface, Textual or Rich"
COMMAND_LINE = {"reader.cli", "reader.manpage", "reader.__main__"}
"""The command line: it opens the interface, so it is outside the core's contract."""


def core_modules() -> list[str]:
    """Every module of the package outside the interface."""
    names = [info.name for info in pkgutil.walk_packages(reader.__path__, "reader.")]
    return sorted(n for n in names
                  if not (n == "reader.ui" or n.startswith("reader.ui.") or n == "reader.__main__"))


def test_every_core_module_is_found() -> None:
    modules = core_modules()
    # A sample from each part: formats, the store, rendering, the command line.
    for name in ("reader.archive.html", "reader.store", "reader.render", "reader.search",
                 "reader.cli", "reader.importer", "reader.anchoring", "reader.dates"):
        assert any(m == name or m.startswith(name + ".") for m in modules), name
    assert not any(m.startswith("reader.ui") for m in modules)


def test_core_does_not_import_textual() -> None:
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, f'textual imported by {name}'\n"
        "    assert 'rich' not in sys.modules, f'rich imported by {name}'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def contract(name: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [found] = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == name]
    return found


def test_the_import_contract_names_every_core_module() -> None:
    top = {f"reader.{info.name}" for info in pkgutil.iter_modules(reader.__path__)}
    core = top - COMMAND_LINE - {"reader.ui"}
    named = contract(CORE_CONTRACT)["source_modules"]
    assert isinstance(named, list)
    assert sorted(core - set(named)) == [], "add them to the contract in pyproject.toml"
    assert sorted(set(named) - top) == [], "the contract names modules that are gone"
    # Nor may a core module import the command line, which opens the interface.
    forbidden = contract(CORE_CONTRACT)["forbidden_modules"]
    assert isinstance(forbidden, list)
    assert {"reader.ui", "reader.cli", "reader.manpage", "textual", "rich"} <= set(forbidden)
