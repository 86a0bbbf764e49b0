"""The reply's month total reads the sender's unit's month from ix_article_unit_day, whatever the planner knows
(issue 16: without it a fresh SQLite database read the unit's whole history, 68 ms a 上稿 at a million)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from storage.db import Database
from storage.maintenance import refresh_statistics
from storage.migrate import upgrade
from storage.models import Article, Member, Outlet, RecordNumber
from storage.orgfile import apply_org, load_org_file
from storage.rankings import _UNIT_TOTALS, unit_totals
from tests.conftest import EXAMPLE_ORG


@pytest.fixture
def history(tmp_path) -> Database:
    """A migrated SQLite database with 3,000 articles of one unit over eight years."""
    url = f"sqlite:///{tmp_path}/history.db"
    upgrade(url)  # also ANALYZEs the empty tables, as `tougao db upgrade` does
    db = Database.from_url(url)
    with db.sessions() as s, s.begin():
        apply_org(s, load_org_file(EXAMPLE_ORG, s))
        member = s.scalar(select(Member).where(Member.userid == "zhangsan"))
        outlet = s.scalar(select(Outlet.id).where(Outlet.name == "学习强国"))
        s.execute(insert(RecordNumber), [{"id": n, "kind": "article"} for n in range(1, 3001)])
        s.execute(
            insert(Article),
            [
                {
                    "no": n,
                    "unit_id": member.unit_id,
                    "member_id": member.id,
                    "outlet_id": outlet,
                    "title": f"稿{n}",
                    "published_on": date(2016, 1, 1) + timedelta(days=n),
                    "score": 10.0,
                }
                for n in range(1, 3001)
            ],
        )
    yield db
    db.engine.dispose()


def plan(db: Database, unit_id: int, leaf: bool) -> str:
    with db.engine.connect() as conn:
        compiled = _UNIT_TOTALS[(leaf, False)].compile(dialect=conn.dialect)
        values = compiled.construct_params({"unit": unit_id, "start": "2023-03-01", "end": "2023-03-31"})
        args = tuple(values[name] for name in compiled.positiontup)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, args)
        return " / ".join(row[3] for row in rows)


@pytest.mark.parametrize("analyzed", [False, True])
def test_the_month_total_reads_only_that_month_of_the_unit(history, analyzed):
    if analyzed:
        refresh_statistics(history.engine)
    with history.sessions() as s:
        unit_id = s.scalar(select(Member.unit_id).where(Member.userid == "zhangsan"))
        assert unit_totals(s, unit_id, date(2023, 3, 1), date(2023, 3, 31)) == (31, 310.0)
    used = "COVERING INDEX ix_article_unit_day (unit_id=? AND status=? AND published_on>? AND published_on<?)"
    assert used in plan(history, unit_id, leaf=True)  # a community: its own rows
    assert used in plan(history, unit_id, leaf=False)  # a street: each unit under it, the same way


def test_statistics_are_refreshed_after_every_migration(tmp_path):
    url = f"sqlite:///{tmp_path}/stats.db"
    upgrade(url)
    db = Database.from_url(url)
    with db.engine.connect() as conn:
        tables = {row[0] for row in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
    db.engine.dispose()
    assert "org_generation" in tables  # ANALYZE ran: its one row is counted


def test_the_scheduler_refreshes_the_statistics_every_night(history):
    from scheduler import jobs
    from scheduler.runner import build_scheduler
    from tests.helpers import services_with

    services = services_with(history, {})
    scheduler = build_scheduler(services, background=True)
    job = scheduler.get_job("statistics")
    assert job.func is jobs.refresh_statistics and str(job.trigger) == "cron[hour='3', minute='17']"
    jobs.refresh_statistics(services)
    with history.engine.connect() as conn:
        counted = dict(conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'article'").all())
    assert int(counted["ix_article_unit_day"].split()[0]) > 2000  # about the 3,000 added (rows are sampled)
