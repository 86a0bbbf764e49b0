"""WeCom self-built app callback at /wecom/callback: URL check (GET) and encrypted messages (POST)."""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, request
from wechatpy.enterprise.replies import TextReply

from bot.app import services, settings, this_app
from bot.callback_crypto import CallbackCrypto, Rejected, parse_flat_xml
from bot.channel import answer_url_check, read_body, refuse, signed_pair, to_incoming
from bot.pipeline import process
from storage.channels import Channel

bp = Blueprint("wecom", __name__)


def _crypto() -> CallbackCrypto:
    crypto = this_app().wecom_crypto
    if crypto is None:
        abort(404, "WeCom callback is not configured (WECOM_CORP_ID, WECOM_TOKEN, WECOM_AES_KEY)")
    return crypto


@bp.get("/wecom/callback")
def verify_url() -> Response:
    """WeCom's URL check: answer the decrypted echostr as plain text."""
    return answer_url_check("wecom", _crypto())


@bp.post("/wecom/callback")
def receive() -> Response:
    """Decrypt, de-duplicate, handle and commit, then answer with an encrypted passive reply."""
    crypto, args, config = _crypto(), request.args, settings()
    ts, nonce = args.get("timestamp", ""), args.get("nonce", "")
    try:
        body = read_body()
        inner = crypto.open_message(
            body, args.get("msg_signature", ""), ts, nonce, time.time(), config.TOUGAO_CALLBACK_MAX_AGE
        )
        fields = parse_flat_xml(inner)
        msg = to_incoming(fields, "wecom", Channel.WECOM_APP)
        pair = signed_pair("wecom", ts, nonce, body)
        reply = process(services().db, msg, config.tz, pair)
    except Rejected as exc:
        return refuse("wecom", exc)
    if not reply.text:
        return Response("", mimetype="text/plain")
    xml = TextReply(
        source=fields.get("ToUserName", ""),
        target=msg.userid,
        agent=_agent_id(config.WECOM_AGENT_ID, fields.get("AgentID", "")),
        content=reply.text,
    ).render()
    return Response(
        crypto.seal(xml, args.get("nonce", ""), str(int(time.time()))), mimetype="application/xml"
    )


def _agent_id(configured: str, sent: str) -> int:
    """Our own agent id; what the message claims only if it is a number (wechatpy's renderer needs an int)."""
    for value in (configured, sent):
        if value.strip().isdigit():
            return int(value)
    return 0
