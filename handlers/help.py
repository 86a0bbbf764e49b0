"""帮助: the commands the sender's role may use, each with an example."""

from __future__ import annotations

from handlers.parsing.text import normalise
from handlers.registry import Command
from handlers.types import Ctx, Incoming, Reply

KEYWORDS = {"帮助", "help", "?", "菜单", "使用说明"}


def match(msg: Incoming, ctx: Ctx) -> bool | None:
    if msg.msg_type == "text" and normalise(msg.content).lower() in KEYWORDS:
        return True
    return None


def show_help(ctx: Ctx, _args: object) -> Reply:
    """帮助：列出可用的命令和例子"""
    return Reply(help_text(ctx.member.role))


def help_text(role: str) -> str:
    from handlers.registry import commands

    lines = ["投稿通可用命令："]
    for command in commands():
        if role in command.roles and command.example:
            lines.append(f"• {command.help}\n  例：{command.example}")
    lines.append("也可以直接转发已刊发文章的链接，自动登记上稿。")
    return "\n".join(lines)


COMMAND = Command("帮助", match, show_help)
