"""Run queued tasks outside any callback: import a workbook a member sent, build an export workbook.
Each ends with a push to the member who asked (the summary, the error, or the file)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from flask import Flask

from bot.push_clients import PushError
from bot.redact import redact
from handlers.parsing.periods import Period
from handlers.reports.figures_file import FiguresFileError
from handlers.reports.official_import import describe, import_figures
from handlers.reports.workbook import build_workbook, workbook_name
from storage import tasks
from storage.models import Member, Outbox, StoredFile, Unit
from storage.org import admins

log = logging.getLogger(__name__)


def run_tasks(app: Flask, now: datetime, limit: int = 5) -> int:
    """Run up to `limit` queued tasks, one claimed at a time; returns how many ran."""
    db, ran = app.extensions["tougao.db"], 0
    for _ in range(limit):
        with db.sessions() as session, session.begin():
            task = tasks.claim_one(session)
            if task is None:
                break
            task_id, kind, payload, member_id = task.id, task.kind, dict(task.payload), task.member_id
        _run_one(app, task_id, kind, payload, member_id, now)
        ran += 1
    return ran


def _run_one(app: Flask, task_id: int, kind: str, payload: dict, member_id: int, now: datetime) -> None:
    try:
        runner = {"import_official": _import_official, "export": _export}[kind]
        runner(app, payload, member_id, now)
        error = None
    except Exception as exc:  # the one error hook for tasks: logged, the member told, never silent
        log.exception("task %s (%s) failed", task_id, kind)
        error = redact(f"{type(exc).__name__}: {exc}")
        _tell(app, member_id, f"抱歉，任务没有完成：{_reason(exc)}")
    with app.extensions["tougao.db"].sessions() as session, session.begin():
        tasks.finish(session, task_id, now, error)


def recover_tasks(session, now: datetime) -> None:
    """At scheduler start: requeue interrupted tasks; tell the member and the admins about any task that
    was not restarted because its runs kept killing the scheduler (a crash loop would stall every task)."""
    for task in tasks.recover_interrupted(session, now):
        what = f"导入《{task.payload.get('filename', '')}》" if task.kind == "import_official" else "导出"
        log.error("task %s (%s) quarantined: %s", task.id, task.kind, task.error)
        _queue_text(
            session,
            task.member_id,
            f"抱歉，您的{what}任务两次导致后台进程中断，已停止处理。请检查文件后重新发送，或联系管理员。",
        )
        userids = [m.userid for m in admins(session)]
        if userids:
            text = f"【投稿通】任务第{task.id}条（{what}）两次导致调度进程中断，已标为失败，不再重试。请查看调度进程的日志。"
            session.add(Outbox(channel="wecom", recipients=userids, payload={"text": text, "kind": "alert"}))


def _import_official(app: Flask, payload: dict, member_id: int, now: datetime) -> None:
    sender = app.extensions["tougao.senders"]["wecom"]
    if not hasattr(sender, "download"):
        raise PushError("未配置企业微信应用，无法下载文件", transient=False)
    content = sender.download(payload["media_id"])
    with app.extensions["tougao.db"].sessions() as session, session.begin():
        summary = import_figures(session, content, payload["filename"], payload["period"], member_id)
        _queue_text(
            session,
            member_id,
            f"《{payload['filename']}》{describe(summary)}发送「排名 开发区 {payload['period']}」查看。",
        )


def _export(app: Flask, payload: dict, member_id: int, now: datetime) -> None:
    period = Period(
        date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"]), payload["label"]
    )
    db = app.extensions["tougao.db"]
    with db.readers() as session:  # building the workbook holds no write lock
        parent = session.get(Unit, payload["parent_id"])
        name, content = workbook_name(parent, period), build_workbook(session, parent, period, now)
    with db.sessions() as session, session.begin():
        stored = StoredFile(name=name, content=content)
        session.add(stored)
        session.flush()
        member = session.get(Member, member_id)
        payload = {"file_id": stored.id, "kind": "export"}
        session.add(Outbox(channel="wecom", recipients=[member.userid], msg_type="file", payload=payload))


def _tell(app: Flask, member_id: int, text: str) -> None:
    with app.extensions["tougao.db"].sessions() as session, session.begin():
        _queue_text(session, member_id, text)


def _queue_text(session, member_id: int, text: str) -> None:
    member = session.get(Member, member_id)
    session.add(Outbox(channel="wecom", recipients=[member.userid], payload={"text": text, "kind": "task"}))


def _reason(exc: Exception) -> str:
    known = isinstance(exc, FiguresFileError | PushError)
    return redact(str(exc)) if known else "处理时出错，已记录，请联系管理员。"
