"""批示: a leader records that an article was endorsed by a leader of some level (score bonus)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.command import Command, keyword_body
from handlers.parsing import ParseError
from handlers.parsing.references import find_reference
from handlers.types import Ctx, Incoming, Reply
from handlers.withdraw import may_change
from storage import articles, audit
from storage.orgspec_settings import LEVELS
from storage.scoring import load_rules

KEYWORDS = ("批示", "领导批示")
EXAMPLE = "批示 12 市级"


@dataclass(frozen=True)
class EndorseArgs:
    no: int
    level: str


def match(msg: Incoming, ctx: Ctx) -> EndorseArgs | None:
    rest = keyword_body(msg, KEYWORDS)
    if rest is None:
        return None
    words = rest.split()
    levels = [w for w in words if w in LEVELS or w + "级" in LEVELS]
    if len(levels) != 1:
        raise ParseError(f"请写明批示领导的级别（{'、'.join(LEVELS)}）", EXAMPLE)
    level = levels[0] if levels[0] in LEVELS else levels[0] + "级"
    number = "".join(w for w in words if w != levels[0])
    ref = find_reference(number, number)
    if ref is None or ref.last:
        raise ParseError("请写上要登记批示的稿件编号（登记成功时回复里的「第N号」）", EXAMPLE)
    return EndorseArgs(ref.number, level)


def endorse(ctx: Ctx, args: EndorseArgs) -> Reply:
    """批示 编号 级别：登记稿件获领导批示（按级别加分）"""
    article = articles.by_number(ctx.session, args.no)
    if article is None:
        return Reply(f"没有第{args.no}号上稿，请核对编号。")
    if not may_change(ctx, article):
        return Reply(f"第{args.no}号上稿属于{article.unit.name}，不在您的管辖范围内。")
    if article.status != "counted":
        return Reply(f"第{args.no}号上稿已撤回，不能登记批示。")
    rules = load_rules(ctx.session)
    article.endorsement = args.level
    article.bonus = rules.bonus(args.level)
    article.score = rules.score(article.outlet.weight, article.placement, args.level)
    audit.record(ctx.session, ctx.member, "endorse", f"第{args.no}号 {args.level}")
    return Reply(
        f"已登记：第{args.no}号「{article.title}」获{args.level}领导批示，加{article.bonus:g}分，现积分{article.score:g}。"
    )


COMMAND = Command("批示", match, endorse, example=EXAMPLE, roles=("leader", "admin"))
