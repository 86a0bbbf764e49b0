"""The WeCom group robot (WECOM_WEBHOOK_URL): text with @-mentions and images, at most 20 messages a minute."""

from __future__ import annotations

import base64
import hashlib
import time
from collections import deque

import requests

from senders.base import File, Message, PushError, Rejections, cannot_download
from senders.wecom import TRANSIENT_ERRORS
from storage.channels import Channel


class WebhookSender:
    """One group: every row's recipient is the group itself (`webhook:<unit id>`)."""

    channel = Channel.GROUP_ROBOT
    per_call = 1
    PER_MINUTE = 20

    def __init__(self, url: str, timeout: float = 10) -> None:
        self.url, self.timeout = url, timeout
        self.http = requests.Session()
        self.recent: deque[float] = deque()

    def send(self, recipients: list[str], message: Message) -> Rejections:
        now = time.time()
        while self.recent and now - self.recent[0] >= 60:
            self.recent.popleft()
        if len(self.recent) >= self.PER_MINUTE:
            raise PushError(
                "group robot limit (20 a minute)", transient=True, retry_after=60 - (now - self.recent[0])
            )
        try:
            response = self.http.post(self.url, json=_body(message), timeout=self.timeout)
            response.raise_for_status()
            result = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise PushError(f"group robot unreachable: {type(exc).__name__}", transient=True) from None
        self.recent.append(now)
        if result.get("errcode", 0) != 0:
            code = result["errcode"]
            raise PushError(
                f"group robot errcode {code}: {result.get('errmsg')}", transient=code in TRANSIENT_ERRORS
            )
        return {}

    def download(self, media_id: str) -> bytes:
        raise cannot_download(self.channel)


def _body(message: Message) -> dict:
    """Text with @-mentions, or an image (the robot takes it inline: base64 and md5, at most 2 MB)."""
    if isinstance(message, File):
        if not message.image:
            raise PushError("群机器人只能发送文字和图片，不能发送文件", transient=False)
        content = message.content
        image = {"base64": base64.b64encode(content).decode(), "md5": hashlib.md5(content).hexdigest()}
        return {"msgtype": "image", "image": image}
    return {"msgtype": "text", "text": {"content": message.text, "mentioned_list": list(message.mentions)}}
