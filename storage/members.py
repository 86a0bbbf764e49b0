"""Member management by chat (成员 添加 / 删除 / 列表 / 渠道)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.channels import Channel
from storage.models import Member, Unit, UnitLink


def by_userid(session: Session, userid: str) -> Member | None:
    return session.scalar(select(Member).where(Member.userid == userid))


def upsert(
    session: Session, *, userid: str, name: str, unit: Unit, role: str, channel: Channel | None = None
) -> tuple[Member, bool]:
    """Add or (re)activate and update a member; returns (member, created). Without `channel`, a known
    channel stays (it is learned from where they write)."""
    member = by_userid(session, userid)
    created = member is None
    if created:
        member = Member(userid=userid)
        session.add(member)
    member.name, member.unit_id, member.role, member.active = name, unit.id, role, True
    if channel is not None:
        member.channel = channel
    session.flush()
    return member, created


def learn_channel(session: Session, member: Member, channel: Channel) -> None:
    """Note the channel a member writes from, unless another transaction holds their row right now: then
    that one is noting it. A message never queues behind another transaction for this (on PostgreSQL a
    transaction cut off mid-way by a network fault keeps its locks until the server notices); the next
    message tries again. On SQLite the write lock is the whole database's anyway."""
    if member.channel == channel:
        return
    free = select(Member.id).where(Member.id == member.id).with_for_update(skip_locked=True)
    if session.scalar(free) is not None:
        member.channel = channel


def under(session: Session, unit_id: int) -> list[Member]:
    """Active members of a unit's subtree, by unit order."""
    return list(
        session.scalars(
            select(Member)
            .join(UnitLink, UnitLink.descendant_id == Member.unit_id)
            .join(Unit, Unit.id == Member.unit_id)
            .where(UnitLink.ancestor_id == unit_id, Member.active.is_(True))
            .order_by(UnitLink.depth, Unit.sort_order, Member.id)
        )
    )


def roster(session: Session) -> list[tuple[str, str, str, str]]:
    """(userid, name, role, unit name) of every active member, by unit order (the demo's pickers)."""
    query = (
        select(Member.userid, Member.name, Member.role, Unit.name)
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.active.is_(True))
        .order_by(Unit.sort_order, Member.id)
    )
    return [tuple(row) for row in session.execute(query)]
