"""Look-ups in the organisation: members, units and their peers, outlets, quotas."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Outlet, Unit


def active_member(session: Session, userid: str) -> Member | None:
    return session.scalar(select(Member).where(Member.userid == userid, Member.active.is_(True)))


def ranking_parent(session: Session, unit: Unit) -> Unit | None:
    """Whose children a member compares: a street leader sees the street's communities,
    a community's publicist sees the community's siblings."""
    return unit if has_children(session, unit.id) else unit.parent


def active_outlets(session: Session) -> list[Outlet]:
    return list(session.scalars(select(Outlet).where(Outlet.active.is_(True)).order_by(Outlet.sort_order)))


def outlet_by_name(outlets: list[Outlet], name: str) -> Outlet | None:
    """Match an outlet by its name or one of its aliases, case-insensitively."""
    wanted = name.strip().lower()
    for outlet in outlets:
        if wanted == outlet.name.lower() or wanted in (a.lower() for a in outlet.aliases):
            return outlet
    return None


def outlet_names(outlets: list[Outlet]) -> list[str]:
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
