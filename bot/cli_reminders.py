"""`tougao scheduler` and `tougao remind`: the reminder side of the command line."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta

import click
from flask import Flask


@contextmanager
def _app() -> Iterator[Flask]:
    """The Flask app for one command that pushes; its database connections are closed when it ends."""
    from bot import create_app
    from bot.cli import refuse_incomplete_push_settings
    from bot.settings import Settings

    refuse_incomplete_push_settings(Settings.load())
    app = create_app()
    try:
        yield app
    finally:
        app.extensions["tougao.db"].engine.dispose()


@click.command()
def scheduler() -> None:
    """Run reminders, bulletins and outbox delivery (one process per deployment)."""
    from scheduler.runner import build_scheduler

    with _app() as app:
        runner = build_scheduler(app)
        signal.signal(signal.SIGTERM, lambda *_: runner.shutdown(wait=True))
        click.echo(
            f"投稿通提醒调度已启动（时区 {app.extensions['tougao.settings'].TOUGAO_TIMEZONE}），Ctrl+C 停止。"
        )
        with suppress(KeyboardInterrupt, SystemExit):
            runner.start()


@click.command()
@click.argument("kind", type=click.Choice(["nag", "last_call", "bulletin"]))
@click.option("--period", help="YYYY-MM (default: this month; for bulletin, last month)")
@click.option("--dry-run", is_flag=True, help="print who would get what; send and record nothing")
def remind(kind: str, period: str | None, dry_run: bool) -> None:
    """Send one reminder now (each recipient still at most once per occasion)."""
    from scheduler import jobs
    from scheduler.schedule import load_schedule, manual_occasion

    with _app() as app:
        tz = app.extensions["tougao.settings"].tz
        now = datetime.now(tz)
        year, month = _period(period, now, kind)
        with app.extensions["tougao.db"].sessions() as session:
            occasion = manual_occasion(load_schedule(session), kind, year, month, now.date(), tz)
        if dry_run:
            pushes = jobs.dry_run(app, occasion, now)
            for push in pushes:
                click.echo(f"--- {push.kind} → {push.channel}: {', '.join(push.recipients)}\n{push.text}")
            people = sum(len(p.recipients) for p in pushes)
            click.echo(
                f"（演练）{occasion.kind} {occasion.key}：{len(pushes)} 条推送，{people} 位接收人；未发送。"
            )
            return
        with app.extensions["tougao.db"].sessions() as session:
            schedule = load_schedule(session)
        queued = jobs.run_occasion(app, occasion, schedule, now, manual=True)
        report = jobs.deliver(app)
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
