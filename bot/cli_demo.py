"""`tougao demo`: a seeded local instance on its own database, whatever `.env` says.

The demo adds 17 example members (an admin among them) and serves a sign-in by picking a member, so it
must never run on a real database: it uses `instance/demo.db` (not DATABASE_URL) unless --database-url
names another, refuses any database it did not make itself, and never uses WeCom or WeChat credentials.
"""

from __future__ import annotations

import shutil
import socket
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from bot.settings import Settings, in_home, shown

DEMO_DATABASE = "sqlite:///instance/demo.db"  # in TOUGAO_HOME (see demo_database)
MARKER = "demo_database"  # the org_setting row that says the demo made this database
CREDENTIALS = (
    "WECOM_CORP_ID",
    "WECOM_AGENT_ID",
    "WECOM_SECRET",
    "WECOM_TOKEN",
    "WECOM_AES_KEY",
    "WECOM_WEBHOOK_URL",
    "WECHAT_APP_ID",
    "WECHAT_SECRET",
    "WECHAT_TOKEN",
    "WECHAT_AES_KEY",
)


@click.command(short_help="A seeded local demo: SQLite, the example org, six months of history.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--database-url", help="an empty database for the demo (default: TOUGAO_HOME/instance/demo.db)")
def demo(host: str, port: int, database_url: str | None) -> None:
    """A seeded local instance: SQLite, the example org, six months of history; no credentials needed.

    It serves the chat page /demo, the dashboard /admin and /healthz, and runs the scheduler in the same
    process. It never uses DATABASE_URL or the WeCom and WeChat credentials of .env.
    """
    from bot.cli import _database, _settings, fail
    from bot.serve import PortUnavailable, listen
    from storage.migrate import upgrade

    try:
        listening = listen(host, port)  # first: a busy port is said before anything is written or announced
    except PortUnavailable as exc:
        fail(str(exc))
    blank = dict.fromkeys(CREDENTIALS, "")
    here = f"http://{host}:{port}"  # download links point at the demo itself, never at a real host
    settings = _settings()
    settings = replace(
        settings, DATABASE_URL=database_url or demo_database(settings), TOUGAO_PUBLIC_URL=here, **blank
    )
    if not made_by_demo_or_empty(settings.DATABASE_URL):
        listening.close()
        fail(
            f"{shown(settings.DATABASE_URL)} 里已有不是演示建立的数据，演示不会写入它。"
            f"演示默认使用 TOUGAO_HOME 下的 instance/demo.db；要用别的库，请用 --database-url 指向一个空库。"
        )
    upgrade(settings.DATABASE_URL)
    with _database(settings) as database:
        org_file, seeded = _seed(database, settings)
        _announce(settings, org_file, seeded, host, port)
        _run(database, settings, listening)


def demo_database(settings: Settings) -> str:
    """The demo's own SQLite database: instance/demo.db in TOUGAO_HOME."""
    return in_home(DEMO_DATABASE, settings.home)


def made_by_demo_or_empty(url: str) -> bool:
    """True for a database with no tables yet, or one carrying the demo's marker."""
    from sqlalchemy import inspect, select

    from storage.db import make_engine
    from storage.models import OrgSetting

    engine = make_engine(url)
    try:
        tables = inspect(engine).get_table_names()
        if not tables:
            return True
        if OrgSetting.__tablename__ not in tables:
            return False
        with engine.connect() as conn:
            return conn.execute(select(OrgSetting.key).where(OrgSetting.key == MARKER)).first() is not None
    finally:
        engine.dispose()


def _seed(database, settings: Settings) -> tuple[str, int]:
    from bot.demo_data import EXAMPLE_ORG, seed_history
    from scheduler.jobs import settle_past
    from storage.models import OrgSetting
    from storage.orgfile import OrgFileError, apply_org, load_org_file

    org_file = settings.TOUGAO_ORG_FILE or str(EXAMPLE_ORG)
    try:
        with database.sessions() as session, session.begin():
            session.merge(OrgSetting(key=MARKER, value={"made_by": "tougao demo"}))
            apply_org(session, load_org_file(org_file, session))
            now = datetime.now(settings.tz)
            seeded = seed_history(session, now.date())
            if seeded:  # the months just made up missed no reminder: nothing to warn about
                settle_past(session, now)
    except OrgFileError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    return org_file, seeded


def _run(database, settings: Settings, listening: socket.socket) -> None:
    from bot import create_app
    from bot.serve import run_dev_server
    from scheduler.runner import build_scheduler

    app = create_app(database=database, demo=True, settings=settings)
    runner = build_scheduler(app.services, background=True)
    runner.start()
    try:
        run_dev_server(app, listening)
    finally:
        runner.shutdown(wait=False)


def _announce(settings: Settings, org_file: str, seeded: int, host: str, port: int) -> None:
    tougao = command_path()
    chat = (
        f"{tougao} chat --demo"
        if demo_database(settings) == settings.DATABASE_URL
        else f"DATABASE_URL={settings.DATABASE_URL} {tougao} chat"
    )
    click.echo(
        f"演示数据：{shown(settings.DATABASE_URL)}（组织 {org_file}"
        + (f"，新写入样例稿件 {seeded} 篇）" if seeded else "）")
    )
    click.echo(
        f"投稿通演示已启动：打开 http://{host}:{port}/demo 在浏览器里和机器人对话（健康检查 /healthz）\n"
        f"领导和管理员的管理后台：http://{host}:{port}/admin （演示模式下选一位领导或管理员登录）\n"
        "在另一个终端里和机器人对话（与企业微信走同一套处理逻辑）：\n"
        f"  {chat} --user zhangsan            # 辽河社区宣传员张三\n"
        f'  {chat} --user lishuji "排名"       # 街道领导李书记，问一句就退出\n'
        "提醒调度在本进程内运行；演示不使用企业微信凭据，推送打印在这里的日志里。\n"
        "按 Ctrl+C 停止。"
    )


def command_path(cwd: Path | None = None) -> str:
    """How to run `tougao` from a shell: `tougao` when that is this one on PATH, else this one's path
    (relative when it is under the current directory: `.venv/bin/tougao`), else `python -m bot`."""
    # The venv's bin/, from sys.executable unresolved: a venv's python is a link to the system's.
    script = Path(sys.executable).parent / "tougao"
    if not script.exists():
        return f"{sys.executable} -m bot"
    on_path = shutil.which("tougao")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "tougao"
    try:
        relative = script.relative_to(cwd or Path.cwd())
    except ValueError:
        return str(script)
    return str(relative) if len(relative.parts) > 1 else f"./{relative}"
