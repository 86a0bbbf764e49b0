"""Rankings and summaries as SQL aggregates (a unit's figures include its whole subtree)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, and_, bindparam, case, cast, extract, func, select
from sqlalchemy.orm import Session, aliased

from storage.db import core
from storage.models import Activity, Article, Outlet, Unit, UnitLink
from storage.org import org_value


@dataclass(frozen=True)
class RankRow:
    place: int
    unit_id: int
    name: str
    articles: int
    score: float


def counted_articles(highest: bool = False):
    """(unit_id, n, score) per unit for the counted articles published between the parameters `start` and
    `end`: the date-range scan and GROUP BY happen first, so rolling the few resulting rows up the unit tree
    costs next to nothing. With `highest` (scoring: {same_story: highest}) a story counts once, at its best
    score."""
    where = [Article.status == "counted", Article.published_on.between(bindparam("start"), bindparam("end"))]
    if not highest:
        return (
            select(Article.unit_id, func.count().label("n"), func.sum(Article.score).label("score"))
            .where(*where)
            .group_by(Article.unit_id)
            .subquery()
        )
    story = case((Article.story_key == "", cast(Article.id, String)), else_=Article.story_key)
    best = (
        select(Article.unit_id, func.max(Article.score).label("score"))
        .where(*where)
        .group_by(Article.unit_id, story)
        .subquery()
    )
    return (
        select(best.c.unit_id, func.count().label("n"), func.sum(best.c.score).label("score"))
        .group_by(best.c.unit_id)
        .subquery()
    )


@functools.cache
def _peer_ranking(by: str, highest: bool):
    """The ranking statement, built once per (by, highest): on a month of a million articles the database
    needs about a millisecond, as much as building the statement again would cost."""
    peer = aliased(Unit)
    per_unit = counted_articles(highest)
    n = func.coalesce(func.sum(per_unit.c.n), 0)
    score = func.coalesce(func.sum(per_unit.c.score), 0.0)
    key = n if by == "articles" else score
    return (
        select(peer.id, peer.name, n, score, func.rank().over(order_by=key.desc()))
        .select_from(peer)
        .join(UnitLink, UnitLink.ancestor_id == peer.id)
        .outerjoin(per_unit, per_unit.c.unit_id == UnitLink.descendant_id)
        .where(peer.parent_id == bindparam("parent"), peer.active.is_(True))
        .group_by(peer.id, peer.name, peer.sort_order)
        .order_by(key.desc(), peer.sort_order, peer.id)
    )


def peer_ranking(
    session: Session, parent_id: int, start: date, end: date, by: str = "articles", highest: bool = False
) -> list[RankRow]:
    """Every active child of `parent_id`, zeros included, ranked by count or score; ties share a place."""
    query = _peer_ranking("articles" if by == "articles" else "score", highest)
    found = core(session).execute(query, {"parent": parent_id, "start": start, "end": end})
    return [
        RankRow(place=place, unit_id=uid, name=name, articles=int(count), score=float(total))
        for uid, name, count, total, place in found
    ]


def peer_activities(session: Session, parent_id: int, start: date, end: date) -> dict[int, tuple[int, int]]:
    """unit id → (activities, participants) for every active child of `parent_id` with any."""
    query = (
        select(
            UnitLink.ancestor_id, func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0)
        )
        .join(Unit, Unit.id == UnitLink.ancestor_id)
        .join(Activity, Activity.unit_id == UnitLink.descendant_id)
        .where(
            Unit.parent_id == parent_id, Activity.status == "counted", Activity.held_on.between(start, end)
        )
        .group_by(UnitLink.ancestor_id)
    )
    return {uid: (int(n), int(people)) for uid, n, people in session.execute(query)}


def breakdown(
    session: Session, unit_id: int, start: date, end: date, by: str = "outlet"
) -> list[tuple[str, int, float]]:
    """(outlet or level, articles, score) for a unit's subtree in a period, biggest first."""
    label = Outlet.name if by == "outlet" else Outlet.level
    query = (
        select(label, func.count(Article.id), func.sum(Article.score))
        .join(Article, Article.outlet_id == Outlet.id)
        .join(UnitLink, and_(UnitLink.descendant_id == Article.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Article.status == "counted", Article.published_on.between(start, end))
        .group_by(label)
        .order_by(func.count(Article.id).desc(), label)
    )
    return [(name, count, float(total)) for name, count, total in session.execute(query)]


# One unit's period (the reply to every 上稿 and 活动, 我的): built once, read through ix_article_unit_day
# (the unit's rows of the period only) and ix_activity_unit_id. A unit without units under it (a community,
# as most senders' are) is named alone, so no planner can prefer scanning the period for every unit.
_SUBTREE = select(UnitLink.descendant_id).where(UnitLink.ancestor_id == bindparam("unit"))
_IN_PERIOD = (
    Article.published_on.between(bindparam("start"), bindparam("end")),
    Article.status == "counted",
)


def _totals(own_rows, highest: bool):
    if not highest:
        return select(func.count(), func.coalesce(func.sum(Article.score), 0.0)).where(own_rows, *_IN_PERIOD)
    story = case((Article.story_key == "", cast(Article.id, String)), else_=Article.story_key)
    best = (
        select(func.max(Article.score).label("score"))
        .where(own_rows, *_IN_PERIOD)
        .group_by(Article.unit_id, story)
        .subquery()
    )
    return select(func.count(), func.coalesce(func.sum(best.c.score), 0.0))


_UNIT_TOTALS = {
    (leaf, highest): _totals(
        Article.unit_id == bindparam("unit") if leaf else Article.unit_id.in_(_SUBTREE), highest
    )
    for leaf in (True, False)
    for highest in (True, False)
}
_UNIT_ACTIVITIES = select(func.count(), func.coalesce(func.sum(Activity.participants), 0)).where(
    Activity.unit_id.in_(_SUBTREE),
    Activity.held_on.between(bindparam("start"), bindparam("end")),
    Activity.status == "counted",
)


def unit_totals(
    session: Session, unit_id: int, start: date, end: date, highest: bool = False
) -> tuple[int, float]:
    """(articles, score) of a unit's subtree in a period, under the same-story rule."""
    leaf = unit_id not in org_value(session, "parents", _parents)
    query = _UNIT_TOTALS[(leaf, highest)]
    count, score = core(session).execute(query, {"unit": unit_id, "start": start, "end": end}).one()
    return int(count), float(score)


def _parents(org) -> frozenset[int]:
    return frozenset(u.parent_id for u in org.units.values() if u.parent_id is not None)


def activity_totals(session: Session, unit_id: int, start: date, end: date) -> tuple[int, int]:
    """(activities, participants) for a unit's subtree in a period."""
    found = core(session).execute(_UNIT_ACTIVITIES, {"unit": unit_id, "start": start, "end": end})
    count, people = found.one()
    return int(count), int(people)


def activity_types(session: Session, unit_id: int, start: date, end: date) -> list[tuple[str, int, int]]:
    """(type, activities, participants) for a unit's subtree in a period."""
    query = (
        select(Activity.type, func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0))
        .join(UnitLink, and_(UnitLink.descendant_id == Activity.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Activity.status == "counted", Activity.held_on.between(start, end))
        .group_by(Activity.type)
        .order_by(func.count(Activity.id).desc(), Activity.type)
    )
    return [(kind, int(n), int(people)) for kind, n, people in session.execute(query)]


def late_articles(
    session: Session, unit_id: int, before: date, since: datetime, until: datetime
) -> list[Article]:
    """补报 under a unit: counted articles published before `before`, flagged late, reported in [since, until)."""
    query = (
        select(Article)
        .join(UnitLink, and_(UnitLink.descendant_id == Article.unit_id, UnitLink.ancestor_id == unit_id))
        .where(
            Article.status == "counted",
            Article.late.is_(True),
            Article.published_on < before,
            Article.created_at >= since,
            Article.created_at < until,
        )
        .order_by(Article.published_on, Article.no)
    )
    return list(session.scalars(query))


def monthly_trend(session: Session, unit_id: int, year: int) -> dict[int, tuple[int, int]]:
    """month → (articles, activities) for a unit's subtree in a year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    month_of = extract("month", Article.published_on)
    arts = (
        select(month_of, func.count(Article.id))
        .join(UnitLink, and_(UnitLink.descendant_id == Article.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Article.status == "counted", Article.published_on.between(start, end))
        .group_by(month_of)
    )
    act_month = extract("month", Activity.held_on)
    acts = (
        select(act_month, func.count(Activity.id))
        .join(UnitLink, and_(UnitLink.descendant_id == Activity.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Activity.status == "counted", Activity.held_on.between(start, end))
        .group_by(act_month)
    )
    articles = {int(m): int(n) for m, n in session.execute(arts)}
    activities = {int(m): int(n) for m, n in session.execute(acts)}
    return {m: (articles.get(m, 0), activities.get(m, 0)) for m in range(1, 13)}
