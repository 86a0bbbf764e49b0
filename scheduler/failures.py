"""When a push does not get through: back-off, failing a row for good, recipients WeCom rejected, and
telling the admins (in WeCom, in the group robot when there is one, and in the log at ERROR), so that a
failure never goes unnoticed even when the WeCom app itself is what fails."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.push_clients import PushError
from bot.redact import redact
from storage.db import Database
from storage.models import Outbox
from storage.org import admins

log = logging.getLogger(__name__)

BASE_DELAY, MAX_DELAY = 30.0, 900.0
MAX_REFUSALS = 5


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 15 min."""
    return timedelta(seconds=min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def describe(exc: Exception) -> str:
    """An error as stored and shown: a PushError's own (masked) words, else the type and masked text."""
    return str(exc) if isinstance(exc, PushError) else redact(f"{type(exc).__name__}: {exc}")


def refused(db: Database, row_id: int, moment: datetime, exc: Exception, webhook: bool) -> bool:
    """Count an attempt for a refused row (or one whose send raised); retry with back-off a few times,
    then mark it failed and alert. True when it failed for good."""
    error = describe(exc)
    with db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        row.attempts += 1
        row.last_error, row.lease_until, row.lease_owner = error, None, None
        if row.attempts < MAX_REFUSALS:
            row.status, row.next_attempt_at = "pending", moment + backoff(row.attempts)
            return False
        row.status = "failed"
        alert(session, row, error, webhook)
    return True


def rejected_recipients(session: Session, row: Outbox, rejected: list[str], webhook: bool) -> None:
    """WeCom accepted the call but not these recipients (invaliduser: outside the app's visible range, or
    no such account). They are split off into a failed row of their own, so they are listed and can be
    resent (`tougao outbox retry`) once the visible range is fixed."""
    error = "WeCom rejected these recipients (invaliduser): " + "|".join(rejected)
    if set(rejected) >= set(row.recipients):
        row.status, row.sent_at, row.last_error = "failed", None, error
        alert(session, row, error, webhook)
        return
    row.recipients = [r for r in row.recipients if r not in rejected]
    failed = Outbox(
        channel=row.channel,
        recipients=list(rejected),
        msg_type=row.msg_type,
        payload=dict(row.payload),
        status="failed",
        attempts=1,
        last_error=error,
    )
    session.add(failed)
    session.flush()
    alert(session, failed, error, webhook)


def alert(session: Session, row: Outbox, error: str, webhook: bool) -> None:
    """Tell the admins that `row` failed for good: the log at ERROR always, WeCom and the group robot
    as new outbox rows. An alert that fails itself raises no further alert."""
    text = (
        f"【投稿通】一条推送多次发送失败（第{row.id}条，{len(row.recipients)}位接收人）：{error}。"
        "请检查应用可见范围、企业可信IP和配置；修好后可在管理后台「推送记录」或用 tougao outbox retry 重发。"
    )
    log.error("outbox row %s failed for good: %s", row.id, error)
    if row.payload.get("kind") == "alert":
        return
    userids = [m.userid for m in admins(session)]
    if userids:
        session.add(Outbox(channel="wecom", recipients=userids, payload={"text": text, "kind": "alert"}))
    if webhook:
        session.add(
            Outbox(channel="webhook", recipients=["webhook:alert"], payload={"text": text, "kind": "alert"})
        )
