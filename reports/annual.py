"""The figures a street's year-end work report quotes (see shared/context): articles by outlet and level,
the place among the zone's units, activities by type and participants, talks and audiences, monthly trend."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from reports.periods import month_keys, year_period
from reports.workbook import fill_sheet
from storage.models import Unit
from storage.official import imported_months, official_totals
from storage.rankings import activity_types, breakdown, monthly_trend, peer_ranking, unit_totals

TALK_TYPE = "理论宣讲"


@dataclass(frozen=True)
class AnnualFigures:
    unit: str
    year: int
    articles: int
    score: float
    by_outlet: list[tuple[str, int, float]]
    by_level: list[tuple[str, int, float]]
    zone_place: tuple[int, int, str] | None  # (place, of how many, whose figures)
    activities: int
    participants: int
    by_type: list[tuple[str, int, int]]
    monthly: dict[int, tuple[int, int]]

    @property
    def talks(self) -> tuple[int, int]:
        return next(((n, p) for kind, n, p in self.by_type if kind == TALK_TYPE), (0, 0))


def annual_figures(session: Session, unit: Unit, year: int) -> AnnualFigures:
    period = year_period(year)
    articles, score = unit_totals(session, unit.id, period.start, period.end)
    by_type = activity_types(session, unit.id, period.start, period.end)
    return AnnualFigures(
        unit=unit.name,
        year=year,
        articles=articles,
        score=score,
        by_outlet=breakdown(session, unit.id, period.start, period.end, "outlet"),
        by_level=breakdown(session, unit.id, period.start, period.end, "level"),
        zone_place=_zone_place(session, unit, year),
        activities=sum(n for _, n, _ in by_type),
        participants=sum(p for _, _, p in by_type),
        by_type=by_type,
        monthly=monthly_trend(session, unit.id, year),
    )


def _zone_place(session: Session, unit: Unit, year: int) -> tuple[int, int, str] | None:
    """The unit's place among its parent's units: official figures when any month was imported."""
    if unit.parent_id is None:
        return None
    period = year_period(year)
    months = imported_months(session, month_keys(period))
    if months:
        totals = official_totals(session, months)
        siblings = [r.unit_id for r in peer_ranking(session, unit.parent_id, period.start, period.end)]
        mine = totals.get(unit.id, 0)
        return (
            1 + sum(1 for s in siblings if totals.get(s, 0) > mine),
            len(siblings),
            f"开发区官方数据（{len(months)}个月）",
        )
    rows = peer_ranking(session, unit.parent_id, period.start, period.end)
    place = next(r.place for r in rows if r.unit_id == unit.id)
    return place, len(rows), "投稿通自有统计"


def annual_text(f: AnnualFigures) -> str:
    lines = [f"【{f.unit}{f.year}年宣传信息工作数据】", f"上稿{f.articles}篇，积分{f.score:g}。"]
    if f.by_outlet:
        lines.append("按媒体：" + "，".join(f"{name}{n}篇" for name, n, _ in f.by_outlet))
        lines.append("按级别：" + "，".join(f"{level}{n}篇" for level, n, _ in f.by_level))
    if f.zone_place:
        place, of, source = f.zone_place
        lines.append(f"在开发区{of}家单位中上稿量排名第{place}（{source}）。")
    lines.append(
        f"开展活动{f.activities}次，参与{f.participants}人次"
        + ("：" + "，".join(f"{k}{n}次{p}人次" for k, n, p in f.by_type) if f.by_type else "。")
    )
    talks, audience = f.talks
    lines.append(f"其中理论宣讲{talks}场，覆盖{audience}人次。")
    lines.append("月度上稿：" + " ".join(f"{m}月{f.monthly[m][0]}" for m in range(1, 13)))
    lines.append("月度活动：" + " ".join(f"{m}月{f.monthly[m][1]}" for m in range(1, 13)))
    return "\n".join(lines)


def annual_workbook(f: AnnualFigures) -> bytes:
    from openpyxl import Workbook  # loaded only when a workbook is made

    book = Workbook()
    summary = book.active
    summary.title = "总览"
    place = f"第{f.zone_place[0]}/{f.zone_place[1]}（{f.zone_place[2]}）" if f.zone_place else ""
    talks, audience = f.talks
    fill_sheet(
        summary,
        ["项目", "数值"],
        [
            ["上稿量", f.articles],
            ["积分", f.score],
            ["开发区排名", place],
            ["活动次数", f.activities],
            ["参与人次", f.participants],
            ["理论宣讲场次", talks],
            ["宣讲覆盖人次", audience],
        ],
    )
    fill_sheet(book.create_sheet("按媒体"), ["媒体", "上稿量", "积分"], [list(r) for r in f.by_outlet])
    fill_sheet(book.create_sheet("按级别"), ["级别", "上稿量", "积分"], [list(r) for r in f.by_level])
    fill_sheet(book.create_sheet("活动类型"), ["类型", "次数", "参与人次"], [list(r) for r in f.by_type])
    fill_sheet(
        book.create_sheet("月度趋势"),
        ["月份", "上稿量", "活动次数"],
        [[f"{m}月", *f.monthly[m]] for m in range(1, 13)],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
