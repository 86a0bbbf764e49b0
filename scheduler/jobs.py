"""Scheduler jobs (module-level, each in a fresh session, idempotent by the ReminderLog key). Each is
handed the services (database, time zone, senders) built from settings."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from scheduler.outbox import DeliveryReport, deliver_due
from scheduler.plans import plan
from scheduler.schedule import Occasion, Schedule, load_schedule, occasions
from scheduler.tasks import run_tasks
from senders.services import Services
from storage import aibot, maintenance
from storage.models import utcnow
from storage.outbox import Push, enqueue
from storage.reminders import already_claimed, claim, record_bulletin
from storage.shared_state import forget_nonces

log = logging.getLogger(__name__)
# APScheduler runs tick, deliver and work in a thread pool, and each may deliver: one at a time per process.
_delivering = threading.Lock()


def tick(services: Services) -> None:
    """Every minute (and at start-up): send each reminder that is due, catching up within the grace period."""
    now = services.now()
    with services.db.readers() as session:
        schedule = load_schedule(session)
    for occasion in _due(schedule, now):
        try:
            run_occasion(services, occasion, schedule, now)
        except Exception:  # one occasion's fault (a bug, a bad unit) must not hold back the others
            log.exception("%s %s could not be queued; the other reminders go on", occasion.kind, occasion.key)
    with services.db.sessions() as session, session.begin():  # pairs past the window cannot be replayed
        forget_nonces(session, now - services.nonce_memory)
    deliver(services)


def settle_past(session: Session, now: datetime) -> int:
    """Mark last month's and this month's occasions already past their grace period as skipped, without
    the warning `run_occasion` gives: for a database whose history was made up (the demo's), where no
    reminder was ever missed. Returns how many were settled."""
    schedule = load_schedule(session)
    past = [o for o in _due(schedule, now) if now - o.due > schedule.grace]
    return sum(claim(session, o.kind, o.key, "*", status="skipped") for o in past)


def _due(schedule: Schedule, now: datetime) -> list[Occasion]:
    """Last month's and this month's occasions that are due by `now` (a tick catches up on both)."""
    prev = now.replace(day=1) - timedelta(days=1)
    months = ((prev.year, prev.month), (now.year, now.month))
    return [o for y, m in months for o in occasions(schedule, y, m, now.tzinfo) if o.due <= now]


def run_occasion(
    services: Services, occasion: Occasion, schedule: Schedule, now: datetime, manual: bool = False
) -> int:
    """Queue one occasion's pushes (each recipient once, ever) and mark the occasion done; past the grace
    period, log it skipped. A manual run (`tougao remind`) ignores the grace period and an earlier skip."""
    db = services.db
    with db.readers() as session:
        if not manual and "*" in already_claimed(session, occasion.kind, occasion.key):
            return 0  # done or skipped earlier
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
        pushes = plan(session, occasion, schedule, now, services.routing, services.group_robot)
    with db.sessions() as session, session.begin():  # the claims decide who still gets what
        rows = enqueue(session, occasion.key, pushes, services.routing)
        if occasion.kind == "bulletin":
            record_bulletin(session, occasion.period)
        if not manual:  # later ticks leave it alone, and never call it skipped once its grace is over
            claim(session, occasion.kind, occasion.key, "*", status="done")
    if rows:
        log.info("%s %s: queued %d push(es)", occasion.kind, occasion.key, len(rows))
    return len(rows)


def dry_run(services: Services, occasion: Occasion, now: datetime) -> list[Push]:
    """What `run_occasion` would queue now, minus recipients already reminded; writes nothing."""
    with services.db.readers() as session:
        schedule = load_schedule(session)
        pushes = plan(session, occasion, schedule, now, services.routing, services.group_robot)
        done = {kind: already_claimed(session, kind, occasion.key) for kind in {p.kind for p in pushes}}
    fresh = [
        Push(p.kind, tuple(a for a in p.to if a.to not in done[p.kind]), p.text, p.mentions) for p in pushes
    ]
    return [p for p in fresh if p.to]


def work(services: Services) -> None:
    """Run queued tasks (imports and exports asked for in chat), then deliver what they queued."""
    if run_tasks(services):
        deliver(services)


def refresh_statistics(services: Services) -> None:
    """Every night: the query planner's statistics follow the tables' growth (storage.maintenance)."""
    maintenance.refresh_statistics(services.db.engine)


def forget_unattached_photos(services: Services) -> None:
    """Every night: the robot's photo contents that no record kept, a day after they came (storage.aibot)."""
    with services.db.sessions() as session, session.begin():
        gone = aibot.forget_unattached_photos(session, utcnow() - timedelta(days=1))
    if gone:
        log.info("forgot %d photo(s) no record kept", gone)


def deliver(services: Services) -> DeliveryReport:
    """Send what the outbox holds that is due, unless this process is already doing so (that delivery
    takes what is due; a second one beside it would only compete for the same rows)."""
    if not _delivering.acquire(blocking=False):
        return DeliveryReport()
    try:
        return deliver_due(services)
    finally:
        _delivering.release()
