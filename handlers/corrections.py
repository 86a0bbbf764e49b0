"""修改: correct one field of a record — `修改 12 日期 11月25日`, `修改 12 人数 60`, or in plain words for the
sender's last record (`刚才那条日期写错了，是11月25日`). The reply shows the record before and after; every
change is audited. Leaders may correct records of the units under them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers import corrections_apply
from handlers.article_drafts import names
from handlers.command import Command
from handlers.parsing import ParseError
from handlers.parsing.outlets import find_outlets
from handlers.parsing.references import LAST, NUMBERED, Reference, find_reference
from handlers.parsing.text import clean
from handlers.parsing.urls import URL_RE
from handlers.types import Ctx, Incoming, Reply
from handlers.withdraw import find_record, kind_name, may_change

EXAMPLE = "修改 12 日期 11月25日、修改 12 人数 60、刚才那条日期写错了，是11月25日"
FIELDS = {
    "title": ("活动名称", "稿件标题", "标题", "题目", "名称", "名字"),
    "date": ("刊发日期", "发布日期", "刊发时间", "发布时间", "活动日期", "活动时间", "日期", "时间"),
    "outlet": ("刊发媒体", "发布平台", "媒体", "平台", "来源"),
    "placement": ("版面", "版次"),
    "url": ("链接", "网址"),
    "participants": ("参与人数", "参加人数", "人数", "人次"),
    "place": ("活动地点", "地点", "场所"),
    "type": ("活动类型", "类型", "类别"),
}
_KEYWORD = re.compile(r"^(?:修改|更正|改正|纠正)")
_INTENT = re.compile(
    r"修改|更正|改成|改为|改一下|写错|错了|不对|应该是|应为|更正为|写成|是.{0,8}(?:发|刊发|登|播|办|开展)的$"
)
_LEAD = re.compile(
    r"^(?:[\s,，。:：、的]|写错了|弄错了|搞错了|填错了|报错了|打错了|选错了|说错了|发错了|错了|不对|有误|有问题|需要|要|请|帮我|"
    r"麻烦|正确的应该是|正确的是|正确的|对的是|应该是|应当是|应是|应为|改成|改为|更正为|更改为|修改为|换成|写成|是|为)"
)
_CONNECTOR = re.compile(
    r"正确的应该是|正确的是|对的是|应该是|应当是|应是|应为|改成|改为|更正为|更改为|修改为|换成|写成"
)
# What may stand between the field and 应该是/改成: a complaint, never part of the new value.
_COMPLAINT = re.compile(
    r"(?:[\s,，。:：、的]|(?:写|弄|搞|填|报|打|选|说)?错了?|不对|有误|有问题|少了?.{0,3}字|多了?.{0,3}字|错别字|"
    r"需要|要|请|帮我|麻烦|不是[^,，\s]{0,12}|的话)*"
)
_SAID_WRONG = re.compile(r"(?:我)?(?:说|写|打|搞|弄|填|报|发|记)错了|错了|不对")
_NOT_BUT = re.compile(r"不是.{1,12}?[,，\s]*(?:而)?是")
_OPENING = re.compile(r"^(?:不好意思|抱歉|对不起|那个|嗯|哎|诶|麻烦|请|帮我|帮忙|把|将|[,，\s])*")
# 那篇稿子通辽日报也发了: a new report about a record, not a correction of it
_REPORT = re.compile(r"(?:也|又|还|同时)(?:发|登|刊|播|上|转载|推送|报道)了?|(?:上稿|活动)\s")
_TITLE_LEAD = re.compile(
    r"^(?:[\s,，。:：、]|写错了|弄错了|搞错了|填错了|错了|不对|有误|应该是|应当是|应为|改成|改为|更正为|更改为|修改为|换成|写成)"
)
_DENIED = re.compile(r"[\s,，]*(?:而)?不是[^,，。;；\s]{1,12}[\s,，。;；]*")
_TRAIL = re.compile(r"(?:[\s,，。!！]|吧|呢|啊|谢谢|一下)+$")


@dataclass(frozen=True)
class Change:
    ref: Reference
    field: str | None  # None: inferred from the value
    value: str


def match(msg: Incoming, ctx: Ctx) -> Change | None:
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    keyword = _KEYWORD.match(text)
    plain = text
    for mention in find_outlets(text, names(ctx)):
        plain = plain.replace(mention.token, " ")  # 融媒体中心 names an outlet, not the field 媒体
    named_field = any(w in plain for words in FIELDS.values() for w in words)
    target = _about_a_record(text) or (named_field and len(text) <= 25)
    if not keyword and not (_INTENT.search(text) and target and not _REPORT.search(text)):
        return None  # 日期错了 应该是前天: a field and a fix, short, mean the sender's last record
    if not keyword and len(URL_RE.sub("", text)) > 60:
        return None
    rest = text[keyword.end() :].strip(" :,，") if keyword else text
    ref = find_reference(text, rest) or (None if keyword else Reference(None))
    if ref is None:
        raise ParseError("请写明要改哪一条（编号）和哪一项", EXAMPLE)
    field, value = _field_and_value(rest)
    if not value:
        raise ParseError("请写上改成什么", EXAMPLE)
    return Change(ref, field, value)


def _about_a_record(text: str) -> bool:
    """A message in plain words corrects a record when it starts with which one (刚才那条…, 第2条…, 把1号的…,
    把《…》那篇…) or with the field (日期错了…) — not when a record is only mentioned further on."""
    at = _OPENING.match(text).end()
    if LAST.match(text, at) or NUMBERED.match(text, at):
        return True
    titled = re.compile(r"《[^《》]+》\s*(?:这|那)?(?:篇|条)?").match(text, at)
    if titled and LAST.search(text, titled.start(), titled.end() + 2):
        return True
    if _SAID_WRONG.match(text, at) and _NOT_BUT.search(text):
        return True  # 说错了 不是今天 是11月30号: the last record, put right
    return any(text.startswith(w, at) for words in FIELDS.values() for w in words)


def _field_and_value(text: str) -> tuple[str | None, str]:
    """The field named (the earliest field word) and the new value (after 是/改成/…, else after the field)."""
    lead = re.match(r"^(?:第\s*)?\d{1,9}\s*号?\s*", text)
    if lead:
        text = text[lead.end() :]  # 修改 3 日期 5号: the record is 3, and 5号 is the value
    else:  # only the words that named the record go, not a 5号 in the value
        used = NUMBERED.search(text) or LAST.search(text)
        text = text[: used.start()] + " " + text[used.end() :] if used else text
    text = re.sub(r"^[\s的]*(?:稿件|稿子|活动|上稿|记录)", " ", text.strip())
    found = [
        (m.start(), m.end(), field)
        for field, words in FIELDS.items()
        for w in words
        for m in re.finditer(w, text)
    ]
    if not found:
        return None, _value_after(text, 0, None)
    _start, end, field = min(found)
    return field, _value_after(text, end, field)


def _value_after(text: str, start: int, field: str | None) -> str:
    """What follows the field word, less the 写错了 / 应该是 / 改成 that lead to the value (a title may
    itself begin with 为 or 是, so those two are kept there)."""
    value = text[start:]
    quoted = re.search(r"《([^《》]+)》", value)
    if field in ("title", None) and quoted:
        return quoted.group(1).strip()
    connector = next(
        (c for c in _CONNECTOR.finditer(value) if _COMPLAINT.fullmatch(value[: c.start()])), None
    )
    if connector:  # 少了个字，应该是… / 类型选错了，应该是… — but 社区旧貌改为新颜 is a title
        value = value[connector.end() :]
    lead = _TITLE_LEAD if field == "title" else _LEAD
    value = _strip_lead(lead, value)
    if field not in ("title", "url"):
        # 是45人不是54 / 不是今天 是11月30号: what it is not goes; 62，刚统计完签到表: the value is the first clause
        value = _strip_lead(lead, _DENIED.sub(" ", value))
        if field:  # a bare value is read whole (刚才那条不对，是3月17日)
            value = next((c for c in re.split(r"[,，。;；]", value) if c.strip()), "")
    if field == "place":
        value = re.sub(r"^\s*(?:在|于)(?=\S{2})", "", value)
    value = _TRAIL.sub("", value)
    return value.strip()


def _strip_lead(lead: re.Pattern, value: str) -> str:
    previous = None
    while previous != value:
        previous = value
        value = lead.sub("", value)
    return value


def correct(ctx: Ctx, change: Change) -> Reply:
    """修改 编号 项目 新值：更正登记内容（标题、日期、媒体、版面、人数、地点、类型）；「刚才那条…」改自己刚登记的"""
    record = find_record(ctx, change.ref)
    if isinstance(record, str):
        return Reply(record)
    no, kind = record.no, kind_name(record)
    if not may_change(ctx, record):
        return Reply(f"第{no}号{kind}属于{record.unit.name}，只有本单位宣传员或上级领导可以修改。")
    if record.status != "counted":
        return Reply(f"第{no}号{kind}已撤回，不能修改；请重新登记。")
    field = change.field or corrections_apply.infer_field(ctx, record, change.value)
    if field is None:
        raise ParseError("请写明要改哪一项（标题、日期、媒体、版面、人数、地点、类型）", EXAMPLE)
    before, after = corrections_apply.apply(ctx, record, field, change.value)
    return Reply(corrections_apply.changed_text(ctx, record, corrections_apply.LABELS[field], before, after))


COMMAND = Command("修改", match, correct, example="修改 12 日期 11月25日")
