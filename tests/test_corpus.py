"""The understanding corpus (tests/corpus/*.yaml): messages written the way users type, by people who had not
read the parser, each checked against the rows it must leave. Every case runs on SQLite; the dialogues and
corrections (state across messages) run on PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest

from tests.conftest import PG_URL
from tests.corpus_runner import Scratch, load_cases, run_case

CASES = load_cases()
ACROSS_MESSAGES = ("dialogue", "correction")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, _sqlite_templates):
    scratch = Scratch(_sqlite_templates[True], tmp_path_factory.mktemp("corpus"))
    yield scratch
    scratch.close()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_on_sqlite(case, scratch):
    verdict = run_case(case, scratch.fresh())
    assert verdict.understood, (
        f"{'MISRECORD: ' if verdict.misrecord else ''}{verdict.problems}\n{verdict.replies}"
    )


PG_CASES = [c for c in CASES if c["category"] in ACROSS_MESSAGES] if PG_URL else []


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)")
@pytest.mark.parametrize("case", PG_CASES, ids=[c["id"] for c in PG_CASES])
def test_case_across_messages_on_postgresql(case, _pg_snapshots):
    verdict = run_case(case, _pg_snapshots.reset(with_org=True))
    assert verdict.understood, (
        f"{'MISRECORD: ' if verdict.misrecord else ''}{verdict.problems}\n{verdict.replies}"
    )
