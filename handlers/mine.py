"""我的: the sender's unit this month — articles by outlet, score, activities, rank, quota progress."""

from __future__ import annotations

from handlers.parsing.periods import Period, month
from handlers.parsing.text import normalise
from handlers.registry import Command
from handlers.types import Ctx, Incoming, Reply
from storage.models import Unit
from storage.org import quota_for, ranking_parent
from storage.rankings import activity_totals, breakdown, peer_ranking, unit_totals
from storage.scoring import load_rules

KEYWORDS = {"我的", "本月", "我的单位", "本单位", "我单位"}


def match(msg: Incoming, ctx: Ctx) -> bool | None:
    if msg.msg_type == "text" and normalise(msg.content) in KEYWORDS:
        return True
    return None


def show_mine(ctx: Ctx, _args: object) -> Reply:
    """我的：本单位本月上稿、积分、活动、排名和任务完成情况"""
    unit = ctx.member.unit
    period = month(ctx.today.year, ctx.today.month)
    outlets = breakdown(ctx.session, unit.id, period.start, period.end)
    highest = load_rules(ctx.session).same_story == "highest"
    count, score = unit_totals(ctx.session, unit.id, period.start, period.end, highest)
    activities, people = activity_totals(ctx.session, unit.id, period.start, period.end)
    lines = [f"{unit.name} {period.label}（截至{ctx.today:%m月%d日}）"]
    if outlets:
        detail = "，".join(f"{name}{n}篇" for name, n, _ in outlets)
        lines.append(f"上稿{count}篇，积分{score:g}：{detail}")
    else:
        lines.append("本月还没有上稿。")
    lines.append(f"活动{activities}次，参与{people}人次")
    lines.append(_rank_line(ctx, unit, period))
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
