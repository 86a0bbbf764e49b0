"""未报: the units below quota this month, with their publicists; excused units are marked, not failed."""

from __future__ import annotations

from handlers.parsing.periods import month
from handlers.parsing.text import normalise
from handlers.progress import peer_progress
from handlers.registry import Command
from handlers.types import Ctx, Incoming, Reply
from storage.org import publicists_of, ranking_parent

KEYWORDS = {"未报", "未完成", "谁没报", "落后单位"}


def match(msg: Incoming, ctx: Ctx) -> bool | None:
    return True if msg.msg_type == "text" and normalise(msg.content) in KEYWORDS else None


def show_shortfall(ctx: Ctx, _args: object) -> Reply:
    """未报：本月未完成任务的单位及其宣传员"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可查看的下属单位。")
    period = month(ctx.today.year, ctx.today.month)
    units = peer_progress(ctx.session, parent.id, period)
    behind = [u for u in units if u.behind]
    exempt = [u for u in units if u.exemption]
    if not behind:
        lines = [f"{parent.name}{period.label}各单位均已完成任务（截至{ctx.today:%m月%d日}）。"]
    else:
        people = publicists_of(ctx.session, [u.unit_id for u in behind])
        lines = [f"{parent.name}{period.label}未完成任务的单位（截至{ctx.today:%m月%d日}）："]
        for u in behind:
            names = "、".join(m.name for m in people.get(u.unit_id, [])) or "未设宣传员"
            lines.append(f"• {u.name}：{u.shortfall()} —— 宣传员：{names}")
        done = len(units) - len(behind) - len(exempt)
        lines.append(f"其余{done}个单位已完成。")
    if exempt:
        lines.append("免报：" + "；".join(u.exemption_text() for u in exempt))
    return Reply("\n".join(lines))


COMMAND = Command("未报", match, show_shortfall, example="未报", roles=("leader", "admin"))
