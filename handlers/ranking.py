"""排名: units ranked for a period, by count (上稿量) or score (积分), among the sender's peers or in a named unit."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.parsing.periods import Period, parse_period
from handlers.registry import Command, keyword_body
from handlers.types import Ctx, Incoming, Reply
from handlers.zone_ranking import NO_FIGURES, official_ranking
from storage.models import Unit
from storage.org import has_children, ranking_parent, unit_by_name
from storage.rankings import peer_ranking
from storage.scoring import load_rules

KEYWORDS = ("排名", "排行", "排行榜")
SCORE_WORDS = ("积分", "按积分", "分数")
COUNT_WORDS = ("上稿量", "按上稿量", "篇数")
EXAMPLE = "排名、排名 上月、排名 2023年3月、排名 一季度 积分、排名 开发区"
OWN_FIGURES_NOTE = (
    "说明：以上为投稿通自有统计（只含用投稿通报送的单位），开发区融媒体中心的官方上稿量尚未导入。"
)


@dataclass(frozen=True)
class RankingArgs:
    period: Period
    by: str  # "articles" | "score"
    scope: Unit | None  # rank this unit's children; None: the sender's peers


def match(msg: Incoming, ctx: Ctx) -> RankingArgs | None:
    rest = keyword_body(msg, KEYWORDS)
    if rest is None:
        return None
    by, scope, period_words = "articles", None, []
    for word in rest.split():
        if word in SCORE_WORDS:
            by = "score"
        elif word in COUNT_WORDS:
            continue
        elif (
            scope is None and (unit := unit_by_name(ctx.session, word)) and has_children(ctx.session, unit.id)
        ):
            scope = unit
        else:
            period_words.append(word)
    return RankingArgs(parse_period("".join(period_words), ctx.today), by, scope)


def show_ranking(ctx: Ctx, args: RankingArgs) -> Reply:
    """排名 [期间] [积分] [开发区]：单位上稿排名（默认本月、同级单位、按上稿量）"""
    parent = args.scope or ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply(f"{ctx.member.unit.name}没有可比较的同级单位。")
    zone = parent.parent_id is None
    if zone and args.by == "articles" and (official := official_ranking(ctx, parent, args.period)):
        return official
    highest = load_rules(ctx.session).same_story == "highest"
    rows = peer_ranking(
        ctx.session, parent.id, args.period.start, args.period.end, by=args.by, highest=highest
    )
    basis = "上稿量" if args.by == "articles" else "积分"
    lines = [f"{parent.name}各单位排名（{args.period.label}，按{basis}）"]
    for row in rows:
        figure = f"{row.articles}篇" if args.by == "articles" else f"{row.score:g}分（{row.articles}篇）"
        mark = " ←本单位" if row.unit_id == ctx.member.unit_id else ""
        lines.append(f"{row.place}. {row.name} {figure}{mark}")
    lines.append(f"合计{sum(r.articles for r in rows)}篇，统计截至{ctx.now:%m月%d日 %H:%M}。")
    if zone:
        score_note = "说明：官方数据只有上稿量，积分为投稿通自有统计（只含用投稿通报送的单位）。"
        lines.append(NO_FIGURES.format(label=args.period.label) if args.by == "articles" else score_note)
    return Reply("\n".join(lines))


COMMAND = Command("排名", match, show_ranking, example=EXAMPLE)
