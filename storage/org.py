"""Look-ups in the organisation: members, units and their peers, outlets, quotas."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Outlet, Quota, Unit


def active_member(session: Session, userid: str) -> Member | None:
    return session.scalar(select(Member).where(Member.userid == userid, Member.active.is_(True)))


def ranking_parent(session: Session, unit: Unit) -> Unit | None:
    """Whose children a member compares: a street leader sees the street's communities,
    a community's publicist sees the community's siblings."""
    has_children = session.scalar(
        select(Unit.id).where(Unit.parent_id == unit.id, Unit.active.is_(True)).limit(1)
    )
    return unit if has_children else unit.parent


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
    """(articles, activities) a unit must reach each month: its own row, else the default, else 0."""
    rows = {
        q.unit_id: q
        for q in session.scalars(select(Quota).where((Quota.unit_id == unit_id) | Quota.unit_id.is_(None)))
    }
    own, default = rows.get(unit_id), rows.get(None)

    def value(field: str) -> int:
        for row in (own, default):
            if row is not None and getattr(row, field) is not None:
                return getattr(row, field)
        return 0

    return value("articles"), value("activities")
