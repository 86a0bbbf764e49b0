"""导出: a leader asks for the period's workbook; it is built outside the callback and sent as a file."""

from __future__ import annotations

from handlers.parsing.periods import Period, parse_period
from handlers.registry import Command, keyword_body
from handlers.reports.workbook import workbook_name
from handlers.types import Ctx, Incoming, Reply
from storage import tasks
from storage.org import ranking_parent

EXAMPLE = "导出、导出 上月、导出 2023年"


def match(msg: Incoming, ctx: Ctx) -> Period | None:
    rest = keyword_body(msg, ("导出", "导出表格", "下载"))
    return None if rest is None else parse_period(rest, ctx.today)


def export(ctx: Ctx, period: Period) -> Reply:
    """导出 [期间]：生成统计表（排名、稿件、活动、媒体、任务），以文件发给您"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可导出的下属单位。")
    payload = {
        "parent_id": parent.id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
    }
    tasks.create(ctx.session, "export", ctx.member, payload)
    return Reply(f"正在生成《{workbook_name(parent, period)}》，稍后以文件发给您。")


COMMAND = Command("导出", match, export, example=EXAMPLE, roles=("leader", "admin"))
