"""Rankings and summaries as SQL aggregates (a unit's count includes its whole subtree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from storage.models import Activity, Article, Outlet, Unit, UnitLink


@dataclass(frozen=True)
class RankRow:
    place: int
    unit_id: int
    name: str
    articles: int
    score: float


def peer_ranking(
    session: Session, parent_id: int, start: date, end: date, by: str = "articles"
) -> list[RankRow]:
    """Every active child of `parent_id`, zeros included, ranked by count or score; ties share a place."""
    peer = aliased(Unit)
    counted = and_(
        Article.unit_id == UnitLink.descendant_id,
        Article.status == "counted",
        Article.published_on.between(start, end),
    )
    n = func.count(Article.id)
    score = func.coalesce(func.sum(Article.score), 0.0)
    key = n if by == "articles" else score
    query = (
        select(peer.id, peer.name, n, score, func.rank().over(order_by=key.desc()))
        .select_from(peer)
        .join(UnitLink, UnitLink.ancestor_id == peer.id)
        .outerjoin(Article, counted)
        .where(peer.parent_id == parent_id, peer.active.is_(True))
        .group_by(peer.id, peer.name, peer.sort_order)
        .order_by(key.desc(), peer.sort_order, peer.id)
    )
    return [
        RankRow(place=place, unit_id=uid, name=name, articles=count, score=float(total))
        for uid, name, count, total, place in session.execute(query)
    ]


def outlet_breakdown(session: Session, unit_id: int, start: date, end: date) -> list[tuple[str, int, float]]:
    """(outlet, articles, score) for a unit's subtree in a period, biggest first."""
    query = (
        select(Outlet.name, func.count(Article.id), func.sum(Article.score))
        .join(Article, Article.outlet_id == Outlet.id)
        .join(UnitLink, and_(UnitLink.descendant_id == Article.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Article.status == "counted", Article.published_on.between(start, end))
        .group_by(Outlet.id, Outlet.name, Outlet.sort_order)
        .order_by(func.count(Article.id).desc(), Outlet.sort_order)
    )
    return [(name, count, float(total)) for name, count, total in session.execute(query)]


def activity_totals(session: Session, unit_id: int, start: date, end: date) -> tuple[int, int]:
    """(activities, participants) for a unit's subtree in a period."""
    query = (
        select(func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0))
        .join(UnitLink, and_(UnitLink.descendant_id == Activity.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Activity.status == "counted", Activity.held_on.between(start, end))
    )
    count, people = session.execute(query).one()
    return int(count), int(people)


def unit_article_count(session: Session, unit_id: int, start: date, end: date) -> int:
    """Counted articles of a unit's subtree in a period."""
    query = (
        select(func.count(Article.id))
        .join(UnitLink, and_(UnitLink.descendant_id == Article.unit_id, UnitLink.ancestor_id == unit_id))
        .where(Article.status == "counted", Article.published_on.between(start, end))
    )
    return int(session.scalar(query) or 0)
