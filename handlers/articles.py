"""上稿: record a published article from a one-line report, a form, or a shared link."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.parsing import ParseError
from handlers.parsing.article import ARTICLE_EXAMPLE, ArticleDraft, parse_article
from handlers.parsing.dates import check_reasonable, parse_date
from handlers.parsing.periods import month
from handlers.parsing.text import normalise, split_keyword
from handlers.parsing.urls import URL_RE, canonical_url, host_matches
from handlers.registry import Command
from handlers.types import Ctx, Incoming, Reply
from storage import articles as store
from storage.models import Article, Outlet
from storage.org import active_outlets, outlet_by_name, outlet_names
from storage.rankings import unit_totals
from storage.scoring import load_rules

KEYWORDS = ("上稿", "投稿", "报稿", "登记上稿")
MAX_TITLE = 300


def match_text(msg: Incoming, ctx: Ctx) -> ArticleDraft | None:
    if msg.msg_type != "text":
        return None
    text = normalise(msg.content)
    body = split_keyword(text, KEYWORDS)
    if body is None:
        if URL_RE.fullmatch(text):
            raise ParseError("收到链接，但缺少标题。请在链接前写上标题", ARTICLE_EXAMPLE)
        return None
    return parse_article(body, outlet_names(_outlets(ctx)))


def match_link(msg: Incoming, ctx: Ctx) -> ArticleDraft | None:
    if msg.msg_type != "link":
        return None
    title = normalise(msg.title).replace("\n", " ")
    if not title or not msg.url:
        raise ParseError("这条链接没有标题或网址，请改用文字上稿", ARTICLE_EXAMPLE)
    return ArticleDraft(title=title, url=msg.url.strip())


def submit(ctx: Ctx, draft: ArticleDraft) -> Reply:
    """上稿 标题 链接 [媒体] [日期]：登记已刊发的稿件（媒体可由链接识别，日期默认今天）"""
    if len(draft.title) > MAX_TITLE:
        raise ParseError(f"标题太长（{len(draft.title)}字），请控制在{MAX_TITLE}字以内", ARTICLE_EXAMPLE)
    outlet = _resolve_outlet(ctx, draft)
    published_on = parse_date(draft.date, ctx.today) if draft.date else ctx.today
    check_reasonable(published_on, ctx.today)
    canonical = canonical_url(draft.url) if draft.url else None
    earlier = (
        store.counted_by_url(ctx.session, canonical)
        if canonical
        else store.counted_same_story(ctx.session, draft.title, outlet.id, published_on)
    )
    if earlier:
        return Reply(_duplicate_text(earlier))
    rules = load_rules(ctx.session)
    article = store.add_article(
        ctx.session,
        member=ctx.member,
        outlet=outlet,
        title=draft.title,
        url=draft.url,
        canonical=canonical,
        published_on=published_on,
        score=rules.score(outlet.weight, draft.placement, None),
        placement=draft.placement,
        factor=rules.factor(draft.placement),
        late=store.bulletin_sent(ctx.session, published_on.year, published_on.month),
        inbound_id=ctx.extras.get("inbound_id"),
    )
    return Reply(_recorded_text(article, ctx.session, rules.same_story == "highest"))


def _resolve_outlet(ctx: Ctx, draft: ArticleDraft) -> Outlet:
    outlets = _outlets(ctx)
    if draft.outlet:
        outlet = outlet_by_name(outlets, draft.outlet)
        if outlet is None:
            known = "、".join(o.name for o in outlets)
            raise ParseError(f"不认识媒体「{draft.outlet}」。可选：{known}", ARTICLE_EXAMPLE)
        return outlet
    for outlet in outlets:
        if draft.url and any(host_matches(draft.url, d) for d in outlet.domains):
            return outlet
    raise ParseError("从链接认不出是哪家媒体，请在标题后写上媒体名称", ARTICLE_EXAMPLE)


def _duplicate_text(earlier: Article) -> str:
    return (
        f"这篇稿件已由{earlier.unit.name}{earlier.member.name}登记过"
        f"（第{earlier.no}号，{earlier.published_on:%Y-%m-%d}，{earlier.outlet.name}），不重复计数。"
    )


def _outlets(ctx: Ctx) -> list[Outlet]:
    """The active outlets, loaded once per message (the matcher and the handler both need them)."""
    if "outlets" not in ctx.extras:
        ctx.extras["outlets"] = active_outlets(ctx.session)
    return ctx.extras["outlets"]


def _recorded_text(article: Article, session: Session, highest: bool) -> str:
    day = article.published_on
    period = month(day.year, day.month)
    count, _score = unit_totals(session, article.unit_id, period.start, period.end, highest)
    lines = [
        f"已登记上稿（第{article.no}号）",
        f"标题：{article.title}",
        f"媒体：{article.outlet.name}（{article.outlet.level}）"
        + (f"，{article.placement}" if article.placement else ""),
        f"日期：{day:%Y-%m-%d}，积分{article.score:g}",
        f"单位：{article.unit.name}",
    ]
    if article.late:
        lines.append(f"（补报：{period.label}通报已发出，本篇计入{period.label}，并在下期通报中列为补报）")
    lines.append(f"{article.unit.name}{period.label}已上稿{count}篇。输错了可发「撤回 {article.no}」。")
    return "\n".join(lines)


TEXT_COMMAND = Command("上稿", match_text, submit, example=ARTICLE_EXAMPLE)
LINK_COMMAND = Command("转发链接", match_link, submit)
