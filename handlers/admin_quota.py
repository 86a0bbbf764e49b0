"""指标 and 免报: admins set a unit's monthly quota and excuse a unit for a period; both are audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.command import Command, keyword_body
from handlers.parsing import ParseError
from handlers.parsing.numbers import to_int
from handlers.parsing.periods import Period, find_period, parse_period
from handlers.parsing.text import clean
from handlers.types import Ctx, Incoming, Reply
from storage import audit
from storage.models import Unit
from storage.org import active_units, unit_by_name
from storage.quotas import add_exemption, set_quota

QUOTA_EXAMPLE = "指标 辽河社区 3 1（每月上稿3篇、活动1次）"
EXEMPT_EXAMPLE = "免报 和平社区 本月 换届选举"
_SET_QUOTA = re.compile(
    r"(?:任务|指标).{0,8}(?:改成|改为|设为|设置为|调整为|调成|定为|调为|设成|调到|下调到|上调到|降到|提到|是)|"
    r"每月.{0,4}(?:任务|指标)"
)
_EXEMPT = re.compile(r"免报")


@dataclass(frozen=True)
class QuotaArgs:
    unit: Unit
    articles: int | None  # None: leave as it is
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
    """`指标 辽河社区 3 1`, or in words: `把辽河社区的任务改成4篇`, `明仁社区的活动指标调成每月2次`."""
    rest = keyword_body(msg, ("指标", "任务"))
    if rest is not None:
        words = rest.split()
        if not words:
            raise ParseError("指标需要：单位 篇数 [活动数]", QUOTA_EXAMPLE)
        unit, figures = _unit(ctx, words[0], QUOTA_EXAMPLE), " ".join(words[1:])
    else:
        text = asked_admin(msg, _SET_QUOTA)
        if text is None:
            return None
        unit = _unit_in(ctx, text, QUOTA_EXAMPLE)
        figures = text
        for name in sorted((unit.name, *unit.aliases), key=len, reverse=True):
            figures = figures.replace(name, " ")
    articles, activities = _figures(figures)
    if rest is not None and articles is None and activities is None and figures.strip():
        raise ParseError(f"看不懂数字「{figures.strip()}」", QUOTA_EXAMPLE)
    if articles is None and activities is None:
        raise ParseError("请写明每月上稿几篇（活动几次）", QUOTA_EXAMPLE)
    return QuotaArgs(unit, articles, activities)


_NUMBER = re.compile(r"\d+|[一二两三四五六七八九十]+")
_ARTICLE_WORDS = re.compile(r"文章|稿件|上稿|稿子|篇数")


def _figures(text: str) -> tuple[int | None, int | None]:
    """(articles, activities) from `3 1`, `文章 5`, `4篇`, `活动2次`, `调成每月2次`; unlabelled numbers are
    articles then activities."""
    articles = activities = None
    unlabelled = []
    last = 0
    for m in _NUMBER.finditer(text):
        before, after = text[last : m.start()], text[m.end() : m.end() + 3]
        value = to_int(m.group(0), QUOTA_EXAMPLE)
        if after.startswith(("次", "场", "个活动", "项活动")) or (
            "活动" in before and not after.startswith("篇")
        ):
            activities = value
        elif after.startswith("篇") or _ARTICLE_WORDS.search(before):
            articles = value
        else:
            unlabelled.append(value)
        last = m.end()
    for value in unlabelled:
        if articles is None:
            articles = value
        elif activities is None:
            activities = value
    return articles, activities


def asked_admin(msg: Incoming, pattern: re.Pattern) -> str | None:
    """An admin instruction written as a sentence (up to 60 characters, no link)."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    return text if len(text) <= 60 and "http" not in text and pattern.search(text) else None


def _unit_in(ctx: Ctx, text: str, example: str) -> Unit:
    """The one unit a sentence names (full name or alias, longest first)."""
    named = [u for u in active_units(ctx.session) if any(n and n in text for n in (u.name, *u.aliases))]
    if not named:
        raise ParseError("请写明是哪个单位", example)
    return max(named, key=lambda u: max(len(n) for n in (u.name, *u.aliases) if n in text))


def set_unit_quota(ctx: Ctx, args: QuotaArgs) -> Reply:
    """指标 单位 篇数 [活动数]：设置单位每月任务（管理员）"""
    set_quota(ctx.session, args.unit.id, args.articles, args.activities)
    figures = [(f"上稿{args.articles}", "篇"), (f"活动{args.activities}", "次")]
    said = [
        (text, unit)
        for (text, unit), value in zip(figures, (args.articles, args.activities), strict=True)
        if value is not None
    ]
    audit.record(ctx.session, ctx.member, "quota", f"{args.unit.name} {' '.join(t for t, _ in said)}")
    return Reply(f"已设置{args.unit.name}每月任务：{'、'.join(t + u for t, u in said)}。")


def match_exempt(msg: Incoming, ctx: Ctx) -> ExemptArgs | None:
    """`免报 和平社区 本月 换届选举`, or in words: `和平社区本月免报，在搞换届`."""
    rest = keyword_body(msg, ("免报",))
    if rest is not None:
        words = rest.split()
        if len(words) < 2:
            raise ParseError("免报需要：单位 期间 [原因]", EXEMPT_EXAMPLE)
        unit = _unit(ctx, words[0], EXEMPT_EXAMPLE)
        period = parse_period(words[1], ctx.today)
        return ExemptArgs(unit, period, " ".join(words[2:])[:200])
    text = asked_admin(msg, _EXEMPT)
    if text is None:
        return None
    unit = _unit_in(ctx, text, EXEMPT_EXAMPLE)
    period, rest = find_period(text, ctx.today)
    if period is None:
        raise ParseError("请写明免报的期间（本月、11月 …）", EXEMPT_EXAMPLE)
    reason = re.sub(r"免报|因为|由于|原因[:：]?|[,，。]", " ", rest)
    for name in (unit.name, *unit.aliases):
        reason = reason.replace(name, " ")
    return ExemptArgs(unit, period, " ".join(reason.split())[:200])


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
