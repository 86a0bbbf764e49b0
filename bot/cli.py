"""The `tougao` command line (PRODUCT.md §6)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.settings import Settings
from senders.redact import install_log_redaction

if TYPE_CHECKING:  # each command imports what it needs: `tougao --help` loads no database or web code
    from storage.db import Database


def _settings() -> Settings:
    return Settings.load()


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The database for one command; its connections are closed when the command ends."""
    from storage.db import Database
    from storage.migrate import pending

    database = Database.from_url(settings.DATABASE_URL, settings.TOUGAO_SQLITE_BUSY_TIMEOUT)
    if pending(database.engine):
        database.engine.dispose()
        click.echo(f"数据库结构不是最新的（{settings.DATABASE_URL}），请先运行：tougao db upgrade", err=True)
        sys.exit(1)
    try:
        yield database
    finally:
        database.engine.dispose()


@click.group()
def main() -> None:
    """投稿通 (tougao): news-submission reporting bot for a street office."""
    logging.basicConfig(
        level=_settings().TOUGAO_LOG_LEVEL.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    install_log_redaction()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database at DATABASE_URL to the newest schema."""
    from storage.migrate import upgrade

    upgrade(_settings().DATABASE_URL)
    click.echo("数据库已是最新结构。")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def db_backup(file: str) -> None:
    """Copy a SQLite database while the server runs (SQLite's online backup). PostgreSQL: use pg_dump."""
    import sqlite3

    from sqlalchemy.engine import make_url

    url = make_url(_settings().DATABASE_URL)
    if url.get_backend_name() != "sqlite":
        click.echo(
            "PostgreSQL 请用 pg_dump 备份，例如：pg_dump -Fc -f tougao.dump 数据库名（见 docs/deployment.md）",
            err=True,
        )
        sys.exit(2)
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(file)
    with target:
        source.backup(target)
    target.close()
    source.close()
    click.echo(f"已备份到 {file}")


@main.group()
def org() -> None:
    """Organisation: units, members, outlets, quotas."""


@org.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
def org_import(file: str) -> None:
    """Import an org file (YAML); idempotent, all or nothing."""
    from storage.orgfile import OrgFileError, apply_org, describe, load_org_file

    try:
        with _database(_settings()) as database, database.sessions() as session, session.begin():
            changes = apply_org(session, load_org_file(file, session))
    except OrgFileError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"导入完成：{describe(changes)}")


@main.group()
def ranking() -> None:
    """The zone's official ranking figures."""


@ranking.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--period", required=True, help="the month the figures are for, YYYY-MM")
def ranking_import(file: str, period: str) -> None:
    """Import the media centre's figures (.xlsx or .csv) for a month; a re-import replaces it."""
    from handlers.parsing import ParseError
    from handlers.parsing.periods import month_keys, parse_month_key
    from reports.figures_file import FiguresFileError
    from reports.official_import import describe, import_figures

    try:
        key = month_keys(parse_month_key(period))[0]
        with _database(_settings()) as database, database.sessions() as session, session.begin():
            summary = import_figures(session, Path(file).read_bytes(), Path(file).name, key, None)
    except (FiguresFileError, ParseError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(describe(summary))


@main.command()
@click.option("--user", "userid", required=True, help="the member's WeCom userid, e.g. zhangsan")
@click.option("--demo", "on_demo", is_flag=True, help="talk to `tougao demo`'s database (instance/demo.db)")
@click.argument("message", required=False)
def chat(userid: str, on_demo: bool, message: str | None) -> None:
    """Talk to the bot in the terminal as a member; with MESSAGE, answer once and exit."""
    from dataclasses import replace

    from bot.cli_demo import DEMO_DATABASE
    from bot.console import repl, say

    logging.getLogger().setLevel(logging.WARNING)  # the conversation is the output
    settings = replace(_settings(), DATABASE_URL=DEMO_DATABASE) if on_demo else _settings()
    with _database(settings) as database:
        if message is not None:
            click.echo(say(database, settings.tz, userid, message).text)
        else:
            repl(database, settings.tz, userid)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn)."""
    from bot.serve import run_gunicorn

    refuse_incomplete_push_settings(_settings())
    run_gunicorn(host, port, workers)


def refuse_incomplete_push_settings(settings: Settings) -> None:
    """Exit (status 2) when the WeCom callback is set up but pushes could not be sent: they would go to
    the console sender, be logged and marked sent, and nobody would get them."""
    problem = settings.push_settings_problem()
    if problem:
        click.echo(problem, err=True)
        sys.exit(2)


def _register() -> None:
    from bot.cli_demo import demo
    from bot.cli_outbox import outbox
    from bot.cli_reminders import remind, scheduler
    from bot.cli_reports import report

    main.add_command(demo)
    main.add_command(outbox)
    main.add_command(scheduler)
    main.add_command(remind)
    main.add_command(report)


_register()
