"""Once-only claims: each (kind, occasion, recipient) gets a reminder at most once, even with two
scheduler processes; and the months whose bulletin went out (later reports for them are 补报)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import insert_missing
from storage.models import BulletinLog, ReminderLog


def claim(session: Session, kind: str, occasion: str, recipient: str, status: str = "queued") -> bool:
    """Insert the (kind, occasion, recipient) key; False when it was already there. A concurrent twin in
    another process waits for ours to commit and then finds the key taken."""
    values = {"kind": kind, "occasion": occasion, "recipient": recipient, "status": status}
    key = ["kind", "occasion", "recipient"]
    return insert_missing(session, ReminderLog, values, key, returning=ReminderLog.id) is not None


def already_claimed(session: Session, kind: str, occasion: str) -> set[str]:
    query = select(ReminderLog.recipient).where(ReminderLog.kind == kind, ReminderLog.occasion == occasion)
    return set(session.scalars(query))


def record_bulletin(session: Session, period: str) -> None:
    """Mark the month's bulletin as sent, so later reports for it are 补报."""
    insert_missing(session, BulletinLog, {"period": period}, ["period"])
