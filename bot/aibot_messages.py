"""The robot's decrypted JSON messages as the Incoming every channel produces, and its reply bodies.

A group message's text still starts with the robot's @-mention (WeCom puts U+2005 after it); the handlers
drop a leading mention, so the text goes in unchanged, as the app's does.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callback_crypto import Rejected
from bot.channel import MAX_KEY, MAX_MSG_TYPE, MAX_USERID
from handlers.types import Incoming
from storage.channels import Channel

CHANNEL = "aibot"
MAX_STREAM_BYTES = 20480  # "最长不超过20480个字节，必须是utf8编码"
CUT = "\n…（内容过长，已截断）"
# Images come alone in single chats; in a mixed message (text and pictures, also in groups) only the text
# is read, and the sender is told where photos go.
MIXED_IMAGES = "（图文消息里的图片没有保存：照片请在与投稿通的单聊里单独发送。）"
UNSUPPORTED = "这里只能识别文字和照片。表格文件请在企业微信工作台的「投稿通」应用里发送。"


@dataclass(frozen=True)
class RobotMessage:
    """What the adapter needs of a decrypted message besides its Incoming."""

    msg_type: str
    userid: str
    aibotid: str
    image_url: str = ""  # an image message's (encrypted) file
    stream_id: str = ""  # a refresh's stream
    mixed_images: int = 0


def _text(obj: object, *path: str) -> str:
    """The string at `path` in nested objects; "" when absent; 400 when something on the way has the wrong
    type (a decrypted message is trusted for its origin, not for its shape)."""
    for key in path:
        if obj is None:
            return ""
        if not isinstance(obj, dict):
            raise Rejected(400, f"message field {key!r} is inside a non-object")
        obj = obj.get(key)
    if obj is None:
        return ""
    if not isinstance(obj, str):
        raise Rejected(400, f"message field {'.'.join(path)} is not a string")
    return obj


def read(message: dict) -> RobotMessage:
    """The message's type, sender and robot; a message without a sender or type is 400."""
    msg_type = _text(message, "msgtype").strip().lower()
    userid = _text(message, "from", "userid").strip()
    if not msg_type or not userid:
        raise Rejected(400, "message lacks msgtype or from.userid")
    if len(userid) > MAX_USERID or len(msg_type) > MAX_MSG_TYPE:
        raise Rejected(400, "msgtype or from.userid too long")
    items = _mixed_items(message) if msg_type == "mixed" else []
    return RobotMessage(
        msg_type=msg_type,
        userid=userid,
        aibotid=_text(message, "aibotid"),
        image_url=_text(message, "image", "url"),
        stream_id=_text(message, "stream", "id"),
        mixed_images=sum(1 for item in items if _text(item, "msgtype") == "image"),
    )


def to_incoming(message: dict, robot: RobotMessage) -> Incoming:
    """text, mixed (its text parts), voice (WeCom's transcript), image and event messages as Incoming."""
    kind, userid = robot.msg_type, robot.userid
    if kind == "event":
        event = _text(message, "event", "eventtype").strip().lower()
        key = _text(message, "msgid").strip() or f"event:{userid}:{message.get('create_time', '')}:{event}"
        return Incoming(
            channel=CHANNEL,
            push_channel=Channel.WECOM_APP,
            userid=userid,
            msg_key=_checked(key),
            msg_type="event",
            event=event,
        )
    msg_id = _checked(_text(message, "msgid").strip())
    if kind == "image":
        if not robot.image_url.strip():
            raise Rejected(400, "image message without image.url")
        return Incoming(
            channel=CHANNEL, push_channel=Channel.WECOM_APP, userid=userid, msg_key=msg_id, msg_type="image"
        )
    if kind in ("text", "voice"):
        content = _text(message, kind, "content")
    elif kind == "mixed":
        content = "\n".join(
            _text(i, "text", "content") for i in _mixed_items(message) if _text(i, "msgtype") == "text"
        )
    else:
        return Incoming(
            channel=CHANNEL, push_channel=Channel.WECOM_APP, userid=userid, msg_key=msg_id, msg_type=kind
        )
    return Incoming(
        channel=CHANNEL,
        push_channel=Channel.WECOM_APP,
        userid=userid,
        msg_key=msg_id,
        msg_type="text",
        content=content,
    )


def _mixed_items(message: dict) -> list:
    mixed = message.get("mixed")
    items = mixed.get("msg_item") if isinstance(mixed, dict) else None
    if not isinstance(items, list):
        raise Rejected(400, "mixed message without a msg_item list")
    return items


def _checked(key: str) -> str:
    if not key:
        raise Rejected(400, "message lacks msgid")
    if len(key) > MAX_KEY:
        raise Rejected(400, "msgid too long")
    return key


def stream_body(stream_id: str, content: str, finish: bool) -> dict:
    """A stream reply; its content is cut to WeCom's 20480 UTF-8 bytes on a character boundary."""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": finish, "content": fit(content)}}


def text_body(content: str) -> dict:
    """Plain text: allowed only as the answer to the enter_chat event."""
    return {"msgtype": "text", "text": {"content": fit(content)}}


def fit(content: str) -> str:
    data = content.encode("utf-8")
    if len(data) <= MAX_STREAM_BYTES:
        return content
    room = MAX_STREAM_BYTES - len(CUT.encode("utf-8"))
    return data[:room].decode("utf-8", "ignore") + CUT
