"""Quotas and exemptions: who must report how much, and who is excused for a period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import org_cache
from storage.models import Exemption, Quota


def set_quota(session: Session, unit_id: int, articles: int | None, activities: int | None) -> None:
    """Set a unit's own monthly minimum; None leaves that figure as it is (inherited from the default)."""
    row = session.scalar(select(Quota).where(Quota.unit_id == unit_id))
    if row is None:
        row = Quota(unit_id=unit_id)
        session.add(row)
    if articles is not None:
        row.articles = articles
    if activities is not None:
        row.activities = activities
    session.flush()


def quotas_for(session: Session, unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(articles, activities) per unit: its own values, falling back field by field to the default."""
    rows = org_cache.snapshot(session).quotas
    default = rows.get(None)

    def pick(unit_id: int, field: int) -> int:
        for row in (rows.get(unit_id), default):
            if row is not None and row[field] is not None:
                return row[field]
        return 0

    return {u: (pick(u, 0), pick(u, 1)) for u in unit_ids}


def unit_exemptions(session: Session, unit_ids: list[int], start: date, end: date) -> dict[int, Exemption]:
    """Unit exemptions overlapping [start, end], by unit."""
    rows = session.scalars(
        select(Exemption)
        .where(Exemption.unit_id.in_(unit_ids), Exemption.start <= end, Exemption.end >= start)
        .order_by(Exemption.end.desc())
    )
    found: dict[int, Exemption] = {}
    for row in rows:
        found.setdefault(row.unit_id, row)
    return found


def add_exemption(
    session: Session, *, unit_id: int, start: date, end: date, reason: str, by: int
) -> Exemption:
    row = Exemption(unit_id=unit_id, start=start, end=end, reason=reason, created_by=by)
    session.add(row)
    session.flush()
    return row


def members_on_leave(session: Session, member_ids: list[int], start: date, end: date) -> set[int]:
    """Members with a personal exemption overlapping [start, end]."""
    rows = session.scalars(
        select(Exemption.member_id).where(
            Exemption.member_id.in_(member_ids), Exemption.start <= end, Exemption.end >= start
        )
    )
    return set(rows)


def exemptions_under(session: Session, unit_ids: list[int], since: date) -> list[Exemption]:
    """Unit exemptions of these units that end on or after `since`, soonest first."""
    return list(
        session.scalars(
            select(Exemption)
            .where(Exemption.unit_id.in_(unit_ids), Exemption.end >= since)
            .order_by(Exemption.start, Exemption.id)
        )
    )
