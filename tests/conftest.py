"""Shared fixtures: paths to the shared sample data and fresh libraries."""

from __future__ import annotations

import ast
import functools
import inspect
import os
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from reader.store import Store

# Property tests draw the same examples on every run, so a run's result does not depend
# on luck; `HYPOTHESIS_PROFILE=explore` draws fresh ones (and remembers what fails).
settings.register_profile("steady", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "steady"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("READER_TEST_SHARED") or ROOT.parent / "shared")
"""The real sample archives beside the clone (`READER_TEST_SHARED` points elsewhere)."""
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ../shared, the tests that read it are skipped, saying why, and run the rest."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the real sample archives in {SHARED} "
                                   "(../shared beside the clone), which is absent")
    for item in items:
        if _reads_shared(item):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """A test module that reads ../shared as it loads is skipped whole when it is absent,
    instead of failing to load."""
    report = yield
    if (report.failed and isinstance(collector, pytest.Module) and not SHARED.is_dir()
            and str(SHARED) in str(report.longrepr)):
        report.outcome = "skipped"
        report.longrepr = (str(collector.path), 0,
                           f"Skipped: loads the real sample archives from {SHARED} "
                           "(../shared beside the clone), which is absent")
    return report


def _under_shared(value: Any) -> bool:
    if isinstance(value, Path | str):
        return str(value).startswith(str(SHARED))
    if isinstance(value, list | tuple | set | frozenset):
        return any(_under_shared(v) for v in value)
    return False


@functools.cache
def _shared_names(module: types.ModuleType) -> frozenset[str]:
    """SHARED and the module's globals computed from it (`PAGES = SHARED / "x"`,
    `REAL = sorted(PAGES.iterdir())`, even when that leaves them empty)."""
    found = {"SHARED"}
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return frozenset(found)
    assignments = [(targets, node.value) for node in tree.body
                   if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
                   for targets in [node.targets if isinstance(node, ast.Assign)
                                   else [node.target]]]
    grew = True
    while grew:
        grew = False
        for targets, value in assignments:
            used = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
            if used & found:
                for target in targets:
                    for n in ast.walk(target):
                        if isinstance(n, ast.Name) and n.id not in found:
                            found.add(n.id)
                            grew = True
    return frozenset(found)


def _names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _reads_shared(item: pytest.Item) -> bool:
    """Whether a test (or a helper of its module it calls) names SHARED or a path under
    it, or is parametrized with such a path."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and _under_shared(list(callspec.params.values())):
        return True
    function, module = getattr(item, "function", None), getattr(item, "module", None)
    if function is None or module is None:
        return False
    seen: set[str] = set()
    pending = [function.__code__]
    while pending:
        for name in _names(pending.pop()) - seen:
            seen.add(name)
            value = module.__dict__.get(name)
            if name in _shared_names(module) or _under_shared(value):
                return True
            if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                pending.append(value.__code__)
    return False


@pytest.fixture
def fresh_store() -> Store:
    store = Store(memory=True)
    yield store
    store.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def damage_index_files(folder: Path, junk: bytes = b"\x00junk") -> None:
    """Every file of a search index replaced by junk, as damage on disk would leave it.

    Each file is replaced (a new file renamed over it), never rewritten in place: the
    index may still be mapped into this process, and truncating a mapped file kills
    the process that touches it (SIGBUS) instead of testing anything.
    """
    for part in folder.iterdir():
        if part.is_file():
            fresh = part.with_name(part.name + ".junk")
            fresh.write_bytes(junk)
            os.replace(fresh, part)


@pytest.fixture
def joined_parts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many parts each large dump's cut parse joined (one entry a file), in order."""
    import reader.importer.parts as parts

    joined: list[int] = []
    chunked = parts.ChunkedParse.__iter__

    def spy(self: parts.ChunkedParse):  # type: ignore[no-untyped-def]
        yield from chunked(self)
        joined.append(self.joined)

    monkeypatch.setattr(parts.ChunkedParse, "__iter__", spy)
    return joined
