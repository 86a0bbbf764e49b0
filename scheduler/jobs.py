"""Scheduler jobs (module-level, each in a fresh session, idempotent by the ReminderLog key)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask

from bot.channel import nonce_memory
from scheduler.enqueue import already_claimed, claim, enqueue, record_bulletin
from scheduler.outbox import DeliveryReport, deliver_due
from scheduler.plans import Push, plan
from scheduler.schedule import Occasion, Schedule, load_schedule, occasions
from scheduler.tasks import run_tasks
from storage.shared_state import forget_nonces

log = logging.getLogger(__name__)
# APScheduler runs tick, deliver and work in a thread pool, and each may deliver: one at a time per process.
_delivering = threading.Lock()


def _now(app: Flask) -> datetime:
    return datetime.now(app.extensions["tougao.settings"].tz)


def tick(app: Flask) -> None:
    """Every minute (and at start-up): send each reminder that is due, catching up within the grace period."""
    db, now = app.extensions["tougao.db"], _now(app)
    with db.readers() as session:
        schedule = load_schedule(session)
    prev = now.replace(day=1) - timedelta(days=1)
    for year, month in ((prev.year, prev.month), (now.year, now.month)):
        for occasion in occasions(schedule, year, month, now.tzinfo):
            if occasion.due > now:
                continue
            try:
                run_occasion(app, occasion, schedule, now)
            except Exception:  # one occasion's fault (a bug, a bad unit) must not hold back the others
                log.exception(
                    "%s %s could not be queued; the other reminders go on", occasion.kind, occasion.key
                )
    _forget_old_nonces(app, now)
    deliver(app)


def _forget_old_nonces(app: Flask, now: datetime) -> None:
    """Callback (timestamp, nonce) pairs past the time window can no longer be replayed: drop them."""
    keep = nonce_memory(app.extensions["tougao.settings"].TOUGAO_CALLBACK_MAX_AGE)
    with app.extensions["tougao.db"].sessions() as session, session.begin():
        forget_nonces(session, now - keep)


def run_occasion(
    app: Flask, occasion: Occasion, schedule: Schedule, now: datetime, manual: bool = False
) -> int:
    """Queue one occasion's pushes (each recipient once, ever); past the grace period, log it skipped.
    A manual run (`tougao remind`) ignores the grace period and an earlier skip."""
    db = app.extensions["tougao.db"]
    with db.readers() as session:
        if not manual and "*" in already_claimed(session, occasion.kind, occasion.key):
            return 0  # skipped earlier
    if not manual and now - occasion.due > schedule.grace:
        with db.sessions() as session, session.begin():
            if claim(session, occasion.kind, occasion.key, "*", status="skipped"):
                log.warning(
                    "%s %s was due %s, past the grace period: skipped",
                    occasion.kind,
                    occasion.key,
                    occasion.due,
                )
        return 0
    with db.readers() as session:  # planning (and drawing the chart) holds no write lock
        pushes = plan(session, occasion, schedule, now, webhook="webhook" in app.extensions["tougao.senders"])
    with db.sessions() as session, session.begin():  # the claims decide who still gets what
        rows = enqueue(session, occasion.key, pushes)
        if occasion.kind == "bulletin":
            record_bulletin(session, occasion.period)
    if rows:
        log.info("%s %s: queued %d push(es)", occasion.kind, occasion.key, len(rows))
    return len(rows)


def dry_run(app: Flask, occasion: Occasion, now: datetime) -> list[Push]:
    """What `run_occasion` would queue now, minus recipients already reminded; writes nothing."""
    db = app.extensions["tougao.db"]
    with db.readers() as session:
        schedule = load_schedule(session)
        pushes = plan(session, occasion, schedule, now, webhook="webhook" in app.extensions["tougao.senders"])
        done = {kind: already_claimed(session, kind, occasion.key) for kind in {p.kind for p in pushes}}
    fresh = [
        Push(p.kind, p.channel, tuple(r for r in p.recipients if r not in done[p.kind]), p.text, p.mentions)
        for p in pushes
    ]
    return [p for p in fresh if p.recipients]


def work(app: Flask) -> None:
    """Run queued tasks (imports and exports asked for in chat), then deliver what they queued."""
    if run_tasks(app, _now(app)):
        deliver(app)


def deliver(app: Flask) -> DeliveryReport:
    """Send what the outbox holds that is due, unless this process is already doing so (that delivery
    takes what is due; a second one beside it would only compete for the same rows)."""
    if not _delivering.acquire(blocking=False):
        return DeliveryReport()
    try:
        return deliver_due(app.extensions["tougao.db"], app.extensions["tougao.senders"], lambda: _now(app))
    finally:
        _delivering.release()
