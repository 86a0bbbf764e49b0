"""The conversation: a question the bot asked is answered by the member's next message.

Dispatch consults this before the command table. A live pending draft (see storage.pending) is completed
when the message answers its question — an outlet for an outlet, a count for a count, 是 or a date for a
date. `取消` drops it. Any other message drops it too and is handled as a new message; the reply then says
the earlier question was dropped. The draft is never a record and never counts.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers import activity_drafts, article_drafts
from handlers.parsing.text import clean
from handlers.questions import CANCEL, Question
from handlers.recording import ask, continue_with, draft_from
from handlers.types import Ctx, Incoming, Reply
from storage import pending

DROPPED = "（刚才问的那条没有登记，已作废；需要的话请重新发送。）"
EXPIRED = "（30分钟前问的那条没有回复，已作废，没有登记。）"


def consult(ctx: Ctx, msg: Incoming, claimed: Callable[[], bool]) -> tuple[Reply, str] | None:
    """(reply, handler name) when `msg` answers or cancels the member's pending question; None when the
    message is to be handled as new. `claimed()` tells whether a command of its own claims the message."""
    row = pending.current(ctx.session, ctx.member.id)
    if row is None:
        return None
    if row.expires_at <= ctx.now:
        pending.drop(ctx.session, ctx.member.id)
        _note(ctx, EXPIRED)
        return None
    if msg.msg_type in ("image", "event"):
        return None  # a photo or a chat event leaves the question open (a photo goes to the last stored record)
    text = clean(msg.content) if msg.msg_type == "text" else ""
    if text.lower() in CANCEL:
        pending.drop(ctx.session, ctx.member.id)
        return Reply("好的，已取消，刚才那条没有登记。"), "取消"
    answer = None
    if text and not claimed():
        draft = draft_from(row.kind, row.draft)
        module = article_drafts if row.kind == "article" else activity_drafts
        answer = module.apply_answer(ctx, draft, row.question, text, list(row.options))
    if answer is None:
        pending.drop(ctx.session, ctx.member.id)
        _note(ctx, DROPPED)
        return None
    queue = [draft_from(item["kind"], item["draft"]) for item in row.queue]
    handler = "上稿" if row.kind == "article" else "活动"
    if isinstance(answer, Question):
        return Reply(ask(ctx, draft_from(row.kind, row.draft), answer, queue)), handler
    return continue_with(ctx, [answer, *queue]), handler


def _note(ctx: Ctx, text: str) -> None:
    ctx.extras.setdefault("notes", []).append(text)
