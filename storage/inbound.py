"""The inbound log: every channel message once, with the reply it got (de-duplication and audit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import InboundMessage


def find(session: Session, channel: str, msg_key: str) -> InboundMessage | None:
    return session.scalar(
        select(InboundMessage).where(InboundMessage.channel == channel, InboundMessage.msg_key == msg_key)
    )


def record(
    session: Session, *, channel: str, msg_key: str, userid: str, msg_type: str, content: str
) -> InboundMessage:
    """Insert the message's row; a concurrent twin makes the flush raise IntegrityError."""
    row = InboundMessage(channel=channel, msg_key=msg_key, userid=userid, msg_type=msg_type, content=content)
    session.add(row)
    session.flush()
    return row
