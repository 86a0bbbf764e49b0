"""Activities (活动)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage.articles import add_numbered
from storage.models import Activity, Member, utcnow


def add_activity(
    session: Session,
    *,
    member: Member,
    type: str,
    title: str,
    held_on: date,
    participants: int,
    place: str = "",
    note: str = "",
    late: bool = False,
    inbound_id: int | None = None,
) -> Activity:
    """Record a counted activity of the member's unit: two INSERTs, the row known to the session unread."""
    activity = add_numbered(
        session,
        Activity,
        "activity",
        unit_id=member.unit_id,
        member_id=member.id,
        type=type,
        title=title,
        held_on=held_on,
        participants=participants,
        place=place,
        note=note,
        status="counted",
        late=late,
        created_at=utcnow(),
        inbound_id=inbound_id,
    )
    set_committed_value(activity, "member", member)
    set_committed_value(activity, "unit", member.unit)
    return activity


def by_number(session: Session, no: int) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.no == no))
