"""The outbox as the deliverer works it: one due row claimed at a time under a lease, then marked sent
(splitting off the recipients a channel rejected), refused, paused with its channel, or released."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import Outbox

# Why one row per claim: a batch's lease could run out while the batch was still being sent (200 rows × a
# 10 s timeout), so a second sender took rows the first was about to send. One row's worst case (token,
# upload and send, each with a 10 s timeout, once more after a token error) stays far inside LEASE.
LEASE = timedelta(minutes=5)


def lease_owner() -> str:
    """Who holds a claim: this host and process (read at claim time: gunicorn and tests fork)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_due(session: Session, moment: datetime, skip_channels: set[str]) -> Outbox | None:
    """The oldest due row (or one whose sender died mid-send), now leased to this process."""
    due = or_(
        (Outbox.status == "pending") & (Outbox.next_attempt_at <= moment),
        (Outbox.status == "sending") & (Outbox.lease_until < moment),
    )
    query = select(Outbox).where(due).order_by(Outbox.id).limit(1)
    if skip_channels:
        query = query.where(Outbox.channel.not_in(skip_channels))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.scalar(query)
    if row is not None:
        row.status, row.lease_until, row.lease_owner = "sending", moment + LEASE, lease_owner()
    return row


def mark_sent(session: Session, row: Outbox, moment: datetime, rejected: dict[str, str]) -> Outbox | None:
    """The row went. Recipients the channel rejected (with why) are noted on it and split off into a
    failed row of their own, so they are listed and can be resent once the cause is fixed; that row is
    returned. When nobody got it, the row itself is failed (and returned)."""
    row.status, row.sent_at, row.attempts = "sent", moment, row.attempts + 1
    row.lease_until = row.lease_owner = None
    if not rejected:
        return None
    row.rejected = dict(rejected)
    error = rejection_text(rejected)
    if set(rejected) >= set(row.recipients):
        row.status, row.sent_at, row.last_error = "failed", None, error
        return row
    row.recipients = [r for r in row.recipients if r not in rejected]
    failed = Outbox(
        channel=row.channel,
        recipients=list(rejected),
        msg_type=row.msg_type,
        payload=dict(row.payload),
        status="failed",
        attempts=1,
        last_error=error,
        rejected=dict(rejected),
    )
    session.add(failed)
    session.flush()
    return failed


def rejection_text(rejected: dict[str, str]) -> str:
    """`u1、u2：reason；u3：other reason` — recipients grouped by why."""
    by_reason: dict[str, list[str]] = {}
    for recipient, reason in rejected.items():
        by_reason.setdefault(reason, []).append(recipient)
    return "未送达 " + "；".join(f"{'、'.join(people)}：{reason}" for reason, people in by_reason.items())


def refuse(row: Outbox, error: str, retry_at: datetime | None) -> None:
    """Count an attempt the channel refused: pending again at `retry_at`, or failed for good (None)."""
    row.attempts += 1
    row.last_error, row.lease_until, row.lease_owner = error, None, None
    if retry_at is None:
        row.status = "failed"
    else:
        row.status, row.next_attempt_at = "pending", retry_at


def pause_channel(session: Session, row: Outbox, resume: datetime, error: str) -> None:
    """The channel is down or busy: this row and every pending one of its channel wait until `resume`."""
    row.status, row.next_attempt_at, row.last_error = "pending", resume, error
    row.lease_until = row.lease_owner = None
    session.execute(
        update(Outbox)
        .where(Outbox.channel == row.channel, Outbox.status == "pending", Outbox.next_attempt_at < resume)
        .values(next_attempt_at=resume)
    )


def release(row: Outbox) -> None:
    row.status, row.lease_until, row.lease_owner = "pending", None, None


def release_claims(session: Session) -> int:
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
