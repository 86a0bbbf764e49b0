"""排名: units ranked for a period, by count (上稿量) or score (积分), among the sender's peers or in a named unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.command import Command, asked, keyword_body
from handlers.parsing.periods import Period, find_period, parse_period, unread_time
from handlers.types import Ctx, Incoming, Reply
from handlers.zone_ranking import NO_FIGURES, official_ranking
from storage.models import Unit
from storage.org import active_units, has_children, ranking_parent, zone_root
from storage.rankings import peer_ranking
from storage.scoring import load_rules

KEYWORDS = ("排名", "排行", "排行榜")
SCORE_WORDS = ("积分", "分数", "得分")
_ASKED = re.compile(
    r"排名|排行|排个名|排一下名|排下名|排个序|排一下序|排第几|第几名|名次|排位|排在|排前|谁排|前三|前五|前几名|前十|谁第一|谁最多|积分榜|榜单|"
    r"(?:各|每个)(?:社区|单位).{0,6}(?:情况|多少|几篇)|上稿情况"
)
_WHOLE_ZONE = re.compile(r"全区|35家|35个单位|全开发区")
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
    """`排名 上月 积分 开发区` (any order), or a question: `这个月排名怎么样`, `一季度积分排名`, `开发区排第几`."""
    rest = keyword_body(msg, KEYWORDS)
    keyword = rest is not None
    if rest is None:
        rest = asked(msg, _ASKED)
    if rest is None:
        return None
    period, rest = find_period(rest, ctx.today)
    by = "score" if any(w in rest for w in SCORE_WORDS) else "articles"
    scope = _scope(ctx, rest)
    if keyword and period is None:
        unread_time(rest, EXAMPLE)  # 排名 明年: a time we cannot read is said, not replaced by this month
    return RankingArgs(period or parse_period("", ctx.today), by, scope)


def _scope(ctx: Ctx, text: str) -> Unit | None:
    """A unit with children named in the text (开发区, 新城街道): rank its children instead of the peers."""
    if _WHOLE_ZONE.search(text):
        return zone_root(ctx.session)
    named = [
        u for u in active_units(ctx.session) if any(n in text for n in (u.name, *u.aliases) if len(n) >= 2)
    ]
    for unit in sorted(named, key=lambda u: -len(u.name)):
        if has_children(ctx.session, unit.id):
            return unit
    return None


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
