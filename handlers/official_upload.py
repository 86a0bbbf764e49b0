"""录入: an admin sends the media centre's figures as an .xlsx/.csv file; it is imported outside the callback.

The month comes from the file name (2023年3月上稿统计.xlsx, 2023-03.csv) or from a `录入 2023-03` sent
within the last 30 minutes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from handlers.command import Command, keyword_body
from handlers.parsing import ParseError
from handlers.parsing.periods import month, parse_period
from handlers.parsing.text import normalise, split_keyword
from handlers.types import Ctx, Incoming, Reply
from reports.periods import month_keys
from storage import tasks
from storage.models import InboundMessage

KEYWORDS = ("录入", "导入")
EXAMPLE = "录入 2023年3月（然后发送表格文件）"
_MONTH_IN_NAME = re.compile(r"(20\d{2})\s*[年\-_.]\s*(\d{1,2})\s*月?")
WINDOW = timedelta(minutes=30)


def match_command(msg: Incoming, ctx: Ctx) -> str | None:
    rest = keyword_body(msg, KEYWORDS)
    return None if rest is None else _month_key(rest, ctx.today)


def _month_key(text: str, today: date) -> str:
    period = parse_period(text, today)
    if not period.is_month:
        raise ParseError("官方数据按月导入，请写一个月份", EXAMPLE)
    return month_keys(period)[0]


def expect_file(ctx: Ctx, key: str) -> Reply:
    """录入 月份：随后发来的开发区官方上稿量表格（.xlsx/.csv）导入该月"""
    return Reply(f"请在30分钟内把{key}的开发区官方上稿量表格（.xlsx 或 .csv）作为文件发给我。")


def match_file(msg: Incoming, ctx: Ctx) -> Incoming | None:
    return msg if msg.msg_type == "file" else None


def receive_file(ctx: Ctx, msg: Incoming) -> Reply:
    """（发送表格文件）：导入开发区官方上稿量"""
    name = msg.file_name or "未命名文件"
    if not name.lower().endswith((".xlsx", ".csv")):
        return Reply(f"《{name}》不是 .xlsx 或 .csv 表格，没有导入。")
    key = _month_from_name(name) or _month_from_recent_command(ctx)
    if key is None:
        return Reply(
            f"不知道《{name}》是哪个月的数据。请先发「录入 2023-03」再发文件，或在文件名里写明月份。"
        )
    tasks.create(
        ctx.session,
        "import_official",
        ctx.member,
        {"media_id": msg.media_id, "filename": name, "period": key},
    )
    return Reply(f"已收到《{name}》，正在导入{key}的开发区官方上稿量，完成后通知您。")


def _month_from_name(name: str) -> str | None:
    m = _MONTH_IN_NAME.search(name)
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    return month_keys(month(int(m[1]), int(m[2])))[0]


def _month_from_recent_command(ctx: Ctx) -> str | None:
    row = ctx.session.scalar(
        select(InboundMessage)
        .where(
            InboundMessage.userid == ctx.member.userid,
            InboundMessage.handler == "录入",
            InboundMessage.received_at >= ctx.now - WINDOW,
        )
        .order_by(InboundMessage.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    rest = split_keyword(normalise(row.content), KEYWORDS)
    try:
        return _month_key(rest, ctx.today) if rest is not None else None
    except ParseError:
        return None


COMMAND = Command("录入", match_command, expect_file, example=EXAMPLE, roles=("admin",))
FILE_COMMAND = Command("录入文件", match_file, receive_file, roles=("admin",))
