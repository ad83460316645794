"""Shared fixtures: paths to the shared sample data and fresh libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fresh_store() -> Store:
    store = Store(memory=True)
    yield store
    store.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"
