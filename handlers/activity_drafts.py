"""From an ActivityDraft to a stored 活动, or to the one question that is still open.

The type comes from a type word the publicist wrote or from what the name obviously is (学雷锋 → 志愿服务),
else 其他. A vague or missing count, a vague or doubtful date, an unknown type word are asked, never stored as
0, today or a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from handlers.parsing import ParseError
from handlers.parsing.activity import ACTIVITY_EXAMPLE, ActivityDraft
from handlers.parsing.activity_name import clean_name
from handlers.parsing.counts import parse_count
from handlers.parsing.urls import URL_RE
from handlers.questions import Question, answer_date, date_question, pick_option, title_answer, too_long
from handlers.types import Ctx
from storage.activity_types import activity_types, catch_all, infer_type, resolve_type

MAX_TITLE = 300
MAX_PLACE = 200
MAX_PEOPLE = 100_000
_STILL_VAGUE = re.compile(
    r"多|不少|好些|没数|没细数|没统计|不清楚|不知道|记不清|忘了|挺多|很多|若干|来个|来人|来名"
)


@dataclass(frozen=True)
class ReadyActivity:
    draft: ActivityDraft
    type: str
    held_on: date


def types(ctx: Ctx) -> dict[str, list[str]]:
    if "activity_types" not in ctx.extras:
        ctx.extras["activity_types"] = activity_types(ctx.session)
    return ctx.extras["activity_types"]


def resolve(ctx: Ctx, draft: ActivityDraft) -> ReadyActivity | Question:
    """The activity ready to store, or the first question that must be answered before it can be."""
    if not draft.title:
        return Question("title", "活动名称是什么？请直接回复名称，如：学雷锋志愿服务。")
    too_long(draft.title, MAX_TITLE, "活动名称", ACTIVITY_EXAMPLE)
    too_long(draft.place, MAX_PLACE, "地点", ACTIVITY_EXAMPLE)
    kind = resolve_type(types(ctx), draft.type) if draft.type else _inferred(ctx, draft)
    if kind is None:
        choices = tuple(types(ctx))
        return Question("type", f"不认识活动类型「{draft.type}」，是以下哪一类？回复序号或名称：", choices)
    day = date.fromisoformat(draft.day) if draft.day else ctx.today
    question = date_question(
        day=day,
        token=draft.day_token,
        has_year=draft.day_has_year,
        vague=draft.day_vague,
        unclear=draft.day_unclear,
        late=draft.late,
        confirmed="date" in draft.confirmed,
        today=ctx.today,
        what="活动日期",
    )
    if question:
        return question
    if draft.participants is None:
        return Question("participants", _people_question(draft))
    if draft.participants > MAX_PEOPLE:
        raise ParseError(f"人数{draft.participants}太大，请核对", ACTIVITY_EXAMPLE)
    return ReadyActivity(draft, kind, day)


def _inferred(ctx: Ctx, draft: ActivityDraft) -> str:
    """No type named: what the name shows, else a type word elsewhere in the message, else 其他."""
    hinted = resolve_type(types(ctx), draft.type_hint) if draft.type_hint else None
    return infer_type(types(ctx), draft.title) or hinted or catch_all(types(ctx))


def _people_question(draft: ActivityDraft) -> str:
    if draft.people_vague:
        return f"「{draft.people_vague}」大约是多少人？请回复一个数字，如 60。"
    if draft.people_unclear:
        return "消息里有几个人数，参加活动的一共多少人？请回复一个数字，如 60。"
    return "参加人数大约多少？请回复一个数字，如 60。"


def apply_answer(ctx: Ctx, draft: ActivityDraft, question: str, text: str, options: list[str]):
    """The draft with the answer filled in, a Question to ask again, or None when `text` is no answer."""
    if URL_RE.search(text) or len(text) > (MAX_TITLE if question == "title" else 40):
        return None
    confirmed = (*draft.confirmed, question if question != "date_confirm" else "date")
    if question == "title":
        name = clean_name((title_answer(text, {}, ctx.today) or "").strip('《》“”"「」'))
        return replace(draft, title=name, confirmed=confirmed) if len(name) >= 2 else None
    if question == "participants":
        try:
            return replace(draft, participants=parse_count(text), people_vague="", people_unclear=False)
        except ParseError:
            if _STILL_VAGUE.search(text) and len(text) <= 16:  # 挺多的 没细数: about the count, but no number
                return Question("participants", "需要一个大概的数字，例如 60（估一个整数就行）。")
            return None
    if question == "type":
        choice = pick_option(text, options) or resolve_type(types(ctx), text.strip().strip("。."))
        return replace(draft, type=choice, confirmed=confirmed) if choice else None
    if question in ("date", "date_confirm"):
        return answer_date(draft, question, text, ctx.today, "活动日期")
    return None
