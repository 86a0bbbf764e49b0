"""Who gets which reminder: nag and last call to publicists of units behind quota, the leaders' copy,
and the monthly bulletin to leaders and the group robot. Pure reads; nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.bulletin import compose_bulletin
from handlers.parsing.periods import month
from handlers.progress import UnitProgress, peer_progress
from handlers.reports.chart import ranking_chart
from scheduler.schedule import Occasion, Schedule
from storage.models import Unit
from storage.org import leaders_of, publicists_of, reporting_parents
from storage.quotas import members_on_leave


@dataclass(frozen=True)
class Push:
    """One text to a set of recipients on a channel (wecom userids, or the group robot)."""

    kind: str  # the ReminderLog kind
    channel: str  # wecom | webhook
    recipients: tuple[str, ...]
    text: str
    mentions: tuple[str, ...] = ()
    image: bytes | None = None  # a chart sent as an image message (text is then its caption for logs)


def plan(
    session: Session, occasion: Occasion, schedule: Schedule, now: datetime, webhook: bool
) -> list[Push]:
    pushes: list[Push] = []
    for parent in reporting_parents(session):
        units = peer_progress(session, parent.id, month(occasion.year, occasion.month))
        if occasion.kind == "nag":
            pushes += _to_laggards(session, units, occasion, "nag")
        elif occasion.kind == "last_call":
            pushes += _to_laggards(session, units, occasion, "last_call")
            pushes += _leaders_copy(session, parent, units, occasion)
        elif occasion.kind == "bulletin":
            pushes += _bulletin(session, parent, units, occasion, schedule, now, webhook)
    return pushes


def _to_laggards(session: Session, units: list[UnitProgress], occasion: Occasion, kind: str) -> list[Push]:
    behind = [u for u in units if u.behind]
    people = publicists_of(session, [u.unit_id for u in behind])
    period = month(occasion.year, occasion.month)
    away = members_on_leave(session, [m.id for ms in people.values() for m in ms], period.start, period.end)
    pushes = []
    for unit in behind:
        recipients = tuple(m.userid for m in people.get(unit.unit_id, []) if m.id not in away)
        if recipients:
            pushes.append(Push(kind, "wecom", recipients, _laggard_text(unit, period.label, kind)))
    return pushes


def _laggard_text(unit: UnitProgress, label: str, kind: str) -> str:
    head = "【投稿通·月末提醒】今天是本月最后一个工作日。" if kind == "last_call" else "【投稿通提醒】"
    lines = [f"{head}{unit.name}{label}" + _gap_text(unit) + "。"]
    lines.append("本月稿件请今天内报送。" if kind == "last_call" else "请抓紧报送，发送「我的」可查看进度。")
    return "\n".join(lines)


def _gap_text(unit: UnitProgress) -> str:
    parts = []
    if unit.need_articles:
        gap = max(unit.need_articles - unit.articles, 0)
        parts.append(
            f"已上稿{unit.articles}篇，任务{unit.need_articles}篇" + (f"，还差{gap}篇" if gap else "，已完成")
        )
    if unit.need_activities:
        gap = max(unit.need_activities - unit.activities, 0)
        parts.append(
            f"活动{unit.activities}次，任务{unit.need_activities}次"
            + (f"，还差{gap}次" if gap else "，已完成")
        )
    return "；".join(parts)


def _leaders_copy(
    session: Session, parent: Unit, units: list[UnitProgress], occasion: Occasion
) -> list[Push]:
    behind = [u for u in units if u.behind]
    leaders = tuple(m.userid for m in leaders_of(session, parent))
    if not behind or not leaders:
        return []
    label = month(occasion.year, occasion.month).label
    text = f"【投稿通·月末提醒（抄送）】{parent.name}{label}尚未完成任务的单位：\n" + "\n".join(
        f"• {u.name}：{u.shortfall()}" for u in behind
    )
    return [Push("last_call_copy", "wecom", leaders, text)]


def _bulletin(
    session: Session,
    parent: Unit,
    units: list[UnitProgress],
    occasion: Occasion,
    schedule: Schedule,
    now: datetime,
    webhook: bool,
) -> list[Push]:
    period = month(occasion.year, occasion.month)
    text = compose_bulletin(session, parent, period, now)
    chart = ranking_chart(f"{parent.name}{period.label}上稿排名", [(u.name, u.articles) for u in units])
    caption = f"{parent.name}{period.label}上稿排名图"
    pushes = []
    leaders = tuple(m.userid for m in leaders_of(session, parent))
    if leaders:
        pushes.append(Push("bulletin", "wecom", leaders, text))
        pushes.append(Push("bulletin_chart", "wecom", leaders, caption, image=chart))
    if webhook:
        mentions: tuple[str, ...] = ()
        if schedule.mention_laggards:
            people = publicists_of(session, [u.unit_id for u in units if u.behind])
            mentions = tuple(m.userid for ms in people.values() for m in ms)
        pushes.append(Push("bulletin", "webhook", (f"webhook:{parent.id}",), text, mentions))
        pushes.append(Push("bulletin_chart", "webhook", (f"webhook:{parent.id}",), caption, image=chart))
    return pushes
