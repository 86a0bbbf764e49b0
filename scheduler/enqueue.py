"""Turn planned pushes into outbox rows, each recipient at most once per occasion (the ReminderLog key)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.plans import Push
from storage.db import dialect_insert
from storage.models import BulletinLog, Outbox, ReminderLog, StoredFile

log = logging.getLogger(__name__)
MAX_RECIPIENTS = 1000  # WeCom's limit for one message/send call


def claim(session: Session, kind: str, occasion: str, recipient: str, status: str = "queued") -> bool:
    """Insert the (kind, occasion, recipient) key; False when it was already there. A concurrent twin in
    another process waits for ours to commit and then finds the key taken (ON CONFLICT DO NOTHING)."""
    insert = dialect_insert(session)
    statement = (
        insert(ReminderLog)
        .values(kind=kind, occasion=occasion, recipient=recipient, status=status)
        .on_conflict_do_nothing(index_elements=["kind", "occasion", "recipient"])
        .returning(ReminderLog.id)  # rowcount is -1 on psycopg's ORM insert path; RETURNING is exact
    )
    return session.execute(statement).scalar() is not None


def already_claimed(session: Session, kind: str, occasion: str) -> set[str]:
    return set(
        session.scalars(
            select(ReminderLog.recipient).where(ReminderLog.kind == kind, ReminderLog.occasion == occasion)
        )
    )


def enqueue(session: Session, occasion: str, pushes: list[Push]) -> list[Outbox]:
    """Write an outbox row per push and chunk of ≤1000 newly claimed recipients; identical texts share rows."""
    rows = []
    for push in _merge(pushes):
        fresh = [r for r in push.recipients if claim(session, push.kind, occasion, r)]
        payload = {
            "text": push.text,
            "mentions": list(push.mentions),
            "kind": push.kind,
            "occasion": occasion,
        }
        if push.image is not None and fresh:
            stored = StoredFile(name=f"{push.text}.png", content=push.image)
            session.add(stored)
            session.flush()
            payload = {**payload, "file_id": stored.id}
        for start in range(0, len(fresh), MAX_RECIPIENTS):
            chunk = fresh[start : start + MAX_RECIPIENTS]
            kind = "image" if push.image is not None else "text"
            rows.append(Outbox(channel=push.channel, recipients=chunk, msg_type=kind, payload=payload))
    session.add_all(rows)
    session.flush()
    return rows


def _merge(pushes: list[Push]) -> list[Push]:
    """Pushes of the same kind, channel and text become one, recipients in order and without repeats."""
    merged: dict[tuple[str, str, str], Push] = {}
    for p in pushes:
        key = (p.kind, p.channel, p.text)
        if key in merged:
            old = merged[key]
            extra = tuple(r for r in p.recipients if r not in old.recipients)
            merged[key] = Push(
                p.kind, p.channel, old.recipients + extra, p.text, old.mentions + p.mentions, p.image
            )
        else:
            merged[key] = p
    return list(merged.values())


def record_bulletin(session: Session, period: str) -> None:
    """Mark the month's bulletin as sent, so later reports for it are 补报."""
    insert = dialect_insert(session)
    session.execute(
        insert(BulletinLog).values(period=period).on_conflict_do_nothing(index_elements=["period"])
    )
