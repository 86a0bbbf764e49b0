"""Deliver the outbox: claim due rows briefly, send outside any transaction, record each result.

Transient failures (API down, busy, rate-limited) pause the whole channel with exponential back-off and
keep every row: after an outage the queue resumes in its original order. A message the API refuses is
retried a few times, then marked failed and the admins are told. Nothing is ever deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from bot.push_clients import PushError
from storage.db import Database
from storage.models import Outbox, StoredFile
from storage.org import admins

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BASE_DELAY, MAX_DELAY = 30.0, 900.0
MAX_REFUSALS = 5


@dataclass
class DeliveryReport:
    sent: int = 0
    paused: set[str] = field(default_factory=set)
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 15 min."""
    return timedelta(seconds=min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def deliver_due(
    db: Database, senders: dict[str, object], now: Callable[[], datetime], batch: int = 200
) -> DeliveryReport:
    report = DeliveryReport()
    for row_id, channel in _claim(db, now(), batch):
        if channel in report.paused:
            _release(db, row_id)
            continue
        sender = senders.get(channel)
        if sender is None:
            log.error("no sender for channel %s; row %s stays pending", channel, row_id)
            _release(db, row_id)
            continue
        _deliver_one(db, sender, row_id, channel, now, report)
    return report


def _claim(db: Database, moment: datetime, batch: int) -> list[tuple[int, str]]:
    with db.sessions() as session, session.begin():
        due = or_(
            (Outbox.status == "pending") & (Outbox.next_attempt_at <= moment),
            (Outbox.status == "sending") & (Outbox.lease_until < moment),  # a sender died mid-send
        )
        query = select(Outbox).where(due).order_by(Outbox.id).limit(batch)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        for row in rows:
            row.status, row.lease_until = "sending", moment + LEASE
        return [(r.id, r.channel) for r in rows]


def _deliver_one(db: Database, sender, row_id: int, channel: str, now, report: DeliveryReport) -> None:
    with db.sessions() as session:
        row = session.get(Outbox, row_id)
        recipients, payload = list(row.recipients), {**row.payload, "msgtype": row.msg_type}
        if "file_id" in payload:  # a workbook or chart: the sender gets the bytes
            stored = session.get(StoredFile, payload["file_id"])
            payload.update(name=stored.name, content=stored.content)
    try:
        sender.send(recipients, payload)
    except PushError as exc:
        if exc.transient:
            _pause(db, row_id, channel, now(), exc)
            report.paused.add(channel)
        elif _refused(db, row_id, now(), exc):
            report.failed += 1
        return
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.status, row.sent_at, row.lease_until, row.attempts = "sent", now(), None, row.attempts + 1
    report.sent += 1


def _pause(db: Database, row_id: int, channel: str, moment: datetime, exc: PushError) -> None:
    """Back off the whole channel: this row and every pending one wait until the same moment."""
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.attempts += 1
        resume = moment + max(backoff(row.attempts), timedelta(seconds=exc.retry_after))
        row.status, row.lease_until, row.next_attempt_at, row.last_error = "pending", None, resume, str(exc)
        session.execute(
            update(Outbox)
            # rows claimed in this batch ("sending") wait too, or they would overtake the failed one
            .where(
                Outbox.channel == channel,
                Outbox.status.in_(("pending", "sending")),
                Outbox.next_attempt_at < resume,
            )
            .values(next_attempt_at=resume)
        )
    log.warning("outbox %s paused until %s: %s", channel, resume.isoformat(timespec="seconds"), exc)


def _refused(db: Database, row_id: int, moment: datetime, exc: PushError) -> bool:
    """Retry a refused message a few times; then mark it failed and tell the admins. True when failed."""
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.attempts += 1
        row.last_error, row.lease_until = str(exc), None
        if row.attempts < MAX_REFUSALS:
            row.status, row.next_attempt_at = "pending", moment + backoff(row.attempts)
            return False
        row.status = "failed"
        if row.payload.get("kind") != "alert":
            _alert_admins(session, row, exc)
    log.error("outbox row %s failed for good: %s", row_id, exc)
    return True


def _alert_admins(session, row: Outbox, exc: PushError) -> None:
    userids = [m.userid for m in admins(session)]
    if userids:
        text = f"【投稿通】一条推送多次发送失败（第{row.id}条，{len(row.recipients)}位接收人）：{exc}。请检查应用可见范围和配置。"
        session.add(Outbox(channel="wecom", recipients=userids, payload={"text": text, "kind": "alert"}))


def _release(db: Database, row_id: int) -> None:
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.status, row.lease_until = "pending", None


def release_claims(session) -> int:
    """At scheduler start: rows a killed process left 'sending' go back to the queue at once."""
    result = session.execute(
        update(Outbox).where(Outbox.status == "sending").values(status="pending", lease_until=None)
    )
    return result.rowcount or 0
