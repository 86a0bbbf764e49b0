"""Deliver the outbox: claim one due row at a time, send it through its channel's sender outside any
transaction, record the result (storage/delivery.py holds the queries).

Transient failures (API down, busy, rate-limited) pause the whole channel with exponential back-off and
keep every row: after an outage the queue resumes in its original order. A message the API refuses, and
any other exception while sending one row, costs that row an attempt with back-off; after a few it is
marked failed and the admins are told (scheduler/failures.py). Recipients a channel rejects are split
off as failed, with why. Nothing is ever deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from scheduler.failures import alert, backoff, refused
from senders.base import File, Message, PushError, Sender, Text
from senders.services import Services
from storage import delivery
from storage.channels import Channel
from storage.models import Outbox, StoredFile

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    paused: set[str] = field(default_factory=set)
    failed: int = 0


def deliver_due(services: Services, batch: int = 200) -> DeliveryReport:
    """Send up to `batch` due rows, each isolated: whatever one row raises, the others still go."""
    report, skipped = DeliveryReport(), set()
    for _ in range(batch):
        claimed = _claim_one(services, report.paused | skipped)
        if claimed is None:
            break
        row_id, channel = claimed
        sender = services.sender(channel)
        if sender is None:
            log.error("no sender for channel %s; its rows stay pending", channel)
            _release(services, row_id)
            skipped.add(channel)
            continue
        try:
            _deliver_one(services, sender, row_id, report)
        except Exception as exc:  # not a PushError: a bug, an odd answer, a store down
            log.exception("outbox row %s: sending raised", row_id)
            if refused(services, row_id, exc):
                report.failed += 1
    return report


def _claim_one(services: Services, skip: set[str]) -> tuple[int, Channel] | None:
    with services.db.sessions() as session, session.begin():
        row = delivery.claim_due(session, services.now(), skip)
        return None if row is None else (row.id, Channel(row.channel))


def _deliver_one(services: Services, sender: Sender, row_id: int, report: DeliveryReport) -> None:
    with services.db.sessions() as session:
        row = session.get(Outbox, row_id)
        recipients, message = list(row.recipients), _message(session, row)
    try:
        rejected = sender.send(recipients, message)
    except PushError as exc:
        if exc.transient:
            _pause(services, row_id, exc)
            report.paused.add(sender.channel)
        elif refused(services, row_id, exc):
            report.failed += 1
        return
    with services.db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        failed = delivery.mark_sent(session, row, services.now(), rejected)
        if failed is not None:
            alert(session, failed, failed.last_error or "", services)
    report.sent += 1


def _message(session, row: Outbox) -> Message:
    """A text, or a stored file (a workbook, a chart) with its bytes."""
    if "file_id" not in row.payload:
        return Text(row.payload.get("text", ""), tuple(row.payload.get("mentions", ())))
    stored = session.get(StoredFile, row.payload["file_id"])
    return File(stored.name, stored.content, stored.id, image=row.msg_type == "image")


def _pause(services: Services, row_id: int, exc: PushError) -> None:
    """Back off the whole channel: this row and every pending one wait until the same moment."""
    with services.db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.attempts += 1
        resume = services.now() + max(backoff(row.attempts), timedelta(seconds=exc.retry_after))
        delivery.pause_channel(session, row, resume, str(exc))
        channel = row.channel
    log.warning("outbox %s paused until %s: %s", channel, resume.isoformat(timespec="seconds"), exc)


def _release(services: Services, row_id: int) -> None:
    with services.db.sessions() as session, session.begin():
        delivery.release(session.get(Outbox, row_id))
