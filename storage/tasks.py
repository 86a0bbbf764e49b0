"""The task queue: slow work asked for in chat (import a sent file, build an export), done by the scheduler."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Member, Task


def create(session: Session, kind: str, member: Member, payload: dict) -> Task:
    task = Task(kind=kind, member_id=member.id, payload=payload)
    session.add(task)
    session.flush()
    return task


def claim(session: Session, limit: int = 5) -> list[Task]:
    """Mark the oldest pending tasks running and return them (PostgreSQL: skipping rows others hold)."""
    query = select(Task).where(Task.status == "pending").order_by(Task.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    tasks = list(session.scalars(query))
    for task in tasks:
        task.status = "running"
    return tasks


def requeue_running(session: Session) -> int:
    """At scheduler start: tasks a crashed run left 'running' go back to the queue."""
    return (
        session.execute(update(Task).where(Task.status == "running").values(status="pending")).rowcount or 0
    )


def finish(session: Session, task_id: int, now: datetime, error: str | None = None) -> None:
    task = session.get(Task, task_id)
    task.status, task.error, task.done_at = ("failed" if error else "done"), error, now
