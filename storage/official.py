"""Official figures from the zone's media centre: import (all or nothing, a period replaced whole) and reads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import OfficialFigure, Unit


@dataclass(frozen=True)
class ImportSummary:
    period: str
    units: int
    articles: int
    replaced: int  # rows the period had before


def match_units(session: Session, names: list[str]) -> tuple[dict[str, int], list[str]]:
    """name → unit id by full name or alias; and the names no unit answers to."""
    lookup: dict[str, int] = {}
    for unit in session.scalars(select(Unit)):
        for word in (unit.name, *unit.aliases):
            lookup.setdefault(word, unit.id)
    found = {n: lookup[n] for n in names if n in lookup}
    return found, [n for n in names if n not in lookup]


def replace_period(
    session: Session, period: str, rows: list[tuple[int, int, int | None]], member_id: int | None
) -> ImportSummary:
    """Replace a month's figures with (unit id, articles, rank) rows."""
    before = session.scalar(select(func.count(OfficialFigure.id)).where(OfficialFigure.period == period))
    session.execute(delete(OfficialFigure).where(OfficialFigure.period == period))
    session.add_all(
        OfficialFigure(period=period, unit_id=u, articles=n, rank=r, imported_by=member_id)
        for u, n, r in rows
    )
    session.flush()
    return ImportSummary(period, len(rows), sum(n for _, n, _ in rows), before)


def imported_months(session: Session, months: list[str]) -> list[str]:
    return sorted(
        set(session.scalars(select(OfficialFigure.period).where(OfficialFigure.period.in_(months))))
    )


def official_totals(session: Session, months: list[str]) -> dict[int, int]:
    """unit id → official 上稿量 summed over the given months."""
    query = (
        select(OfficialFigure.unit_id, func.sum(OfficialFigure.articles))
        .where(OfficialFigure.period.in_(months))
        .group_by(OfficialFigure.unit_id)
    )
    return {unit_id: int(total) for unit_id, total in session.execute(query)}
