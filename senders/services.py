"""The services jobs and handlers' callers are handed, built once from settings (bot/services.py): the
database, the time zone, one sender per channel, download links. Nothing is looked up by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from senders.base import Sender
from senders.links import FileLinks
from senders.wecom import WeComApi
from storage.channels import Channel
from storage.db import Database
from storage.outbox import Routing


@dataclass(frozen=True)
class Services:
    db: Database
    tz: ZoneInfo
    senders: Mapping[Channel, Sender]  # every member channel; the group robot only when configured
    default_channel: Channel  # for members whose channel is not known yet
    links: FileLinks
    nonce_memory: timedelta  # how long callback (timestamp, nonce) pairs are kept
    wecom: WeComApi | None = None  # the WeCom app's API, for the dashboard's sign-in

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def sender(self, channel: Channel) -> Sender | None:
        return self.senders.get(channel)

    @property
    def group_robot(self) -> bool:
        """True when the group robot gets bulletins and failure alerts."""
        return Channel.GROUP_ROBOT in self.senders

    @property
    def routing(self) -> Routing:
        """How pushes to members are addressed and split into rows."""
        return Routing(self.default_channel, {c: s.per_call for c, s in self.senders.items()})
