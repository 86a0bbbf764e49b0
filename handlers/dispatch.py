"""Dispatch: find the sender, try the commands in order, and answer unknown senders and fallbacks."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.help import help_text
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
    """Route a known member's message to the first command that claims it."""
    for command in commands():
        try:
            args = command.match(msg, ctx)
            if args is None:
                continue
            if ctx.member.role not in command.roles:
                return Outcome(Reply(_not_allowed(command.name, command.roles)), command.name)
            return Outcome(command.run(ctx, args), command.name)
        except ParseError as exc:
            # Handlers validate before they write, so a parse failure has stored nothing.
            return Outcome(Reply(exc.reply_text()), command.name)
    return Outcome(_fallback(ctx, msg), "fallback")


def _not_allowed(name: str, roles: tuple[str, ...]) -> str:
    return NOT_ALLOWED.format(name=name, roles="、".join(ROLE_NAMES[r] for r in roles))


def _fallback(ctx: Ctx, msg: Incoming) -> Reply:
    if msg.msg_type == "event":
        return Reply("")
    if msg.msg_type != "text":
        return Reply("暂时只能识别文字和链接消息。\n\n" + help_text(ctx.member.role))
    return Reply("没听懂这句话。\n\n" + help_text(ctx.member.role))
