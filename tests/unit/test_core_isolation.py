"""The core runs without Textual: importing it never loads the interface."""

from __future__ import annotations

import subprocess
import sys


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import reader.archive, reader.cli, reader.importer, reader.store, reader.clean, reader.links\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
