"""Each unit's progress against its monthly quota, with exemptions: what 未报, 通报 and reminders share."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from reports.periods import Period
from storage.models import Exemption
from storage.quotas import quotas_for, unit_exemptions
from storage.rankings import peer_activities, peer_ranking
from storage.scoring import load_rules


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    name: str
    place: int
    articles: int
    score: float
    activities: int
    participants: int
    need_articles: int
    need_activities: int
    exemption: Exemption | None

    @property
    def behind(self) -> bool:
        """Below quota and not excused."""
        return self.exemption is None and (
            self.articles < self.need_articles or self.activities < self.need_activities
        )

    def shortfall(self) -> str:
        """e.g. 上稿1/3篇（差2篇），活动0/1次（差1次）"""
        parts = []
        if self.need_articles:
            gap = max(self.need_articles - self.articles, 0)
            parts.append(f"上稿{self.articles}/{self.need_articles}篇" + (f"（差{gap}篇）" if gap else ""))
        if self.need_activities:
            gap = max(self.need_activities - self.activities, 0)
            parts.append(
                f"活动{self.activities}/{self.need_activities}次" + (f"（差{gap}次）" if gap else "")
            )
        return "，".join(parts)

    def exemption_text(self) -> str:
        e = self.exemption
        return (
            f"{self.name}（{e.start:%m月%d日}至{e.end:%m月%d日}" + (f"，{e.reason}）" if e.reason else "）")
            if e
            else ""
        )


def peer_progress(
    session: Session, parent_id: int, period: Period, by: str = "articles"
) -> list[UnitProgress]:
    """The active children of `parent_id` in ranking order (by count or score), with activities, quota
    and exemption."""
    highest = load_rules(session).same_story == "highest"
    rows = peer_ranking(session, parent_id, period.start, period.end, by=by, highest=highest)
    ids = [r.unit_id for r in rows]
    acts = peer_activities(session, parent_id, period.start, period.end)
    quotas = quotas_for(session, ids)
    exempt = unit_exemptions(session, ids, period.start, period.end)
    return [
        UnitProgress(
            unit_id=r.unit_id,
            name=r.name,
            place=r.place,
            articles=r.articles,
            score=r.score,
            activities=acts.get(r.unit_id, (0, 0))[0],
            participants=acts.get(r.unit_id, (0, 0))[1],
            need_articles=quotas[r.unit_id][0],
            need_activities=quotas[r.unit_id][1],
            exemption=exempt.get(r.unit_id),
        )
        for r in rows
    ]
