"""Stored history for the benchmarks: many articles written straight into the tables, 50,000 a statement."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine, func, insert, select

from storage.db import Database
from storage.maintenance import refresh_statistics
from storage.models import Article, Member, Outlet, RecordNumber

BATCH = 50_000


def add_articles(
    engine: Engine,
    n: int,
    unit_ids: list[int],
    member_id: int,
    outlets: dict[int, float],
    first: date,
    last: date,
    seed: int = 7,
) -> None:
    """`n` articles spread evenly over `unit_ids` and the days from `first` to `last`, by `member_id`,
    from `outlets` (id → weight; the last one three times as often, as local outlets are), about 2 %
    withdrawn. Numbers follow the highest one in use."""
    rng = random.Random(seed)
    days = (last - first).days + 1
    ids = list(outlets)
    choices = ids + [ids[-1]] * 2
    with engine.begin() as conn:
        start = conn.scalar(select(func.coalesce(func.max(RecordNumber.id), 0)))
    for offset in range(0, n, BATCH):
        size = min(BATCH, n - offset)
        first_no = start + offset + 1
        rows = []
        for no in range(first_no, first_no + size):
            outlet = rng.choice(choices)
            rows.append(
                {
                    "no": no,
                    "unit_id": rng.choice(unit_ids),
                    "member_id": member_id,
                    "outlet_id": outlet,
                    "title": f"历史稿件{no}",
                    "published_on": first + timedelta(days=rng.randrange(days)),
                    "status": "counted" if rng.random() > 0.02 else "withdrawn",
                    "score": outlets[outlet],
                    "story_key": "",
                    "placement": "",
                    "factor": 1.0,
                    "bonus": 0.0,
                    "late": False,
                }
            )
        with engine.begin() as conn:
            conn.execute(
                insert(RecordNumber),
                [{"id": no, "kind": "article"} for no in range(first_no, first_no + size)],
            )
            conn.execute(insert(Article), rows)
    _follow_sequence(engine)


def _follow_sequence(engine: Engine) -> None:
    """PostgreSQL: numbers written by hand leave record_number's sequence behind; move it past them."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('record_number', 'id'), (SELECT max(id) FROM record_number))"
            )


def preload_articles(db: Database, n: int) -> None:
    """`n` articles over the publicists' units and the 15 years up to today, then the statistics refreshed
    as the scheduler does every night (storage.maintenance)."""
    with db.sessions() as s:
        units = sorted(set(s.scalars(select(Member.unit_id).where(Member.role == "publicist"))))
        member = s.scalar(select(Member.id).where(Member.userid == "zhangsan"))
        outlets = dict(s.execute(select(Outlet.id, Outlet.weight).order_by(Outlet.weight.desc())).all())
    today = date.today()
    add_articles(db.engine, n, units, member, outlets, today - timedelta(days=15 * 365), today)
    refresh_statistics(db.engine)
