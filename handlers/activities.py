"""活动: record an activity (one line or a form); photos sent right after attach to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers.parsing import ParseError
from handlers.parsing.activity import ACTIVITY_EXAMPLE, ActivityDraft, parse_activity
from handlers.parsing.dates import check_reasonable, parse_date
from handlers.parsing.periods import month
from handlers.registry import Command, keyword_body
from handlers.types import Ctx, Incoming, Reply
from storage.activities import add_activity, add_photo, latest_activity_since
from storage.activity_types import activity_types, resolve_type, type_words
from storage.articles import bulletin_sent
from storage.rankings import activity_totals

KEYWORDS = ("活动", "报活动", "登记活动")
PHOTO_WINDOW = timedelta(minutes=30)
MAX_TITLE = 300


def match_text(msg: Incoming, ctx: Ctx) -> ActivityDraft | None:
    body = keyword_body(msg, KEYWORDS)
    if body is None:
        return None
    return parse_activity(body, type_words(activity_types(ctx.session)))


def record(ctx: Ctx, draft: ActivityDraft) -> Reply:
    """活动 类型 名称 [日期] [人数]：登记开展的活动（之后发来的照片会附在这次活动上）"""
    types = activity_types(ctx.session)
    kind = resolve_type(types, draft.type, draft.title)
    if kind is None:
        raise ParseError(f"不认识活动类型「{draft.type}」。可选：{'、'.join(types)}", ACTIVITY_EXAMPLE)
    if len(draft.title) > MAX_TITLE:
        raise ParseError(f"活动名称太长（{len(draft.title)}字）", ACTIVITY_EXAMPLE)
    held_on = parse_date(draft.date, ctx.today) if draft.date else ctx.today
    check_reasonable(held_on, ctx.today)
    activity = add_activity(
        ctx.session,
        member=ctx.member,
        type=kind,
        title=draft.title,
        held_on=held_on,
        participants=draft.participants,
        place=draft.place,
        note=draft.note,
        late=bulletin_sent(ctx.session, held_on.year, held_on.month),
        inbound_id=ctx.extras.get("inbound_id"),
    )
    period = month(held_on.year, held_on.month)
    count, people = activity_totals(ctx.session, ctx.member.unit_id, period.start, period.end)
    lines = [
        f"已登记活动（第{activity.no}号）",
        f"名称：{activity.title}",
        f"类型：{kind}；日期：{held_on:%Y-%m-%d}；人数：{activity.participants}"
        + (f"；地点：{activity.place}" if activity.place else ""),
        f"{ctx.member.unit.name}{period.label}已开展活动{count}次、参与{people}人次。",
        "30分钟内发来的照片会附在这次活动上。输错了可发「撤回 " + str(activity.no) + "」。",
    ]
    return Reply("\n".join(lines))


@dataclass(frozen=True)
class Photo:
    media_id: str
    pic_url: str


def match_photo(msg: Incoming, ctx: Ctx) -> Photo | None:
    return Photo(msg.media_id, msg.pic_url) if msg.msg_type == "image" else None


def attach_photo(ctx: Ctx, photo: Photo) -> Reply:
    """（发送照片）：附在30分钟内登记的上一次活动上"""
    activity = latest_activity_since(ctx.session, ctx.member.id, ctx.now - PHOTO_WINDOW)
    if activity is None:
        return Reply(
            "收到照片。照片需要跟在活动登记之后发送（30分钟内），请先发「活动 …」。\n例：" + ACTIVITY_EXAMPLE
        )
    total = add_photo(ctx.session, activity, photo.media_id, photo.pic_url)
    return Reply(f"已将照片附到第{activity.no}号活动「{activity.title}」（共{total}张）。")


TEXT_COMMAND = Command("活动", match_text, record, example=ACTIVITY_EXAMPLE)
PHOTO_COMMAND = Command("活动照片", match_photo, attach_photo)
