"""The inbound log: every channel message once, with the reply it got (de-duplication and audit)."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from storage.db import core, insert_missing
from storage.models import InboundMessage

_ANSWER = (
    update(InboundMessage.__table__)
    .where(InboundMessage.id == bindparam("row"))
    .values(handler=bindparam("by"), reply=bindparam("text"))
)


def find(session: Session, channel: str, msg_key: str) -> InboundMessage | None:
    return session.scalar(
        select(InboundMessage).where(InboundMessage.channel == channel, InboundMessage.msg_key == msg_key)
    )


def claim(
    session: Session, *, channel: str, msg_key: str, userid: str, msg_type: str, content: str
) -> int | None:
    """Log a message not seen before and return its row's id; None when (channel, msg_key) came before. One
    INSERT … ON CONFLICT DO NOTHING: a concurrent twin waits for the first to commit, then finds it taken."""
    values = {
        "channel": channel,
        "msg_key": msg_key,
        "userid": userid,
        "msg_type": msg_type,
        "content": content,
    }
    return insert_missing(
        session, InboundMessage, values, ["channel", "msg_key"], returning=InboundMessage.id
    )


def answer(session: Session, row_id: int, handler: str, reply: str) -> None:
    """Keep the reply a logged message got, for its repeats."""
    core(session).execute(_ANSWER, {"row": row_id, "by": handler, "text": reply})
