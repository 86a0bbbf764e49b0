"""撤回: withdraw a mistaken article or activity (kept, no longer counted): `撤回 12`, `刚才那条发错了 撤回 30`,
`撤回刚才那条` (the sender's last record of the last 24 hours)."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.command import Command
from handlers.parsing import ParseError
from handlers.parsing.references import Reference, find_reference
from handlers.parsing.text import clean
from handlers.types import Ctx, Incoming, Reply
from storage import audit, records
from storage.models import Activity, Article
from storage.org import is_within

EXAMPLE = "撤回 12"
RECENT = timedelta(hours=24)
_KEYWORD = re.compile(r"撤回|撤销|删除上稿|删除|删掉|作废")


def match(msg: Incoming, ctx: Ctx) -> Reference | None:
    """`撤回 12` first in the message, or 撤回 in a short sentence that names a record."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    m = _KEYWORD.search(text)
    if m is None or (m.start() > 0 and len(text) > 40):
        return None
    ref = find_reference(text, text[m.end() :].strip(" :,，"))
    if ref is None:
        if m.start() == 0:
            raise ParseError("请写上要撤回的编号（登记成功时回复里的「第N号」），或「撤回刚才那条」", EXAMPLE)
        return None
    return ref


def find_record(ctx: Ctx, ref: Reference) -> Article | Activity | str:
    """The record a reference means, or the reply saying why there is none."""
    if ref.last:
        record = records.newest_since(ctx.session, ctx.member.id, ctx.now - RECENT)
        return record or "24小时内没有您登记的记录。请写明编号，如「撤回 12」。"
    record = records.by_number(ctx.session, ref.number)
    return record or f"没有第{ref.number}号记录，请核对编号。"


def may_change(ctx: Ctx, record: Article | Activity) -> bool:
    """Publicists act on their own unit's records; leaders on their unit's subtree; admins on all."""
    role = ctx.member.role
    if role == "admin":
        return True
    if role == "leader":
        return is_within(ctx.session, record.unit_id, ctx.member.unit_id)
    return record.unit_id == ctx.member.unit_id


def kind_name(record: Article | Activity) -> str:
    return "上稿" if isinstance(record, Article) else "活动"


def withdraw(ctx: Ctx, ref: Reference) -> Reply:
    """撤回 编号：撤回登记错的上稿或活动（保留记录，不再计数）；「撤回刚才那条」撤回自己刚登记的"""
    record = find_record(ctx, ref)
    if isinstance(record, str):
        return Reply(record)
    no, kind = record.no, kind_name(record)
    if not may_change(ctx, record):
        return Reply(f"第{no}号{kind}属于{record.unit.name}，只有本单位宣传员或上级领导可以撤回。")
    if record.status != "counted":
        return Reply(f"第{no}号{kind}「{record.title}」已经撤回过了。")
    record.status = "withdrawn"
    audit.record(ctx.session, ctx.member, "withdraw", f"{kind} 第{no}号 {record.title}")
    return Reply(f"已撤回第{no}号{kind}「{record.title}」，不再计数。")


COMMAND = Command("撤回", match, withdraw, example=EXAMPLE)
