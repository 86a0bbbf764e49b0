"""What every callback channel shares: the body limit, the replay guard, refusals, and turning message XML
into Incoming."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from flask import Response, request

from bot.app import settings
from bot.callback_crypto import MAX_BODY, Rejected
from bot.pipeline import SignedPair
from handlers.types import Incoming
from storage.channels import Channel

log = logging.getLogger(__name__)


def read_body() -> bytes:
    """The request body, refused with 413 past 64 KiB (declared or actual, chunked included)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    return body


def signed_pair(channel: str, timestamp: str, nonce: str, body: bytes) -> SignedPair:
    """A callback's signed (timestamp, nonce) is good for one body: the platform's retry of the same
    request passes (the inbound log answers it again), anything else with that pair is a replay (403).

    Plain-mode signatures do not cover the body, and access logs once held the three signed values, so
    this is what stops a forged body. The pipeline records the pair in the message's own transaction, in
    the database, so every worker sees every pair; the scheduler forgets pairs older than
    nonce_memory(). Make it only after the signature was checked, so strangers cannot use up pairs."""
    key = hashlib.sha256(f"{channel}\n{timestamp}\n{nonce}".encode()).hexdigest()
    return SignedPair(key, hashlib.sha256(body).hexdigest())


def nonce_memory(max_age: int) -> timedelta:
    """How long signed pairs are remembered: twice the timestamp window covers timestamps up to max_age
    early or late; without a window (0), a day."""
    return timedelta(seconds=2 * max_age) if max_age else timedelta(days=1)


def answer_url_check(channel: str, crypto) -> Response:
    """WeCom's URL check, for the app and the robot alike: the signed echostr, decrypted, as plain text
    (no quotes, BOM or line break). `crypto` has the callback's `check` and `decrypt`."""
    args = request.args
    max_age = settings().TOUGAO_CALLBACK_MAX_AGE
    try:
        echostr = args.get("echostr", "")
        if not echostr:
            raise Rejected(400, "missing echostr")
        signature, ts, nonce = args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", "")
        crypto.check(signature, ts, nonce, echostr, time.time(), max_age)
        return Response(crypto.decrypt(echostr), mimetype="text/plain")
    except Rejected as exc:
        return refuse(channel, exc)


def refuse(channel: str, exc: Rejected) -> Response:
    log.warning("%s callback refused: %s %s", channel, exc.status, exc.reason)
    return Response(exc.reason, status=exc.status, mimetype="text/plain")


# What the inbound log can hold (storage.models.InboundMessage); WeCom's own values are far shorter.
MAX_USERID, MAX_MSG_TYPE, MAX_KEY = 64, 20, 128


def to_incoming(fields: dict[str, str], channel: str, push_channel: Channel | None = None) -> Incoming:
    """Normalise a decrypted message from inbound `channel`, whose writers pushes reach on `push_channel`;
    events are keyed by user, CreateTime and event (they have no MsgId). Values longer than the inbound
    log's columns are refused (400) rather than failing in the database."""
    userid = fields.get("FromUserName", "").strip()
    msg_type = fields.get("MsgType", "").strip().lower()
    if not userid or not msg_type:
        raise Rejected(400, "message lacks FromUserName or MsgType")
    if len(userid) > MAX_USERID or len(msg_type) > MAX_MSG_TYPE:
        raise Rejected(400, "FromUserName or MsgType too long")
    if msg_type == "event":
        event = fields.get("Event", "").strip().lower()
        key = f"event:{userid}:{fields.get('CreateTime', '')}:{event}"
        if len(key) > MAX_KEY:
            raise Rejected(400, "CreateTime or Event too long")
        return Incoming(
            channel=channel,
            userid=userid,
            msg_key=key,
            msg_type="event",
            event=event,
            push_channel=push_channel,
        )
    msg_id = fields.get("MsgId", "").strip()
    if not msg_id:
        raise Rejected(400, "message lacks MsgId")
    if len(msg_id) > MAX_KEY:
        raise Rejected(400, "MsgId too long")
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
        push_channel=push_channel,
    )
