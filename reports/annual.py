"""The figures a street's year-end work report quotes (see shared/context): articles by outlet and level,
the place among the zone's units, activities by type and participants, talks and audiences, monthly trend;
as a workbook here, as the report's own paragraphs in reports/annual_report.py."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from reports.periods import year_period
from reports.workbook import fill_sheet
from reports.zone import ZonePlace, zone_place
from storage.models import Unit
from storage.rankings import activity_types, breakdown, monthly_trend, unit_totals

TALK_TYPE = "理论宣讲"


@dataclass(frozen=True)
class AnnualFigures:
    unit: str
    year: int
    articles: int
    score: float
    by_outlet: list[tuple[str, int, float]]
    by_level: list[tuple[str, int, float]]
    zone_place: ZonePlace | None  # official figures where any month was imported, else the bot's count
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
        zone_place=zone_place(session, unit, period),
        activities=sum(n for _, n, _ in by_type),
        participants=sum(p for _, _, p in by_type),
        by_type=by_type,
        monthly=monthly_trend(session, unit.id, year),
    )


def annual_workbook(f: AnnualFigures) -> bytes:
    from openpyxl import Workbook  # loaded only when a workbook is made

    book = Workbook()
    summary = book.active
    summary.title = "总览"
    z = f.zone_place
    place = f"第{z.place}/{z.of}（{z.source}）" if z else ""
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
