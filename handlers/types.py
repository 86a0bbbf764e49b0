"""The normalised message every channel produces, the reply every handler returns, and the context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from storage.channels import Channel
from storage.models import Member


@dataclass(frozen=True)
class Incoming:
    """One message from any channel (WeCom, WeChat, console, demo page), already decrypted."""

    channel: str
    userid: str
    msg_key: str
    msg_type: str = "text"  # text | link | image | event | …
    content: str = ""
    title: str = ""
    url: str = ""
    event: str = ""
    media_id: str = ""  # image / file messages
    pic_url: str = ""
    file_name: str = ""  # file messages (wechatpy 1.8.18 does not parse them: the adapter reads FileName)
    # Where pushes reach whoever wrote this, as the adapter knows it (the member's channel is learned from
    # it); None where pushes cannot go back the same way (console, demo page).
    push_channel: Channel | None = None


@dataclass(frozen=True)
class Reply:
    """What the bot says back; channels render it (passive XML reply, console print …)."""

    text: str


@dataclass
class Ctx:
    """What a handler may use: the transaction's session, the sender, and local time."""

    session: Session
    member: Member
    now: datetime  # aware, in TOUGAO_TIMEZONE
    extras: dict = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()
