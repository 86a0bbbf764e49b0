"""What every dashboard view shares: sessions as the signed-in member, the chosen period and scope, and
running a chat handler on a form's behalf (so the dashboard changes data exactly as chat does, audited)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import abort, flash, g, render_template, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from bot.admin import bp
from bot.app import services
from bot.pipeline import BAD_INPUT
from handlers.parsing import ParseError
from handlers.parsing.periods import Period, month, parse_period
from handlers.types import Ctx, Reply
from storage.models import Member, Unit
from storage.org import ranking_parent, reporting_parents

PAGE_SIZE = 50
OUT_OF_RANGE = "输入的内容过长或数字过大，没有保存。请改短或改小后再试。"
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger number in a query is a DataError, not "not found"


def now() -> datetime:
    return services().now()


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session: on SQLite it never holds the write lock callbacks need."""
    with services().db.readers() as session:
        yield session


def act(change: Callable[[Ctx], Reply]) -> None:
    """Run `change` as the signed-in member in one transaction and flash its reply; bad input (a
    ParseError, or a value the database refuses as too long or too large) rolls back and is flashed."""
    try:
        with services().db.sessions() as session, session.begin():
            member = session.get(Member, g.viewer.id)
            reply = change(Ctx(session=session, member=member, now=now()))
    except ParseError as exc:
        flash(exc.problem, "error")
        return
    except BAD_INPUT:
        flash(OUT_OF_RANGE, "error")
        return
    flash(reply.text, "ok")


def int_arg(source, name: str) -> int | None:
    """A positive, database-sized integer from a query or a form (an id, a number), else None."""
    value = source.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def chosen_period() -> tuple[Period, str]:
    """The `period` query argument in the chat grammar (本月, 上月, 2023年3月, 一季度 …), and its text."""
    text = request.args.get("period", "").strip()
    today = now().date()
    try:
        return parse_period(text, today), text
    except ParseError as exc:
        flash(f"{exc.problem}，已显示本月。例：{exc.example}", "error")
        return month(today.year, today.month), ""


def scopes(session: Session) -> list[Unit]:
    """Whose children the viewer may rank: a leader their own ranking scope, an admin every one."""
    member = session.get(Member, g.viewer.id)
    own = ranking_parent(session, member.unit)
    found = [own] if own is not None else []
    if g.viewer.role == "admin":
        found += [u for u in reporting_parents(session) if own is None or u.id != own.id]
    return found


def chosen_scope(session: Session, allowed: list[Unit] | None = None) -> Unit:
    """The `scope` query argument when the viewer may see it (one of `allowed`, by default `scopes()`),
    else the viewer's own scope."""
    allowed = scopes(session) if allowed is None else allowed
    if not allowed:
        abort(404, "您所在的单位没有下属单位可以统计。")
    wanted = request.args.get("scope", type=int)
    return next((u for u in allowed if u.id == wanted), allowed[0])


@bp.app_template_filter("local")
def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(services().tz).strftime("%Y-%m-%d %H:%M")


@bp.errorhandler(HTTPException)
def error_page(exc: HTTPException):
    """Dashboard errors in Chinese, with the status the browser needs."""
    titles = {400: "请求无效", 401: "请先登录", 403: "没有权限", 404: "找不到页面", 502: "企业微信暂时不可用"}
    ours = exc.description if exc.description != type(exc).description else ""
    page = render_template(
        "admin/error.html", title=titles.get(exc.code, "出错了"), message=ours, code=exc.code
    )
    return page, exc.code
