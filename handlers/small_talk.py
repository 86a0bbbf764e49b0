"""问候 and a stray 取消: greetings and thanks get a short friendly answer, not 没听懂."""

from __future__ import annotations

import re

from handlers.command import Command
from handlers.parsing.text import is_emoji, normalise
from handlers.questions import CANCEL
from handlers.types import Ctx, Incoming, Reply

_GREETING = re.compile(
    r"(?:大家|各位|老师|领导)?(?:新年快乐|元旦快乐|节日快乐|春节快乐|圣诞快乐|周末愉快|你好|您好|早上好|上午好|下午好|晚上好|早安|hi|hello|在吗|在不在|在么|有人吗|谢谢|多谢|感谢|谢啦|谢了|"
    r"收到|好的|好滴|好|嗯|嗯嗯|哦|ok|OK|明白|明白了|知道了|辛苦了?|麻烦了?|没事了|打扰了|哈+)"
    r"[,，!！。.~～\s]*(?:老师|领导|哈|啦|呀|啊|哦|了|您|小助手|投稿通|机器人)?[,，!！。.~～\s]*",
    re.IGNORECASE,
)
_EMOJI_ONLY = re.compile(r"^[\W_]*$")


def match(msg: Incoming, ctx: Ctx) -> bool | None:
    if msg.msg_type != "text":
        return None
    text = normalise(msg.content)
    text = re.sub(r"^@\S+\s+", "", text)
    text = "".join(ch for ch in text if not is_emoji(ch)).strip()
    if _EMOJI_ONLY.match(text) or re.fullmatch(f"(?:{_GREETING.pattern})+", text, re.IGNORECASE):
        return True
    return None


def greet(ctx: Ctx, _args: object) -> Reply:
    """（问候）"""
    return Reply(f"{ctx.member.name}您好，我是投稿通。报上稿或活动直接发给我即可，发「帮助」看用法。")


def match_cancel(msg: Incoming, ctx: Ctx) -> bool | None:
    return True if msg.msg_type == "text" and normalise(msg.content) in CANCEL else None


def nothing_to_cancel(ctx: Ctx, _args: object) -> Reply:
    """（取消）"""
    return Reply("现在没有待补充的记录，不需要取消。要撤回已登记的，请发「撤回 编号」。")


GREETING = Command("问候", match, greet)
CANCEL_COMMAND = Command("取消", match_cancel, nothing_to_cancel)
