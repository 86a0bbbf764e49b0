"""The organisation as this process last read it, kept until someone changes it.

Units, active members, outlets and their WeChat accounts, quotas, the org file's settings (scoring, activity
types) and the months whose bulletin went out are read by nearly every message and change rarely. Every write
to their tables replaces the organisation's token in the writer's own transaction (storage.org_generation).
A transaction reads the token once (one row by its key) and uses this process's copy while the copy was read
under that token; otherwise it reads the tables again. A transaction that changed the organisation reads the
tables itself and keeps nothing; with no token row (a schema built by create_all and not yet written, or
emptied) nothing is kept either.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from storage.db import core
from storage.models import BulletinLog, Member, OrgSetting, Outlet, Quota, Unit, WechatAccount
from storage.org_generation import SEEN, read_token, wrote

T = TypeVar("T")
_PINNED = "tougao_org_pinned"  # in a session's info: an offline session's copy


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

    token: str | None  # None: read by a transaction that changed the organisation (or without a token row)
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


def snapshot(session: Session) -> OrgSnapshot:
    """The organisation as `session`'s transaction sees it (one indexed read per transaction)."""
    pinned = session.info.get(_PINNED)
    if pinned is not None:
        return pinned
    conn = core(session)  # an org change the session holds is written (and noticed) first
    seen = conn.info.get(SEEN)
    if seen is not None:
        return seen
    if wrote(conn):
        copy = conn.info[SEEN] = _read(conn, None)  # its own changes: read until the next write, never kept
        return copy
    token = read_token(conn)
    pool = conn.engine.pool
    copy = _copies.get(pool)
    if copy is None or token is None or copy.token != token:
        copy = _read(conn, token)
        if token is not None:
            with _copies_lock:
                _copies[pool] = copy
    conn.info[SEEN] = copy
    return copy


def offline_session(engine: Engine) -> Session | None:
    """A session with no database behind it that sees this process's latest copy of the organisation, or
    None before there is one: for reading a message ahead of its transaction (handlers/ahead.py) without
    a query or a lock. Anything that would query raises."""
    copy = _copies.get(engine.pool)
    if copy is None:
        return None
    session = Session()
    session.info[_PINNED] = copy
    return session


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
    if source is None or (_PINNED not in session.info and wrote(session.connection())):
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
