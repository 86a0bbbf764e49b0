"""The bulletin (通报) of a period for one unit's children: totals, outlets and levels, ranking, activities,
quota status and 补报. The chat's 通报, the monthly push and `tougao report` all print this text."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from reports.periods import Period
from reports.progress import UnitProgress, peer_progress
from storage.models import Unit
from storage.rankings import activity_types, breakdown, late_articles


def compose_bulletin(session: Session, parent: Unit, period: Period, now: datetime) -> str:
    """The bulletin text for `parent`'s units; it goes out even when nobody reported, and says so."""
    units = peer_progress(session, parent.id, period)
    articles, score = sum(u.articles for u in units), sum(u.score for u in units)
    activities, people = sum(u.activities for u in units), sum(u.participants for u in units)
    lines = [f"【{parent.name}宣传信息工作通报】{period.label}"]
    if not articles and not activities:
        lines.append("本期各单位均未报送上稿和活动。")
    else:
        lines.append(f"一、总体：上稿{articles}篇，积分{score:g}；开展活动{activities}次，参与{people}人次。")
        lines += _outlets(session, parent, period)
        lines += _ranking(units)
        lines += _activities(session, parent, period)
    lines += _quota(units, period)
    lines += _late(session, parent, period, now.tzinfo)
    lines.append(f"（数据截至{now:%Y年%m月%d日 %H:%M}）")
    return "\n".join(lines)


def _outlets(session: Session, parent: Unit, period: Period) -> list[str]:
    by_outlet = breakdown(session, parent.id, period.start, period.end, by="outlet")
    by_level = breakdown(session, parent.id, period.start, period.end, by="level")
    return [
        "二、按媒体：" + "，".join(f"{name}{n}篇" for name, n, _ in by_outlet),
        "　　按级别：" + "，".join(f"{level}{n}篇" for level, n, _ in by_level),
    ]


def _ranking(units: list[UnitProgress]) -> list[str]:
    lines = ["三、单位排名（按上稿量）："]
    lines += [f"　{u.place}. {u.name} {u.articles}篇（积分{u.score:g}，活动{u.activities}次）" for u in units]
    top = [u.name for u in units if u.place == 1 and u.articles]
    if top:
        lines.append(f"　上稿最多：{'、'.join(top)}（{units[0].articles}篇）。")
    return lines


def _activities(session: Session, parent: Unit, period: Period) -> list[str]:
    kinds = activity_types(session, parent.id, period.start, period.end)
    if not kinds:
        return ["四、活动：本期未登记活动。"]
    return ["四、活动：" + "，".join(f"{kind}{n}次{p}人次" for kind, n, p in kinds)]


def _quota(units: list[UnitProgress], period: Period) -> list[str]:
    if not period.is_month:
        return []
    behind = [u for u in units if u.behind]
    exempt = [u for u in units if u.exemption]
    lines = [
        "五、未完成任务："
        + ("；".join(f"{u.name}：{u.shortfall()}" for u in behind) if behind else "无，各单位均已完成。")
    ]
    if exempt:
        lines.append("　　免报：" + "；".join(u.exemption_text() for u in exempt))
    return lines


def _late(session: Session, parent: Unit, period: Period, tz: tzinfo | None) -> list[str]:
    """Articles for earlier months whose bulletin had gone out, reported during this period."""
    since = datetime.combine(period.start, time.min, tz)
    until = datetime.combine(period.end + timedelta(days=1), time.min, tz)
    late = late_articles(session, parent.id, period.start, since, until)
    if not late:
        return []
    items = [
        f"第{a.no}号 {a.unit.name}《{a.title}》（{a.published_on:%Y年%m月}，{a.outlet.name}）" for a in late
    ]
    return ["六、补报（计入刊发当月）：" + "；".join(items)]
