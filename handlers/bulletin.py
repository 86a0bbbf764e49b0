"""通报: a leader asks for the bulletin of a period (reports/bulletin.py writes it), as text in the reply, or
as the Word document (`通报 上月 文档`, `要上个月的通报文件`), built outside the callback and sent as a file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.command import Command, asked, keyword_body
from handlers.parsing.periods import Period, find_period, parse_period, unread_time
from handlers.types import Ctx, Incoming, Reply
from reports.bulletin import compose_bulletin, document_name
from storage import tasks
from storage.org import ranking_parent

KEYWORDS = ("通报", "月报", "生成通报")
EXAMPLE = "通报、通报 上月、通报 2023年3月、通报 上月 文档"
_ASKED = re.compile(r"通报|月报")
# the document, not the text: 文档, 文件, Word版, 公文, 下载, 打印 …
_DOCUMENT = re.compile(r"文档|文件|word|docx?|公文|红头|正式版|打印|下载|附件", re.IGNORECASE)


@dataclass(frozen=True)
class BulletinAsk:
    period: Period
    document: bool


def match(msg: Incoming, ctx: Ctx) -> BulletinAsk | None:
    """`通报 上月`, `通报 上月 文档`, or a question: `看一下三月份的通报`, `要上个月的通报文件`."""
    rest = keyword_body(msg, KEYWORDS)
    keyword = rest is not None
    if rest is None:
        rest = asked(msg, _ASKED)
    if rest is None:
        return None
    period, rest = find_period(rest, ctx.today)
    document = bool(_DOCUMENT.search(rest))
    if keyword and period is None:
        unread_time(rest, EXAMPLE)
    return BulletinAsk(period or parse_period("", ctx.today), document)


def show_bulletin(ctx: Ctx, ask: BulletinAsk) -> Reply:
    """通报 [期间] [文档]：生成通报文字（默认本月截至今天）；加「文档」则生成Word公文，以文件发给您"""
    parent = ranking_parent(ctx.session, ctx.member.unit)
    if parent is None:
        return Reply("没有可通报的下属单位。")
    period = ask.period
    if not ask.document:
        text = compose_bulletin(ctx.session, parent, period, ctx.now)
        return Reply(f"{text}\n发送「通报 {period.label} 文档」可获取Word公文。")
    tasks.create_for_period(ctx.session, "bulletin_doc", ctx.member, parent.id, period)
    return Reply(f"正在生成《{document_name(parent, period)}》（Word公文格式），稍后以文件发给您。")


COMMAND = Command("通报", match, show_bulletin, example=EXAMPLE, roles=("leader", "admin"))
