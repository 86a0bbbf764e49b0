"""帮助: the commands the sender's role may use, each with an example, and a few plain-words examples."""

from __future__ import annotations

import re

from handlers.command import Command, asked
from handlers.parsing.text import clean
from handlers.types import Ctx, Incoming, Reply

KEYWORDS = {"帮助", "help", "?", "？", "菜单", "使用说明", "说明", "用法", "功能"}
_ASKED = re.compile(
    r"怎么用|怎么报|如何使用|如何报|怎么登记|使用说明|帮助|能做什么|会什么|不会用|教程|有什么功能|怎么操作|"
    r"能干啥|能做啥|干什么用|有啥功能|能干什么|怎么弄|咋用|咋报|什么格式|啥格式|格式|怎么发|如何报送|怎么报送"
)
NATURAL_EXAMPLES = (
    "平时怎么说都行，例如：\n"
    "  今天学习强国发了我们社区的稿子《……》 链接https://…\n"
    "  11月25日，社区在广场开展“邻里守望”志愿服务活动，60余名居民参加\n"
    "  这个月排名怎么样、我们社区还差几篇\n"
    "  刚才那条日期写错了，是11月25日"
)


def match(msg: Incoming, ctx: Ctx) -> bool | None:
    if msg.msg_type != "text":
        return None
    return True if clean(msg.content).lower() in KEYWORDS or asked(msg, _ASKED) else None


def show_help(ctx: Ctx, _args: object) -> Reply:
    """帮助：列出可用的命令和例子"""
    return Reply(help_text(ctx.member.role))


def help_text(role: str) -> str:
    from handlers.registry import commands

    lines = ["投稿通可用命令："]
    for command in commands():
        if role in command.roles and command.example:
            lines.append(f"• {command.help}\n  例：{command.example}")
    lines.append("也可以直接转发已刊发文章的链接，自动登记上稿；一条消息可以报多篇。")
    lines.append(NATURAL_EXAMPLES)
    return "\n".join(lines)


COMMAND = Command("帮助", match, show_help)
