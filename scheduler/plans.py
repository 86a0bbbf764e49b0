"""Who gets which reminder: nag and last call to publicists of units behind quota, the leaders' copy,
and the monthly bulletin to leaders (text, chart and the Word document) and the group robot. Each member is addressed on their own channel.
Pure reads; nothing is written here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from reports.bulletin import compose_bulletin, document_name
from reports.bulletin_document import build_bulletin_document
from reports.chart import ranking_chart
from reports.periods import month
from reports.progress import UnitProgress, peer_progress
from scheduler.schedule import Occasion, Schedule
from storage.channels import Channel
from storage.models import Unit
from storage.org import leaders_of, publicists_of, reporting_parents
from storage.outbox import Address, Push, Routing
from storage.quotas import members_on_leave


def plan(
    session: Session, occasion: Occasion, schedule: Schedule, now: datetime, routing: Routing, group: bool
) -> list[Push]:
    """The pushes of one occasion; `group`: the group robot is configured and gets the bulletin."""
    pushes: list[Push] = []
    for parent in reporting_parents(session):
        units = peer_progress(session, parent.id, month(occasion.year, occasion.month))
        if occasion.kind == "nag":
            pushes += _to_laggards(session, units, occasion, "nag", routing)
        elif occasion.kind == "last_call":
            pushes += _to_laggards(session, units, occasion, "last_call", routing)
            pushes += _leaders_copy(session, parent, units, occasion, routing)
        elif occasion.kind == "bulletin":
            pushes += _bulletin(session, parent, units, occasion, schedule, now, routing, group)
    return pushes


def _to_laggards(
    session: Session, units: list[UnitProgress], occasion: Occasion, kind: str, routing: Routing
) -> list[Push]:
    behind = [u for u in units if u.behind]
    people = publicists_of(session, [u.unit_id for u in behind])
    period = month(occasion.year, occasion.month)
    away = members_on_leave(session, [m.id for ms in people.values() for m in ms], period.start, period.end)
    pushes = []
    for unit in behind:
        recipients = routing.addresses(m for m in people.get(unit.unit_id, []) if m.id not in away)
        if recipients:
            pushes.append(Push(kind, recipients, _laggard_text(unit, period.label, kind)))
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
    session: Session, parent: Unit, units: list[UnitProgress], occasion: Occasion, routing: Routing
) -> list[Push]:
    behind = [u for u in units if u.behind]
    leaders = routing.addresses(leaders_of(session, parent))
    if not behind or not leaders:
        return []
    label = month(occasion.year, occasion.month).label
    text = f"【投稿通·月末提醒（抄送）】{parent.name}{label}尚未完成任务的单位：\n" + "\n".join(
        f"• {u.name}：{u.shortfall()}" for u in behind
    )
    return [Push("last_call_copy", leaders, text)]


def _bulletin(
    session: Session,
    parent: Unit,
    units: list[UnitProgress],
    occasion: Occasion,
    schedule: Schedule,
    now: datetime,
    routing: Routing,
    group: bool,
) -> list[Push]:
    period = month(occasion.year, occasion.month)
    text = compose_bulletin(session, parent, period, now)
    chart = ranking_chart(f"{parent.name}{period.label}上稿排名", [(u.name, u.articles) for u in units])
    caption = f"{parent.name}{period.label}上稿排名图"
    pushes = []
    leaders = routing.addresses(leaders_of(session, parent))
    if leaders:  # the text, the chart, and the document to print (the group robot can carry no file)
        document = build_bulletin_document(session, parent, period, now, chart)
        pushes.append(Push("bulletin", leaders, text))
        pushes.append(Push("bulletin_chart", leaders, caption, image=chart))
        pushes.append(Push("bulletin_doc", leaders, document_name(parent, period), document=document))
    if group:
        mentions: tuple[str, ...] = ()
        if schedule.mention_laggards:
            people = publicists_of(session, [u.unit_id for u in units if u.behind])
            mentions = tuple(m.userid for ms in people.values() for m in ms)
        robot = (Address(Channel.GROUP_ROBOT, f"webhook:{parent.id}"),)
        pushes.append(Push("bulletin", robot, text, mentions))
        pushes.append(Push("bulletin_chart", robot, caption, image=chart))
    return pushes
