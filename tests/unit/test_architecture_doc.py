"""docs/architecture.md stays true: every file, folder and module it names exists, the map
of the rooms matches the package, every import contract is among its rules, and every long
module gives its reason there."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

_PATH = re.compile(r"(?<![\w./])((?:reader|tests|bench|docs)/[\w./-]*\w/?)")
_DOTTED = re.compile(r"`(reader(?:\.\w+)+)`")
_TREE_ENTRY = re.compile(r"[\w.-]+(?:/[\w.-]+)*(?:\.py|/)")


def named_paths() -> list[str]:
    return sorted(set(_PATH.findall(DOC)))


def tree() -> str:
    """The map of the rooms: the code block that starts at `reader/`."""
    [block] = [b for b in re.findall(r"```\n(.*?)```", DOC, re.S) if b.startswith("reader/\n")]
    return block


def tree_paths(block: str) -> list[str]:
    """Every file and folder the map shows, as a path from the repository's root.

    Two spaces of indentation per level; a line starts with one or more entries
    (`name.py`, `folder/`, `folder/name.py`) separated by two spaces, then says
    what they are.
    """
    parents: list[str] = []
    found = []
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent % 2:
            raise AssertionError(f"odd indentation in the map: {line!r}")
        depth = indent // 2
        if depth > len(parents):
            continue  # a description carried over to the next line
        del parents[depth:]
        entries = []
        for word in re.split(r" {2,}", line.strip()):
            if not _TREE_ENTRY.fullmatch(word):
                break
            entries.append(word)
        for entry in entries:
            found.append("/".join([*parents, entry]))
        if len(entries) == 1 and entries[0].endswith("/"):
            parents.append(entries[0].rstrip("/"))
    return found


def test_the_map_is_read_as_written() -> None:
    block = "reader/\n  a.py  b/c.py  what they are\n  ui/\n    d.py    more\n              words\n"
    assert tree_paths(block) == ["reader/", "reader/a.py", "reader/b/c.py", "reader/ui/",
                                 "reader/ui/d.py"]


@pytest.mark.parametrize("path", named_paths())
def test_every_path_named_exists(path: str) -> None:
    assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which is gone"


def test_every_room_on_the_map_exists() -> None:
    missing = [p for p in tree_paths(tree()) if not (ROOT / p).exists()]
    assert missing == []


def test_the_map_shows_every_module_of_the_core() -> None:
    shown = set(tree_paths(tree()))
    for path in sorted((ROOT / "reader").iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix not in (".py", ""):
            continue
        name = path.relative_to(ROOT).as_posix() + ("/" if path.is_dir() else "")
        assert name in shown, f"{name} is not on the map in docs/architecture.md"


@pytest.mark.parametrize("name", sorted(set(_DOTTED.findall(DOC))))
def test_every_module_named_exists(name: str) -> None:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            assert hasattr(found, attribute), f"docs/architecture.md names {name}"
            found = getattr(found, attribute)
        return
    raise AssertionError(f"docs/architecture.md names {name}, which is no module")


def test_every_import_contract_is_among_the_rules() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert contract["name"] in DOC, f"the rule {contract['name']!r} is not in the doc"


LONG = 650
"""Lines past which a module needs its reason in the doc (the rule says about 600)."""


def test_every_long_module_gives_its_reason() -> None:
    section = DOC.split("## Files over ~600 lines", 1)[1].split("\n## ", 1)[0]
    named = set(_DOTTED.findall(section))
    for path in sorted((ROOT / "reader").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if lines > LONG:
            assert module in named, (
                f"{module} has {lines} lines: split it, or say why it stays long under "
                "'Files over ~600 lines' in docs/architecture.md")
