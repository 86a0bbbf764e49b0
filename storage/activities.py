"""Activities (活动)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.articles import next_number
from storage.models import Activity, Member


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
    activity = Activity(
        no=next_number(session, "activity"),
        unit_id=member.unit_id,
        member_id=member.id,
        type=type,
        title=title,
        held_on=held_on,
        participants=participants,
        place=place,
        note=note,
        late=late,
        inbound_id=inbound_id,
    )
    session.add(activity)
    session.flush()
    return activity


def by_number(session: Session, no: int) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.no == no))
