"""The organisation: units (a tree with a closure table), members, outlets, quotas, exemptions, settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    String,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NO_VALUE

from storage.models.base import Base, utcnow

ROLES = ("publicist", "leader", "admin")


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
    """A person the bot knows: WeCom userid (or Official Account openid), name, unit, role, and the
    channel pushes reach them on (storage.channels.Channel; None until known: the default channel)."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    userid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="publicist")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    channel: Mapped[str | None] = mapped_column(String(20))  # learned from where they write, or set
    # Bumped on sign-out, role change and deactivation: dashboard cookies of an older version stop working.
    session_version: Mapped[int] = mapped_column(default=0)

    unit: Mapped[Unit] = relationship()


@event.listens_for(Member.role, "set", active_history=True)
@event.listens_for(Member.active, "set", active_history=True)
def _revoke_sessions(member: Member, value: object, old: object, _initiator: object) -> None:
    """A new role or a deactivation signs the member out of the dashboard on every device: a model event,
    so chat, the dashboard and an org import all do it. (Bulk UPDATEs bypass it; the dashboard still
    re-checks role and active on every request.)"""
    if old is not NO_VALUE and old is not None and old != value:
        member.session_version = (member.session_version or 0) + 1


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


class WechatAccount(Base):
    """A WeChat official account (the `__biz` of its article links) and the outlet it belongs to.

    Every account shares mp.weixin.qq.com, so the account, not the domain, tells outlets apart. Rows come
    from the org file (`wechat:`), from a publicist's answer when an unknown account was asked about, or from
    an admin's correction (`媒体 公众号 <__biz> <媒体>`)."""

    __tablename__ = "wechat_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    biz: Mapped[str] = mapped_column(String(64), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20), default="org")  # org | learned | admin
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    outlet: Mapped[Outlet] = relationship()
    member: Mapped[Member | None] = relationship()


class Quota(Base):
    """Monthly minimum per unit; the row with no unit is the default, and a unit's NULL inherits it."""

    __tablename__ = "quota"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), unique=True)
    articles: Mapped[int | None] = mapped_column()
    activities: Mapped[int | None] = mapped_column()


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


class OrgGeneration(Base):
    """One row whose token every write to the organisation's tables replaces, in the writer's own transaction
    (storage.org_cache): a process keeps the organisation in memory while the token it read it under holds."""

    __tablename__ = "org_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class OrgSetting(Base):
    """Org-file sections that are configuration, not rows (schedule, scoring), kept as JSON."""

    __tablename__ = "org_setting"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict] = mapped_column(default=dict)
