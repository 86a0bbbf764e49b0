"""Stand-ins for channels without credentials: the console (log it, count it delivered: the whole product
runs locally), and a channel left unconfigured beside configured ones (every recipient refused, with why)."""

from __future__ import annotations

import logging

from senders.base import File, Message, Rejections, cannot_download
from senders.links import FileLinks
from storage.channels import Channel

log = logging.getLogger(__name__)


class ConsoleSender:
    """No credentials at all: log the push (a file with each recipient's download link) and keep it."""

    per_call = 1000

    def __init__(self, channel: Channel, links: FileLinks) -> None:
        self.channel, self.links = channel, links
        self.sent: list[tuple[list[str], str]] = []

    def send(self, recipients: list[str], message: Message) -> Rejections:
        text = _describe(message, recipients, self.links) if isinstance(message, File) else message.text
        self.sent.append((list(recipients), text))
        log.info("push via console (%s) to %s:\n%s", self.channel.label, ",".join(recipients), text)
        return {}

    def download(self, media_id: str) -> bytes:
        raise cannot_download(self.channel)


class UnconfiguredSender:
    """A channel whose credentials are missing while others are set: its pushes would otherwise be
    swallowed. Each recipient is refused with the setting that is missing, visible on the outbox page."""

    per_call = 1000

    def __init__(self, channel: Channel, missing: str) -> None:
        self.channel, self.missing = channel, missing

    def send(self, recipients: list[str], message: Message) -> Rejections:
        return dict.fromkeys(recipients, f"未配置{self.channel.label}推送（{self.missing}）")

    def download(self, media_id: str) -> bytes:
        raise cannot_download(self.channel)


def _describe(file: File, recipients: list[str], links: FileLinks) -> str:
    lines = [f"[{'image' if file.image else 'file'}] {file.name} ({len(file.content)} bytes)"]
    if not file.image:
        lines += [
            f"{userid} 的下载链接：{links.url(file.file_id, userid) or links.path(file.file_id, userid)}"
            for userid in recipients
        ]
    return "\n".join(lines)
