"""通报: a leader asks for the bulletin of a period (reports/bulletin.py writes it)."""

from __future__ import annotations

import re

from handlers.command import Command, asked, keyword_body
from handlers.parsing.periods import Period, find_period, parse_period, unread_time
from handlers.types import Ctx, Incoming, Reply
from reports.bulletin import compose_bulletin
from storage.org import ranking_parent

KEYWORDS = ("通报", "月报", "生成通报")
EXAMPLE = "通报、通报 上月、通报 2023年3月"
_ASKED = re.compile(r"通报|月报")


def match(msg: Incoming, ctx: Ctx) -> Period | None:
    """`通报 上月`, or a question: `看一下三月份的通报`."""
    rest = keyword_body(msg, KEYWORDS)
    keyword = rest is not None
    if rest is None:
        rest = asked(msg, _ASKED)
    if rest is None:
        return None
    period, rest = find_period(rest, ctx.today)
    if keyword and period is None:
        unread_time(rest, EXAMPLE)
    return period or parse_period("", ctx.today)


def show_bulletin(ctx: Ctx, period: Period) -> Reply:
    """通报 [期间]：生成通报文字（默认本月截至今天）"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可通报的下属单位。")
    return Reply(compose_bulletin(ctx.session, parent, period, ctx.now))


COMMAND = Command("通报", match, show_bulletin, example=EXAMPLE, roles=("leader", "admin"))
