"""When a push does not get through: back-off, failing a row for good, and telling the admins (each on
their own channel, in the group robot when there is one, and in the log at ERROR), so that a failure
never goes unnoticed even when a channel itself is what fails."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from senders.base import PushError
from senders.redact import redact
from senders.services import Services
from storage import delivery
from storage.channels import Channel
from storage.models import Outbox
from storage.org import admins
from storage.outbox import Address, queue, queue_to

log = logging.getLogger(__name__)

BASE_DELAY, MAX_DELAY = 30.0, 900.0
MAX_REFUSALS = 5


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 15 min."""
    return timedelta(seconds=min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def describe(exc: Exception) -> str:
    """An error as stored and shown: a PushError's own (masked) words, else the type and masked text."""
    return str(exc) if isinstance(exc, PushError) else redact(f"{type(exc).__name__}: {exc}")


def refused(services: Services, row_id: int, exc: Exception) -> bool:
    """Count an attempt for a refused row (or one whose send raised); retry with back-off a few times,
    then mark it failed and alert. True when it failed for good."""
    error, moment = describe(exc), services.now()
    with services.db.sessions() as session, session.begin():
        row = session.get(Outbox, row_id)
        last = row.attempts + 1 >= MAX_REFUSALS
        delivery.refuse(row, error, None if last else moment + backoff(row.attempts + 1))
        if last:
            alert(session, row, error, services)
    return last


def alert(session: Session, row: Outbox, error: str, services: Services) -> None:
    """Tell the admins that `row` failed for good: the log at ERROR always, the admins and the group robot
    as new outbox rows. An alert that fails itself raises no further alert."""
    times = "多次" if row.attempts > 1 else ""
    text = (
        f"【投稿通】一条推送{times}发送失败（第{row.id}条，{Channel(row.channel).label}，{len(row.recipients)}位接收人）："
        f"{error}。请检查应用可见范围、企业可信IP、公众号关注和配置；修好后可在管理后台「推送记录」或用 "
        "tougao outbox retry 重发。"
    )
    log.error("outbox row %s failed for good: %s", row.id, error)
    if row.payload.get("kind") == "alert":
        return
    payload = {"text": text, "kind": "alert"}
    queue(session, services.routing, admins(session), payload)
    if services.group_robot:
        queue_to(session, services.routing, [Address(Channel.GROUP_ROBOT, "webhook:alert")], payload)
