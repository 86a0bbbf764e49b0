"""The `tougao` command line (PRODUCT.md §6)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from bot.settings import Settings, shown
from senders.redact import install_log_redaction

if TYPE_CHECKING:  # each command imports what it needs: `tougao --help` loads no database or web code
    from storage.db import Database

log = logging.getLogger(__name__)
HELP = {"max_content_width": 100, "help_option_names": ["-h", "--help"]}


def _settings() -> Settings:
    return Settings.load()


def fail(message: str, status: int = 1) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(status)


def using(url: str) -> None:
    """Remember which database this command works on, so that a database error can name it."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta["tougao.database"] = url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


@contextmanager
def _database(settings: Settings, missing: str = "新建请运行：tougao db upgrade") -> Iterator[Database]:
    """The database for one command; its connections are closed when the command ends. A SQLite file
    that is not there is said to be missing (and is not created, nor its folder)."""
    from storage.db import Database
    from storage.migrate import pending

    url = settings.DATABASE_URL
    using(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        fail(f"数据库文件不存在：{path}（TOUGAO_HOME={settings.home}）。{missing}")
    database = Database.from_url(url, settings.TOUGAO_SQLITE_BUSY_TIMEOUT)
    try:
        if pending(database.engine):
            fail(f"数据库结构不是最新的（{shown(url)}），请先运行：tougao db upgrade")
        yield database
    finally:
        database.engine.dispose()


class Commands(click.Group):
    """The command group: a database that cannot be reached or fails is named, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if "sqlalchemy.exc" not in sys.modules:  # no database was touched (and --help stays light)
                raise
            from sqlalchemy.exc import DBAPIError

            if not isinstance(exc, DBAPIError):
                raise
            log.debug("database error", exc_info=True)
            url = ctx.meta.get("tougao.database") or _settings().DATABASE_URL
            reason = str(exc.orig or exc).strip().splitlines()[0]
            fail(f"数据库出错（{shown(url)}，TOUGAO_HOME={_settings().home}）：{reason}")


@click.group(cls=Commands, context_settings=HELP)
@click.version_option(package_name="tougao", prog_name="tougao", message="%(prog)s %(version)s")
def main() -> None:
    """投稿通 (tougao): news-submission reporting bot for a street office.

    Settings come from the environment and the .env in TOUGAO_HOME (default: the current directory when it
    holds a .env, else the clone tougao was installed from); a relative SQLite path is resolved there too.
    """
    level = _settings().TOUGAO_LOG_LEVEL.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if level != "DEBUG":
        # APScheduler logs INFO for every run of a job (every 5 and 15 s): the pushes would drown in it.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    install_log_redaction()


@main.group(short_help="Organisation: import the org file (units, members, outlets, quotas).")
def org() -> None:
    """Organisation: units, members, outlets, quotas."""


@org.command("import", short_help="Import an org file (YAML); importing twice changes nothing.")
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


@main.group(short_help="The zone's official figures: import a month's file.")
def ranking() -> None:
    """The zone's official ranking figures."""


@ranking.command("import", short_help="Import the media centre's figures for a month (.xlsx/.csv).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--period", required=True, help="the month the figures are for, YYYY-MM")
def ranking_import(file: str, period: str) -> None:
    """Import the media centre's figures (.xlsx or .csv) for a month; a re-import replaces it."""
    from handlers.parsing import ParseError
    from handlers.parsing.periods import parse_month_key
    from reports.figures_file import FiguresFileError
    from reports.official_import import describe, import_figures
    from reports.periods import month_keys

    try:
        key = month_keys(parse_month_key(period))[0]
        with _database(_settings()) as database, database.sessions() as session, session.begin():
            summary = import_figures(session, Path(file).read_bytes(), Path(file).name, key, None)
    except (FiguresFileError, ParseError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(describe(summary))


@main.command(short_help="Talk to the bot as a member, in the terminal (退出 or Ctrl+D ends).")
@click.option("--user", "userid", required=True, help="the member's WeCom userid, e.g. zhangsan")
@click.option("--demo", "on_demo", is_flag=True, help="talk to `tougao demo`'s database (instance/demo.db)")
@click.argument("message", required=False)
def chat(userid: str, on_demo: bool, message: str | None) -> None:
    """Talk to the bot in the terminal as a member, through the same pipeline as WeCom.

    With MESSAGE, answer that one message and exit. Without it, chat: type as you would in WeCom. A line
    with only 上稿 starts a multi-line form (标题：… 链接：… 媒体：… 日期：…) that a blank line ends. 退出 or
    Ctrl+D leaves.
    """
    from dataclasses import replace

    from bot.cli_demo import demo_database
    from bot.console import repl, say

    logging.getLogger().setLevel(logging.WARNING)  # the conversation is the output
    settings = _settings()
    missing = "新建请运行：tougao db upgrade"
    if on_demo:
        settings, missing = replace(settings, DATABASE_URL=demo_database(settings)), "请先运行：tougao demo"
    with _database(settings, missing) as database:
        if message is not None:
            click.echo(say(database, settings.tz, userid, message).text)
        else:
            repl(database, settings.tz, userid)


@main.command(short_help="Run the production server (gunicorn; Linux).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn)."""
    from bot.serve import PortUnavailable, listen, run_gunicorn

    refuse_incomplete_push_settings(_settings())
    try:
        listen(host, port).close()  # a busy port is said plainly, not by gunicorn's five retries
    except PortUnavailable as exc:
        fail(str(exc))
    run_gunicorn(host, port, workers)


def refuse_incomplete_push_settings(settings: Settings) -> None:
    """Exit (status 2) when the WeCom callback is set up but pushes could not be sent: they would go to
    the console sender, be logged and marked sent, and nobody would get them."""
    problem = settings.push_settings_problem()
    if problem:
        fail(problem, status=2)


def _register() -> None:
    from bot.cli_db import db
    from bot.cli_demo import demo
    from bot.cli_outbox import outbox
    from bot.cli_reminders import remind, scheduler
    from bot.cli_reports import report

    main.add_command(db)
    main.add_command(demo)
    main.add_command(outbox)
    main.add_command(scheduler)
    main.add_command(remind)
    main.add_command(report)


_register()
