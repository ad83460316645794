"""Relevance on a standard collection (../shared/ir): the goal the benchmark records.

Runs every judged query through `Store.search`, as `reader search` does, and
fails below the goal: nDCG@10 at least the FTS5 baseline's (0.698 on these
queries, `fts_baseline.py` beside the collection) and at most 1 % of queries
with no result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))

import bench_relevance

COLLECTION = SHARED / "ir" / "scifact-train"
BASELINE_NDCG10 = 0.698


@pytest.mark.skipif(not (COLLECTION / "docs.jsonl.gz").exists(),
                    reason="the relevance collection (../shared/ir/scifact-train) is absent")
def test_search_ranks_at_least_as_well_as_the_fts5_baseline(tmp_path: Path) -> None:
    scores = bench_relevance.reader_scores(COLLECTION, tmp_path / "library.db")
    assert scores.queries == 809
    assert scores.no_result_share <= 0.01, scores
    assert scores.ndcg10 >= BASELINE_NDCG10, scores
    assert scores.recall100 >= 0.9, scores
