"""Dispatch: the pending question first, then the commands in order (roles checked before parsing errors),
then a short answer that says what was understood. A handler's bad-input error undoes what it changed: it is
raised as Refused, the caller rolls the message's transaction back and dispatches again with the reply known
(cheaper than a savepoint around every command, which every message would pay for)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.command import Command
from handlers.conversation import consult
from handlers.fallback import fallback
from handlers.parsing import ParseError
from handlers.registry import commands
from handlers.roles import ROLE_NAMES
from handlers.types import Ctx, Incoming, Reply
from storage import pending

UNKNOWN_SENDER = "您还不是投稿通的登记成员，请联系街道宣传办管理员添加后再使用。"
NOT_ALLOWED = "「{name}」仅限{roles}使用。"


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    handler: str


class Refused(Exception):
    """Command `command` refused the message as bad input (`reply` says why) after it may have written: roll
    the transaction back and dispatch again with {command: reply} in `refused`."""

    def __init__(self, command: Command, reply: Reply) -> None:
        super().__init__(command.name)
        self.command, self.reply = command, reply


def dispatch(ctx: Ctx, msg: Incoming, refused: dict[Command, Reply] | None = None) -> Outcome:
    """Route a known member's message: an answer to the pending question, else the first command that
    claims it, else the fallback. Notes (a dropped question) are appended to the reply. `refused`: the
    replies of commands that refused this message in a transaction rolled back since (see Refused)."""
    answered = _answered(ctx, msg)
    outcome = Outcome(answered[0], answered[1]) if answered else _route(ctx, msg, refused or {})
    notes = ctx.extras.get("notes")
    if notes and outcome.reply.text:
        return Outcome(Reply(outcome.reply.text + "\n" + "\n".join(notes)), outcome.handler)
    return outcome


def _answered(ctx: Ctx, msg: Incoming) -> tuple[Reply, str] | None:
    """The member's pending question answered, cancelled or dropped by this message, in a savepoint of its
    own; None (and nothing opened) when no question waits, as for most messages."""
    row = pending.current(ctx.session, ctx.member.id)
    if row is None:
        return None
    savepoint = ctx.session.begin_nested()
    try:
        answered = consult(ctx, msg, row, lambda: _asks(ctx, msg))
        savepoint.commit()
    except ParseError as exc:  # an answer that cannot be stored (人数太大 …): said, and the question stays
        savepoint.rollback()
        answered = Reply(exc.reply_text() + "\n请重新回复，或回复「取消」。"), "补充"
    return answered


def _route(ctx: Ctx, msg: Incoming, refused: dict[Command, Reply]) -> Outcome:
    for command in commands():
        try:
            args = command.match(msg, ctx)
        except ParseError as exc:
            return _not_allowed(ctx, command) or Outcome(Reply(exc.reply_text()), command.name)
        if args is None:
            continue
        not_allowed = _not_allowed(ctx, command)
        if not_allowed:
            return not_allowed
        if command in refused:  # it refused this message before; what it wrote then was rolled back
            return Outcome(refused[command], command.name)
        try:
            reply = command.run(ctx, args)
        except ParseError as exc:  # whatever the handler changed before it found the problem must go
            raise Refused(command, Reply(exc.reply_text())) from exc
        return Outcome(reply, command.name)
    return Outcome(fallback(ctx, msg), "fallback")


def read_ahead(ctx: Ctx, msg: Incoming) -> None:
    """Match `msg` as _route would and do its command's pure part, writing nothing, so that what the parse
    costs is spent before the write transaction (see handlers/ahead.py). Whatever happens is only a guess:
    dispatch decides again in the transaction."""
    for command in commands():
        try:
            args = command.match(msg, ctx)
        except ParseError:
            return
        if args is not None:
            if command.ahead is not None:
                command.ahead(ctx, args)
            return


QUESTIONS = {"排名", "未报", "通报", "我的", "导出", "帮助", "成员", "媒体"}


def _asks(ctx: Ctx, msg: Incoming) -> bool:
    """Does one of the questions (排名, 通报 …) claim the message? Then it is not an answer."""
    for command in commands():
        if command.name in QUESTIONS:
            try:
                if command.match(msg, ctx) is not None:
                    return True
            except ParseError:
                return True
    return False


def _not_allowed(ctx: Ctx, command: Command) -> Outcome | None:
    """Roles come before parsing: a publicist sending an admin command hears it is admin-only."""
    if ctx.member.role in command.roles:
        return None
    roles = "、".join(ROLE_NAMES[r] for r in command.roles)
    return Outcome(Reply(NOT_ALLOWED.format(name=command.name, roles=roles)), command.name)
