"""媒体: the outlets and the WeChat official accounts known for each — from the org file, learned from
publicists' answers, or set here: `媒体 列表`, `媒体 公众号 <__biz> <媒体>` (admins; audited)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.article_drafts import names, outlets
from handlers.command import Command, asked, keyword_body
from handlers.parsing import ParseError
from handlers.parsing.outlets import match_outlet
from handlers.types import Ctx, Incoming, Reply
from storage import audit, wechat_accounts
from storage.org import outlet_by_name

EXAMPLE = "媒体 列表、媒体 公众号 MzA5NzE2MDQ0Mg== 街道公众号"
SOURCES = {"org": "组织文件", "learned": "宣传员回答", "admin": "管理员设置"}
_BIZ = re.compile(r"^[A-Za-z0-9+/=_-]{8,64}$")
_LIST = re.compile(
    r"(?:哪些|什么|有几个|多少个?|所有|全部)(?:的)?媒体|媒体(?:列表|清单|有哪些|都有)|公众号(?:列表|对应)"
)


@dataclass(frozen=True)
class OutletArgs:
    action: str  # list | account
    biz: str = ""
    outlet: str = ""


def match(msg: Incoming, ctx: Ctx) -> OutletArgs | None:
    """`媒体 列表`, `媒体 公众号 <__biz> <媒体>`, or a question: `现在都配置了哪些媒体`."""
    rest = keyword_body(msg, ("媒体", "媒体管理"))
    if rest is None:
        return OutletArgs("list") if asked(msg, _LIST) else None
    words = rest.split()
    if not words or words[0] in ("列表", "查看", "清单"):
        return OutletArgs("list")
    if words[0] in ("公众号", "账号") and len(words) >= 3:
        biz = words[1].split("__biz=")[-1].split("&")[0]
        if not _BIZ.match(biz):
            raise ParseError(f"「{words[1]}」不像公众号的 __biz（文章链接里 __biz= 后面那一段）", EXAMPLE)
        return OutletArgs("account", biz, " ".join(words[2:]))
    raise ParseError("媒体命令可用：列表、公众号 <__biz> <媒体>", EXAMPLE)


def manage(ctx: Ctx, args: OutletArgs) -> Reply:
    """媒体 列表 | 媒体 公众号 <__biz> <媒体>：查看媒体和公众号对应关系，或更正某公众号属于哪家媒体（管理员）"""
    return _list(ctx) if args.action == "list" else _set_account(ctx, args)


def _list(ctx: Ctx) -> Reply:
    by_outlet: dict[int, list[str]] = {}
    for account in wechat_accounts.accounts(ctx.session):
        who = f"，{account.member.name}" if account.member else ""
        by_outlet.setdefault(account.outlet_id, []).append(f"{account.biz}（{SOURCES[account.source]}{who}）")
    lines = ["媒体（级别，积分；识别的链接域名；公众号）："]
    for outlet in outlets(ctx):
        domains = "、".join(outlet.domains) or "无"
        accounts = "；".join(by_outlet.get(outlet.id, [])) or "无"
        lines.append(
            f"• {outlet.name}（{outlet.level}，{outlet.weight:g}分）域名：{domains}；公众号：{accounts}"
        )
    lines.append("更正公众号：媒体 公众号 <__biz> <媒体名称>")
    return Reply("\n".join(lines))


def _set_account(ctx: Ctx, args: OutletArgs) -> Reply:
    name = match_outlet(args.outlet, names(ctx))
    outlet = outlet_by_name(outlets(ctx), name) if name else None
    if outlet is None:
        raise ParseError(
            f"不认识媒体「{args.outlet}」。可选：{'、'.join(o.name for o in outlets(ctx))}", EXAMPLE
        )
    before = wechat_accounts.outlet_for(ctx.session, args.biz)
    wechat_accounts.remember(ctx.session, args.biz, outlet, "admin", ctx.member)
    audit.record(
        ctx.session,
        ctx.member,
        "wechat_account",
        f"{args.biz} {before.name if before else '-'} → {outlet.name}",
    )
    was = f"（原为{before.name}）" if before and before.id != outlet.id else ""
    return Reply(
        f"已设置：公众号 {args.biz} 的文章计为{outlet.name}{was}。已登记的稿件不变，可用「修改」更正。"
    )


COMMAND = Command("媒体", match, manage, example=EXAMPLE, roles=("admin",))
