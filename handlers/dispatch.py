"""Dispatch: the pending question first, then the commands in order (roles checked before parsing errors),
then a short answer that says what was understood."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.command import Command
from handlers.conversation import consult
from handlers.fallback import fallback
from handlers.parsing import ParseError
from handlers.registry import commands
from handlers.roles import ROLE_NAMES
from handlers.types import Ctx, Incoming, Reply

UNKNOWN_SENDER = "您还不是投稿通的登记成员，请联系街道宣传办管理员添加后再使用。"
NOT_ALLOWED = "「{name}」仅限{roles}使用。"


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    handler: str


def dispatch(ctx: Ctx, msg: Incoming) -> Outcome:
    """Route a known member's message: an answer to the pending question, else the first command that
    claims it, else the fallback. Notes (a dropped question) are appended to the reply."""
    answered = consult(ctx, msg, lambda: _claimed_by_command(ctx, msg))
    outcome = Outcome(answered[0], answered[1]) if answered else _route(ctx, msg)
    notes = ctx.extras.get("notes")
    if notes and outcome.reply.text:
        return Outcome(Reply(outcome.reply.text + "\n" + "\n".join(notes)), outcome.handler)
    return outcome


def _route(ctx: Ctx, msg: Incoming) -> Outcome:
    for command in commands():
        try:
            args = command.match(msg, ctx)
        except ParseError as exc:
            return _refused(ctx, command) or Outcome(Reply(exc.reply_text()), command.name)
        if args is None:
            continue
        refused = _refused(ctx, command)
        if refused:
            return refused
        try:
            return Outcome(command.run(ctx, args), command.name)
        except ParseError as exc:
            # Handlers validate before they write, so a parse failure has stored nothing.
            return Outcome(Reply(exc.reply_text()), command.name)
    return Outcome(fallback(ctx, msg), "fallback")


def _refused(ctx: Ctx, command: Command) -> Outcome | None:
    """Roles come before parsing: a publicist sending an admin command hears it is admin-only."""
    if ctx.member.role in command.roles:
        return None
    roles = "、".join(ROLE_NAMES[r] for r in command.roles)
    return Outcome(Reply(NOT_ALLOWED.format(name=command.name, roles=roles)), command.name)


def _claimed_by_command(ctx: Ctx, msg: Incoming) -> bool:
    """Does a command of its own (a keyword, a question) claim this message? Then it is not an answer."""
    for command in commands():
        if not command.before_answers:
            continue
        try:
            if command.match(msg, ctx) is not None:
                return True
        except ParseError:
            return True
    return False
