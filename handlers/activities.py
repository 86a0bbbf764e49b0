"""活动: record activities — from a keyword line, a form, or the lead sentence of a news item; photos sent
right after attach to the record (see handlers/photos.py)."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.ahead import kept
from handlers.article_drafts import names
from handlers.command import Command
from handlers.parsing import ParseError
from handlers.parsing.activity import ACTIVITY_EXAMPLE, FORM_KEYS, ActivityDraft, parse_activity
from handlers.parsing.dates import NO_DATE, TODAY_HINT
from handlers.parsing.intent import record_kind
from handlers.parsing.split import dated_pieces, split_records
from handlers.parsing.text import clean
from handlers.recording import as_written, record_all, resolve_all
from handlers.types import Ctx, Incoming, Reply
from storage.activity_types import activity_words
from storage.org import org_value
from storage.org_cache import OrgSnapshot

_KEYWORD = re.compile(
    r"^(?:【\s*活动\s*】|登记活动|活动登记|报活动|活动)(?:\s*\d+\s*(?:个|次|项))?(?=[\s:,，\n]|$)"
)


_NAMED = re.compile(r"^活动\s*:\s*\S")


def match_keyword(msg: Incoming, ctx: Ctx) -> list[ActivityDraft] | None:
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    return as_written(read_activities(ctx, text), msg.content) if _KEYWORD.match(text) else None


def match_natural(msg: Incoming, ctx: Ctx) -> list[ActivityDraft] | None:
    """A text that reports an activity without the keyword (`11月25日，和平社区在社区广场开展…`)."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    words = activity_words(ctx.session)
    if record_kind(text, names(ctx), words) != "activity":
        return None
    drafts = read_activities(ctx, text)
    if not TODAY_HINT.search(text):  # told as news without a day: asked (the 活动 keyword's default is today)
        drafts = [
            d if d.day or d.day_vague or d.day_unclear else replace(d, day_vague=NO_DATE) for d in drafts
        ]
    return as_written(drafts, msg.content)


def read_activities(ctx: Ctx, text: str) -> list[ActivityDraft]:
    """Every activity a text reports (kept: see handlers/ahead.py)."""
    return list(kept(ctx, "activities", text, lambda: tuple(_read_activities(ctx, text))))


def _read_activities(ctx: Ctx, text: str) -> list[ActivityDraft]:
    words = activity_words(ctx.session)
    body = _KEYWORD.sub("", text, count=1).strip(" :,，\n")
    if _NAMED.match(text) and "\n" in body:
        body = "名称:" + body  # 活动：中心组学习会 then 时间：… — the first line is the name
    if not body:
        raise ParseError("活动需要名称、日期和人数", ACTIVITY_EXAMPLE)
    split = split_records(body, FORM_KEYS)
    if len(split.items) == 1:
        split = dated_pieces(body, ctx.today) or split
    units = unit_words(ctx)
    return [
        parse_activity(_with_preamble(split.preamble, item, words), words, ctx.today, units)
        for item in split.items
    ]


def _with_preamble(preamble: str, item: str, words: set[str]) -> str:
    """What a list's preamble (`11月中心组学习两次：`, `补报上月：`) says of every item: its type, for an item
    that names none, and 补报 — not its month or its count, which each item says for itself."""
    typed = next((w for w in sorted(words, key=len, reverse=True) if w and w in preamble), "")
    if typed and not any(w and w in item for w in words):
        item = f"{typed} {item}"
    return f"补报 {item}" if "补报" in preamble and "补报" not in item else item


def unit_words(ctx: Ctx) -> frozenset[str]:
    """Unit names and aliases: in a line of fields they say who reports, not what was done."""
    if "unit_words" not in ctx.extras:
        ctx.extras["unit_words"] = org_value(ctx.session, "unit_words", _unit_words)
    return ctx.extras["unit_words"]


def _unit_words(org: OrgSnapshot) -> frozenset[str]:
    return frozenset(w for u in org.units.values() if u.active for w in (u.name, *u.aliases) if w)


def record(ctx: Ctx, drafts: list[ActivityDraft]) -> Reply:
    """活动 类型 名称 [日期] [人数] [地点]：登记开展的活动（之后发来的照片会附在这次活动上）"""
    return record_all(ctx, drafts)


TEXT_COMMAND = Command("活动", match_keyword, record, example=ACTIVITY_EXAMPLE, ahead=resolve_all)
NATURAL_COMMAND = Command("活动", match_natural, record, ahead=resolve_all)
