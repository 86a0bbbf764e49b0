"""The APScheduler process: `tougao scheduler` (blocking) or inside `tougao demo` (background).

One job a minute (a cron trigger in TOUGAO_TIMEZONE) works out which reminders are due: that one place
handles holidays, quiet hours, catching up after downtime and the once-only key, instead of a cron job
per reminder. The outbox is delivered every 15 seconds, tasks asked for in chat (imports, exports) run
every 5 seconds; at night the query planner's statistics are refreshed (03:17) and the robot's photos no
record kept are deleted (03:27). The job store is in memory; the database is the record of what was sent,
so a second scheduler process cannot send anything twice.
"""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler import jobs
from scheduler.tasks import recover_tasks
from senders.services import Services
from storage.delivery import release_claims


def build_scheduler(services: Services, background: bool = False):
    tz = services.tz
    scheduler = (BackgroundScheduler if background else BlockingScheduler)(timezone=tz)
    common = {"args": [services], "replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        jobs.tick,
        CronTrigger(minute="*", timezone=tz),
        id="reminders",
        next_run_time=services.now(),
        misfire_grace_time=300,
        **common,
    )
    scheduler.add_job(
        jobs.deliver, IntervalTrigger(seconds=15, timezone=tz), id="outbox", misfire_grace_time=60, **common
    )
    scheduler.add_job(
        jobs.work, IntervalTrigger(seconds=5, timezone=tz), id="tasks", misfire_grace_time=60, **common
    )
    scheduler.add_job(
        jobs.refresh_statistics,
        CronTrigger(hour=3, minute=17, timezone=tz),
        id="statistics",
        misfire_grace_time=3600,
        **common,
    )
    scheduler.add_job(
        jobs.forget_unattached_photos,
        CronTrigger(hour=3, minute=27, timezone=tz),
        id="photos",
        misfire_grace_time=3600,
        **common,
    )
    with services.db.sessions() as session, session.begin():
        recover_tasks(session, services)  # a crashed run's tasks go back to the queue, once
        release_claims(session)  # and its half-sent outbox rows (WeCom's duplicate check covers a repeat)
    return scheduler
