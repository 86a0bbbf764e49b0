"""The audit trail of admin and leader actions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import AdminAction, Member


def record(session: Session, member: Member, action: str, detail: str) -> None:
    session.add(AdminAction(member_id=member.id, action=action, detail=detail))
