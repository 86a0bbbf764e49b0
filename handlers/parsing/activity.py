"""The 活动 grammar: `活动 类型 名称 日期 人数` in any order, or a form of `键：值` lines."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from handlers.parsing import ParseError
from handlers.parsing.dates import looks_like_date
from handlers.parsing.forms import is_form, read_form
from handlers.parsing.numbers import to_int

ACTIVITY_EXAMPLE = "活动 志愿服务 学雷锋志愿服务 3月5日 45人"
FORM_EXAMPLE = "活动\n名称：学雷锋志愿服务\n类型：志愿服务\n日期：3月5日\n人数：45\n地点：社区广场"
FORM_KEYS = {
    "title": ("名称", "标题", "活动名称", "主题", "题目"),
    "type": ("类型", "类别", "活动类型"),
    "date": ("日期", "时间", "活动日期", "活动时间"),
    "participants": ("人数", "参与人数", "参加人数", "人次", "参与人次"),
    "place": ("地点", "活动地点", "场所", "地址"),
    "note": ("备注", "说明"),
}
_PEOPLE = re.compile(r"^(?:共|约|参与|参加)?([\d一二三四五六七八九十百千两零〇]+)(?:人次|人|名)$")


@dataclass(frozen=True)
class ActivityDraft:
    title: str
    type: str | None = None
    date: str | None = None
    participants: int = 0
    place: str = ""
    note: str = ""


def parse_activity(body: str, type_names: Collection[str]) -> ActivityDraft:
    """Parse the text after the 活动 keyword (already normalised)."""
    if not body.strip():
        raise ParseError("活动需要名称", ACTIVITY_EXAMPLE)
    if is_form(body, FORM_KEYS):
        return parse_form(body)
    return parse_line(body.replace("\n", " "), type_names)


def parse_line(body: str, type_names: Collection[str]) -> ActivityDraft:
    kind = date = None
    people: int | None = None
    title_words = []
    for word in body.split():
        if kind is None and word in type_names:
            kind = word
        elif date is None and looks_like_date(word):
            date = word
        elif people is None and (m := _PEOPLE.match(word)):
            people = to_int(m[1], ACTIVITY_EXAMPLE)
        else:
            title_words.append(word)
    title = " ".join(title_words).strip()
    if not title:
        raise ParseError("没找到活动名称", ACTIVITY_EXAMPLE)
    return ActivityDraft(title=title, type=kind, date=date, participants=people or 0)


def parse_form(body: str) -> ActivityDraft:
    values = read_form(body, FORM_KEYS)
    title = values.get("title", "").strip()
    if not title:
        raise ParseError("表单里缺少「名称：」", FORM_EXAMPLE)
    people = 0
    if values.get("participants"):
        raw = values["participants"].removesuffix("人次").removesuffix("人").removesuffix("名")
        people = to_int(raw, FORM_EXAMPLE)
    return ActivityDraft(
        title=title,
        type=values.get("type") or None,
        date=values.get("date") or None,
        participants=people,
        place=values.get("place", ""),
        note=values.get("note", ""),
    )
