"""The outbox as admins manage it: the failed rows, and putting them back in the queue once the cause
(a trusted IP, the secret, the app's visible range) is fixed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Outbox, utcnow


def failed_rows(session: Session, limit: int = 200) -> list[Outbox]:
    """The newest rows that failed for good."""
    query = select(Outbox).where(Outbox.status == "failed").order_by(Outbox.id.desc()).limit(limit)
    return list(session.scalars(query))


def requeue(session: Session, ids: list[int] | None) -> list[int]:
    """Send these failed rows again (all failed rows when `ids` is None), with a fresh count of attempts,
    due at once. Rows that are not failed are left alone. Returns the ids put back in the queue."""
    query = select(Outbox).where(Outbox.status == "failed")
    if ids is not None:
        query = query.where(Outbox.id.in_(ids))
    rows = list(session.scalars(query.order_by(Outbox.id)))
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
        row.lease_until = row.lease_owner = None
    return [row.id for row in rows]
