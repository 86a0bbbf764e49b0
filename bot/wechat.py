"""WeChat Official Account callback at /wechat/callback: safe (AES) mode, or plain mode when no
WECHAT_AES_KEY is set. Plain mode signs only (token, timestamp, nonce), never the body, so once a key is
configured a plain message is refused: anyone who saw one signed query could otherwise post any body.

Members are found by their openid: register an Official Account follower with `成员 添加 <openid> …`.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, request
from wechatpy.replies import TextReply

from bot.app import services, this_app
from bot.callback_crypto import CallbackCrypto, Rejected, check_signature, parse_flat_xml
from bot.channel import read_body, refuse, signed_pair, to_incoming
from bot.pipeline import process
from bot.settings import Settings
from storage.channels import Channel

bp = Blueprint("wechat", __name__)


def _settings() -> Settings:
    config = this_app().settings
    if not config.WECHAT_TOKEN:
        abort(404, "WeChat callback is not configured (WECHAT_TOKEN)")
    return config


def _crypto() -> CallbackCrypto:
    crypto = this_app().wechat_crypto
    if crypto is None:
        raise Rejected(400, "safe mode needs WECHAT_APP_ID and WECHAT_AES_KEY")
    return crypto


@bp.get("/wechat/callback")
def verify_url() -> Response:
    """The Official Account's URL check: a plain signature, answered with the echostr."""
    settings, args = _settings(), request.args
    try:
        check_signature(
            settings.WECHAT_TOKEN,
            args.get("signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
            time.time(),
            settings.TOUGAO_CALLBACK_MAX_AGE,
        )
    except Rejected as exc:
        return refuse("wechat", exc)
    return Response(args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat/callback")
def receive() -> Response:
    """Check, (decrypt,) de-duplicate, handle and commit, then reply in the mode the message came in."""
    settings, args = _settings(), request.args
    safe = args.get("encrypt_type", "raw").lower() == "aes"
    ts, nonce, max_age = args.get("timestamp", ""), args.get("nonce", ""), settings.TOUGAO_CALLBACK_MAX_AGE
    try:
        body = read_body()
        if safe:
            inner = _crypto().open_message(
                body, args.get("msg_signature", ""), ts, nonce, time.time(), max_age
            )
        elif settings.WECHAT_AES_KEY:
            raise Rejected(403, "plain mode refused: WECHAT_AES_KEY is set, so only safe mode is accepted")
        else:
            check_signature(settings.WECHAT_TOKEN, args.get("signature", ""), ts, nonce, time.time(), max_age)
            inner = body
        fields = parse_flat_xml(inner)
        msg = to_incoming(fields, "wechat", Channel.WECHAT_OA)
        pair = signed_pair("wechat", ts, nonce, body)
        reply = process(services().db, msg, settings.tz, pair)
    except Rejected as exc:
        return refuse("wechat", exc)
    if not reply.text:
        return Response("success", mimetype="text/plain")
    xml = TextReply(source=fields.get("ToUserName", ""), target=msg.userid, content=reply.text).render()
    if safe:
        xml = _crypto().seal(xml, nonce, str(int(time.time())))
    return Response(xml, mimetype="application/xml")
