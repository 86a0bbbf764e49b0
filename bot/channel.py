"""What every callback channel shares: the body limit, refusals, and turning message XML into Incoming."""

from __future__ import annotations

import logging

from flask import Response, request

from bot.callback_crypto import MAX_BODY, Rejected
from handlers.types import Incoming

log = logging.getLogger(__name__)


def read_body() -> bytes:
    """The request body, refused with 413 past 64 KiB (declared or actual, chunked included)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    return body


def refuse(channel: str, exc: Rejected) -> Response:
    log.warning("%s callback refused: %s %s", channel, exc.status, exc.reason)
    return Response(exc.reason, status=exc.status, mimetype="text/plain")


def to_incoming(fields: dict[str, str], channel: str) -> Incoming:
    """Normalise a decrypted message; events are keyed by user, CreateTime and event (they have no MsgId)."""
    userid = fields.get("FromUserName", "").strip()
    msg_type = fields.get("MsgType", "").strip().lower()
    if not userid or not msg_type:
        raise Rejected(400, "message lacks FromUserName or MsgType")
    if msg_type == "event":
        event = fields.get("Event", "").strip().lower()
        key = f"event:{userid}:{fields.get('CreateTime', '')}:{event}"
        return Incoming(channel=channel, userid=userid, msg_key=key, msg_type="event", event=event)
    msg_id = fields.get("MsgId", "").strip()
    if not msg_id:
        raise Rejected(400, "message lacks MsgId")
    title, url = fields.get("Title", ""), fields.get("Url", "")
    return Incoming(
        channel=channel,
        userid=userid,
        msg_key=msg_id,
        msg_type=msg_type,
        content=fields.get("Content", "") if msg_type == "text" else f"{title} {url}".strip(),
        title=title,
        url=url,
        media_id=fields.get("MediaId", ""),
        pic_url=fields.get("PicUrl", ""),
        file_name=fields.get("FileName", "") or (title if msg_type == "file" else ""),
    )
