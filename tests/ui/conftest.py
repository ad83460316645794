"""Fixtures for the interface: a small fixed library and an app factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.config import Config
from reader.store import Store
from reader.ui.app import ReaderApp
from tests.ui.support import ARTICLES


@pytest.fixture
def store() -> Store:
    """A fresh in-memory library holding ARTICLES."""
    library = Store(memory=True)
    library.add_articles(ARTICLES)
    yield library
    library.close()


@pytest.fixture
def empty_store() -> Store:
    library = Store(memory=True)
    yield library
    library.close()


AppFactory = Callable[..., ReaderApp]


@pytest.fixture
def make_app(store: Store, tmp_path: Path) -> AppFactory:
    """Build the app on the fixture library with a throwaway config file."""

    def factory(library: Store | None = None, *, keys: dict[str, str] | None = None,
                config: Config | None = None) -> ReaderApp:
        if config is None:
            config = Config(path=tmp_path / "config.toml", keys=dict(keys or {}))
        return ReaderApp(store if library is None else library, config=config)

    return factory
