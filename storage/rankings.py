"""Rankings and summaries as SQL aggregates (a unit's figures include its whole subtree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, and_, case, cast, extract, func, select
from sqlalchemy.orm import Session, aliased

from storage.models import Activity, Article, Outlet, Unit, UnitLink


@dataclass(frozen=True)
class RankRow:
    place: int
    unit_id: int
    name: str
    articles: int
    score: float


def counted_articles(start: date, end: date, highest: bool = False, within: int | None = None):
    """(unit_id, n, score) per unit for the period's counted articles: the date-range scan and GROUP BY
    happen first, so rolling the few resulting rows up the unit tree costs next to nothing. With `highest`
    (scoring: {same_story: highest}) a story counts once, at its best score. `within` keeps only one
    unit's subtree (one unit's totals need not group everyone's articles)."""
    where = [Article.status == "counted", Article.published_on.between(start, end)]
    if within is not None:
        where.append(
            Article.unit_id.in_(select(UnitLink.descendant_id).where(UnitLink.ancestor_id == within))
        )
    if not highest:
        return (
            select(Article.unit_id, func.count(Article.id).label("n"), func.sum(Article.score).label("score"))
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


def peer_ranking(
    session: Session, parent_id: int, start: date, end: date, by: str = "articles", highest: bool = False
) -> list[RankRow]:
    """Every active child of `parent_id`, zeros included, ranked by count or score; ties share a place."""
    peer = aliased(Unit)
    per_unit = counted_articles(start, end, highest)
    n = func.coalesce(func.sum(per_unit.c.n), 0)
    score = func.coalesce(func.sum(per_unit.c.score), 0.0)
    key = n if by == "articles" else score
    query = (
        select(peer.id, peer.name, n, score, func.rank().over(order_by=key.desc()))
        .select_from(peer)
        .join(UnitLink, UnitLink.ancestor_id == peer.id)
        .outerjoin(per_unit, per_unit.c.unit_id == UnitLink.descendant_id)
        .where(peer.parent_id == parent_id, peer.active.is_(True))
        .group_by(peer.id, peer.name, peer.sort_order)
        .order_by(key.desc(), peer.sort_order, peer.id)
    )
    return [
        RankRow(place=place, unit_id=uid, name=name, articles=int(count), score=float(total))
        for uid, name, count, total, place in session.execute(query)
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


def unit_totals(
    session: Session, unit_id: int, start: date, end: date, highest: bool = False
) -> tuple[int, float]:
    """(articles, score) of a unit's subtree in a period, under the same-story rule."""
    per_unit = counted_articles(start, end, highest, within=unit_id)
    query = (
        select(func.coalesce(func.sum(per_unit.c.n), 0), func.coalesce(func.sum(per_unit.c.score), 0.0))
        .select_from(per_unit)
        .join(UnitLink, and_(UnitLink.descendant_id == per_unit.c.unit_id, UnitLink.ancestor_id == unit_id))
    )
    count, score = session.execute(query).one()
    return int(count), float(score)


def activity_totals(session: Session, unit_id: int, start: date, end: date) -> tuple[int, int]:
    """(activities, participants) for a unit's subtree in a period."""
    query = (
        select(func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0))
        .join(UnitLink, and_(UnitLink.descendant_id == Activity.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Activity.status == "counted", Activity.held_on.between(start, end))
    )
    count, people = session.execute(query).one()
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
