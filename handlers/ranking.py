"""排名: the sender's peers ranked for a period, by count (上稿量) or score (积分)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.parsing.periods import Period, parse_period
from handlers.parsing.text import normalise, split_keyword
from handlers.registry import Command
from handlers.types import Ctx, Incoming, Reply
from storage.org import ranking_parent
from storage.rankings import peer_ranking

KEYWORDS = ("排名", "排行", "排行榜")
SCORE_WORDS = ("积分", "按积分", "分数")
EXAMPLE = "排名、排名 上月、排名 2023年3月、排名 3月 积分"


@dataclass(frozen=True)
class RankingArgs:
    period: Period
    by: str  # "articles" | "score"


def match(msg: Incoming, ctx: Ctx) -> RankingArgs | None:
    if msg.msg_type != "text":
        return None
    rest = split_keyword(normalise(msg.content), KEYWORDS)
    if rest is None:
        return None
    words = rest.split()
    by = "score" if any(w in SCORE_WORDS for w in words) else "articles"
    period_text = "".join(w for w in words if w not in SCORE_WORDS and w not in ("上稿量", "按上稿量"))
    return RankingArgs(parse_period(period_text, ctx.today), by)


def show_ranking(ctx: Ctx, args: RankingArgs) -> Reply:
    """排名 [期间] [积分]：同级单位上稿排名（默认本月、按上稿量）"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply(f"{ctx.member.unit.name}没有可比较的同级单位。")
    rows = peer_ranking(ctx.session, parent.id, args.period.start, args.period.end, by=args.by)
    basis = "上稿量" if args.by == "articles" else "积分"
    lines = [f"{parent.name}各单位排名（{args.period.label}，按{basis}）"]
    for row in rows:
        figure = f"{row.articles}篇" if args.by == "articles" else f"{row.score:g}分（{row.articles}篇）"
        mark = " ←本单位" if row.unit_id == ctx.member.unit_id else ""
        lines.append(f"{row.place}. {row.name} {figure}{mark}")
    total = sum(r.articles for r in rows)
    lines.append(f"合计{total}篇，统计截至{ctx.now:%m月%d日 %H:%M}。")
    return Reply("\n".join(lines))


COMMAND = Command("排名", match, show_ranking, example=EXAMPLE)
