"""Run queued tasks outside any callback: import a workbook a member sent, build an export workbook or
the bulletin's Word document.
Each ends with a push to the member who asked, on their own channel (the summary, the error, or the file:
a file where the channel carries one, and the member's own download link)."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from reports.bulletin import document_name
from reports.bulletin_document import build_bulletin_document
from reports.figures_file import FiguresFileError
from reports.official_import import describe, import_figures
from reports.periods import Period
from reports.workbook import build_workbook, workbook_name
from senders.base import PushError
from senders.redact import redact
from senders.services import Services
from storage import tasks
from storage.models import Member, Unit
from storage.org import admins
from storage.outbox import queue, store_file

log = logging.getLogger(__name__)
TASK_WORDS = {"export": "导出", "bulletin_doc": "通报文档"}


def run_tasks(services: Services, limit: int = 5) -> int:
    """Run up to `limit` queued tasks, one claimed at a time; returns how many ran."""
    ran = 0
    for _ in range(limit):
        with services.db.sessions() as session, session.begin():
            task = tasks.claim_one(session)
            if task is None:
                break
            task_id, kind, payload, member_id = task.id, task.kind, dict(task.payload), task.member_id
        _run_one(services, task_id, kind, payload, member_id)
        ran += 1
    return ran


def _run_one(services: Services, task_id: int, kind: str, payload: dict, member_id: int) -> None:
    try:
        runner = {"import_official": _import_official, "export": _export, "bulletin_doc": _bulletin_doc}[kind]
        runner(services, payload, member_id)
        error = None
    except Exception as exc:  # the one error hook for tasks: logged, the member told, never silent
        log.exception("task %s (%s) failed", task_id, kind)
        error = redact(f"{type(exc).__name__}: {exc}")
        with services.db.sessions() as session, session.begin():
            _queue_text(session, services, member_id, f"抱歉，任务没有完成：{_reason(exc)}")
    with services.db.sessions() as session, session.begin():
        tasks.finish(session, task_id, services.now(), error)


def recover_tasks(session: Session, services: Services) -> None:
    """At scheduler start: requeue interrupted tasks; tell the member and the admins about any task that
    was not restarted because its runs kept killing the scheduler (a crash loop would stall every task)."""
    for task in tasks.recover_interrupted(session, services.now()):
        what = TASK_WORDS.get(task.kind) or f"导入《{task.payload.get('filename', '')}》"
        log.error("task %s (%s) quarantined: %s", task.id, task.kind, task.error)
        _queue_text(
            session,
            services,
            task.member_id,
            f"抱歉，您的{what}任务两次导致后台进程中断，已停止处理。请检查文件后重新发送，或联系管理员。",
        )
        text = f"【投稿通】任务第{task.id}条（{what}）两次导致调度进程中断，已标为失败，不再重试。请查看调度进程的日志。"
        queue(session, services.routing, admins(session), {"text": text, "kind": "alert"})


def _import_official(services: Services, payload: dict, member_id: int) -> None:
    """The file came on the member's channel (learned from the message that carried it)."""
    with services.db.readers() as session:
        channel = services.routing.address(session.get(Member, member_id)).channel
    sender = services.sender(channel)
    if sender is None:
        raise PushError(f"未配置{channel.label}，无法下载文件", transient=False)
    content = sender.download(payload["media_id"])
    with services.db.sessions() as session, session.begin():
        summary = import_figures(session, content, payload["filename"], payload["period"], member_id)
        text = f"《{payload['filename']}》{describe(summary)}发送「排名 开发区 {payload['period']}」查看。"
        _queue_text(session, services, member_id, text)


def _export(services: Services, payload: dict, member_id: int) -> None:
    _send_built(services, payload, member_id, "export", workbook_name, build_workbook)


def _bulletin_doc(services: Services, payload: dict, member_id: int) -> None:
    _send_built(services, payload, member_id, "bulletin_doc", document_name, build_bulletin_document)


def _send_built(services: Services, payload: dict, member_id: int, kind: str, name_of, build) -> None:
    """Build a period's file for the parent unit, keep it, and push it to the member as a file."""
    period = Period(
        date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"]), payload["label"]
    )
    with services.db.readers() as session:  # building the file holds no write lock
        parent = session.get(Unit, payload["parent_id"])
        name, content = name_of(parent, period), build(session, parent, period, services.now())
    with services.db.sessions() as session, session.begin():
        file_id = store_file(session, name, content)
        member = session.get(Member, member_id)
        queue(session, services.routing, [member], {"file_id": file_id, "kind": kind}, msg_type="file")


def _queue_text(session: Session, services: Services, member_id: int, text: str) -> None:
    member = session.get(Member, member_id)
    queue(session, services.routing, [member], {"text": text, "kind": "task"})


def _reason(exc: Exception) -> str:
    known = isinstance(exc, FiguresFileError | PushError)
    return redact(str(exc)) if known else "处理时出错，已记录，请联系管理员。"
