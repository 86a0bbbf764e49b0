"""State a conversation needs between two messages: the question the bot is waiting to have answered, and the
intelligent robot's stream replies that were not finished when the callback was answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class PendingDraft(Base):
    """A record the bot asked one question about; the member's next message may answer it.

    It is not a record: it never counts. One per member (a new question replaces the old), kept in the
    database so the answer may reach any worker, on any channel; it expires after 30 minutes."""

    __tablename__ = "pending_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # article | activity
    question: Mapped[str] = mapped_column(String(30))  # the field asked for: outlet, date, participants …
    draft: Mapped[dict] = mapped_column(default=dict)  # what was understood so far
    options: Mapped[list] = mapped_column(default=list)  # numbered choices offered with the question
    queue: Mapped[list] = mapped_column(default=list)  # further records of the same message, still to do
    asked_text: Mapped[str] = mapped_column(String(500), default="")  # the question as it was asked
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class AibotStream(Base):
    """The reply to a robot message that was still being worked on when its callback was answered.

    The robot then keeps asking for the stream by its id ("流式消息刷新"), and any worker may get that
    question: the reply is written here when it is ready. Rows are only made on that slow path and are
    forgotten after an hour (WeCom stops asking after six minutes)."""

    __tablename__ = "aibot_stream"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
