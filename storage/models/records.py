"""What is reported and counted: articles, activities, photos, official figures, the audit trail."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.org import Member, Outlet, Unit


class RecordNumber(Base):
    """Issues the numbers users see; articles and activities share one sequence (`撤回 12`)."""

    __tablename__ = "record_number"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))


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
        # A unit's period (the reply's month total, 我的): its counted rows of the period only, however long
        # the unit's history, and the count and score straight from the index.
        Index("ix_article_unit_day", "unit_id", "status", "published_on", "score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    no: Mapped[int] = mapped_column(ForeignKey("record_number.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # indexed by ix_article_unit_day
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


class Photo(Base):
    """A photo sent right after a report (proof of an article, pictures of an activity), by record number."""

    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_no: Mapped[int] = mapped_column(ForeignKey("record_number.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str] = mapped_column(String(200), default="")
    pic_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaFile(Base):
    """A photo's content, where the channel gave no lasting media id: the intelligent robot's image URLs
    expire within minutes, so its photos are downloaded and kept here (Photo.media_id is `aibot:<digest>`)."""

    __tablename__ = "media_file"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the content
    mime: Mapped[str] = mapped_column(String(50))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
