"""Stream replies: finished at once when the reply is ready within the wait, else finished by a refresh.

A message is worked on in a thread; the callback waits up to WECOM_AIBOT_REPLY_WAIT seconds. Ready by then:
the stream is answered finished. Not ready: the callback answers an unfinished stream under a *pending id*
and the thread, when done, writes the reply to the database (storage.aibot), where the refresh that asks
for it finds it on whichever worker WeCom reaches. A pending id carries its own issue time and a MAC, so
any worker tells "still being worked on" (ours, young, no reply yet) from "unknown" without a row per
message and without any worker's memory; a stream nobody finished within STREAM_LIFETIME is closed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError

from bot.callback_crypto import Rejected
from bot.pipeline import APOLOGY
from handlers.types import Reply
from storage.aibot import finish_stream, finished_stream
from storage.db import Database

log = logging.getLogger(__name__)

WORKING = "正在处理，请稍候…"
GAVE_UP = "这条消息处理超时，没有得到结果。请稍后重新发送。"
DB_DOWN = "数据库暂时不可用，这条消息没有处理。请稍后重新发送。"
STREAM_LIFETIME = 330  # seconds: WeCom asks for a stream for up to 6 minutes after the user's message
_ISSUED, _NONCE, _MAC = 10, 16, 16  # digits of the issue time, hex digits of randomness and of the MAC


class StreamIds:
    """Pending ids: issue time + random + MAC (keyed by the robot's AES key), all [0-9a-f]."""

    def __init__(self, key: bytes) -> None:
        self.key = hashlib.sha256(b"tougao aibot stream ids\n" + key).digest()

    def pending(self, now: float) -> str:
        head = f"{int(now):0{_ISSUED}d}{secrets.token_hex(_NONCE // 2)}"
        return head + self._mac(head)

    @staticmethod
    def finished() -> str:
        """An id for a stream finished in its first answer: not a pending id, so a refresh closes it."""
        return "f" + secrets.token_hex(20)

    def issued_at(self, stream_id: str) -> int | None:
        """When a pending id of ours was issued; None for anything else."""
        head, mac = stream_id[: _ISSUED + _NONCE], stream_id[_ISSUED + _NONCE :]
        well_formed = stream_id.isascii() and len(stream_id) == _ISSUED + _NONCE + _MAC
        if not well_formed or not head[:_ISSUED].isdigit():
            return None
        return int(head[:_ISSUED]) if hmac.compare_digest(mac, self._mac(head)) else None

    def _mac(self, head: str) -> str:
        return hmac.new(self.key, head.encode(), hashlib.sha256).hexdigest()[:_MAC]


def run_within(
    job: Callable[[], Reply], seconds: float, late: Callable[[Reply | None, Exception | None], None]
):
    """`job()`'s reply if it is ready within `seconds` (its exception raised here); else None, and `late`
    gets the reply or the exception when the job ends. The thread is not a daemon: a worker that is told
    to stop finishes the replies it owes first."""
    done, lock = threading.Event(), threading.Lock()
    box: dict = {"late": False}

    def run() -> None:
        try:
            box["reply"] = job()
        except Exception as exc:
            box["error"] = exc
        with lock:
            done.set()
            owed = box["late"]
        if owed:
            late(box.get("reply"), box.get("error"))

    threading.Thread(target=run, name="aibot-reply").start()
    done.wait(seconds)
    with lock:
        if not done.is_set():
            box["late"] = True
            return None
    if "error" in box:
        raise box["error"]
    return box["reply"]


def finish_late(db: Database, stream_id: str, reply: Reply | None, error: Exception | None) -> None:
    """Write a reply that came after the callback was answered, for the next refresh."""
    if isinstance(error, Rejected):
        content = ""  # a replayed callback: nothing to say
    elif isinstance(error, DBAPIError):
        content = DB_DOWN
    elif error is not None:
        log.error("aibot reply failed after its callback was answered", exc_info=error)
        content = APOLOGY
    else:
        content = reply.text if reply else ""
    try:
        with db.sessions() as session, session.begin():
            finish_stream(session, stream_id, content, datetime.now(UTC))
    except DBAPIError:
        log.error("aibot stream %s: the late reply could not be stored; the refresh will give up", stream_id)


def refreshed(db: Database, ids: StreamIds, stream_id: str, now: float) -> tuple[str, bool]:
    """(content, finish) for a refresh: the late reply when it is stored; still working while a pending
    id of ours is young; closed (finish, nothing to say) for anything unknown or already finished."""
    with db.readers() as session:
        content = finished_stream(session, stream_id)
    if content is not None:
        return content, True
    issued = ids.issued_at(stream_id)
    if issued is None:
        return "", True
    if not -60 <= now - issued <= STREAM_LIFETIME:
        return GAVE_UP, True
    return WORKING, False
