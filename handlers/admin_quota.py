"""指标 and 免报: admins set a unit's monthly quota and excuse a unit for a period; both are audited."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.parsing import ParseError
from handlers.parsing.numbers import to_int
from handlers.parsing.periods import Period, parse_period
from handlers.registry import Command, keyword_body
from handlers.types import Ctx, Incoming, Reply
from storage import audit
from storage.models import Unit
from storage.org import unit_by_name
from storage.quotas import add_exemption, set_quota

QUOTA_EXAMPLE = "指标 辽河社区 3 1（每月上稿3篇、活动1次）"
EXEMPT_EXAMPLE = "免报 和平社区 本月 换届选举"


@dataclass(frozen=True)
class QuotaArgs:
    unit: Unit
    articles: int
    activities: int | None


@dataclass(frozen=True)
class ExemptArgs:
    unit: Unit
    period: Period
    reason: str


def _unit(ctx: Ctx, name: str, example: str) -> Unit:
    unit = unit_by_name(ctx.session, name)
    if unit is None:
        raise ParseError(f"没有单位「{name}」", example)
    return unit


def match_quota(msg: Incoming, ctx: Ctx) -> QuotaArgs | None:
    rest = keyword_body(msg, ("指标", "任务"))
    if rest is None:
        return None
    words = [w.removesuffix("篇").removesuffix("次") for w in rest.split()]
    if len(words) not in (2, 3):
        raise ParseError("指标需要：单位 篇数 [活动数]", QUOTA_EXAMPLE)
    unit = _unit(ctx, words[0], QUOTA_EXAMPLE)
    articles = to_int(words[1], QUOTA_EXAMPLE)
    activities = to_int(words[2], QUOTA_EXAMPLE) if len(words) == 3 else None
    return QuotaArgs(unit, articles, activities)


def set_unit_quota(ctx: Ctx, args: QuotaArgs) -> Reply:
    """指标 单位 篇数 [活动数]：设置单位每月任务（管理员）"""
    set_quota(ctx.session, args.unit.id, args.articles, args.activities)
    detail = f"{args.unit.name} 上稿{args.articles}" + (
        f" 活动{args.activities}" if args.activities is not None else ""
    )
    audit.record(ctx.session, ctx.member, "quota", detail)
    acts = f"、活动{args.activities}次" if args.activities is not None else ""
    return Reply(f"已设置{args.unit.name}每月任务：上稿{args.articles}篇{acts}。")


def match_exempt(msg: Incoming, ctx: Ctx) -> ExemptArgs | None:
    rest = keyword_body(msg, ("免报",))
    if rest is None:
        return None
    words = rest.split()
    if len(words) < 2:
        raise ParseError("免报需要：单位 期间 [原因]", EXEMPT_EXAMPLE)
    unit = _unit(ctx, words[0], EXEMPT_EXAMPLE)
    period = parse_period(words[1], ctx.today)
    return ExemptArgs(unit, period, " ".join(words[2:])[:200])


def exempt(ctx: Ctx, args: ExemptArgs) -> Reply:
    """免报 单位 期间 [原因]：该单位在此期间免于任务和催报（管理员）"""
    p = args.period
    add_exemption(
        ctx.session, unit_id=args.unit.id, start=p.start, end=p.end, reason=args.reason, by=ctx.member.id
    )
    audit.record(ctx.session, ctx.member, "exempt", f"{args.unit.name} {p.label} {args.reason}")
    why = f"（{args.reason}）" if args.reason else ""
    return Reply(f"已登记：{args.unit.name}{p.label}免报{why}，期间不催报，通报中标注为免报。")


QUOTA_COMMAND = Command("指标", match_quota, set_unit_quota, example=QUOTA_EXAMPLE, roles=("admin",))
EXEMPT_COMMAND = Command("免报", match_exempt, exempt, example=EXEMPT_EXAMPLE, roles=("admin",))
