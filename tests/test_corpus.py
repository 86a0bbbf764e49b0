"""The understanding corpus (tests/corpus/*.yaml): messages written the way users type, by people who had not
read the parser, each checked against the rows it must leave. Every case runs on SQLite; the dialogues and
corrections (state across messages) run on PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.models import Base
from storage.orgfile import apply_org, load_org_file
from tests.conftest import EXAMPLE_ORG, PG_URL
from tests.corpus_runner import Scratch, build_template, load_cases, run_case

CASES = load_cases()
ACROSS_MESSAGES = ("dialogue", "correction")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    scratch = Scratch(build_template(folder), folder)
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
def test_case_across_messages_on_postgresql(case, _pg_schema):
    db = _pg_schema
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with db.sessions() as session, session.begin():
        apply_org(session, load_org_file(EXAMPLE_ORG, session))
    verdict = run_case(case, db)
    assert verdict.understood, (
        f"{'MISRECORD: ' if verdict.misrecord else ''}{verdict.problems}\n{verdict.replies}"
    )
