"""The bulletin (通报) of a period for one unit's children: totals, outlets and levels, ranking, activities,
quota status and 补报. The chat's 通报, the monthly push and `tougao report` all print this text, and the
Word document (reports/bulletin_document.py) is written from the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from reports.periods import Period
from reports.progress import UnitProgress, peer_progress
from storage.models import Unit
from storage.rankings import activity_types, breakdown, late_articles


@dataclass(frozen=True)
class LateArticle:
    """A 补报: an earlier month's article reported after that month's bulletin had gone out."""

    no: int
    unit: str
    title: str
    published_on: date
    outlet: str


@dataclass(frozen=True)
class BulletinFacts:
    """Every figure of a bulletin, read once: the text and the document both print these."""

    parent: str
    period: Period
    now: datetime
    units: list[UnitProgress]  # in ranking order (ties share a place)
    by_outlet: list[tuple[str, int, float]]  # (outlet, articles, score), biggest first
    by_level: list[tuple[str, int, float]]
    by_type: list[tuple[str, int, int]]  # (activity type, activities, participants)
    late: list[LateArticle]

    @property
    def articles(self) -> int:
        return sum(u.articles for u in self.units)

    @property
    def score(self) -> float:
        return sum(u.score for u in self.units)

    @property
    def activities(self) -> int:
        return sum(u.activities for u in self.units)

    @property
    def participants(self) -> int:
        return sum(u.participants for u in self.units)


def bulletin_facts(session: Session, parent: Unit, period: Period, now: datetime) -> BulletinFacts:
    start, end = period.start, period.end
    return BulletinFacts(
        parent=parent.name,
        period=period,
        now=now,
        units=peer_progress(session, parent.id, period),
        by_outlet=breakdown(session, parent.id, start, end, by="outlet"),
        by_level=breakdown(session, parent.id, start, end, by="level"),
        by_type=activity_types(session, parent.id, start, end),
        late=_late(session, parent, period, now),
    )


def compose_bulletin(session: Session, parent: Unit, period: Period, now: datetime) -> str:
    """The bulletin text for `parent`'s units; it goes out even when nobody reported, and says so."""
    return bulletin_text(bulletin_facts(session, parent, period, now))


def bulletin_text(f: BulletinFacts) -> str:
    lines = [f"【{f.parent}宣传信息工作通报】{f.period.label}"]
    if not f.articles and not f.activities:
        lines.append("本期各单位均未报送上稿和活动。")
    else:
        lines.append(
            f"一、总体：上稿{f.articles}篇，积分{f.score:g}；开展活动{f.activities}次，参与{f.participants}人次。"
        )
        lines += _outlets(f)
        lines += _ranking(f.units)
        lines += _activities(f)
    lines += _quota(f)
    if f.late:
        items = [f"第{a.no}号 {a.unit}《{a.title}》（{a.published_on:%Y年%m月}，{a.outlet}）" for a in f.late]
        lines.append("六、补报（计入刊发当月）：" + "；".join(items))
    lines.append(f"（数据截至{f.now:%Y年%m月%d日 %H:%M}）")
    return "\n".join(lines)


def _outlets(f: BulletinFacts) -> list[str]:
    return [
        "二、按媒体：" + "，".join(f"{name}{n}篇" for name, n, _ in f.by_outlet),
        "　　按级别：" + "，".join(f"{level}{n}篇" for level, n, _ in f.by_level),
    ]


def _ranking(units: list[UnitProgress]) -> list[str]:
    lines = ["三、单位排名（按上稿量）："]
    lines += [f"　{u.place}. {u.name} {u.articles}篇（积分{u.score:g}，活动{u.activities}次）" for u in units]
    top = [u.name for u in units if u.place == 1 and u.articles]
    if top:
        lines.append(f"　上稿最多：{'、'.join(top)}（{units[0].articles}篇）。")
    return lines


def _activities(f: BulletinFacts) -> list[str]:
    if not f.by_type:
        return ["四、活动：本期未登记活动。"]
    return ["四、活动：" + "，".join(f"{kind}{n}次{p}人次" for kind, n, p in f.by_type)]


def _quota(f: BulletinFacts) -> list[str]:
    if not f.period.is_month:
        return []
    behind = [u for u in f.units if u.behind]
    exempt = [u for u in f.units if u.exemption]
    lines = [
        "五、未完成任务："
        + ("；".join(f"{u.name}：{u.shortfall()}" for u in behind) if behind else "无，各单位均已完成。")
    ]
    if exempt:
        lines.append("　　免报：" + "；".join(u.exemption_text() for u in exempt))
    return lines


def _late(session: Session, parent: Unit, period: Period, now: datetime) -> list[LateArticle]:
    """Articles for earlier months whose bulletin had gone out, reported during this period."""
    since = datetime.combine(period.start, time.min, now.tzinfo)
    until = datetime.combine(period.end + timedelta(days=1), time.min, now.tzinfo)
    return [
        LateArticle(a.no, a.unit.name, a.title, a.published_on, a.outlet.name)
        for a in late_articles(session, parent.id, period.start, since, until)
    ]


def document_title(parent: Unit | str, period: Period) -> list[str]:
    """The 通报 document's title lines: 新城街道关于2026年10月 / 新闻宣传信息报送情况的通报."""
    name = parent if isinstance(parent, str) else parent.name
    return [f"{name}关于{period.label}", "新闻宣传信息报送情况的通报"]


def document_name(parent: Unit, period: Period) -> str:
    """The file name of the 通报 document (reports/bulletin_document.py builds it)."""
    return "".join(document_title(parent, period)) + ".docx"
