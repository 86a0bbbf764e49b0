"""The conversation: a question the bot asked is answered by the member's next message.

Dispatch consults this before the command table. A live pending draft (see storage.pending) is completed
when the message answers its question — an outlet for an outlet, a count for a count, 是 or a date for a
date. `取消` drops it. Any other message drops it too and is handled as a new message; the reply then says
the earlier question was dropped. The draft is never a record and never counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from handlers import activity_drafts, article_drafts
from handlers.parsing.text import clean
from handlers.parsing.urls import URL_RE
from handlers.questions import CANCEL, COMMAND_FIRST, Question
from handlers.recording import ask, continue_with, draft_from
from handlers.types import Ctx, Incoming, Reply
from storage import pending
from storage.models import PendingDraft

DROPPED = "（刚才问的那条没有登记，已作废；需要的话请重新发送。）"
EXPIRED = "（30分钟前问的那条没有回复，已作废，没有登记。）"


def consult(
    ctx: Ctx, msg: Incoming, row: PendingDraft, asks: Callable[[], bool] = lambda: False
) -> tuple[Reply, str] | None:
    """(reply, handler name) when `msg` answers or cancels the member's pending question `row` (or brings a
    photo for it); None when the message is to be handled as new.

    Only an answer in the question's own terms counts (an outlet, a count, 是 or a date …, read strictly); a
    message that starts with a command, carries a link, asks something (`asks()`: 这个月排名怎么样) or reads as
    a report of its own is new."""
    if row.expires_at <= ctx.now:
        pending.drop(ctx.session, ctx.member.id)
        _note(ctx, EXPIRED)
        return None
    if msg.msg_type == "event":
        return None
    if msg.msg_type == "image":
        return _hold_photo(ctx, row, msg), "照片"
    text = clean(msg.content) if msg.msg_type == "text" else ""
    if text.lower() in CANCEL:
        pending.drop(ctx.session, ctx.member.id)
        return Reply("好的，已取消，刚才那条没有登记。"), "取消"
    answer = None
    if text and not COMMAND_FIRST.match(text) and not URL_RE.search(text) and not asks():
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


def _hold_photo(ctx: Ctx, row, msg: Incoming) -> Reply:
    """A photo while a question is open belongs to the record being asked about: it is kept with the draft
    and attached when the record is stored."""
    draft = draft_from(row.kind, row.draft)
    held = replace(draft, photos=(*draft.photos, (msg.media_id, msg.pic_url)))
    row.draft = held.to_dict()  # a new dict, so the JSON column is written
    return Reply(f"照片收到，这一条登记后附上（共{len(held.photos)}张）。\n{row.asked_text}")


def _note(ctx: Ctx, text: str) -> None:
    ctx.extras.setdefault("notes", []).append(text)
