"""Articles and activities together, by the number users see (they share one sequence)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Activity, Article


def by_number(session: Session, no: int) -> Article | Activity | None:
    """The article or activity numbered `no`."""
    for model in (Article, Activity):
        row = session.scalar(select(model).where(model.no == no))
        if row is not None:
            return row
    return None


def newest_since(session: Session, member_id: int, since: datetime) -> Article | Activity | None:
    """The member's newest counted article or activity reported after `since` ("刚才那条")."""
    found = []
    for model in (Article, Activity):
        row = session.scalar(
            select(model)
            .where(model.member_id == member_id, model.status == "counted", model.created_at >= since)
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(1)
        )
        if row is not None:
            found.append(row)
    return max(found, key=lambda r: (r.created_at, r.no), default=None)
