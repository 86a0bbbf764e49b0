"""Activities (活动) and their photos."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.articles import next_number
from storage.models import Activity, ActivityPhoto, Member


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


def latest_activity_since(session: Session, member_id: int, since: datetime) -> Activity | None:
    """The member's newest counted activity reported after `since` (photos attach to it)."""
    return session.scalar(
        select(Activity)
        .where(Activity.member_id == member_id, Activity.status == "counted", Activity.created_at >= since)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(1)
    )


def add_photo(session: Session, activity: Activity, media_id: str, pic_url: str) -> int:
    """Attach a photo; returns how many the activity now has."""
    session.add(ActivityPhoto(activity_id=activity.id, media_id=media_id, pic_url=pic_url))
    session.flush()
    return session.scalar(
        select(func.count(ActivityPhoto.id)).where(ActivityPhoto.activity_id == activity.id)
    )


def by_number(session: Session, no: int) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.no == no))
