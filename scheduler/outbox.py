"""Deliver the outbox: claim one due row at a time, send outside any transaction, record the result.

Transient failures (API down, busy, rate-limited) pause the whole channel with exponential back-off and
keep every row: after an outage the queue resumes in its original order. A message the API refuses, and
any other exception while sending one row, costs that row an attempt with back-off; after a few it is
marked failed and the admins are told (scheduler/failures.py). Nothing is ever deleted.

Why one row per claim: a claim is a lease, and a batch's lease could run out while the batch was still
being sent (200 rows × a 10 s timeout), so a second sender took rows the first was about to send. One
row's worst case (token, upload and send, each with a 10 s timeout, once more after a token error) stays
far inside LEASE, so a lease never runs out under a live sender.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from bot.push_clients import PushError
from scheduler.failures import backoff, refused, rejected_recipients
from storage.db import Database
from storage.models import Outbox, StoredFile

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)


@dataclass
class DeliveryReport:
    sent: int = 0
    paused: set[str] = field(default_factory=set)
    failed: int = 0


def lease_owner() -> str:
    """Who holds a claim: this host and process (read at claim time: gunicorn and tests fork)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def deliver_due(
    db: Database, senders: dict[str, object], now: Callable[[], datetime], batch: int = 200
) -> DeliveryReport:
    """Send up to `batch` due rows, each isolated: whatever one row raises, the others still go."""
    report, skipped = DeliveryReport(), set()
    webhook = "webhook" in senders  # failure alerts also go to the group robot
    for _ in range(batch):
        claimed = _claim_one(db, now(), report.paused | skipped)
        if claimed is None:
            break
        row_id, channel = claimed
        sender = senders.get(channel)
        if sender is None:
            log.error("no sender for channel %s; its rows stay pending", channel)
            _release(db, row_id)
            skipped.add(channel)
            continue
        try:
            _deliver_one(db, sender, row_id, channel, now, report, webhook)
        except Exception as exc:  # not a PushError: a bug, an odd answer, a store down
            log.exception("outbox row %s: sending raised", row_id)
            if refused(db, row_id, now(), exc, webhook):
                report.failed += 1
    return report


def _claim_one(db: Database, moment: datetime, skip: set[str]) -> tuple[int, str] | None:
    with db.sessions() as session, session.begin():
        due = or_(
            (Outbox.status == "pending") & (Outbox.next_attempt_at <= moment),
            (Outbox.status == "sending") & (Outbox.lease_until < moment),  # a sender died mid-send
        )
        query = select(Outbox).where(due).order_by(Outbox.id).limit(1)
        if skip:
            query = query.where(Outbox.channel.not_in(skip))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = session.scalar(query)
        if row is None:
            return None
        row.status, row.lease_until, row.lease_owner = "sending", moment + LEASE, lease_owner()
        return row.id, row.channel


def _deliver_one(
    db: Database, sender, row_id: int, channel: str, now, report: DeliveryReport, webhook: bool
) -> None:
    with db.sessions() as session:
        row = session.get(Outbox, row_id)
        recipients, payload = list(row.recipients), {**row.payload, "msgtype": row.msg_type}
        if "file_id" in payload:  # a workbook or chart: the sender gets the bytes
            stored = session.get(StoredFile, payload["file_id"])
            payload.update(name=stored.name, content=stored.content)
    try:
        rejected = sender.send(recipients, payload) or []
    except PushError as exc:
        if exc.transient:
            _pause(db, row_id, channel, now(), exc)
            report.paused.add(channel)
        elif refused(db, row_id, now(), exc, webhook):
            report.failed += 1
        return
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.status, row.sent_at, row.attempts = "sent", now(), row.attempts + 1
        row.lease_until = row.lease_owner = None
        if rejected:
            rejected_recipients(session, row, rejected, webhook)
    report.sent += 1


def _pause(db: Database, row_id: int, channel: str, moment: datetime, exc: PushError) -> None:
    """Back off the whole channel: this row and every pending one wait until the same moment."""
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.attempts += 1
        resume = moment + max(backoff(row.attempts), timedelta(seconds=exc.retry_after))
        row.status, row.next_attempt_at, row.last_error = "pending", resume, str(exc)
        row.lease_until = row.lease_owner = None
        session.execute(
            update(Outbox)
            .where(Outbox.channel == channel, Outbox.status == "pending", Outbox.next_attempt_at < resume)
            .values(next_attempt_at=resume)
        )
    log.warning("outbox %s paused until %s: %s", channel, resume.isoformat(timespec="seconds"), exc)


def _release(db: Database, row_id: int) -> None:
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.status, row.lease_until, row.lease_owner = "pending", None, None


def release_claims(session) -> int:
    """At scheduler start: rows left 'sending' by a process of this host that is gone go back to the
    queue at once. A live process's claims are left alone: releasing them (as this once did for every
    'sending' row) let a second scheduler send the same rows again. Other hosts' claims expire."""
    rows = session.execute(select(Outbox.id, Outbox.lease_owner).where(Outbox.status == "sending")).all()
    dead = [row_id for row_id, owner in rows if _gone(owner)]
    if dead:
        session.execute(
            update(Outbox)
            .where(Outbox.id.in_(dead))
            .values(status="pending", lease_until=None, lease_owner=None)
        )
    return len(dead)


def _gone(owner: str | None) -> bool:
    """True when the claim's process no longer exists (it can only be checked on this host)."""
    if not owner:
        return True  # claimed before owners were recorded
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False
