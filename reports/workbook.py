"""The export workbook (导出 / tougao report --xlsx): ranking, articles, activities, outlets and levels, quotas."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from reports.periods import Period
from reports.progress import UnitProgress, peer_progress
from storage.listing import activities_in, articles_in
from storage.models import Unit
from storage.org import publicists_of
from storage.rankings import breakdown

if TYPE_CHECKING:  # openpyxl (with numpy) is loaded only when a workbook is made: not in every web worker
    from openpyxl.worksheet.worksheet import Worksheet

STATUS = {"counted": "计入", "withdrawn": "已撤回", "rejected": "不计入"}
HEADER_TINT = "DDEBF7"


def build_workbook(session: Session, parent: Unit, period: Period, now: datetime) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    units = peer_progress(session, parent.id, period)
    _ranking(book.active, units)
    _articles(book.create_sheet("稿件"), session, parent, period, now)
    _activities(book.create_sheet("活动"), session, parent, period)
    _outlets(book.create_sheet("媒体与级别"), session, parent, period)
    _quotas(book.create_sheet("任务完成"), session, units, period)
    book.properties.title = f"{parent.name}{period.label}宣传信息统计"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_name(parent: Unit, period: Period) -> str:
    return f"{parent.name}{period.label}宣传信息统计.xlsx"


def _ranking(ws: Worksheet, units: list[UnitProgress]) -> None:
    ws.title = "排名"
    rows = [[u.place, u.name, u.articles, u.score, u.activities, u.participants] for u in units]
    fill_sheet(ws, ["名次", "单位", "上稿量", "积分", "活动次数", "参与人次"], rows)


def _articles(ws: Worksheet, session: Session, parent: Unit, period: Period, now: datetime) -> None:
    headers = [
        "编号",
        "刊发日期",
        "单位",
        "标题",
        "媒体",
        "级别",
        "版面",
        "批示",
        "积分",
        "补报",
        "状态",
        "报送人",
        "登记时间",
        "链接",
    ]
    rows = [
        [
            a.no,
            a.published_on,
            a.unit.name,
            a.title,
            a.outlet.name,
            a.outlet.level,
            a.placement,
            a.endorsement or "",
            a.score,
            "是" if a.late else "",
            STATUS.get(a.status, a.status),
            a.member.name,
            a.created_at.astimezone(now.tzinfo).replace(tzinfo=None),
            a.url or "",
        ]
        for a in articles_in(session, parent.id, period.start, period.end)
    ]
    fill_sheet(ws, headers, rows)


def _activities(ws: Worksheet, session: Session, parent: Unit, period: Period) -> None:
    rows = [
        [
            a.no,
            a.held_on,
            a.unit.name,
            a.type,
            a.title,
            a.participants,
            a.place,
            a.member.name,
            STATUS.get(a.status, a.status),
        ]
        for a in activities_in(session, parent.id, period.start, period.end)
    ]
    fill_sheet(ws, ["编号", "日期", "单位", "类型", "名称", "参与人数", "地点", "报送人", "状态"], rows)


def _outlets(ws: Worksheet, session: Session, parent: Unit, period: Period) -> None:
    rows = [
        [name, n, score]
        for name, n, score in breakdown(session, parent.id, period.start, period.end, "outlet")
    ]
    rows.append([])
    rows.append(["级别", "上稿量", "积分"])
    rows += [
        [lv, n, score] for lv, n, score in breakdown(session, parent.id, period.start, period.end, "level")
    ]
    fill_sheet(ws, ["媒体", "上稿量", "积分"], rows)
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "级别":  # the second table's header
            for cell in row:
                cell.font, cell.fill = _header_style()[:2]


def _quotas(ws: Worksheet, session: Session, units: list[UnitProgress], period: Period) -> None:
    people = publicists_of(session, [u.unit_id for u in units])
    monthly = period.is_month
    rows = []
    for u in units:
        state = "免报" if u.exemption else ("未完成" if u.behind else "已完成") if monthly else "—"
        rows.append(
            [
                u.name,
                u.articles,
                u.need_articles if monthly else "",
                u.activities,
                u.need_activities if monthly else "",
                state,
                "、".join(m.name for m in people.get(u.unit_id, [])),
            ]
        )
    fill_sheet(ws, ["单位", "上稿量", "上稿任务", "活动次数", "活动任务", "完成情况", "宣传员"], rows)


def _header_style():
    """(font, fill, alignment) of a header cell."""
    from openpyxl.styles import Alignment, Font, PatternFill

    return Font(bold=True), PatternFill("solid", fgColor=HEADER_TINT), Alignment(horizontal="center")


def fill_sheet(ws: Worksheet, headers: list[str], rows: list[list]) -> None:
    """Headers bold on a tint, frozen; dates as dates; text always as text; columns wide enough for their
    Chinese text."""
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = _header_style()
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            as_text(cell)
    ws.freeze_panes = "A2"
    for column in ws.iter_cols(min_row=1, max_row=ws.max_row):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
        width = max((_display_width(c.value) for c in column), default=8)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


FORMULA_STARTS = ("=", "+", "-", "@")


def as_text(cell) -> None:
    """Titles, names and links come from users: openpyxl writes a string that starts with "=" as a formula
    (=HYPERLINK("http://evil…") became a live link in every export). Such a cell is stored as a string,
    with Excel's quote prefix so that editing it does not turn it into a formula either."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _display_width(value: object) -> int:
    if value is None:
        return 0
    if hasattr(value, "isoformat"):
        return 16 if isinstance(value, datetime) else 10
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))
