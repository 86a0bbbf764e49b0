"""WeChat official accounts (by `__biz`) and the outlets they belong to: from the org file, learned from a
publicist's answer, or set by an admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import org_cache
from storage.models import Member, Outlet, WechatAccount
from storage.org_cache import OutletInfo


def outlet_for(session: Session, biz: str) -> OutletInfo | None:
    """The active outlet an account belongs to, or None when the account is not known."""
    org = org_cache.snapshot(session)
    outlet = org.outlet(org.wechat[biz]) if biz in org.wechat else None
    return outlet if outlet is not None and outlet.active else None


def remember(
    session: Session, biz: str, outlet: Outlet | OutletInfo, source: str, member: Member | None = None
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
