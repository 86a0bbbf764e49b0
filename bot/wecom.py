"""WeCom self-built app callback at /wecom/callback: URL check (GET) and encrypted messages (POST)."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, abort, current_app, request
from wechatpy.enterprise.replies import TextReply

from bot.callback_crypto import MAX_BODY, CallbackCrypto, Rejected, parse_flat_xml
from bot.pipeline import process
from handlers.types import Incoming

log = logging.getLogger(__name__)
bp = Blueprint("wecom", __name__)


def _crypto() -> CallbackCrypto:
    crypto = current_app.extensions.get("tougao.wecom_crypto")
    if crypto is None:
        abort(404, "WeCom callback is not configured (WECOM_CORP_ID, WECOM_TOKEN, WECOM_AES_KEY)")
    return crypto


@bp.get("/wecom/callback")
def verify_url() -> Response:
    """WeCom's URL check: answer the decrypted echostr as plain text."""
    crypto = _crypto()
    args = request.args
    echostr = args.get("echostr", "")
    if not echostr:
        return _refuse(Rejected(400, "missing echostr"))
    try:
        crypto.check(
            args.get("msg_signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
            echostr,
            time.time(),
            current_app.extensions["tougao.settings"].TOUGAO_CALLBACK_MAX_AGE,
        )
        return Response(crypto.decrypt(echostr), mimetype="text/plain")
    except Rejected as exc:
        return _refuse(exc)


@bp.post("/wecom/callback")
def receive() -> Response:
    """Decrypt, de-duplicate, handle and commit, then answer with an encrypted passive reply."""
    crypto = _crypto()
    settings = current_app.extensions["tougao.settings"]
    args = request.args
    try:
        body = _read_body()
        inner = crypto.open_message(
            body,
            args.get("msg_signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
            time.time(),
            settings.TOUGAO_CALLBACK_MAX_AGE,
        )
        fields = parse_flat_xml(inner)
        msg = to_incoming(fields)
    except Rejected as exc:
        return _refuse(exc)
    reply = process(current_app.extensions["tougao.db"], msg, settings.tz)
    if not reply.text:
        return Response("", mimetype="text/plain")
    xml = TextReply(
        source=fields.get("ToUserName", ""),
        target=msg.userid,
        agent=fields.get("AgentID") or 0,
        content=reply.text,
    ).render()
    sealed = crypto.seal(xml, args.get("nonce", ""), str(int(time.time())))
    return Response(sealed, mimetype="application/xml")


def _read_body() -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Rejected(413, "body over 64 KiB")
    return body


def to_incoming(fields: dict[str, str]) -> Incoming:
    """Normalise a decrypted WeCom message; events are keyed by user and CreateTime (they have no MsgId)."""
    userid = fields.get("FromUserName", "").strip()
    msg_type = fields.get("MsgType", "").strip().lower()
    if not userid or not msg_type:
        raise Rejected(400, "message lacks FromUserName or MsgType")
    if msg_type == "event":
        event = fields.get("Event", "").strip().lower()
        key = f"event:{userid}:{fields.get('CreateTime', '')}:{event}"
        return Incoming(channel="wecom", userid=userid, msg_key=key, msg_type="event", event=event)
    msg_id = fields.get("MsgId", "").strip()
    if not msg_id:
        raise Rejected(400, "message lacks MsgId")
    title, url = fields.get("Title", ""), fields.get("Url", "")
    content = fields.get("Content", "") if msg_type == "text" else f"{title} {url}".strip()
    return Incoming(
        channel="wecom",
        userid=userid,
        msg_key=msg_id,
        msg_type=msg_type,
        content=content,
        title=title,
        url=url,
    )


def _refuse(exc: Rejected) -> Response:
    log.warning("wecom callback refused: %s %s", exc.status, exc.reason)
    return Response(exc.reason, status=exc.status, mimetype="text/plain")
