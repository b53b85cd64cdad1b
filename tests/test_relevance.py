"""The relevance benchmark (benchmarks/relevance.py) holds its floors: search.js's own ranking,
run in Node over the sample content and 200 generated distractors, on the judged queries of
benchmarks/relevance_judgments.yaml. Floors only move up: raise them when the ranking improves."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.relevance import load_judgments, measure

pytestmark = pytest.mark.slow

FLOORS = {"mrr": 0.43, "success_at_1": 0.37, "success_at_5": 0.48}


@pytest.fixture(scope="module")
def measured():
    if shutil.which("node") is None:
        pytest.fail("Node is required (see scripts/install-test-deps.sh)")
    return measure()


def test_judged_set_is_large_and_covers_every_kind_of_query():
    judgments = load_judgments()
    assert len(judgments) >= 40
    assert {j.category for j in judgments} >= {"phrase", "diacritics", "number", "name", "commemoration", "topic",
                                               "unit", "typo"}
    assert len({j.query for j in judgments}) == len(judgments)


def test_ranking_holds_its_floors(measured):
    overall, _, _ = measured
    for name, floor in FLOORS.items():
        assert getattr(overall, name) >= floor, (name, getattr(overall, name))
