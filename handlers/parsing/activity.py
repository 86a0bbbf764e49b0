"""One reported activity, read from however it was written: `活动 类型 名称 日期 人数`, a comma-separated line,
a form of `键：值`, or the lead sentence of a news item (`11月25日，和平社区在社区广场开展“邻里守望”志愿服务活动，
共有60余名居民参加。`). Date, participants and place are kept out of the name; nothing is guessed."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from handlers.parsing.activity_name import clean_name, is_place, name_and_place, place_in
from handlers.parsing.counts import People, find_people, parse_count
from handlers.parsing.dates import find_dates
from handlers.parsing.draft import Draft
from handlers.parsing.forms import comma_form, is_form, read_form
from handlers.parsing.text import blank
from handlers.parsing.urls import URL_RE

ACTIVITY_EXAMPLE = "活动 志愿服务 学雷锋志愿服务 11月25日 45人"
FORM_EXAMPLE = "活动\n名称：学雷锋志愿服务\n类型：志愿服务\n日期：11月25日\n人数：45\n地点：社区广场"
FORM_KEYS = {
    "title": ("名称", "标题", "活动名称", "主题", "题目", "活动主题", "活动"),
    "content": ("活动内容", "内容", "学习内容"),
    "type": ("类型", "类别", "活动类型"),
    "date": ("日期", "时间", "活动日期", "活动时间", "开展时间", "举办时间"),
    "participants": ("人数", "参与人数", "参加人数", "人次", "参与人次", "参会人数", "参加人员", "受众人数"),
    "place": ("地点", "活动地点", "场所", "地址", "开展地点"),
    "note": ("备注", "说明"),
    "ignored": ("序号", "单位", "报送单位", "报送人"),
}
_KEYWORDS = re.compile(r"^(?:活动报送|报送活动|登记活动|报活动|活动登记|活动)\s*[:：,，]?\s*")
_REPORT_LEAD = re.compile(r"^(?:活动报送|报送活动)")
_REPORTED_ON = re.compile(r"\s*(?:补报|上报|报送|报一下|补一下|才报|来报)")  # 今天补报: the day of the report
_TYPE_KEY = re.compile(r"(?:类型|类别)\s*:\s*(\S+)")
_VOLUNTEERS_SERVE = re.compile(
    r"志愿者.{0,30}?(?:清理|打扫|清扫|清雪|扫雪|除雪|铲雪|除冰|走访|慰问|看望|帮扶|巡逻|服务|劝导|植树|捡拾|义诊|入户|送|更换|维修|理发|帮)"
)
_FORM_LEAD = re.compile(r"^(?:活动|活动名称)\s*:\s*(?=\S)")  # 活动：中心组学习会 as the form's first line


@dataclass(frozen=True)
class ActivityDraft(Draft):
    """What a message says about one activity (see Draft)."""

    type: str = ""  # a type word as written (resolved against the configured types by the handler)
    type_hint: str = ""  # a type word elsewhere (在新时代文明实践站开展…): used when the name shows none
    participants: int | None = None
    people_vague: str = ""  # 很多人 … (ask)
    people_unclear: bool = False  # several counts that do not add up obviously (ask)
    place: str = ""
    note: str = ""


def parse_activity(
    text: str, type_names: Collection[str], today: date, units: Collection[str] = ()
) -> ActivityDraft:
    """One activity from a text (its 活动 keyword may still be there); `units` are unit names and aliases,
    which name the reporter, not the activity."""
    text = comma_form(
        _KEYWORDS.sub("", text.strip()) if _REPORT_LEAD.match(text.strip()) else text.strip(), FORM_KEYS
    )
    if "  |  " in text:
        text = row_as_form(text.split("  |  "), type_names, units, today)
    form = _FORM_LEAD.sub("名称:", text, count=1)
    if is_form(form, FORM_KEYS):
        return parse_form(form, type_names, today)
    return parse_sentence(_KEYWORDS.sub("", text), type_names, today, units)


def parse_sentence(
    text: str, type_names: Collection[str], today: date, units: Collection[str] = ()
) -> ActivityDraft:
    late = "补报" in text
    text = URL_RE.sub(" ", text).replace("\n", "，")
    dates = [d for d in find_dates(text, today) if not _REPORTED_ON.match(text, d.end)]
    text, classed = _typed_class(text.replace("补报", "  "), type_names)
    people = find_people(text)
    place, place_span = place_in(blank(text, [(d.start, d.end) for d in dates]))
    cut = [(d.start, d.end) for d in dates] + list(people.spans) + ([place_span] if place_span else [])
    draft = _with_dates(_with_people(ActivityDraft(late=late), people), dates)
    end = place_span[1] if place_span else -1
    name, place = name_and_place(blank(text, cut), place, type_names, units, end)
    standalone = [w for w in re.split(r"[\s,，。;；:]+", text) if w in type_names]
    keyed = _TYPE_KEY.search(text)
    kind = classed or (standalone[0] if standalone else (keyed[1] if keyed else _type_word(name, type_names)))
    hint = "" if kind else _type_word(re.sub(r"志愿者|志愿队", "", text), type_names)
    if not hint and _VOLUNTEERS_SERVE.search(text):
        hint = "志愿服务"  # 志愿者清扫小区积雪: volunteers at work
    return replace(draft, title=name, type=kind, type_hint=hint, place=place[:201])


def _typed_class(text: str, type_names: Collection[str]) -> tuple[str, str]:
    """`… 讲座 其他类 …`: a type written with 类 is the type, never part of the name — (text without it, type)."""
    names = "|".join(re.escape(n) for n in sorted(type_names, key=len, reverse=True) if n)
    m = re.search(rf"(?:(?<=[\s,，。;；])|^)({names})类(?:型|别)?(?=[\s,，。;；]|$)", text) if names else None
    return (text[: m.start()] + " " * len(m.group(0)) + text[m.end() :], m.group(1)) if m else (text, "")


def parse_form(text: str, type_names: Collection[str], today: date) -> ActivityDraft:
    values = read_form(text, FORM_KEYS)
    title = values.get("title") or values.get("content", "")
    note = values.get("note", "") or (values.get("content", "") if values.get("title") else "")
    draft = ActivityDraft(
        title=clean_name(title),
        type=values.get("type", "").strip(),
        place=values.get("place", "").strip(),
        note=note.strip(),
        late="补报" in text,
    )
    if values.get("date"):
        draft = _with_dates(draft, find_dates(values["date"], today), strict=values["date"])
    raw = values.get("participants", "").strip()
    if raw:
        try:
            draft = replace(draft, participants=parse_count(raw))
        except ValueError:
            draft = _with_people(draft, find_people(raw), fallback=raw)
    if not draft.type:
        draft = replace(draft, type=_type_word(draft.title, type_names))
    return draft


def row_as_form(cells: list[str], type_names: Collection[str], units: Collection[str], today: date) -> str:
    """A row pasted from Excel (`2026/11/3  文明实践  “文明家庭”评选表彰会  60  富康社区会议室`): each cell read
    for what it is — a bare number is the count there, which in a sentence it would not be."""
    lines, names = [], []
    for cell in (c.strip() for c in cells):
        if not cell or cell in units:
            continue
        if re.fullmatch(r"\d{1,5}\s*(?:人次|人|名)?", cell):
            lines.append(f"人数:{cell}")
        elif cell in type_names:
            lines.append(f"类型:{cell}")
        elif (found := find_dates(cell, today)) and len(found[0].token) >= len(cell) - 2:
            lines.append(f"日期:{cell}")
        elif is_place(cell):
            lines.append(f"地点:{cell}")
        else:
            names.append(cell)
    return "\n".join([f"名称:{' '.join(names)}", *lines])


def _with_people(draft: ActivityDraft, people: People, fallback: str = "") -> ActivityDraft:
    if people.total is not None:
        return replace(draft, participants=people.total)
    if people.unclear:
        return replace(draft, people_unclear=True)
    return replace(draft, people_vague=people.vague or fallback)


def _with_dates(draft: ActivityDraft, dates: list, strict: str = "") -> ActivityDraft:
    exact = [d for d in dates if d.day]
    if strict and not exact:
        return replace(draft, day_vague=strict.strip())
    if exact:
        first = exact[0]  # a news lead starts with the day; later dates are usually other days
        distinct = {d.day for d in exact if d.start < first.end + 40}
        if len(distinct) > 1 and not strict:
            return replace(draft, day_unclear=True, day_token="、".join(d.token for d in exact))
        return replace(
            draft, day=first.day.isoformat(), day_token=first.token.strip(), day_has_year=first.has_year
        )
    vague = [d for d in dates if d.vague]
    return replace(draft, day_vague=vague[0].token) if vague else draft


def _type_word(text: str, type_names: Collection[str]) -> str:
    """The longest configured type name or alias in the text ("" when none)."""
    text = re.sub(r"志愿者|志愿队", "", text)  # 志愿者 took part; that says nothing of the type
    found = [w for w in type_names if w and w in text]
    return max(found, key=len) if found else ""
