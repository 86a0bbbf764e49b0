"""From an ArticleDraft to a stored 上稿, or to the one question that is still open.

The outlet comes from the name the publicist wrote, the link's domain, or — for WeChat articles, which all
share mp.weixin.qq.com — the account (`__biz`) of the link. Nothing is filled in by guessing: a missing
title, an outlet we cannot tell, a vague or doubtful date each become a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from handlers.parsing import ParseError
from handlers.parsing.article import ARTICLE_EXAMPLE, ArticleDraft
from handlers.parsing.outlets import find_outlets, match_outlet, outlet_table, unknown_outlet
from handlers.parsing.titles import clean_title
from handlers.parsing.urls import URL_RE, canonical_url, host_matches, is_wechat, url_problem, wechat_biz
from handlers.questions import (
    CANCEL,
    COMMAND_FIRST,
    NO,
    YES,
    Question,
    answer_date,
    date_question,
    pick_option,
    title_answer,
    too_long,
)
from handlers.types import Ctx
from storage import wechat_accounts
from storage.org import active_outlets, org_value, outlet_by_name
from storage.org_cache import OrgSnapshot, OutletInfo

MAX_TITLE = 300


@dataclass(frozen=True)
class ReadyArticle:
    draft: ArticleDraft
    outlet: OutletInfo
    published_on: date
    canonical: str | None


def outlets(ctx: Ctx) -> list[OutletInfo]:
    """The active outlets (from the cached organisation), looked up once per message."""
    if "outlets" not in ctx.extras:
        ctx.extras["outlets"] = active_outlets(ctx.session)
    return ctx.extras["outlets"]


def names(ctx: Ctx) -> dict[str, str]:
    """Every outlet name and alias → the outlet's name (worked out once per change of the outlets)."""
    if "outlet_names" not in ctx.extras:
        ctx.extras["outlet_names"] = org_value(ctx.session, "outlet_names", _outlet_names)
    return ctx.extras["outlet_names"]


def _outlet_names(org: OrgSnapshot) -> dict[str, str]:
    return outlet_table([(o.name, list(o.aliases)) for o in org.active_outlets])


def resolve(ctx: Ctx, draft: ArticleDraft) -> ReadyArticle | Question:
    """The article ready to store, or the first question that must be answered before it can be."""
    if not draft.title:
        return Question("title", "这篇稿件的标题是什么？请直接回复标题。")
    too_long(draft.title, MAX_TITLE, "标题", ARTICLE_EXAMPLE)
    if draft.url and (problem := url_problem(draft.url)):
        raise ParseError(problem, ARTICLE_EXAMPLE)
    outlet = _outlet(ctx, draft)
    if isinstance(outlet, Question):
        return outlet
    day = date.fromisoformat(draft.day) if draft.day else ctx.today
    question = date_question(
        day=day,
        token=draft.day_token,
        has_year=draft.day_has_year,
        vague=draft.day_vague,
        unclear=draft.day_unclear,
        late=draft.late,
        confirmed="date" in draft.confirmed,
        today=ctx.today,
        what="刊发日期",
    )
    if question:
        return question
    return ReadyArticle(draft, outlet, day, canonical_url(draft.url) if draft.url else None)


def _outlet(ctx: Ctx, draft: ArticleDraft) -> OutletInfo | Question:
    named = outlet_by_name(outlets(ctx), draft.outlet) if draft.outlet else None
    linked = outlet_of_link(ctx, draft.url) if draft.url else None
    if named and linked and named.id != linked.id and "outlet" not in draft.confirmed:
        return Question(
            "outlet",
            f"链接是{linked.name}的，消息里写的是{named.name}：这篇算哪个媒体？",
            (linked.name, named.name),
        )
    if named or linked:
        return named or linked
    choices = tuple(o.name for o in outlets(ctx))
    if draft.outlet_named:
        return Question(
            "outlet",
            f"不认识「{draft.outlet_named}」，是以下哪个媒体？回复序号或名称（都不是请联系管理员添加）：",
            choices,
        )
    if draft.url and is_wechat(draft.url):
        return Question("outlet", "这是哪个公众号/媒体发布的？回复序号或名称：", choices)
    return Question("outlet", "这篇稿件是哪个媒体刊发的？回复序号或名称：", choices)


def outlet_of_link(ctx: Ctx, url: str) -> OutletInfo | None:
    if is_wechat(url):
        biz = wechat_biz(url)
        return wechat_accounts.outlet_for(ctx.session, biz) if biz else None
    return next((o for o in outlets(ctx) if any(host_matches(url, d) for d in o.domains)), None)


def apply_answer(ctx: Ctx, draft: ArticleDraft, question: str, text: str, options: list[str]):
    """The draft with the answer filled in, a Question to ask again, or None when `text` is no answer."""
    if URL_RE.search(text) or len(text) > (MAX_TITLE if question == "title" else 40):
        return None
    confirmed = (*draft.confirmed, question if question != "date_confirm" else "date")
    if question == "title":
        title = clean_title(title_answer(text, names(ctx), ctx.today) or "")
        return replace(draft, title=title, confirmed=confirmed) if len(title) >= 2 else None
    if question == "outlet":
        return _outlet_answer(ctx, draft, text, options, confirmed)
    if question in ("date", "date_confirm"):
        return answer_date(draft, question, text, ctx.today, "刊发日期")
    return None


def _outlet_answer(ctx: Ctx, draft: ArticleDraft, text: str, options: list[str], confirmed: tuple):
    word = outlet_word(text)
    if "《" in text or len(word) > 15:
        return None  # a report of its own, not the name of an outlet
    mentions = find_outlets(word, names(ctx))
    if mentions and word.replace(mentions[0].token, "").strip(" 的公众号微信"):
        return None  # 融媒今天也发了一篇: says more than which outlet
    choice = pick_option(text, options) or match_outlet(word, names(ctx))
    if choice:
        outlet = outlet_by_name(outlets(ctx), choice)
        return replace(draft, outlet=outlet.name, outlet_named="", confirmed=confirmed) if outlet else None
    word = outlet_word(text)
    if len(word) <= 15 and (unknown_outlet(word) or _a_name(word)):
        choices = tuple(o.name for o in outlets(ctx))
        return Question(
            "outlet", f"不认识「{word}」，是以下哪个媒体？回复序号或名称（都不是请联系管理员添加）：", choices
        )
    return None


def _a_name(word: str) -> bool:
    """`通辽发布`: a short name given as the answer, though not one we know (asked again, with the choices)."""
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fffA-Za-z·]{2,12}", word))
        and not re.search(r"[吗呢吧啊哈嘛]$|好|谢|收到|知道|稍等|不清楚|不知道|忘|查", word)
        and word not in YES | NO | CANCEL
        and not COMMAND_FIRST.match(word)
    )


_ANSWER_LEAD = re.compile(
    r"^(?:(?:不好意思|抱歉|对不起|(?:我)?(?:写|打|弄|搞|记|说)错了|搞混了|不对|不是)[,，\s]*)*"
    r"(?:(?:第[一二三四五六七八九十\d]{1,2}|这|那|后面那|后一|前一|上一|下一)(?:篇|条|个)(?:稿子|文章)?(?:的)?(?:媒体)?)?"
    r"(?:是|在|应该是|这是|这个是|就是|发在|发布在|刊发在|登在)?"
)


def outlet_word(text: str) -> str:
    """The outlet's name in an answer or a correction: `是通辽日报发的` → 通辽日报."""
    word = _ANSWER_LEAD.sub("", text.strip().strip("。.!！~ "))
    word = re.sub(r"(?:吧|啊|呀|哦|呢)$", "", word)
    bare = re.sub(r"(?:的公众号|公众号|发的|刊发的|发布的|登的|播的|的|上的|上)$", "", word).strip()
    return bare or word  # 公众号 alone is the answer itself


def remember_account(ctx: Ctx, ready: ReadyArticle) -> None:
    """An unknown WeChat account the publicist named when asked: remember it for its next article."""
    biz = wechat_biz(ready.draft.url) if ready.draft.url else None
    if biz and "outlet" in ready.draft.confirmed and wechat_accounts.outlet_for(ctx.session, biz) is None:
        wechat_accounts.remember(ctx.session, biz, ready.outlet, "learned", ctx.member)
