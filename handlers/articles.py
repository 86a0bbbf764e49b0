"""上稿: record published articles — from a keyword line, a form, a pasted table or list, a news-style sentence,
or a forwarded link. Several articles in one message are recorded one by one."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from handlers.activities import read_activities, unit_words
from handlers.ahead import kept
from handlers.article_drafts import names
from handlers.command import Command
from handlers.parsing import ParseError
from handlers.parsing.activity import ActivityDraft
from handlers.parsing.article import ARTICLE_EXAMPLE, FORM_KEYS, ArticleDraft, parse_article
from handlers.parsing.intent import record_kind
from handlers.parsing.outlets import find_outlets, unbracket_outlets
from handlers.parsing.split import mixed_report, split_records
from handlers.parsing.text import as_typed, clean
from handlers.parsing.titles import clean_title
from handlers.parsing.urls import URL_RE
from handlers.recording import as_written, record_all, resolve_all
from handlers.types import Ctx, Incoming, Reply
from storage.activity_types import activity_words

_REPORTER = re.compile(
    r"^([\u4e00-\u9fff]{2,12}?)\s*(?:上稿|投稿|报稿|报送稿件|报一篇|报送一篇稿件)(?:\s*\d+\s*篇)?\s*(?:[:,，\n]|\s)"
)
_BOTH = re.compile(r"\s*(?:上)?(?:都|分别|同时|均|也)")
_JOINED = re.compile(r"\s*(?:和|及|与|、|,|，|跟|还有|以及)?\s*")
_KEYWORD = re.compile(
    r"^(?:【\s*(?:上稿|投稿|稿件|上稿登记)\s*】|登记上稿|上稿登记|(?:上稿|投稿|报稿|报送稿件)(?!通|排名|排行|情况|量|统计|多少))"
    r"(?:\s*\d+\s*篇)?"
)


def match_keyword(msg: Incoming, ctx: Ctx) -> list[ArticleDraft] | None:
    """A text that starts with 上稿 (投稿, 【上稿】 …), or that is only a link."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    if _KEYWORD.match(text) or URL_RE.fullmatch(text):
        return as_written(read_articles(ctx, text), msg.content)
    return None


def match_natural(msg: Incoming, ctx: Ctx) -> list[ArticleDraft | ActivityDraft] | None:
    """A text that reports an article without the keyword (`通辽日报11月24日第2版刊发《…》`), or an activity
    and the article about it (`…开展…活动，50人参加，正北方网也报道了《…》`)."""
    if msg.msg_type != "text":
        return None
    text = clean(msg.content)
    types = activity_words(ctx.session)
    if record_kind(text, names(ctx), types) != "article":
        return None
    both = mixed_report(text)
    if both and record_kind(both[0], names(ctx), types) == "activity":
        done = read_activities(ctx, both[0])
        said = done[0].day if len(done) == 1 else ""
        return as_written([*done, *(_on(d, said) for d in read_articles(ctx, both[1]))], msg.content)
    return as_written(read_articles(ctx, text), msg.content)


def _on(draft: ArticleDraft, day: str) -> ArticleDraft:
    """The article about an activity, dated as the message dates the activity when it says nothing else."""
    return replace(draft, day=day) if day and not draft.day and not draft.day_vague else draft


def match_link(msg: Incoming, ctx: Ctx) -> list[ArticleDraft] | None:
    """A forwarded article (a link message): its title and URL; the outlet comes from the link."""
    if msg.msg_type != "link":
        return None
    title = clean_title(clean(msg.title).replace("\n", " "))
    return [ArticleDraft(title=as_typed(msg.title, title), url=msg.url.strip())]


def read_articles(ctx: Ctx, text: str) -> list[ArticleDraft]:
    """Every article a text reports; what its preamble says fills in what an item leaves out (kept: see
    handlers/ahead.py)."""
    return list(kept(ctx, "articles", text, lambda: tuple(_read_articles(ctx, text))))


def _read_articles(ctx: Ctx, text: str) -> list[ArticleDraft]:
    body = _without_reporter(_KEYWORD.sub("", text, count=1).strip(" :,，\n"), unit_words(ctx))
    body = unbracket_outlets(body, names(ctx))
    if not body:
        raise ParseError("上稿需要标题和链接（或媒体）", ARTICLE_EXAMPLE)
    split = split_records(body, FORM_KEYS, names(ctx))
    shared = parse_article(split.preamble, names(ctx), ctx.today) if split.preamble else ArticleDraft()
    drafts = []
    units = unit_words(ctx)
    for item in split.items:
        draft = _fill(parse_article(item, names(ctx), ctx.today, units), shared)
        if split.carry and drafts:
            draft = _fill(draft, drafts[-1])
        drafts += _each_outlet(ctx, draft, item)
    return drafts


def _without_reporter(text: str, units: set[str]) -> str:
    """`明仁社区上稿：…` / `综治办 上稿 …`: the unit and the keyword say who reports, not the title."""
    m = _REPORTER.match(text)
    return text[m.end() :].lstrip() if m and m[1] in units else text


def _each_outlet(ctx: Ctx, draft: ArticleDraft, text: str) -> list[ArticleDraft]:
    """`《…》昨天强国和融媒都发了`: one story in two outlets is two 上稿, one per outlet — when the outlets are
    named together (和, 、, 都); two outlets apart (one inside a title without 《》) are asked about."""
    named = draft.outlet_named.split("、") if "、" in draft.outlet_named else []
    if named and _together(find_outlets(text, names(ctx)), text):
        return [replace(draft, outlet=name, outlet_named="") for name in named]
    return [draft]


def _together(mentions: list, text: str) -> bool:
    gaps = [text[a.end : b.start] for a, b in itertools.pairwise(mentions)]
    if not gaps or not all(_JOINED.fullmatch(g) for g in gaps):
        return False
    return bool(_BOTH.match(text, mentions[-1].end)) or any(re.search(r"[和及与、,，跟]", g) for g in gaps)


def _fill(draft: ArticleDraft, shared: ArticleDraft) -> ArticleDraft:
    """`今天通辽日报发了两篇：《A》《B》`: the preamble's outlet and date hold for items that name none."""
    if not draft.outlet and not draft.outlet_named and (shared.outlet or shared.outlet_named):
        draft = replace(draft, outlet=shared.outlet, outlet_named=shared.outlet_named)
    if not draft.day and not draft.day_vague and (shared.day or shared.day_vague):
        draft = replace(
            draft,
            day=shared.day,
            day_token=shared.day_token,
            day_has_year=shared.day_has_year,
            day_vague=shared.day_vague,
            day_unclear=shared.day_unclear,
        )
    return replace(draft, late=draft.late or shared.late, placement=draft.placement or shared.placement)


def submit(ctx: Ctx, drafts: list[ArticleDraft]) -> Reply:
    """上稿 《标题》 链接 [媒体] [日期] [版面]：登记已刊发的稿件（媒体可由链接识别，日期默认今天；一次可报多篇）"""
    return record_all(ctx, drafts)


TEXT_COMMAND = Command("上稿", match_keyword, submit, example=ARTICLE_EXAMPLE, ahead=resolve_all)
LINK_COMMAND = Command("上稿", match_link, submit, ahead=resolve_all)
NATURAL_COMMAND = Command("上稿", match_natural, submit, ahead=resolve_all)
