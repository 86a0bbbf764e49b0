"""成员: admins add, remove and list members by chat, and set the channel pushes reach them on (learned from
where they write otherwise); every change is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.command import Command, asked, keyword_body
from handlers.parsing import ParseError
from handlers.roles import ROLE_NAMES, ROLE_WORDS
from handlers.types import Ctx, Incoming, Reply
from storage import audit, members
from storage.channels import Channel, channel_words, member_channel
from storage.org import unit_by_name

KEYWORDS = ("成员",)
_LIST = re.compile(r"成员(?:名单|列表|都有|有哪些)|有哪些成员|哪些人|宣传员名单|人员名单")
ADD_EXAMPLE = "成员 添加 zhangsan 张三 辽河社区 宣传员"
CHANNEL_EXAMPLE = "成员 渠道 zhangsan 公众号"
MAX_USERID, MAX_NAME = 64, 50  # WeCom's limit for a userid; the member table's name column
EXAMPLE = f"{ADD_EXAMPLE}、成员 删除 zhangsan、成员 列表 辽河社区、{CHANNEL_EXAMPLE}"


@dataclass(frozen=True)
class MemberArgs:
    action: str  # add | remove | list | channel
    words: tuple[str, ...]


def match(msg: Incoming, ctx: Ctx) -> MemberArgs | None:
    """`成员 添加 …`, or a question: `看一下成员名单`, `辽河社区有哪些成员`."""
    rest = keyword_body(msg, KEYWORDS)
    if rest is None:
        text = asked(msg, _LIST)
        if text is None:
            return None
        unit = next((w for w in text.replace("的", " ").split() if unit_by_name(ctx.session, w)), None)
        return MemberArgs("list", (unit,) if unit else ())
    verb, *words = rest.split() or ["列表"]
    actions = {
        "添加": "add",
        "增加": "add",
        "新增": "add",
        "修改": "add",
        "删除": "remove",
        "移除": "remove",
        "停用": "remove",
        "列表": "list",
        "查看": "list",
        "渠道": "channel",
    }
    if verb not in actions:
        raise ParseError(f"成员命令不认识「{verb}」（可用：添加、删除、列表、渠道）", EXAMPLE)
    return MemberArgs(actions[verb], tuple(words))


def manage(ctx: Ctx, args: MemberArgs) -> Reply:
    """成员 添加|删除|列表|渠道 …：管理成员（管理员）"""
    actions = {"add": _add, "remove": _remove, "list": _list, "channel": _set_channel}
    return actions[args.action](ctx, args.words)


def _add(ctx: Ctx, words: tuple[str, ...]) -> Reply:
    if len(words) not in (4, 5):
        raise ParseError("添加成员需要：账号 姓名 单位 角色 [渠道：企业微信或公众号]", ADD_EXAMPLE)
    userid, name, unit_name, role_word = words[:4]
    channel = _channel(words[4]) if len(words) == 5 else None
    if len(userid) > MAX_USERID:
        raise ParseError(
            f"账号最多{MAX_USERID}个字符（企业微信的账号或公众号的 openid），现在有{len(userid)}个",
            ADD_EXAMPLE,
        )
    if len(name) > MAX_NAME:
        raise ParseError(f"姓名最多{MAX_NAME}个字，现在有{len(name)}个", ADD_EXAMPLE)
    unit = unit_by_name(ctx.session, unit_name)
    if unit is None:
        raise ParseError(f"没有单位「{unit_name}」", ADD_EXAMPLE)
    role = ROLE_WORDS.get(role_word.lower())
    if role is None:
        raise ParseError(f"不认识角色「{role_word}」（可用：宣传员、领导、管理员）", ADD_EXAMPLE)
    member, created = members.upsert(
        ctx.session, userid=userid, name=name, unit=unit, role=role, channel=channel
    )
    audit.record(
        ctx.session,
        ctx.member,
        "member_add" if created else "member_update",
        f"{userid} {name} {unit.name} {role}" + (f" {channel.value}" if channel else ""),
    )
    verb = "已添加" if created else "已更新"
    via = f"，通过{channel.label}推送" if channel else ""
    return Reply(f"{verb}成员：{member.name}（{userid}），{unit.name}{ROLE_NAMES[role]}{via}。")


def _set_channel(ctx: Ctx, words: tuple[str, ...]) -> Reply:
    if len(words) != 2:
        raise ParseError("设置渠道需要：账号 渠道（企业微信或公众号）", CHANNEL_EXAMPLE)
    member = members.by_userid(ctx.session, words[0])
    if member is None or not member.active:
        return Reply(f"没有在用的成员「{words[0]}」。")
    channel = _channel(words[1])
    member.channel = channel
    audit.record(ctx.session, ctx.member, "member_channel", f"{member.userid} {channel.value}")
    return Reply(f"已设置：提醒、通报和文件通过{channel.label}发给{member.name}（{member.userid}）。")


def _channel(word: str) -> Channel:
    channel = member_channel(word)
    if channel is None:
        raise ParseError(f"不认识渠道「{word}」（可用：{channel_words()}）", CHANNEL_EXAMPLE)
    return channel


def _remove(ctx: Ctx, words: tuple[str, ...]) -> Reply:
    if len(words) != 1:
        raise ParseError("删除成员需要账号", "成员 删除 zhangsan")
    member = members.by_userid(ctx.session, words[0])
    if member is None or not member.active:
        return Reply(f"没有在用的成员「{words[0]}」。")
    if member.id == ctx.member.id:
        return Reply("不能删除自己。")
    member.active = False
    audit.record(ctx.session, ctx.member, "member_remove", f"{member.userid} {member.name}")
    return Reply(f"已停用成员：{member.name}（{member.userid}），其已登记的稿件保留。")


def _list(ctx: Ctx, words: tuple[str, ...]) -> Reply:
    unit = unit_by_name(ctx.session, words[0]) if words else ctx.member.unit
    if unit is None:
        raise ParseError(f"没有单位「{words[0]}」", "成员 列表 辽河社区")
    people = members.under(ctx.session, unit.id)
    if not people:
        return Reply(f"{unit.name}还没有成员。")
    lines = [f"{unit.name}的成员（{len(people)}人）："]
    lines += [f"• {m.unit.name} {m.name}（{m.userid}）{ROLE_NAMES[m.role]}{_via(m.channel)}" for m in people]
    return Reply("\n".join(lines))


COMMAND = Command("成员", match, manage, example=EXAMPLE, roles=("admin",))


def _via(channel: str | None) -> str:
    return f"，{Channel(channel).label}" if channel else ""
