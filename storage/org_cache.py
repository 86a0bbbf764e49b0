"""The organisation as this process last read it, kept until someone changes it.

Units, active members, outlets and their WeChat accounts, quotas, the org file's settings (scoring, activity
types) and the months whose bulletin went out are read by nearly every message and change rarely. Every write
to their tables (ORG_TABLES: an org import, 成员, 指标, 免报, 媒体, the scoring settings, a bulletin sent, a
member's channel learned, a dashboard sign-out) replaces the token in org_generation in the writer's own
transaction. An engine event sees every INSERT, UPDATE and DELETE on those tables, ORM or Core, so no writer
can forget. A transaction reads the token once (one row by its key) and uses this process's copy while the
copy was read under that token; otherwise it reads the tables again.

Tokens are random, never a counter: a transaction that wrote, read the tables under its own new token and
then rolled back leaves a copy under a token nobody will see again. A transaction that wrote reads the tables
itself and keeps nothing; with no token row (a schema built by create_all and not yet written, or emptied)
nothing is kept either. Writes must go through an engine made by Database (watch() is set there); plain SQL
text is not seen, so a hand-made change by SQL needs a write through the app (or a restart) to be noticed.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.dml import UpdateBase

from storage.db import core
from storage.models import (
    BulletinLog,
    Member,
    OrgGeneration,
    OrgSetting,
    Outlet,
    Quota,
    Unit,
    WechatAccount,
)

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
T = TypeVar("T")

# Keys in a connection's info (it lives as long as the database connection; cleared at each BEGIN).
_WROTE = "tougao_org_wrote"  # this transaction wrote an org table
_BUMPED = "tougao_org_bumped"  # and replaced the token (undone by a rolled-back savepoint)
_SEEN = "tougao_org_seen"  # the copy this transaction uses


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    aliases: tuple[str, ...]
    kind: str
    parent_id: int | None
    sort_order: int
    active: bool


@dataclass(frozen=True)
class OutletInfo:
    id: int
    name: str
    level: str
    weight: float
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    sort_order: int
    active: bool


@dataclass(frozen=True, eq=False)
class OrgSnapshot:
    """The organisation's tables as read under one token. Read-only: members are detached ORM objects that
    member() merges into a session (never hand them out), everything else is frozen values."""

    token: str | None
    units: dict[int, UnitInfo]
    outlets: tuple[OutletInfo, ...]  # all of them, in their order
    wechat: dict[str, int]  # __biz → outlet id
    quotas: dict[
        int | None, tuple[int | None, int | None]
    ]  # unit id (None: the default) → (articles, activities)
    settings: dict[str, Any]  # org_setting key → value
    bulletins: frozenset[str]  # YYYY-MM of the bulletins sent
    members: dict[str, Member]  # active members by userid
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def active_outlets(self) -> list[OutletInfo]:
        return self.derive("active_outlets", lambda o: [x for x in o.outlets if x.active])

    def outlet(self, outlet_id: int) -> OutletInfo | None:
        return self.derive("outlets_by_id", lambda o: {x.id: x for x in o.outlets}).get(outlet_id)

    def derive(self, name: str, build: Callable[[OrgSnapshot], T]) -> T:
        """A value computed from this copy once (the outlet name table, scoring rules …): recomputed only
        after the organisation changed."""
        try:
            return self._derived[name]
        except KeyError:
            value = self._derived[name] = build(self)
            return value


_copies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # an engine's pool → its latest copy
_copies_lock = threading.Lock()
_TOKEN = select(OrgGeneration.token).where(OrgGeneration.id == 1)


def snapshot(session: Session) -> OrgSnapshot:
    """The organisation as `session`'s transaction sees it (one indexed read per transaction)."""
    conn = core(session)  # an org change the session holds is written (and noticed) first
    seen = conn.info.get(_SEEN)
    if seen is not None:
        return seen
    if conn.info.get(_WROTE):
        copy = conn.info[_SEEN] = _read(conn, None)  # its own changes: read until the next write, never kept
        return copy
    token = conn.execute(_TOKEN).scalar()
    pool = conn.engine.pool
    copy = _copies.get(pool)
    if copy is None or token is None or copy.token != token:
        copy = _read(conn, token)
        if token is not None:
            with _copies_lock:
                _copies[pool] = copy
    conn.info[_SEEN] = copy
    return copy


def member(session: Session, userid: str) -> Member | None:
    """The active member `userid` as the session's own object (with its unit), without a query."""
    found = snapshot(session).members.get(userid)
    return None if found is None else _own(session, Member, found.id, found)


def outlet(session: Session, outlet_id: int) -> Outlet:
    """The outlet as the session's own object (to link a record to it), without a query."""
    source = snapshot(session).derive("outlet_objects", _outlet_objects).get(outlet_id)
    return _own(session, Outlet, outlet_id, source)


def _own(session: Session, model: type[T], id_: int, source: T | None) -> T:
    """The session's object for (model, id_): the one it holds, else a copy of the cached `source` merged
    in without SQL (merge(load=False), SQLAlchemy's way for cached objects). A transaction that changed the
    organisation loads it instead."""
    present = session.identity_map.get(identity_key(model, id_))
    if present is not None:
        return present
    if source is None or session.connection().info.get(_WROTE):
        return session.get(model, id_)
    return session.merge(source, load=False)


def _read(conn: Connection, token: str | None) -> OrgSnapshot:
    units = {
        r.id: UnitInfo(r.id, r.name, tuple(r.aliases or ()), r.kind, r.parent_id, r.sort_order, r.active)
        for r in conn.execute(select(Unit.__table__).order_by(Unit.sort_order, Unit.id))
    }
    outlets = tuple(
        OutletInfo(
            r.id,
            r.name,
            r.level,
            r.weight,
            tuple(r.aliases or ()),
            tuple(r.domains or ()),
            r.sort_order,
            r.active,
        )
        for r in conn.execute(select(Outlet.__table__).order_by(Outlet.sort_order, Outlet.id))
    )
    members = {}
    for r in conn.execute(select(Member.__table__).where(Member.active.is_(True))):
        members[r.userid] = _detached_member(r, units[r.unit_id])
    return OrgSnapshot(
        token=token,
        units=units,
        outlets=outlets,
        wechat=dict(conn.execute(select(WechatAccount.biz, WechatAccount.outlet_id)).all()),
        quotas={r.unit_id: (r.articles, r.activities) for r in conn.execute(select(Quota.__table__))},
        settings=dict(conn.execute(select(OrgSetting.key, OrgSetting.value)).all()),
        bulletins=frozenset(conn.scalars(select(BulletinLog.period))),
        members=members,
    )


def _outlet_objects(org: OrgSnapshot) -> dict[int, Outlet]:
    objects = {}
    for o in org.outlets:
        objects[o.id] = row = Outlet(
            id=o.id,
            name=o.name,
            level=o.level,
            weight=o.weight,
            aliases=list(o.aliases),
            domains=list(o.domains),
            sort_order=o.sort_order,
            active=o.active,
        )
        make_transient_to_detached(row)
    return objects


def _detached_member(row, unit: UnitInfo) -> Member:
    """A Member (with its Unit) as if loaded by a session that has since closed, for merge(load=False)."""
    member = Member(
        id=row.id,
        userid=row.userid,
        name=row.name,
        unit_id=row.unit_id,
        role=row.role,
        active=row.active,
        channel=row.channel,
        session_version=row.session_version,
    )
    member.unit = Unit(
        id=unit.id,
        name=unit.name,
        aliases=list(unit.aliases),
        kind=unit.kind,
        parent_id=unit.parent_id,
        sort_order=unit.sort_order,
        active=unit.active,
    )
    make_transient_to_detached(member.unit)
    make_transient_to_detached(member)
    return member


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
    info.pop(_SEEN, None)
    if not info.get(_BUMPED):
        info[_BUMPED] = True
        conn.execute(_bump(conn.dialect.name), {"token": secrets.token_hex(16)})


def _on_begin(conn: Connection) -> None:
    for key in (_WROTE, _BUMPED, _SEEN):
        conn.info.pop(key, None)


def _on_rollback_savepoint(conn: Connection, name, context) -> None:
    # The token may have been replaced inside the savepoint: replace it again at the next write. What the
    # transaction saw may have been undone with it.
    conn.info.pop(_BUMPED, None)
    conn.info.pop(_SEEN, None)


_bumps: dict[str, Any] = {}


def _bump(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE of the one token row (made again if a test emptied the table)."""
    if dialect not in _bumps:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(OrgGeneration.__table__).values(id=1, token=bindparam("token"))
        _bumps[dialect] = statement.on_conflict_do_update(
            index_elements=["id"], set_={"token": statement.excluded.token}
        )
    return _bumps[dialect]
