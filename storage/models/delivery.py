"""Messages in and out: the inbound log, callback nonces, reminder claims, the outbox, stored files, tasks,
API tokens and the app's own generated secrets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class InboundMessage(Base):
    """Every message a channel delivered: de-duplication key, audit trail and the reply given."""

    __tablename__ = "inbound_message"
    __table_args__ = (UniqueConstraint("channel", "msg_key", name="uq_inbound_channel_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    msg_key: Mapped[str] = mapped_column(String(128))
    userid: Mapped[str] = mapped_column(String(64), index=True)
    msg_type: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text, default="")
    handler: Mapped[str | None] = mapped_column(String(50))
    reply: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallbackNonce(Base):
    """A callback's (timestamp, nonce) pair, accepted once per body within the time window (replay guard).

    The key is a hash of (channel, timestamp, nonce), so an odd-length nonce can never overflow a column."""

    __tablename__ = "callback_nonce"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the body first seen with this pair
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AppSecret(Base):
    """A secret the app generated for itself (the dashboard's session key when TOUGAO_SECRET_KEY is empty),
    kept in the database so every worker and restart reads the same one."""

    __tablename__ = "app_secret"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReminderLog(Base):
    """At most once: one row per (kind, occasion, recipient), claimed before the push is written."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("kind", "occasion", "recipient", name="uq_reminder_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # nag | last_call | last_call_copy | bulletin
    occasion: Mapped[str] = mapped_column(String(30))  # e.g. 2023-03@20 (the nag of the 20th), 2023-03
    recipient: Mapped[str] = mapped_column(String(64))  # a userid, "webhook", or "*" for the occasion itself
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | done, skipped (for "*")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """An API access token shared by every process (so four workers do not each fetch one)."""

    __tablename__ = "api_token"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column()


class StoredFile(Base):
    """A file a push carries (an exported workbook, a chart): kept in the database so any process can send it."""

    __tablename__ = "stored_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Task(Base):
    """Slow work asked for in chat (import a sent workbook, build an export), done by the scheduler."""

    __tablename__ = "task"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # import_official | export
    payload: Mapped[dict] = mapped_column(default=dict)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    status: Mapped[str] = mapped_column(
        String(20), default="pending", index=True
    )  # pending|running|done|failed
    attempts: Mapped[int] = mapped_column(default=0)  # runs started: a task that kills its worker twice stops
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()


class Outbox(Base):
    """Every push: written first, then delivered and retried by the scheduler."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # a storage.channels.Channel
    recipients: Mapped[list] = mapped_column(default=list)
    msg_type: Mapped[str] = mapped_column(String(20), default="text")
    payload: Mapped[dict] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(
        String(20), default="pending", index=True
    )  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column()  # a sender's claim; expired claims are retaken
    lease_owner: Mapped[str | None] = mapped_column(String(100))  # host:pid of the claiming sender
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    rejected: Mapped[dict] = mapped_column(default=dict)  # recipient → why the channel did not reach them
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
