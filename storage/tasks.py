"""The task queue: slow work asked for in chat (import a sent file, build an export), done by the scheduler."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Task


def create(session: Session, kind: str, member: Member, payload: dict) -> Task:
    task = Task(kind=kind, member_id=member.id, payload=payload)
    session.add(task)
    session.flush()
    return task


def create_for_period(session: Session, kind: str, member: Member, parent_id: int, period) -> Task:
    """A file to build for a unit's children over a period (start, end, label): an export, a document."""
    payload = {
        "parent_id": parent_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
    }
    return create(session, kind, member, payload)


MAX_RUNS = 2  # a task whose run has killed the scheduler this often is not started again


def claim_one(session: Session) -> Task | None:
    """Mark the oldest pending task running and count the run (PostgreSQL: skipping rows others hold).
    One at a time, so that when a run kills the process only that task is charged with it."""
    query = select(Task).where(Task.status == "pending").order_by(Task.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    task = session.scalar(query)
    if task is not None:
        task.status, task.attempts = "running", task.attempts + 1
    return task


def recover_interrupted(session: Session, now: datetime) -> list[Task]:
    """At scheduler start: tasks a crashed run left 'running' go back to the queue, except those already
    started MAX_RUNS times: they are marked failed (and returned), or they would crash every restart."""
    stuck = list(session.scalars(select(Task).where(Task.status == "running").order_by(Task.id)))
    quarantined = [t for t in stuck if t.attempts >= MAX_RUNS]
    for task in stuck:
        task.status = "pending"
    for task in quarantined:
        task.status, task.done_at = "failed", now
        task.error = f"stopped the scheduler {task.attempts} times while running; not retried"
    return quarantined


def finish(session: Session, task_id: int, now: datetime, error: str | None = None) -> None:
    task = session.get(Task, task_id)
    task.status, task.error, task.done_at = ("failed" if error else "done"), error, now
