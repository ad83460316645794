"""The core runs without Textual: importing any of it never loads the interface.

Every module of the package is imported (found by walking it, so a new module is
covered the day it lands), except the interface (`reader.ui`) and `python -m
reader`'s entry; the command line is imported too, since it loads the interface
only when it opens it.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import reader


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
