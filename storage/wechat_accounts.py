"""WeChat official accounts (by `__biz`) and the outlets they belong to: from the org file, learned from a
publicist's answer, or set by an admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Outlet, WechatAccount


def outlet_for(session: Session, biz: str) -> Outlet | None:
    """The active outlet an account belongs to, or None when the account is not known."""
    return session.scalar(
        select(Outlet)
        .join(WechatAccount, WechatAccount.outlet_id == Outlet.id)
        .where(WechatAccount.biz == biz, Outlet.active.is_(True))
    )


def remember(
    session: Session, biz: str, outlet: Outlet, source: str, member: Member | None = None
) -> WechatAccount:
    """Map an account to an outlet (a new mapping, or a correction of an old one)."""
    row = session.scalar(select(WechatAccount).where(WechatAccount.biz == biz))
    if row is None:
        row = WechatAccount(biz=biz)
        session.add(row)
    row.outlet_id, row.source, row.member_id = outlet.id, source, member.id if member else None
    session.flush()
    return row


def accounts(session: Session) -> list[WechatAccount]:
    """Every known account, by outlet order then account."""
    return list(
        session.scalars(
            select(WechatAccount)
            .join(Outlet, Outlet.id == WechatAccount.outlet_id)
            .order_by(Outlet.sort_order, WechatAccount.biz)
        )
    )
