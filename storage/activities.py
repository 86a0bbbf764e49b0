"""Activities (活动)."""

from __future__ import annotations

from collections.abc import Collection
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


def counted_same_activity(
    session: Session, unit_id: int, title: str, held_on: date, unit_words: Collection[str] = ()
) -> Activity | None:
    """The unit's counted activity of the same day and the same name (quotes, spaces and the unit's own
    name aside: 辽河社区“清雪除冰”志愿服务 is “清雪除冰”志愿服务): the same activity reported twice."""
    key = _name_key(title, unit_words)
    same_day = session.scalars(
        select(Activity).where(
            Activity.unit_id == unit_id, Activity.held_on == held_on, Activity.status == "counted"
        )
    )
    return next((a for a in same_day if _name_key(a.title, unit_words) == key), None)


def _name_key(title: str, unit_words: Collection[str]) -> str:
    for word in sorted(unit_words, key=len, reverse=True):
        title = title.replace(word, "") if word else title
    return "".join(ch for ch in title if not ch.isspace() and ch not in "“”\"'‘’「」《》")


def by_number(session: Session, no: int) -> Activity | None:
    return session.scalar(select(Activity).where(Activity.no == no))
