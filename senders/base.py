"""What every sender shares: the messages it is given, the Sender protocol, and the typed error it raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from senders.redact import redact
from storage.channels import Channel

# recipient → why it did not reach them (and will not by trying again): e.g. outside the app's visible range
Rejections = dict[str, str]


@dataclass(frozen=True)
class Text:
    text: str
    mentions: tuple[str, ...] = ()  # the group robot @-mentions these userids


@dataclass(frozen=True)
class File:
    """A workbook or a chart: sent as a file or image where the channel can, else as a download link."""

    name: str
    content: bytes
    file_id: int  # the stored file, for download links
    image: bool = False


Message = Text | File


class PushError(Exception):
    """A push (or download) that did not happen; its text is masked, so it may be stored, shown and sent.

    `transient`: the API is down or busy: pause the channel and retry, never drop. Otherwise this message
    is refused: retry a few times, then mark it failed and tell the admins."""

    def __init__(self, message: str, *, transient: bool, retry_after: float = 0.0) -> None:
        super().__init__(redact(message))
        self.transient = transient
        self.retry_after = retry_after


class Sender(Protocol):
    """One outbound channel. `send` delivers to up to `per_call` recipients in one go and returns those it
    could not reach, with the reason; it raises PushError when nobody got it."""

    channel: Channel
    per_call: int

    def send(self, recipients: list[str], message: Message) -> Rejections: ...

    def download(self, media_id: str) -> bytes:
        """A file a member sent on this channel; PushError where the channel cannot fetch one."""
        ...


def cannot_download(channel: Channel) -> PushError:
    return PushError(f"{channel.label}渠道未配置或不支持下载文件", transient=False)
