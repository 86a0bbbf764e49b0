"""Record what a message reported: each article or activity is stored when it is complete, or kept as a
pending draft with one question when it is not. One message may carry several records; the reply lists each
outcome, and every confirmation shows every stored field, so a wrong one is seen at once."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import timedelta

from handlers import activity_drafts, article_drafts
from handlers.ahead import kept
from handlers.parsing import ParseError
from handlers.parsing.activity import ActivityDraft
from handlers.parsing.article import ArticleDraft
from handlers.parsing.periods import month
from handlers.parsing.text import as_typed
from handlers.questions import Question
from handlers.types import Ctx, Reply
from storage import articles as article_store
from storage import pending
from storage.activities import add_activity, counted_same_activity
from storage.models import Activity, Article
from storage.photos import add_photo
from storage.rankings import activity_totals, unit_totals
from storage.scoring import load_rules

Draft = ArticleDraft | ActivityDraft
PENDING_FOR = timedelta(minutes=30)


@dataclass
class Outcome:
    line: str  # one line for a list of several records
    detail: str  # the full confirmation when the message held one record
    record_no: int | None = None  # the number of the record stored, if one was


def kind_of(draft: Draft) -> str:
    return "article" if isinstance(draft, ArticleDraft) else "activity"


def draft_from(kind: str, data: dict) -> Draft:
    return ArticleDraft.from_dict(data) if kind == "article" else ActivityDraft.from_dict(data)


def as_written(drafts: list, raw: str) -> list:
    """Each record's free text (title, name, place) as the user typed it: parsing reads a normalised copy
    (： folded to :), but what is stored is theirs."""
    out = []
    for draft in drafts:
        fields = {"title": as_typed(raw, draft.title)}
        if isinstance(draft, ActivityDraft):
            fields |= {"place": as_typed(raw, draft.place), "note": as_typed(raw, draft.note)}
        out.append(replace(draft, **fields))
    return out


def record_all(ctx: Ctx, drafts: list[Draft]) -> Reply:
    """Store what is complete, ask about the first record that is not, and say what happened to each."""
    outcomes: list[Outcome | None] = []
    waiting: list[tuple[Draft, Question]] = []
    for draft in drafts:
        try:
            result = _resolve(ctx, draft)
        except ParseError as exc:
            if len(drafts) == 1:
                raise
            outcomes.append(Outcome(f"未登记：{exc.reply_text()}", ""))
            continue
        if isinstance(result, Question):
            waiting.append((draft, result))
            outcomes.append(None)
        else:
            outcomes.append(_store(ctx, result))
    return Reply(_compose(ctx, drafts, outcomes, waiting))


def _compose(ctx: Ctx, drafts: list[Draft], outcomes: list, waiting: list) -> str:
    question = ask(ctx, waiting[0][0], waiting[0][1], [d for d, _ in waiting[1:]]) if waiting else ""
    if len(drafts) == 1:
        return question or outcomes[0].detail
    lines = [f"收到{len(drafts)}条："]
    for i, (draft, outcome) in enumerate(zip(drafts, outcomes, strict=True), 1):
        lines.append(f"{i}. {outcome.line if outcome else '待补充：' + _label(draft)}")
    if waiting:
        lines.append(f"关于「{_label(waiting[0][0])}」：{question}")
    return "\n".join(lines)


def ask(ctx: Ctx, draft: Draft, question: Question, queue: list[Draft]) -> str:
    """Keep the draft and its question for the member's next message; returns the question's text."""
    text = question.render()
    pending.put(
        ctx.session,
        member_id=ctx.member.id,
        kind=kind_of(draft),
        question=question.field,
        draft=draft.to_dict(),
        options=list(question.options),
        queue=[{"kind": kind_of(d), "draft": d.to_dict()} for d in queue],
        asked_text=text,
        now=ctx.now,
        expires_at=ctx.now + PENDING_FOR,
    )
    return text


def continue_with(ctx: Ctx, drafts: list[Draft]) -> Reply:
    """After an answer: the answered draft and the rest of its message, stored or asked about in turn."""
    pending.drop(ctx.session, ctx.member.id)
    return record_all(ctx, drafts)


def _resolve(ctx: Ctx, draft: Draft):
    """Ready to store, or the question to ask (kept: see handlers/ahead.py)."""
    module = article_drafts if isinstance(draft, ArticleDraft) else activity_drafts
    return kept(ctx, "resolve", draft, lambda: module.resolve(ctx, draft))


def resolve_all(ctx: Ctx, drafts: list[Draft]) -> None:
    """Resolve each draft ahead of the write transaction, so record_all finds it done."""
    for draft in drafts:
        with contextlib.suppress(ParseError):  # said when the message is handled
            _resolve(ctx, draft)


def _store(ctx: Ctx, ready) -> Outcome:
    outcome = (
        _store_article(ctx, ready)
        if isinstance(ready, article_drafts.ReadyArticle)
        else _store_activity(ctx, ready)
    )
    if outcome.record_no:
        for media_id, pic_url in ready.draft.photos:  # photos sent while the question was open
            add_photo(ctx.session, outcome.record_no, media_id, pic_url)
    return outcome


def _store_article(ctx: Ctx, ready: article_drafts.ReadyArticle) -> Outcome:
    d = ready.draft
    earlier = (
        article_store.counted_by_url(ctx.session, ready.canonical)
        if ready.canonical
        else article_store.counted_same_story(ctx.session, d.title, ready.outlet.id, ready.published_on)
    )
    if earlier:
        text = (
            f"这篇稿件已由{earlier.unit.name}{earlier.member.name}登记过"
            f"（第{earlier.no}号，{earlier.published_on:%Y-%m-%d}，{earlier.outlet.name}），不重复计数。"
        )
        return Outcome(f"重复：《{d.title}》已是第{earlier.no}号，不重复计数", text)
    rules = load_rules(ctx.session)
    article_drafts.remember_account(ctx, ready)
    article = article_store.add_article(
        ctx.session,
        member=ctx.member,
        outlet=ready.outlet,
        title=d.title,
        url=d.url or None,
        canonical=ready.canonical,
        published_on=ready.published_on,
        score=rules.score(ready.outlet.weight, d.placement, None),
        placement=d.placement,
        factor=rules.factor(d.placement),
        late=article_store.bulletin_sent(ctx.session, ready.published_on.year, ready.published_on.month),
        inbound_id=ctx.extras.get("inbound_id"),
    )
    where = f"，{article.placement}" if article.placement else ""
    line = f"已登记第{article.no}号《{article.title}》（{article.outlet.name}，{article.published_on:%Y-%m-%d}{where}）"
    return Outcome(line, article_text(ctx, article, rules.same_story == "highest"), article.no)


def article_text(ctx: Ctx, article: Article, highest: bool, head: str = "") -> str:
    """A stored article, every field shown, with the unit's month total and how to fix a mistake."""
    day = article.published_on
    period = month(day.year, day.month)
    count, _score = unit_totals(ctx.session, article.unit_id, period.start, period.end, highest)
    lines = [
        head or f"已登记上稿（第{article.no}号）",
        *article_fields(article),
        f"单位：{article.unit.name}，积分{article.score:g}",
    ]
    if article.late:
        lines.append(f"（补报：{period.label}通报已发出，本篇计入{period.label}，并在下期通报中列为补报）")
    lines.append(f"{article.unit.name}{period.label}已上稿{count}篇。")
    lines.append(f"有误可发「修改 {article.no} 日期 11月25日」之类更正，或「撤回 {article.no}」。")
    return "\n".join(lines)


def article_fields(article: Article) -> list[str]:
    return [
        f"标题：{article.title}",
        f"媒体：{article.outlet.name}（{article.outlet.level}）",
        f"日期：{article.published_on:%Y-%m-%d}",
        f"版面：{article.placement or '未注明'}",
    ]


def _store_activity(ctx: Ctx, ready: activity_drafts.ReadyActivity) -> Outcome:
    d = ready.draft
    unit = ctx.member.unit
    earlier = counted_same_activity(
        ctx.session, unit.id, d.title, ready.held_on, [unit.name, *(unit.aliases or [])]
    )
    if earlier:
        text = (
            f"这次活动已由{earlier.member.name}登记过（第{earlier.no}号，{earlier.held_on:%Y-%m-%d}，"
            f"{earlier.participants}人），不重复计数。如果确是另一场，请在名称里写明区别（如「第二场」）再发。"
        )
        return Outcome(f"重复：活动「{d.title}」已是第{earlier.no}号，不重复计数", text)
    activity = add_activity(
        ctx.session,
        member=ctx.member,
        type=ready.type,
        title=d.title,
        held_on=ready.held_on,
        participants=d.participants or 0,
        place=d.place,
        note=d.note,
        late=article_store.bulletin_sent(ctx.session, ready.held_on.year, ready.held_on.month),
        inbound_id=ctx.extras.get("inbound_id"),
    )
    at = f"，{activity.place}" if activity.place else ""
    line = (
        f"已登记第{activity.no}号活动「{activity.title}」"
        f"（{activity.type}，{activity.held_on:%Y-%m-%d}，{activity.participants}人{at}）"
    )
    return Outcome(line, activity_text(ctx, activity), activity.no)


def activity_text(ctx: Ctx, activity: Activity, head: str = "") -> str:
    period = month(activity.held_on.year, activity.held_on.month)
    count, people = activity_totals(ctx.session, activity.unit_id, period.start, period.end)
    return "\n".join(
        [
            head or f"已登记活动（第{activity.no}号）",
            *activity_fields(activity),
            f"{activity.unit.name}{period.label}已开展活动{count}次、参与{people}人次。",
            f"30分钟内发来的照片会附在这次活动上。有误可发「修改 {activity.no} 人数 60」之类更正，或「撤回 {activity.no}」。",
        ]
    )


def activity_fields(activity: Activity) -> list[str]:
    return [
        f"名称：{activity.title}",
        f"类型：{activity.type}",
        f"日期：{activity.held_on:%Y-%m-%d}",
        f"人数：{activity.participants}",
        f"地点：{activity.place or '未注明'}",
    ]


def _label(draft: Draft) -> str:
    title = draft.title or ("（无标题）" if isinstance(draft, ArticleDraft) else "（无名称）")
    return f"《{title}》" if isinstance(draft, ArticleDraft) else f"活动「{title}」"
