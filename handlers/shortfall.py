"""未报: the units below quota in a month (this month by default), with their publicists; excused units are
marked, not failed."""

from __future__ import annotations

import re

from handlers.command import Command, asked, keyword_body
from handlers.parsing import ParseError
from handlers.parsing.periods import Period, find_period, month, unread_time
from handlers.types import Ctx, Incoming, Reply
from reports.progress import peer_progress
from storage.org import publicists_of, ranking_parent

KEYWORDS = ("未报", "未完成", "谁没报", "落后单位")
EXAMPLE = "未报、未报 上月、上个月谁没报"
_ASKED = re.compile(r"谁没报|谁还没报|未报|没报|没完成|未完成|落后|没交|没上稿|差任务|完成任务")
SELF = re.compile(r"我们|我的|我单位|本单位|本社区|咱们|我社区|我还")


def match(msg: Incoming, ctx: Ctx) -> Period | None:
    rest = keyword_body(msg, KEYWORDS)
    keyword = rest is not None
    if rest is None:
        rest = asked(msg, _ASKED)
        if rest is None or SELF.search(rest):
            return None  # 我们社区还差几篇 is 我的
    period, rest = find_period(rest, ctx.today)
    if keyword and period is None:
        unread_time(rest, EXAMPLE)
    if period is not None and not period.is_month:
        raise ParseError("未报按月查看，请写一个月份", EXAMPLE)
    return period or month(ctx.today.year, ctx.today.month)


def show_shortfall(ctx: Ctx, period: Period) -> Reply:
    """未报 [月份]：未完成任务的单位及其宣传员（默认本月）"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可查看的下属单位。")
    units = peer_progress(ctx.session, parent.id, period)
    behind = [u for u in units if u.behind]
    exempt = [u for u in units if u.exemption]
    as_of = f"截至{ctx.today:%m月%d日}" if period.end >= ctx.today else "全月"
    if not behind:
        lines = [f"{parent.name}{period.label}各单位均已完成任务（{as_of}）。"]
    else:
        people = publicists_of(ctx.session, [u.unit_id for u in behind])
        lines = [f"{parent.name}{period.label}未完成任务的单位（{as_of}）："]
        for u in behind:
            names = "、".join(m.name for m in people.get(u.unit_id, [])) or "未设宣传员"
            lines.append(f"• {u.name}：{u.shortfall()} —— 宣传员：{names}")
        done = len(units) - len(behind) - len(exempt)
        lines.append(f"其余{done}个单位已完成。")
    if exempt:
        lines.append("免报：" + "；".join(u.exemption_text() for u in exempt))
    return Reply("\n".join(lines))


COMMAND = Command("未报", match, show_shortfall, example="未报", roles=("leader", "admin"))
