"""Pending drafts: the one question a member has been asked and not yet answered (see handlers/conversation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from storage.db import core
from storage.models import PendingDraft

_WAITING = select(PendingDraft.id).where(PendingDraft.member_id == bindparam("member"))


def current(session: Session, member_id: int) -> PendingDraft | None:
    """The member's pending draft, if any (one plain indexed read when there is none, as usual)."""
    found = core(session).execute(_WAITING, {"member": member_id}).scalar()
    return None if found is None else session.get(PendingDraft, found)


def put(
    session: Session,
    *,
    member_id: int,
    kind: str,
    question: str,
    draft: dict,
    options: list,
    queue: list,
    asked_text: str,
    now: datetime,
    expires_at: datetime,
) -> PendingDraft:
    """Keep (or replace) the member's pending draft."""
    row = current(session, member_id)
    if row is None:
        row = PendingDraft(member_id=member_id)
        session.add(row)
    row.kind, row.question, row.draft, row.options, row.queue = kind, question, draft, options, queue
    row.asked_text, row.created_at, row.expires_at = asked_text[:500], now, expires_at
    session.flush()
    return row


def drop(session: Session, member_id: int) -> None:
    session.execute(delete(PendingDraft).where(PendingDraft.member_id == member_id))
