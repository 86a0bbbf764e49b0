"""Applying one correction to a stored record, keeping what derives from the field (score, 补报, story key,
canonical link) in step, and saying what changed."""

from __future__ import annotations

import re
from datetime import date

from handlers.article_drafts import names, outlet_of_link, outlet_word, outlets
from handlers.parsing import ParseError
from handlers.parsing.activity_name import clean_name
from handlers.parsing.article import PLACEMENT, placement_text
from handlers.parsing.counts import parse_count
from handlers.parsing.dates import check_reasonable, chinese_date, find_dates
from handlers.parsing.outlets import match_outlet
from handlers.parsing.titles import clean_title
from handlers.parsing.urls import canonical_url, find_url, url_problem
from handlers.questions import months_back
from handlers.recording import activity_fields, article_fields
from handlers.types import Ctx
from storage import articles as article_store
from storage import audit
from storage.activity_types import activity_types, resolve_type
from storage.models import Activity, Article
from storage.org import outlet_by_name, outlet_record
from storage.scoring import load_rules, story_key

EXAMPLE = "修改 12 日期 11月25日"
ARTICLE_FIELDS = {"title", "date", "outlet", "placement", "url"}
ACTIVITY_FIELDS = {"title", "date", "participants", "place", "type"}


def infer_field(ctx: Ctx, record: Article | Activity, value: str) -> str | None:
    """The field a bare value can only be: a date, a count of people, an outlet name."""
    if _one_date(value, ctx.today):
        return "date"
    if isinstance(record, Activity) and re.fullmatch(
        r"[\d一二三四五六七八九十百两余多约大概左右]+\s*(?:人|名|人次)?", value
    ):
        return "participants"
    if isinstance(record, Article) and match_outlet(outlet_word(value), names(ctx)):
        return "outlet"
    return None


def apply(ctx: Ctx, record: Article | Activity, field: str, value: str) -> tuple[str, str]:
    """Change `field` of `record` to `value`; returns (before, after) as shown to users."""
    allowed = ARTICLE_FIELDS if isinstance(record, Article) else ACTIVITY_FIELDS
    if field not in allowed:
        kind = "上稿" if isinstance(record, Article) else "活动"
        raise ParseError(
            f"{kind}没有这一项可改（可改：{'、'.join(_label(f) for f in sorted(allowed))}）", EXAMPLE
        )
    before = _shown(record, field)
    if field == "date":
        _set_date(ctx, record, value)
    elif field == "title":
        _set_title(record, value)
    elif isinstance(record, Article):
        _set_article_field(ctx, record, field, value)
    else:
        _set_activity_field(ctx, record, field, value)
    after = _shown(record, field)
    if before == after:
        raise ParseError(f"{_label(field)}本来就是「{after}」，没有改动", EXAMPLE)
    kind = "上稿" if isinstance(record, Article) else "活动"
    audit.record(
        ctx.session, ctx.member, "correct", f"{kind} 第{record.no}号 {_label(field)} {before} → {after}"
    )
    return before, after


def _set_date(ctx: Ctx, record: Article | Activity, value: str) -> None:
    found = [d for d in find_dates(value, ctx.today) if d.day]
    if len({d.day for d in found}) != 1:
        raise ParseError(f"看不懂日期「{value}」", EXAMPLE)
    day = found[0].day
    if not found[0].has_year and day < months_back(ctx.today, 2):
        raise ParseError(  # 3月25日 said in March means a day ahead or a year back: make it explicit
            f"「{found[0].token}」是{chinese_date(day)}吗？是的话请写明年份：修改 {record.no} 日期 {chinese_date(day)}",
            EXAMPLE,
        )
    if not found[0].has_year or day > ctx.today:  # a year written out is meant: only a day to come is refused
        check_reasonable(day, ctx.today)
    late = article_store.bulletin_sent(ctx.session, day.year, day.month)
    if isinstance(record, Article):
        record.published_on, record.late = day, late
    else:
        record.held_on, record.late = day, late


def _set_title(record: Article | Activity, value: str) -> None:
    title = clean_title(value) if isinstance(record, Article) else clean_name(value.strip('《》“”"'))
    if len(title) < 2 or len(title) > 300:
        raise ParseError("标题应在2到300字之间", EXAMPLE)
    record.title = title
    if isinstance(record, Article):
        record.story_key = story_key(title)


def _set_article_field(ctx: Ctx, article: Article, field: str, value: str) -> None:
    rules = load_rules(ctx.session)
    if field == "outlet":
        name = match_outlet(outlet_word(value), names(ctx))
        outlet = outlet_by_name(outlets(ctx), name) if name else None
        if outlet is None:
            known = "、".join(o.name for o in outlets(ctx))
            raise ParseError(f"不认识媒体「{value}」。可选：{known}", EXAMPLE)
        article.outlet = outlet_record(ctx.session, outlet.id)
    elif field == "placement":
        m = PLACEMENT.search(value)
        article.placement = placement_text(m) if m else ("" if value in ("无", "没有") else value[:20])
        article.factor = rules.factor(article.placement)
    elif field == "url":
        _set_url(ctx, article, value)
    article.score = rules.score(article.outlet.weight, article.placement, article.endorsement)


def _set_url(ctx: Ctx, article: Article, value: str) -> None:
    url = find_url(value)
    if not url or (problem := url_problem(url)):
        raise ParseError(problem if url else "请发完整的链接（以 http:// 或 https:// 开头）", EXAMPLE)
    linked = outlet_of_link(ctx, url)
    if linked is not None and linked.id != article.outlet_id:
        raise ParseError(
            f"这个链接是{linked.name}的，第{article.no}号登记的媒体是{article.outlet.name}。"
            f"如果媒体也错了，请先发「修改 {article.no} 媒体 {linked.name}」，再改链接",
            EXAMPLE,
        )
    canonical = canonical_url(url)
    earlier = article_store.counted_by_url(ctx.session, canonical)
    if earlier is not None and earlier.id != article.id:
        raise ParseError(f"这个链接已是第{earlier.no}号上稿，不能重复", EXAMPLE)
    article.url, article.canonical_url = url, canonical


def _set_activity_field(ctx: Ctx, activity: Activity, field: str, value: str) -> None:
    if field == "participants":
        activity.participants = parse_count(value, EXAMPLE)
    elif field == "place":
        if len(value) > 200:
            raise ParseError("地点太长（最多200字）", EXAMPLE)
        activity.place = value
    elif field == "type":
        kind = resolve_type(activity_types(ctx.session), value)
        if kind is None:
            raise ParseError(
                f"不认识活动类型「{value}」。可选：{'、'.join(activity_types(ctx.session))}", EXAMPLE
            )
        activity.type = kind


def _one_date(value: str, today: date) -> date | None:
    found = [d for d in find_dates(value, today) if d.day]
    return found[0].day if len({d.day for d in found}) == 1 else None


def _shown(record: Article | Activity, field: str) -> str:
    if field == "date":
        day = record.published_on if isinstance(record, Article) else record.held_on
        return f"{day:%Y-%m-%d}"
    if field == "outlet":
        return record.outlet.name
    value = getattr(record, {"placement": "placement", "url": "url"}.get(field, field))
    return str(value if value not in (None, "") else "未注明")


LABELS = {
    "title": "标题",
    "date": "日期",
    "outlet": "媒体",
    "placement": "版面",
    "url": "链接",
    "participants": "人数",
    "place": "地点",
    "type": "类型",
}


def _label(field: str) -> str:
    return LABELS[field]


def changed_text(ctx: Ctx, record: Article | Activity, label: str, before: str, after: str) -> str:
    kind = "上稿" if isinstance(record, Article) else "活动"
    fields = article_fields(record) if isinstance(record, Article) else activity_fields(record)
    return "\n".join([f"已修改第{record.no}号{kind}的{label}：{before} → {after}", "现在是：", *fields])
