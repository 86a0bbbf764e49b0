"""WeCom's intelligent robot (智能机器人, API mode) at /wecom/aibot: @-mentions in any internal group, and
single chats. A thin channel beside bot/wecom.py: the same checks (size, timestamp window, signature,
replay guard), the same Incoming, the same pipeline; the reply goes back as an encrypted stream message.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from functools import partial

from flask import Blueprint, Response, abort, request

from bot.aibot_crypto import AibotCrypto
from bot.aibot_media import MediaClient, MediaError
from bot.aibot_messages import (
    CHANNEL,
    MIXED_IMAGES,
    UNSUPPORTED,
    RobotMessage,
    read,
    stream_body,
    text_body,
    to_incoming,
)
from bot.aibot_streams import WORKING, StreamIds, finish_late, refreshed, run_within
from bot.app import TougaoApp, services, this_app
from bot.app import settings as current_settings
from bot.callback_crypto import Rejected
from bot.channel import answer_url_check, read_body, refuse, signed_pair
from bot.pipeline import SignedPair, process
from bot.settings import Settings
from handlers.dispatch import UNKNOWN_SENDER
from handlers.types import Incoming, Reply
from storage import inbound
from storage.db import Database
from storage.org import active_member

log = logging.getLogger(__name__)
bp = Blueprint("aibot", __name__)
PHOTO_FAILED = "照片没有收到（下载或解密失败），请重新发送。"


@dataclass(frozen=True)
class Robot:
    """The robot's callback as configured: crypto, stream ids, media downloads, its id, the reply wait."""

    crypto: AibotCrypto
    ids: StreamIds
    media: MediaClient
    robot_id: str
    wait: float


def configure(app: TougaoApp, settings: Settings) -> None:
    """Set the robot up when WECOM_AIBOT_TOKEN and WECOM_AIBOT_AES_KEY are given (a bad key stops start-up)."""
    if not settings.aibot_configured:
        return
    crypto = AibotCrypto(settings.WECOM_AIBOT_TOKEN, settings.WECOM_AIBOT_AES_KEY)
    app.aibot = Robot(
        crypto=crypto,
        ids=StreamIds(crypto.key),
        media=MediaClient(crypto, settings.WECOM_AIBOT_MEDIA_BASE),
        robot_id=settings.WECOM_AIBOT_ID.strip(),
        wait=max(settings.WECOM_AIBOT_REPLY_WAIT, 0.0),
    )


def _robot() -> Robot:
    robot = this_app().aibot
    if robot is None:
        abort(404, "the intelligent robot is not configured (WECOM_AIBOT_TOKEN, WECOM_AIBOT_AES_KEY)")
    return robot


@bp.get("/wecom/aibot")
def verify_url() -> Response:
    """The URL check: answer the decrypted echostr as plain text."""
    return answer_url_check(CHANNEL, _robot().crypto)


@bp.post("/wecom/aibot")
def receive() -> Response:
    """Decrypt and check, then: a refresh gets its stream; a message goes through the pipeline and is
    answered as a stream, finished at once when the reply is ready within the wait."""
    robot, args = _robot(), request.args
    settings, db = current_settings(), services().db
    ts, nonce = args.get("timestamp", ""), args.get("nonce", "")
    try:
        body = read_body()
        message = robot.crypto.open_message(
            body, args.get("msg_signature", ""), ts, nonce, time.time(), settings.TOUGAO_CALLBACK_MAX_AGE
        )
        about = read(message)
        if robot.robot_id and about.aibotid != robot.robot_id:
            raise Rejected(403, f"message for another robot (aibotid {about.aibotid[:64]!r})")
        if about.msg_type == "stream":
            content, finish = refreshed(db, robot.ids, about.stream_id, time.time())
            return _sealed(robot, stream_body(about.stream_id, content, finish), nonce)
        if about.msg_type in ("file", "video"):
            return _sealed(robot, stream_body(StreamIds.finished(), _unsupported(db, about), True), nonce)
        msg = to_incoming(message, about)
        job = partial(_handle, db, robot.media, msg, about, settings, signed_pair(CHANNEL, ts, nonce, body))
        pending_id = robot.ids.pending(time.time())
        reply = run_within(job, robot.wait, partial(finish_late, db, pending_id))
    except Rejected as exc:
        return refuse(CHANNEL, exc)
    if reply is None:  # still working: WeCom refreshes the stream until the reply is stored
        if msg.msg_type == "event":
            return Response("", mimetype="text/plain")
        return _sealed(robot, stream_body(pending_id, WORKING, False), nonce)
    if not reply.text:
        return Response("", mimetype="text/plain")  # "直接回复空包": nothing to say
    if msg.msg_type == "event":  # plain text is allowed only as the enter_chat welcome
        if msg.event != "enter_chat":
            return Response("", mimetype="text/plain")
        return _sealed(robot, text_body(reply.text), nonce)
    return _sealed(robot, stream_body(StreamIds.finished(), reply.text, True), nonce)


def _handle(
    db: Database, media: MediaClient, msg: Incoming, about: RobotMessage, settings: Settings, pair: SignedPair
) -> Reply:
    """The work behind one message, in the reply thread: a picture's download, then the pipeline."""
    if msg.msg_type == "image":
        return _photo(db, media, msg, about, settings, pair)
    reply = process(db, msg, settings.tz, pair)
    if about.mixed_images and reply.text and reply.text != UNKNOWN_SENDER:
        return Reply(f"{reply.text}\n{MIXED_IMAGES}")
    return reply


def _photo(
    db: Database, media: MediaClient, msg: Incoming, about: RobotMessage, settings: Settings, pair: SignedPair
) -> Reply:
    """A single chat's picture: downloaded and decrypted for a known member's new message only (a stranger
    and a repeated msgid are answered by the pipeline alone), then attached like any photo."""
    with db.readers() as session:
        fresh = (
            active_member(session, msg.userid) is not None
            and inbound.find(session, CHANNEL, msg.msg_key) is None
        )
    if not fresh:
        return process(db, msg, settings.tz, pair)
    try:
        picture = media.fetch_image(about.image_url)
    except MediaError as exc:
        log.warning("aibot picture %s from %s not received: %s", msg.msg_key, msg.userid, exc)
        return Reply(PHOTO_FAILED)
    return process(db, replace(msg, media_id=picture.media_id), settings.tz, pair, keep=picture.keep)


def _unsupported(db: Database, about: RobotMessage) -> str:
    """Files and videos: their content cannot be used here; nothing is stored either way."""
    with db.readers() as session:
        return UNSUPPORTED if active_member(session, about.userid) is not None else UNKNOWN_SENDER


def _sealed(robot: Robot, reply: dict, nonce: str) -> Response:
    envelope = robot.crypto.seal(reply, nonce, str(int(time.time())))
    return Response(json.dumps(envelope, ensure_ascii=False), mimetype="application/json")
