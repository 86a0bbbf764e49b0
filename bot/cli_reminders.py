"""`tougao scheduler` and `tougao remind`: the reminder side of the command line."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # imported by the commands that run: `tougao --help` stays quick
    from senders.services import Services


@contextmanager
def _services() -> Iterator[Services]:
    """The services for one command that pushes (no web app needed); the database connections are closed
    when it ends."""
    from bot.cli import refuse_incomplete_push_settings
    from bot.services import build_services
    from bot.settings import Settings
    from senders.redact import remember_secrets
    from storage.db import Database

    settings = Settings.load()
    refuse_incomplete_push_settings(settings)
    remember_secrets(*settings.secret_values())
    services = build_services(
        settings, Database.from_url(settings.DATABASE_URL, settings.TOUGAO_SQLITE_BUSY_TIMEOUT)
    )
    try:
        yield services
    finally:
        services.db.engine.dispose()


@click.command(short_help="Run reminders, bulletins and outbox delivery (exactly one process).")
def scheduler() -> None:
    """Run reminders, bulletins and outbox delivery: exactly one process per deployment, beside the
    server. Times are the org file's `schedule:` in TOUGAO_TIMEZONE; SIGTERM or Ctrl+C stops it after the
    job in progress."""
    from apscheduler.schedulers import SchedulerNotRunningError

    from scheduler.runner import build_scheduler

    with _services() as services:
        runner = build_scheduler(services)
        signal.signal(signal.SIGTERM, _leave_the_loop)
        click.echo(f"投稿通提醒调度已启动（时区 {services.tz.key}），Ctrl+C 停止。")
        try:
            with suppress(KeyboardInterrupt, SystemExit):
                runner.start()
        finally:
            with suppress(SchedulerNotRunningError):
                runner.shutdown(wait=True)  # lets a job in progress finish


def _leave_the_loop(*_args) -> None:
    """SIGTERM only leaves the scheduler's loop; it is shut down outside it. Shutting down inside the handler
    could deadlock: the handler may interrupt the loop while it holds the executor's lock, which a finishing
    job then waits for while the shutdown waits for that job."""
    raise SystemExit(0)


@click.command(short_help="Send one reminder now: nag, last_call or bulletin (--dry-run: only show it).")
@click.argument("kind", type=click.Choice(["nag", "last_call", "bulletin"]))
@click.option("--period", help="YYYY-MM (default: this month; for bulletin, last month)")
@click.option("--dry-run", is_flag=True, help="print who would get what; send and record nothing")
def remind(kind: str, period: str | None, dry_run: bool) -> None:
    """Send one reminder now, as the scheduler would on its day.

    \b
    KIND:
      nag        each publicist of a unit below quota gets what is still missing
                 (scheduled on the org file's nag days, default the 20th and 25th)
      last_call  the month's last workday: publicists of units still behind, and
                 one copy for the leaders listing them
      bulletin   last month's bulletin (通报) to the leaders, and to the group
                 robot when WECOM_WEBHOOK_URL is set

    Each recipient still gets each occasion at most once: a manual nag counts as the month's latest nag
    day. Exempt units and members on leave get nothing.
    """
    from scheduler import jobs
    from scheduler.schedule import load_schedule, manual_occasion

    with _services() as services:
        now = services.now()
        year, month = _period(period, now, kind)
        with services.db.sessions() as session:
            occasion = manual_occasion(load_schedule(session), kind, year, month, now.date(), services.tz)
        if dry_run:
            pushes = jobs.dry_run(services, occasion, now)
            for push in pushes:
                people = ", ".join(f"{a.to}（{a.channel.label}）" for a in push.to)
                click.echo(f"--- {push.kind} → {people}\n{push.text}")
            people = sum(len(p.to) for p in pushes)
            click.echo(
                f"（演练）{occasion.kind} {occasion.key}：{len(pushes)} 条推送，{people} 位接收人；未发送。"
            )
            return
        with services.db.sessions() as session:
            schedule = load_schedule(session)
        queued = jobs.run_occasion(services, occasion, schedule, now, manual=True)
        report = jobs.deliver(services)
        paused = "（部分通道暂停，稍后由调度进程重试）" if report.paused else ""
        click.echo(f"{occasion.kind} {occasion.key}：写入 {queued} 条推送，已发送 {report.sent} 条{paused}")


def _period(text: str | None, now: datetime, kind: str) -> tuple[int, int]:
    if text:
        try:
            year, month = (int(x) for x in text.split("-"))
            if 1 <= month <= 12:
                return year, month
        except ValueError:
            pass
        raise click.BadParameter("应形如 2023-03", param_hint="--period")
    if kind == "bulletin":
        prev = now.replace(day=1) - timedelta(days=1)
        return prev.year, prev.month
    return now.year, now.month
