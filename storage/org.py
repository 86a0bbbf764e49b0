"""Look-ups in the organisation: members, units and their peers, outlets, quotas."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import org_cache
from storage.models import Member, Outlet, Unit
from storage.org_cache import OrgSnapshot, OutletInfo

T = TypeVar("T")


def active_member(session: Session, userid: str) -> Member | None:
    """The active member with that userid, in `session` (from the cached organisation: no query)."""
    return org_cache.member(session, userid)


def ranking_parent(session: Session, unit: Unit) -> Unit | None:
    """Whose children a member compares: a street leader sees the street's communities,
    a community's publicist sees the community's siblings."""
    return unit if has_children(session, unit.id) else unit.parent


def active_outlets(session: Session) -> list[OutletInfo]:
    """The active outlets in their order, as values (session.get(Outlet, id) for the row itself)."""
    return org_cache.snapshot(session).active_outlets


def org_value(session: Session, name: str, build: Callable[[OrgSnapshot], T]) -> T:
    """A value worked out from the organisation (an outlet name table, the units' names …) once per change
    of it, in this process; `build` gets the cached copy (storage.org_cache.OrgSnapshot). Read-only."""
    return org_cache.snapshot(session).derive(name, build)


def org_token(session: Session) -> str | None:
    """The token the organisation was read under in this transaction; None when it is not kept (the
    transaction changed it, or there is no token row): what is worked out from it must not be kept either."""
    return org_cache.snapshot(session).token


def outlet_record(session: Session, outlet_id: int) -> Outlet:
    """The outlet as the session's own row, to link a record to it (no query when this process has it)."""
    return org_cache.outlet(session, outlet_id)


def outlet_by_name(outlets: list[OutletInfo], name: str) -> OutletInfo | None:
    """Match an outlet by its name or one of its aliases, case-insensitively."""
    wanted = name.strip().lower()
    for outlet in outlets:
        if wanted == outlet.name.lower() or wanted in (a.lower() for a in outlet.aliases):
            return outlet
    return None


def outlet_names(outlets: list[OutletInfo]) -> list[str]:
    return [n for o in outlets for n in (o.name, *o.aliases)]


def quota_for(session: Session, unit_id: int) -> tuple[int, int]:
    """(articles, activities) a unit must reach each month (see storage.quotas)."""
    from storage.quotas import quotas_for

    return quotas_for(session, [unit_id])[unit_id]


def unit_by_name(session: Session, name: str) -> Unit | None:
    """An active unit by its full name or one of its aliases."""
    wanted = name.strip()
    unit = session.scalar(select(Unit).where(Unit.name == wanted, Unit.active.is_(True)))
    if unit is not None:
        return unit
    for candidate in session.scalars(select(Unit).where(Unit.active.is_(True))):
        if wanted in candidate.aliases:
            return candidate
    return None


def active_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.id)))


def zone_root(session: Session) -> Unit | None:
    """The top of the tree (the development zone), when there is one."""
    return session.scalar(
        select(Unit).where(Unit.parent_id.is_(None), Unit.active.is_(True)).order_by(Unit.id).limit(1)
    )


def has_children(session: Session, unit_id: int) -> bool:
    return (
        session.scalar(select(Unit.id).where(Unit.parent_id == unit_id, Unit.active.is_(True)).limit(1))
        is not None
    )


def ancestors_of(session: Session, unit_id: int) -> set[int]:
    """The unit itself and every unit above it."""
    from storage.models import UnitLink

    return set(session.scalars(select(UnitLink.ancestor_id).where(UnitLink.descendant_id == unit_id)))


def is_within(session: Session, unit_id: int, ancestor_id: int) -> bool:
    """True when `unit_id` is `ancestor_id` or lies under it."""
    from storage.models import UnitLink

    return (
        session.scalar(
            select(UnitLink.depth).where(
                UnitLink.ancestor_id == ancestor_id, UnitLink.descendant_id == unit_id
            )
        )
        is not None
    )


def publicists_of(session: Session, unit_ids: list[int]) -> dict[int, list[Member]]:
    """Active publicists per unit."""
    rows = session.scalars(
        select(Member)
        .where(Member.unit_id.in_(unit_ids), Member.role == "publicist", Member.active.is_(True))
        .order_by(Member.id)
    )
    found: dict[int, list[Member]] = {}
    for member in rows:
        found.setdefault(member.unit_id, []).append(member)
    return found


def reporting_parents(session: Session) -> list[Unit]:
    """Units whose children have publicists: each is one ranking, one bulletin, one nag round."""
    child = (
        select(Unit.parent_id)
        .join(Member, Member.unit_id == Unit.id)
        .where(Member.role == "publicist", Member.active.is_(True), Unit.active.is_(True))
    )
    return list(session.scalars(select(Unit).where(Unit.id.in_(child)).order_by(Unit.sort_order, Unit.id)))


def leaders_of(session: Session, parent: Unit) -> list[Member]:
    """Active leaders whose ranking scope is `parent` (they sit at it, or beside its children)."""
    leaders = session.scalars(
        select(Member).where(Member.role == "leader", Member.active.is_(True)).order_by(Member.id)
    )
    found = []
    for member in leaders:
        scope = ranking_parent(session, member.unit)
        if scope is not None and scope.id == parent.id:
            found.append(member)
    return found


def admins(session: Session) -> list[Member]:
    return list(
        session.scalars(
            select(Member).where(Member.role == "admin", Member.active.is_(True)).order_by(Member.id)
        )
    )


def children_using_bot(session: Session, parent_id: int) -> set[int]:
    """Children of `parent_id` with an active publicist somewhere in their subtree."""
    from storage.models import UnitLink

    query = (
        select(UnitLink.ancestor_id)
        .join(Unit, Unit.id == UnitLink.ancestor_id)
        .join(Member, Member.unit_id == UnitLink.descendant_id)
        .where(Unit.parent_id == parent_id, Member.role == "publicist", Member.active.is_(True))
        .distinct()
    )
    return set(session.scalars(query))


def active_children(session: Session, parent_id: int) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.parent_id == parent_id, Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        )
    )
