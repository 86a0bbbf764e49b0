"""The organisation's token: every write to its tables replaces it, in the writer's own transaction.

ORG_TABLES are what storage.org_cache keeps a copy of (and 免报's exemptions, which are part of the same org
file and dashboard). An engine event sees every INSERT, UPDATE and DELETE on them, ORM or Core, so no writer
(an org import, 成员, 指标, 免报, 媒体, the scoring settings, a bulletin sent, a member's channel learned, a
dashboard sign-out) can forget. Tokens are random, never a counter: a transaction that wrote, read the tables
under its own new token and then rolled back leaves a copy under a token nobody will see again.

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
_WROTE = "tougao_org_wrote"  # this transaction wrote an org table
_BUMPED = "tougao_org_bumped"  # and replaced the token (undone by a rolled-back savepoint)
SEEN = "tougao_org_seen"  # the copy of the organisation this transaction uses (storage.org_cache)

_TOKEN = select(OrgGeneration.token).where(OrgGeneration.id == 1)


def read_token(conn: Connection) -> str | None:
    """The token as this transaction sees it; None when there is no token row."""
    return conn.execute(_TOKEN).scalar()


def wrote(conn: Connection) -> bool:
    """Has this transaction changed the organisation?"""
    return bool(conn.info.get(_WROTE))


def watch(engine: Engine) -> None:
    """Make every INSERT, UPDATE and DELETE on ORG_TABLES through `engine` replace the token, once per
    transaction, in that transaction."""
    event.listen(engine, "before_execute", _before_execute)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "rollback_savepoint", _on_rollback_savepoint)


def _before_execute(conn: Connection, statement, multiparams, params, execution_options) -> None:
    if not isinstance(statement, UpdateBase) or statement.table.name not in ORG_TABLES:
        return
    info = conn.info
    info[_WROTE] = True
    info.pop(SEEN, None)
    if not info.get(_BUMPED):
        info[_BUMPED] = True
        conn.execute(_bump(conn.dialect.name), {"token": secrets.token_hex(16)})


def _on_begin(conn: Connection) -> None:
    for key in (_WROTE, _BUMPED, SEEN):
        conn.info.pop(key, None)


def _on_rollback_savepoint(conn: Connection, name, context) -> None:
    # The token may have been replaced inside the savepoint: replace it again at the next write. What the
    # transaction saw may have been undone with it.
    conn.info.pop(_BUMPED, None)
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
