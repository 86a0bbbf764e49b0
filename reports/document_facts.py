"""What the 通报 document says beyond the chat text, read through the same queries as 排名/通报/导出: the
change from the previous period, the leading units and the fastest risers, the units with no output, each
unit's articles by level, the typical articles, the zone place, and the org file's `bulletin:` texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from reports.bulletin import BulletinFacts
from reports.periods import Period, previous
from reports.progress import UnitProgress, peer_progress
from reports.zone import ZonePlace, zone_place
from storage.bulletin_settings import BulletinSettings, load_bulletin_settings
from storage.listing import articles_in
from storage.models import Unit
from storage.org import active_children
from storage.orgspec_settings import LEVELS
from storage.rankings import breakdown

SHOWN_LEVELS = ("国家级", "自治区级", "市级", "区级", "街道")  # 省级 too, when any article has it
TYPICAL = 5  # how many 典型稿件
KIND_WORDS = {"community": "社区", "office": "办公室", "town": "镇", "street": "街道", "village": "嘎查村"}


@dataclass(frozen=True)
class TypicalArticle:
    title: str
    unit: str
    outlet: str
    level: str
    published_on: date
    placement: str
    score: float


@dataclass(frozen=True)
class DocumentFacts:
    core: BulletinFacts
    previous: Period | None
    before: dict[int, int]  # unit id → articles in the previous period
    levels: dict[int, dict[str, int]]  # unit id → level → articles
    columns: tuple[str, ...]  # the level columns of the table
    typical: list[TypicalArticle]
    zone: ZonePlace | None  # by official figures only
    settings: BulletinSettings
    addressees: str  # 主送: 各社区、各办公室

    @property
    def before_total(self) -> int | None:
        return sum(self.before.values()) if self.previous else None

    def leading(self) -> list[UnitProgress]:
        """Places 1–3 by 上稿量 (ties share a place), units with articles only."""
        return [u for u in self.core.units if u.place <= 3 and u.articles]

    def risers(self) -> list[tuple[UnitProgress, int]]:
        """The three biggest increases over the previous period (ties included), increases only."""
        if self.previous is None:
            return []
        gains = [(u, u.articles - self.before.get(u.unit_id, 0)) for u in self.core.units]
        gains = sorted((g for g in gains if g[1] > 0), key=lambda g: -g[1])
        return [g for g in gains if sum(1 for _, other in gains if other > g[1]) < 3]

    def silent(self) -> list[UnitProgress]:
        """Units with no article in the period and no exemption."""
        return [u for u in self.core.units if not u.articles and u.exemption is None]


def document_facts(session: Session, parent: Unit, core: BulletinFacts) -> DocumentFacts:
    period = core.period
    before_period = previous(period)
    before = (
        {u.unit_id: u.articles for u in peer_progress(session, parent.id, before_period)}
        if before_period
        else {}
    )
    levels = {
        u.unit_id: {lv: n for lv, n, _ in breakdown(session, u.unit_id, period.start, period.end, "level")}
        for u in core.units
    }
    present = {lv for lv, _, _ in core.by_level}
    return DocumentFacts(
        core=core,
        previous=before_period,
        before=before,
        levels=levels,
        columns=tuple(lv for lv in LEVELS if lv in SHOWN_LEVELS or lv in present),
        typical=_typical(session, parent, period),
        zone=zone_place(session, parent, period, own_count=False),
        settings=load_bulletin_settings(session),
        addressees=_addressees(active_children(session, parent.id)),
    )


def _typical(session: Session, parent: Unit, period: Period) -> list[TypicalArticle]:
    """The period's highest-scored counted articles (the 导出 sheet's rows), earliest first among equals."""
    counted = [a for a in articles_in(session, parent.id, period.start, period.end) if a.status == "counted"]
    best = sorted(counted, key=lambda a: (-a.score, a.published_on, a.no))[:TYPICAL]
    return [
        TypicalArticle(
            a.title, a.unit.name, a.outlet.name, a.outlet.level, a.published_on, a.placement, a.score
        )
        for a in best
    ]


def _addressees(children: list[Unit]) -> str:
    """各社区、各办公室 from the kinds of the units addressed (各单位 for any other kind)."""
    words: list[str] = []
    for child in children:
        word = "各" + KIND_WORDS.get(child.kind, "单位")
        if word not in words:
            words.append(word)
    return "、".join(words or ["各单位"])
