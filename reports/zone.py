"""A unit's place among the zone's units (开发区35家单位): by the media centre's official figures where any
month of the period was imported, else (when asked) by the bot's own count."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from reports.periods import Period, month_keys
from storage.models import Unit
from storage.official import imported_months, official_totals
from storage.rankings import peer_ranking


@dataclass(frozen=True)
class ZonePlace:
    zone: str  # the zone as people say it: its first alias (开发区), else its name
    place: int
    of: int
    articles: int  # the unit's 上稿量 by the same figures
    months: int  # months of official figures counted; 0: the bot's own count

    @property
    def official(self) -> bool:
        return self.months > 0

    @property
    def source(self) -> str:
        return f"{self.zone}官方数据（{self.months}个月）" if self.official else "投稿通自有统计"


def zone_place(session: Session, unit: Unit, period: Period, own_count: bool = True) -> ZonePlace | None:
    """Where `unit` stands among its parent's units; None for a unit without a parent, or without official
    figures when `own_count` is False."""
    zone = unit.parent
    if zone is None:
        return None
    short = zone.aliases[0] if zone.aliases else zone.name
    rows = peer_ranking(session, zone.id, period.start, period.end)
    months = imported_months(session, month_keys(period))
    if months:
        totals = official_totals(session, months)
        mine = totals.get(unit.id, 0)
        place = 1 + sum(1 for r in rows if totals.get(r.unit_id, 0) > mine)
        return ZonePlace(short, place, len(rows), mine, len(months))
    if not own_count:
        return None
    row = next(r for r in rows if r.unit_id == unit.id)
    return ZonePlace(short, row.place, len(rows), row.articles, 0)
