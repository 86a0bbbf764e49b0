"""`tougao outbox list` and `tougao outbox retry`: see failed pushes and send them again."""

from __future__ import annotations

import sys

import click


@click.group(short_help="Pushes: list the failed ones, send them again.")
def outbox() -> None:
    """Pushes: list the failed ones, send them again."""


@outbox.command("list", short_help="The newest pushes (or --failed ones) with status and error.")
@click.option("--failed", "only_failed", is_flag=True, help="only pushes that failed for good")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def list_rows(only_failed: bool, limit: int) -> None:
    """The newest pushes with their status, attempts and last error."""
    from bot.cli import _database, _settings
    from storage.listing import recent_outbox

    settings = _settings()
    with _database(settings) as database, database.readers() as session:
        rows = recent_outbox(session, "failed" if only_failed else None, limit)
        if not rows:
            click.echo("没有失败的推送。" if only_failed else "还没有推送。")
            return
        for row in rows:
            when = row.created_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
            people = "、".join(row.recipients[:5]) + (
                f" 等{len(row.recipients)}人" if len(row.recipients) > 5 else ""
            )
            text = row.payload.get("text", "") if row.msg_type == "text" else f"[{row.msg_type}]"
            click.echo(
                f"#{row.id} {when} {row.status} 尝试{row.attempts}次 → {_channel(row.channel)} {people}"
            )
            click.echo(f"    {text[:80]}".replace("\n", " "))
            if row.last_error:
                click.echo(f"    错误：{row.last_error}")


@outbox.command("retry", short_help="Send failed pushes again once the cause is fixed.")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="every push that failed for good")
def retry(ids: tuple[int, ...], all_failed: bool) -> None:
    """Send failed pushes again (by number, or all of them) once the cause is fixed."""
    from bot.cli import _database, _settings
    from storage.outbox import requeue

    if bool(ids) == all_failed:
        raise click.UsageError("give push numbers (tougao outbox retry 12 13) or --all-failed")
    with _database(_settings()) as database, database.sessions() as session, session.begin():
        done = requeue(session, None if all_failed else list(ids))
    skipped = sorted(set(ids) - set(done))
    if skipped:
        click.echo("不是失败状态，未改动：" + "、".join(f"#{i}" for i in skipped), err=True)
    if not done:
        click.echo("没有需要重发的推送。")
        sys.exit(1 if skipped else 0)
    click.echo(
        f"已重新排队 {len(done)} 条推送（{'、'.join(f'#{i}' for i in done)}），调度进程会在15秒内发送。"
    )


def _channel(value: str) -> str:
    from storage.channels import Channel

    return Channel(value).label if value in set(Channel) else value
