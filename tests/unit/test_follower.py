"""The search index's follower: it catches up below the import's priority."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader import follower
from reader.models import ParsedArticle, Provenance
from reader.store import Store


def test_the_follower_lowers_its_priority_then_catches_the_index_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.add_articles([ParsedArticle(title=f"Kettle {n}", body=f"A kettle, number {n}.",
                                          provenance=Provenance("x.txt", "text", n, n))
                            for n in range(1, 4)])
    niced: list[int] = []
    monkeypatch.setattr(os, "nice", niced.append)
    # Its importer is gone (another parent): it catches up, prunes the log and stops.
    follower.follow(str(db), parent=-1, poll=0.01)
    assert niced == [follower.NICENESS] and follower.NICENESS > 0
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM search_log").fetchone()[0] == 0
        assert len(store.search("kettle")) == 3
