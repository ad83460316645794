"""On a clone without ../shared, the tests that read its real archives skip, saying why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_tests_that_read_shared_skip_when_it_is_absent(tmp_path: Path) -> None:
    # One module reads ../shared as it loads, one in some of its tests only.
    env = os.environ | {"READER_TEST_SHARED": str(tmp_path / "no-shared")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-rs", "-p", "no:cacheprovider",
         "tests/unit/test_bookmarks.py", "tests/unit/test_html.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "error" not in out.lower().replace("errors=", "")
    assert "test_bookmarks.py:0: loads the real sample archives" in out
    assert "test_html.py: needs the real sample archives" in out
    assert re.search(r"\b\d+ passed, \d+ skipped\b", out)  # the others still ran
