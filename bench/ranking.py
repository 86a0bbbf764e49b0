"""Ranking benchmark: 1,000,000 articles over 35 units and 15 years; the month, year and score rankings
(storage.rankings.peer_ranking) timed beside a raw SQL GROUP BY of the same figures (each unit's count and
score, ordered by the ranking's key), in the same run; both results are checked to agree.

    .venv/bin/python bench/ranking.py [--articles 1000000] [--database-url URL] [--repeat 20]

Targets (issue 16): every ranking ≤ 1.5× the raw SQL, on SQLite and PostgreSQL; the month ranking < 20 ms.
The database given is emptied and filled.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta

from sqlalchemy import insert, text

from storage.db import Database
from storage.maintenance import refresh_statistics
from storage.models import Article, Base, Member, Outlet, RecordNumber, Unit, UnitLink
from storage.rankings import peer_ranking

UNITS, YEARS, FIRST_YEAR = 35, 15, 2011


def fill(db: Database, n: int) -> None:
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)
    rng = random.Random(7)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Unit),
            [
                {
                    "id": 1,
                    "name": "开发区",
                    "aliases": [],
                    "kind": "zone",
                    "parent_id": None,
                    "sort_order": 0,
                    "active": True,
                }
            ]
            + [
                {
                    "id": 10 + u,
                    "name": f"单位{u}",
                    "aliases": [],
                    "kind": "unit",
                    "parent_id": 1,
                    "sort_order": u,
                    "active": True,
                }
                for u in range(UNITS)
            ],
        )
        conn.execute(
            insert(UnitLink),
            [{"ancestor_id": 1, "descendant_id": 1, "depth": 0}]
            + [
                {"ancestor_id": a, "descendant_id": 10 + u, "depth": d}
                for u in range(UNITS)
                for a, d in ((10 + u, 0), (1, 1))
            ],
        )
        conn.execute(
            insert(Member),
            [{"id": 1, "userid": "m", "name": "m", "unit_id": 10, "role": "publicist", "active": True}],
        )
        conn.execute(
            insert(Outlet),
            [
                {
                    "id": i + 1,
                    "name": f"媒体{i}",
                    "level": "区级",
                    "weight": w,
                    "aliases": [],
                    "domains": [],
                    "sort_order": i,
                    "active": True,
                }
                for i, w in enumerate((10, 5, 3, 1))
            ],
        )
        days = (date(FIRST_YEAR + YEARS, 1, 1) - date(FIRST_YEAR, 1, 1)).days
        for start in range(0, n, 50_000):
            size = min(50_000, n - start)
            conn.execute(
                insert(RecordNumber), [{"id": start + i + 1, "kind": "article"} for i in range(size)]
            )
            rows = []
            for i in range(size):
                outlet = rng.choice((1, 2, 3, 4, 4, 4))
                rows.append(
                    {
                        "no": start + i + 1,
                        "unit_id": 10 + rng.randrange(UNITS),
                        "member_id": 1,
                        "outlet_id": outlet,
                        "title": "t",
                        "published_on": date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(days)),
                        "status": "counted" if rng.random() > 0.02 else "withdrawn",
                        "score": (10, 5, 3, 1)[outlet - 1],
                        "story_key": "",
                        "placement": "",
                        "factor": 1.0,
                        "bonus": 0.0,
                        "late": False,
                        "created_at": None,
                    }
                )
            for row in rows:
                row.pop("created_at")
            conn.execute(insert(Article), rows)
    refresh_statistics(db.engine)  # as `tougao db upgrade` and the nightly job do


RAW = {
    "count": "SELECT unit_id, count(*) AS n, sum(score) AS s FROM article WHERE status = 'counted' AND published_on BETWEEN :a AND :b GROUP BY unit_id ORDER BY n DESC",
    "score": "SELECT unit_id, count(*) AS n, sum(score) AS s FROM article WHERE status = 'counted' AND published_on BETWEEN :a AND :b GROUP BY unit_id ORDER BY s DESC",
}
RATIO_LIMIT, MONTH_LIMIT_MS = 1.5, 20.0


def timed(fn, repeat: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/ranking.db"
    db = Database.from_url(url)
    started = time.perf_counter()
    fill(db, args.articles)
    print(
        f"backend {db.engine.dialect.name}: {args.articles:,} articles, {UNITS} units, {YEARS} years "
        f"(filled in {time.perf_counter() - started:.0f} s)"
    )
    cases = [
        ("month", date(2020, 3, 1), date(2020, 3, 31), "articles", "count"),
        ("year", date(2020, 1, 1), date(2020, 12, 31), "articles", "count"),
        ("year by score", date(2020, 1, 1), date(2020, 12, 31), "score", "score"),
    ]
    print(f"{'ranking':<15}{'peer_ranking ms':>17}{'raw SQL ms':>12}{'ratio':>8}   target")
    with db.readers() as session:
        for name, a, b, by, raw in cases:
            mine = {r.unit_id: (r.articles, r.score) for r in peer_ranking(session, 1, a, b, by=by)}
            theirs = {u: (n, s) for u, n, s in session.execute(text(RAW[raw]), {"a": a, "b": b})}
            assert all(mine[u][0] == n and abs(mine[u][1] - s) < 1e-6 for u, (n, s) in theirs.items()), name
            ours = timed(lambda a=a, b=b, by=by: peer_ranking(session, 1, a, b, by=by), args.repeat)
            base = timed(
                lambda a=a, b=b, raw=raw: session.execute(text(RAW[raw]), {"a": a, "b": b}).all(), args.repeat
            )
            ratio = ours / base
            verdict = "met" if ratio <= RATIO_LIMIT else f"MISSED ({ratio / RATIO_LIMIT:.2f}× the limit)"
            line = f"{name:<15}{ours:>17.1f}{base:>12.1f}{ratio:>8.2f}   ≤ {RATIO_LIMIT}×: {verdict}"
            if name == "month":
                line += "; < 20 ms: " + (
                    "met" if ours < MONTH_LIMIT_MS else f"MISSED by {ours - MONTH_LIMIT_MS:.1f} ms"
                )
            print(line)
    db.engine.dispose()


if __name__ == "__main__":
    main()
