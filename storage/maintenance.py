"""The query planner's statistics: refreshed after every migration and every night by the scheduler.

Without them a fresh SQLite database plans by rules of thumb, which grow worse as the tables do.
"""

from __future__ import annotations

from sqlalchemy import Engine

# SQLite reads about this many rows of each index (PRAGMA analysis_limit): a million articles take
# milliseconds, so the write lock ANALYZE takes never keeps a callback waiting.
ANALYSIS_LIMIT = 1000


def refresh_statistics(engine: Engine) -> None:
    """ANALYZE every table. (Not SQLite's PRAGMA optimize: before SQLite 3.46 it only looks at tables the
    same connection has queried, which a maintenance connection has not.)"""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
