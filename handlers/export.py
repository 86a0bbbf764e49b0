"""导出: a leader asks for the period's workbook; it is built outside the callback and sent as a file."""

from __future__ import annotations

import re

from handlers.command import Command, asked, keyword_body
from handlers.parsing.periods import Period, find_period, parse_period, unread_time
from handlers.types import Ctx, Incoming, Reply
from reports.workbook import workbook_name
from storage import tasks
from storage.org import ranking_parent

EXAMPLE = "导出、导出 上月、导出 2023年"
_ASKED = re.compile(r"导出|统计表|表格|excel|下载|台账", re.IGNORECASE)


def match(msg: Incoming, ctx: Ctx) -> Period | None:
    """`导出 上月`, or a request: `导出上个月的统计表`, `要一下今年的表格`."""
    rest = keyword_body(msg, ("导出", "导出表格", "下载"))
    keyword = rest is not None
    if rest is None:
        rest = asked(msg, _ASKED)
    if rest is None:
        return None
    period, rest = find_period(rest, ctx.today)
    if keyword and period is None:
        unread_time(rest, EXAMPLE)
    return period or parse_period("", ctx.today)


def export(ctx: Ctx, period: Period) -> Reply:
    """导出 [期间]：生成统计表（排名、稿件、活动、媒体、任务），以文件发给您"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可导出的下属单位。")
    tasks.create_for_period(ctx.session, "export", ctx.member, parent.id, period)
    return Reply(f"正在生成《{workbook_name(parent, period)}》，稍后以文件发给您。")


COMMAND = Command("导出", match, export, example=EXAMPLE, roles=("leader", "admin"))
