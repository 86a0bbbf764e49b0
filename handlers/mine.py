"""我的: the sender's unit this month — articles by outlet, score, activities, rank, quota progress."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.command import Command, asked
from handlers.parsing.periods import Period, find_period, month
from handlers.parsing.text import clean
from handlers.types import Ctx, Incoming, Reply
from storage.models import Unit
from storage.org import active_units, has_children, quota_for, ranking_parent
from storage.rankings import activity_totals, breakdown, peer_ranking, unit_totals
from storage.scoring import load_rules

KEYWORDS = {"我的", "本月", "我的单位", "本单位", "我单位", "本月情况", "我的情况", "完成情况", "任务进度"}
_SELF = re.compile(r"我们|我的|我单位|本单位|本社区|咱们|咱|我社区|我们单位|我这|我还|我报")
_NOT_MINE = re.compile(r"改成|改为|设为|设置|调整|调成|调到|定为|排名|排第|名次")
_WHAT = re.compile(r"几篇|多少|还差|差几|完成|情况|进度|报了|上了|上稿|任务|够了|够不够|统计")


@dataclass(frozen=True)
class MineArgs:
    period: Period
    unit: Unit | None = None  # a unit the question names (光明社区这个月的任务完成了吗); None: the sender's


def match(msg: Incoming, ctx: Ctx) -> MineArgs | None:
    """`我的`, `本月`, or a question about one unit: `我们社区还差几篇`, `光明社区这个月的任务完成了吗`."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    if text in KEYWORDS:
        return MineArgs(month(ctx.today.year, ctx.today.month))
    head = text.split(" ", 1)
    if len(head) == 2 and head[0] in KEYWORDS:  # 我的 12月
        period, rest = find_period(head[1], ctx.today)
        if period is not None and not rest.strip():
            return MineArgs(period)
    if not asked(msg, _WHAT) or _NOT_MINE.search(text) or _names_outlet(ctx, text):
        return None
    named = _unit_named(ctx, text)
    if not _SELF.search(text) and named is None:
        return None
    period, _rest = find_period(text, ctx.today)
    return MineArgs(period or month(ctx.today.year, ctx.today.month), named)


def _unit_named(ctx: Ctx, text: str) -> Unit | None:
    """The one unit without units under it that the question names (its name or alias)."""
    found = [u for u in active_units(ctx.session) if any(w and w in text for w in (u.name, *u.aliases))]
    leaves = [u for u in found if not has_children(ctx.session, u.id)]
    return leaves[0] if len(leaves) == 1 else None


def _names_outlet(ctx: Ctx, text: str) -> bool:
    """`今天通辽日报上了我们社区的稿子` reports an article; it is not a question about the unit."""
    from handlers.article_drafts import names
    from handlers.parsing.outlets import find_outlets

    return bool(find_outlets(text, names(ctx)))


def show_mine(ctx: Ctx, args: MineArgs) -> Reply:
    """我的：本单位本月上稿、积分、活动、排名和任务完成情况（也可问「我们社区还差几篇」）"""
    unit, period = args.unit or ctx.member.unit, args.period
    outlets = breakdown(ctx.session, unit.id, period.start, period.end)
    highest = load_rules(ctx.session).same_story == "highest"
    count, score = unit_totals(ctx.session, unit.id, period.start, period.end, highest)
    activities, people = activity_totals(ctx.session, unit.id, period.start, period.end)
    as_of = f"（截至{ctx.today:%m月%d日}）" if period.end >= ctx.today else ""
    lines = [f"{unit.name} {period.label}{as_of}"]
    if outlets:
        detail = "，".join(f"{name}{n}篇" for name, n, _ in outlets)
        lines.append(f"上稿{count}篇，积分{score:g}：{detail}")
    else:
        lines.append("本期还没有上稿。")
    lines.append(f"活动{activities}次，参与{people}人次")
    lines.append(_rank_line(ctx, unit, period))
    if period.is_month:
        lines.append(_quota_line(ctx, unit, count, activities))
    return Reply("\n".join(line for line in lines if line))


def _rank_line(ctx: Ctx, unit: Unit, period: Period) -> str:
    parent = ranking_parent(ctx.session, unit)
    if parent is None or parent.id == unit.id:
        return ""
    highest = load_rules(ctx.session).same_story == "highest"
    rows = peer_ranking(ctx.session, parent.id, period.start, period.end, highest=highest)
    mine = next((r for r in rows if r.unit_id == unit.id), None)
    return f"在{parent.name}{len(rows)}个单位中排第{mine.place}名" if mine else ""


def _quota_line(ctx: Ctx, unit: Unit, articles: int, activities: int) -> str:
    need_articles, need_activities = quota_for(ctx.session, unit.id)
    if not need_articles and not need_activities:
        return ""
    parts = [
        _progress("上稿", articles, need_articles, "篇"),
        _progress("活动", activities, need_activities, "次"),
    ]
    return "本月任务：" + "；".join(p for p in parts if p)


def _progress(label: str, done: int, need: int, unit: str) -> str:
    if not need:
        return ""
    if done >= need:
        return f"{label}{done}/{need}{unit}，已完成"
    return f"{label}{done}/{need}{unit}，还差{need - done}{unit}"


COMMAND = Command("我的", match, show_mine, example="我的")
