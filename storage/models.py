"""Typed SQLAlchemy 2.0 models: the domain of PRODUCT.md §3."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict] = {datetime: UTCDateTime, dict: JSON, list: JSON}


ROLES = ("publicist", "leader", "admin")
ARTICLE_STATUSES = ("counted", "withdrawn", "rejected")


class Unit(Base):
    """A node of the organisation tree (zone → units → communities and offices)."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    aliases: Mapped[list] = mapped_column(default=list)
    kind: Mapped[str] = mapped_column(String(20), default="unit")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class UnitLink(Base):
    """Closure table: one row per (ancestor, descendant) pair, self included, for subtree sums in SQL."""

    __tablename__ = "unit_link"
    ancestor_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    depth: Mapped[int] = mapped_column(default=0)


class Member(Base):
    """A person the bot knows: WeCom userid, name, unit and role."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    userid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="publicist")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship()


class Outlet(Base):
    """A media outlet (媒体) with its level, score weight and the link domains that identify it."""

    __tablename__ = "outlet"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str] = mapped_column(String(20), default="区级")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    aliases: Mapped[list] = mapped_column(default=list)
    domains: Mapped[list] = mapped_column(default=list)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Quota(Base):
    """Monthly minimum per unit; the row with no unit is the default, and a unit's NULL inherits it."""

    __tablename__ = "quota"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), unique=True)
    articles: Mapped[int | None] = mapped_column()
    activities: Mapped[int | None] = mapped_column()


class OrgSetting(Base):
    """Org-file sections that are configuration, not rows (schedule, scoring), kept as JSON."""

    __tablename__ = "org_setting"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict] = mapped_column(default=dict)


class RecordNumber(Base):
    """Issues the numbers users see; articles and activities share one sequence (`撤回 12`)."""

    __tablename__ = "record_number"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))


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


class Article(Base):
    """One 上稿: an article published by one outlet, credited to a unit."""

    __tablename__ = "article"
    __table_args__ = (
        # The same canonical URL is counted once; a withdrawn copy does not block a new report.
        Index(
            "uq_article_counted_url",
            "canonical_url",
            unique=True,
            sqlite_where=text("status = 'counted'"),
            postgresql_where=text("status = 'counted'"),
        ),
        Index("ix_article_published", "published_on", "unit_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    no: Mapped[int] = mapped_column(ForeignKey("record_number.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id"))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(String(1000))
    published_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="counted")
    # score = outlet weight × placement factor + endorsement bonus (PRODUCT.md §3), kept up to date on change
    score: Mapped[float] = mapped_column(Float, default=0.0)
    placement: Mapped[str] = mapped_column(String(20), default="")  # 头版 / 头条 words found in the report
    factor: Mapped[float] = mapped_column(Float, default=1.0)
    endorsement: Mapped[str | None] = mapped_column(String(20))  # level of the leader who endorsed (批示)
    bonus: Mapped[float] = mapped_column(Float, default=0.0)
    story_key: Mapped[str] = mapped_column(
        String(300), default="", index=True
    )  # one story in several outlets
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # 补报: reported after its month's bulletin
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_message.id"))

    unit: Mapped[Unit] = relationship()
    member: Mapped[Member] = relationship()
    outlet: Mapped[Outlet] = relationship()


class Activity(Base):
    """An activity a unit held (宣讲, 文明实践, 志愿服务 …) with its participants."""

    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    no: Mapped[int] = mapped_column(ForeignKey("record_number.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[int] = mapped_column(default=0)
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="counted")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_message.id"))

    unit: Mapped[Unit] = relationship()
    member: Mapped[Member] = relationship()


class ActivityPhoto(Base):
    """A photo sent right after an activity report (WeCom media id and picture URL)."""

    __tablename__ = "activity_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str] = mapped_column(String(200), default="")
    pic_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Exemption(Base):
    """A unit or a member excused for a period (leave, special duty): no nag, marked in bulletins."""

    __tablename__ = "exemption"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdminAction(Base):
    """Audit trail: every admin or leader change (who, when, what)."""

    __tablename__ = "admin_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinLog(Base):
    """Which month's bulletin went out when; later reports for that month are 补报."""

    __tablename__ = "bulletin_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderLog(Base):
    """At most once: one row per (kind, occasion, recipient), claimed before the push is written."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("kind", "occasion", "recipient", name="uq_reminder_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # nag | last_call | last_call_copy | bulletin
    occasion: Mapped[str] = mapped_column(String(30))  # e.g. 2023-03@20 (the nag of the 20th), 2023-03
    recipient: Mapped[str] = mapped_column(String(64))  # a userid, "webhook", or "*" for a skipped occasion
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | skipped
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """An API access token shared by every process (so four workers do not each fetch one)."""

    __tablename__ = "api_token"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column()


class OfficialFigure(Base):
    """The zone media centre's published 上稿量 for a unit and month (imported; a re-import replaces)."""

    __tablename__ = "official_figure"
    __table_args__ = (UniqueConstraint("period", "unit_id", name="uq_official_period_unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    articles: Mapped[int] = mapped_column()
    rank: Mapped[int | None] = mapped_column()
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("member.id"))


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
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()


class Outbox(Base):
    """Every push: written first, then delivered and retried by the scheduler."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipients: Mapped[list] = mapped_column(default=list)
    msg_type: Mapped[str] = mapped_column(String(20), default="text")
    payload: Mapped[dict] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(
        String(20), default="pending", index=True
    )  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column()  # a sender's claim; expired claims are retaken
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
