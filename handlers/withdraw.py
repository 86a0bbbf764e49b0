"""撤回: withdraw a mistaken article or activity by its number (kept, no longer counted)."""

from __future__ import annotations

import re

from handlers.parsing import ParseError
from handlers.registry import Command, keyword_body
from handlers.types import Ctx, Incoming, Reply
from storage import activities, articles, audit
from storage.models import Activity, Article
from storage.org import is_within

KEYWORDS = ("撤回", "撤销", "删除上稿")
EXAMPLE = "撤回 12"
_NUMBER = re.compile(r"^第?(\d+)号?$")


def parse_number(rest: str, example: str) -> int:
    m = _NUMBER.match(rest.replace(" ", ""))
    if not m:
        raise ParseError("请写上要处理的编号（登记成功时回复里的「第N号」）", example)
    return int(m[1])


def match(msg: Incoming, ctx: Ctx) -> int | None:
    rest = keyword_body(msg, KEYWORDS)
    return None if rest is None else parse_number(rest, EXAMPLE)


def may_change(ctx: Ctx, record: Article | Activity) -> bool:
    """Publicists act on their own unit's records; leaders on their unit's subtree; admins on all."""
    role = ctx.member.role
    if role == "admin":
        return True
    if role == "leader":
        return is_within(ctx.session, record.unit_id, ctx.member.unit_id)
    return record.unit_id == ctx.member.unit_id


def withdraw(ctx: Ctx, no: int) -> Reply:
    """撤回 编号：撤回登记错的上稿或活动（保留记录，不再计数）"""
    record: Article | Activity | None = articles.by_number(ctx.session, no) or activities.by_number(
        ctx.session, no
    )
    if record is None:
        return Reply(f"没有第{no}号记录，请核对编号。")
    kind = "上稿" if isinstance(record, Article) else "活动"
    if not may_change(ctx, record):
        return Reply(f"第{no}号{kind}属于{record.unit.name}，只有本单位宣传员或上级领导可以撤回。")
    if record.status != "counted":
        return Reply(f"第{no}号{kind}「{record.title}」已经撤回过了。")
    record.status = "withdrawn"
    audit.record(ctx.session, ctx.member, "withdraw", f"{kind} 第{no}号 {record.title}")
    return Reply(f"已撤回第{no}号{kind}「{record.title}」，不再计数。")


COMMAND = Command("撤回", match, withdraw, example=EXAMPLE)
