"""The message pipeline every channel shares: de-duplicate, log, dispatch, commit, then reply."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from bot.rejected import Rejected
from handlers.command import Command
from handlers.dispatch import UNKNOWN_SENDER, Refused, dispatch, read_ahead
from handlers.parsing.text import strip_controls
from handlers.types import Ctx, Incoming, Reply
from storage import inbound
from storage.db import Database
from storage.members import learn_channel
from storage.org import active_member
from storage.org_cache import offline_session
from storage.shared_state import accept_nonce

log = logging.getLogger(__name__)

APOLOGY = "抱歉，处理这条消息时出错了，已记录。请稍后再试，或联系管理员。"
OUT_OF_RANGE = (
    "这条消息里有内容超出长度或数值范围，没有保存。请改短后重发："
    "标题最多300字，链接最多1000字，地点最多200字，姓名最多50字，账号最多64个字符，编号和人数不能过大。"
)
# Bad input, not an outage: PostgreSQL refuses a value too long for its column or too big for its integer
# (DataError), SQLite an integer past 64 bits (OverflowError, raised by its driver unwrapped).
BAD_INPUT = (DataError, OverflowError)


class HandlerCrashed(Exception):
    """A handler raised something other than a parse error (a bug); the transaction was rolled back."""


@dataclass(frozen=True)
class SignedPair:
    """A callback's signed (timestamp, nonce), hashed, and the digest of the body it came with: the pair
    is good for that body only (see bot.channel.signed_pair)."""

    key: str
    digest: str


class Replayed(Rejected):
    """The pair came before with another body: a forged or replayed callback."""

    def __init__(self) -> None:
        super().__init__(403, "timestamp and nonce already used for another message")


# A channel's last word in the message's transaction, after the handler ran (the robot keeps a downloaded
# photo's content when a record kept the photo).
Keep = Callable[[Session], object]


def process(
    db: Database, msg: Incoming, tz: ZoneInfo, pair: SignedPair | None = None, keep: Keep | None = None
) -> Reply:
    """Handle one message exactly once; the reply is returned only after its data is committed.

    A callback's signed pair is recorded in the same transaction (one write, not two, on SQLite's single
    lock); the same pair with another body raises Replayed, which channels answer with 403.

    A message key seen before gets the stored reply again. A unique-constraint race with a concurrent
    twin (same message, or the same article from two people) is retried once in a fresh transaction,
    which then sees the winner's row. Database faults propagate: channels answer 503 so WeCom retries;
    a value the database refuses as too long or too large is bad input and gets a reply instead.
    Each message leaves one log line: channel, message id, user, handler, outcome, milliseconds (never
    the message text).
    """
    started = time.perf_counter()
    msg = replace(
        msg, content=strip_controls(msg.content), title=strip_controls(msg.title), url=strip_controls(msg.url)
    )
    trace = {"handler": "-", "outcome": "error"}
    if db.one_writer:
        _read_ahead(db, msg, tz)
    try:
        reply = _with_retry(db, msg, tz, trace, pair, keep)
    except Replayed:
        trace["outcome"] = "replayed"
        raise
    except BAD_INPUT:
        # Nothing was stored (the transaction rolled back). Answering 503 would make WeCom retry the same
        # message for ever and the user would never hear why.
        trace["outcome"] = "out_of_range"
        log.warning("message %s/%s: a value is out of the database's range", msg.channel, msg.msg_key)
        _accept_alone(db, pair)
        return Reply(OUT_OF_RANGE)
    except DBAPIError:
        trace["outcome"] = "db_unavailable"
        raise
    finally:
        _log_line(msg, trace, started)
    return reply


def _with_retry(
    db: Database, msg: Incoming, tz: ZoneInfo, trace: dict, pair: SignedPair | None, keep: Keep | None
) -> Reply:
    """A unique-constraint race is tried again once; a command's refusal (bad input found after it may have
    written) is rolled back and the message handled again with the refusal's reply (one per command, so
    this ends)."""
    races, refused = 0, {}
    while True:
        try:
            return _process_once(db, msg, tz, trace, pair, keep, refused)
        except HandlerCrashed:
            trace["outcome"] = "handler_error"
            _accept_alone(db, pair)
            return Reply(APOLOGY)
        except Refused as exc:
            if exc.command in refused:  # cannot happen: a refusal known is answered without running
                log.error("%s refused %s/%s twice", exc.command.name, msg.channel, msg.msg_key)
                trace["outcome"] = "handler_error"
                _accept_alone(db, pair)
                return Reply(APOLOGY)
            refused[exc.command] = exc.reply
            # The pair was rolled back with the rest: take it now, so no other body can meanwhile.
            _accept_alone(db, pair)
            pair = None
        except IntegrityError:
            races += 1
            if races == 2:
                raise
            log.info("integrity race on %s/%s, retrying", msg.channel, msg.msg_key)


def _read_ahead(db: Database, msg: Incoming, tz: ZoneInfo) -> None:
    """Parse the message before its write transaction, on this process's copy of the organisation and no
    database (org_cache.offline_session): SQLite has one writer at a time, and the parse then costs the
    others nothing (handlers/ahead.py). Only a head start: a message whose reading needs a query stops
    here, and any fault is met again, and handled, in the transaction."""
    session = offline_session(db.engine)
    if session is None:
        return
    try:
        member = active_member(session, msg.userid)
        if member is not None:
            read_ahead(Ctx(session=session, member=member, now=datetime.now(tz)), msg)
    except Exception:
        log.debug("reading %s/%s ahead failed", msg.channel, msg.msg_key, exc_info=True)


def _process_once(
    db: Database,
    msg: Incoming,
    tz: ZoneInfo,
    trace: dict,
    pair: SignedPair | None,
    keep: Keep | None,
    refused: dict[Command, Reply],
) -> Reply:
    with db.sessions() as session, session.begin():
        _accept(session, pair)
        member = active_member(session, msg.userid)  # from this process's copy of the organisation
        logged = None
        if member is not None:
            logged = inbound.claim(
                session,
                channel=msg.channel,
                msg_key=msg.msg_key,
                userid=msg.userid,
                msg_type=msg.msg_type,
                content=msg.content or msg.url,
            )
        if logged is None:
            # A repeat is answered as the first time was, even if its sender has left since.
            seen = inbound.find(session, msg.channel, msg.msg_key)
            if seen is None and member is None:
                trace["outcome"] = "unknown_sender"
                return Reply(UNKNOWN_SENDER)  # nothing of an unknown sender is stored
            trace.update(handler=seen.handler or "-", outcome="repeat")
            return Reply(seen.reply or "")
        if msg.push_channel is not None:
            learn_channel(session, member, msg.push_channel)  # pushes reach them where they write
        ctx = Ctx(session=session, member=member, now=datetime.now(tz), extras={"inbound_id": logged})
        try:
            outcome = dispatch(ctx, msg, refused)
        except (DBAPIError, Refused, *BAD_INPUT):
            raise
        except Exception as exc:
            # The one error hook: log with context; leaving the block rolls the transaction back.
            log.exception("handler failed for %s/%s user=%s", msg.channel, msg.msg_key, msg.userid)
            raise HandlerCrashed(str(exc)) from exc
        inbound.answer(session, logged, outcome.handler, outcome.reply.text)
        if keep is not None:
            keep(session)
    trace.update(handler=outcome.handler, outcome="handled")
    return outcome.reply


def _accept(session, pair: SignedPair | None) -> None:
    if pair is not None and not accept_nonce(session, pair.key, pair.digest, datetime.now(UTC)):
        raise Replayed


def _accept_alone(db: Database, pair: SignedPair | None) -> None:
    """Record the pair by itself when the message's own transaction rolled back (a crash, bad input),
    so the pair is used up all the same."""
    if pair is not None:
        with db.sessions() as session, session.begin():
            _accept(session, pair)


def _log_line(msg: Incoming, trace: dict, started: float) -> None:
    ms = (time.perf_counter() - started) * 1000
    log.info(
        "message channel=%s msg=%s user=%s type=%s handler=%s outcome=%s ms=%.1f",
        msg.channel,
        msg.msg_key,
        msg.userid,
        msg.msg_type,
        trace["handler"],
        trace["outcome"],
        ms,
    )
