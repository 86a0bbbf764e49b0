"""The organisation's token: every write to its tables replaces it, in the writer's own transaction.

ORG_TABLES are what storage.org_cache keeps a copy of (and 免报's exemptions, which are part of the same org
file and dashboard). An engine event sees every INSERT, UPDATE and DELETE on them, ORM or Core, so no writer
(an org import, 成员, 指标, 免报, 媒体, the scoring settings, a bulletin sent, a member's channel learned, a
dashboard sign-out) can forget. Tokens are random, never a counter.

The token is replaced as the transaction's last statement, in the commit event, just before COMMIT: the one
token row is where every writer of the organisation meets, and a transaction cut off mid-way (a network
fault; PostgreSQL keeps its locks until it notices) must not hold it. On PostgreSQL the replacement waits at
most BUMP_WAIT for another writer's commit, then fails (the request answers 503 and is retried).

Writes must go through an engine made by storage.db.Database (watch() is set there). Plain SQL text is not
seen: a change made by hand in SQL is noticed at the next write through the app, or a restart.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, select
from sqlalchemy.sql.dml import UpdateBase

from storage.db import insert_for
from storage.models import OrgGeneration

ORG_TABLES = frozenset(
    {
        "unit",
        "unit_link",
        "member",
        "outlet",
        "wechat_account",
        "quota",
        "exemption",
        "org_setting",
        "bulletin_log",
    }
)

# Keys in a connection's info (it lives as long as the database connection; cleared at each BEGIN).
_WROTE = "tougao_org_wrote"  # this transaction wrote an org table: the token is replaced at its commit
SEEN = "tougao_org_seen"  # the copy of the organisation this transaction uses (storage.org_cache)
BUMP_WAIT = 3.0  # seconds

_TOKEN = select(OrgGeneration.token).where(OrgGeneration.id == 1)


def read_token(conn: Connection) -> str | None:
    """The token as this transaction sees it; None when there is no token row."""
    return conn.execute(_TOKEN).scalar()


def wrote(conn: Connection) -> bool:
    """Has this transaction changed the organisation?"""
    return bool(conn.info.get(_WROTE))


def watch(engine: Engine) -> None:
    """Make every transaction through `engine` that INSERTs, UPDATEs or DELETEs in ORG_TABLES replace the
    token as it commits."""
    event.listen(engine, "before_execute", _before_execute)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "rollback_savepoint", _on_rollback_savepoint)
    event.listen(engine, "commit", _on_commit)


def _before_execute(conn: Connection, statement, multiparams, params, execution_options) -> None:
    if isinstance(statement, UpdateBase) and statement.table.name in ORG_TABLES:
        conn.info[_WROTE] = True
        conn.info.pop(SEEN, None)


def _on_commit(conn: Connection) -> None:
    if not conn.info.pop(_WROTE, None):
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(BUMP_WAIT * 1000)}ms'")
    conn.execute(_bump(conn.dialect.name), {"token": secrets.token_hex(16)})


def _on_begin(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)
    conn.info.pop(SEEN, None)


def _on_rollback_savepoint(conn: Connection, name, context) -> None:
    # What the transaction saw may have been undone with the savepoint. A connection lost meanwhile (the
    # database went away) is being thrown away with its info: touching it would raise instead of the error
    # that says the database is unavailable (a 503).
    if not conn.invalidated:
        conn.info.pop(SEEN, None)


_bumps: dict[str, Any] = {}


def _bump(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE of the one token row (made again if a test emptied the table)."""
    if dialect not in _bumps:
        statement = insert_for(dialect)(OrgGeneration.__table__).values(id=1, token=bindparam("token"))
        _bumps[dialect] = statement.on_conflict_do_update(
            index_elements=["id"], set_={"token": statement.excluded.token}
        )
    return _bumps[dialect]
