"""Row listings for exports: a unit subtree's articles and activities in a period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage.models import Activity, Article, UnitLink


def articles_in(session: Session, unit_id: int, start: date, end: date) -> list[Article]:
    """Every article (withdrawn ones too, with their status) published in the period, by date."""
    query = (
        select(Article)
        .join(UnitLink, UnitLink.descendant_id == Article.unit_id)
        .where(UnitLink.ancestor_id == unit_id, Article.published_on.between(start, end))
        .options(joinedload(Article.unit), joinedload(Article.outlet), joinedload(Article.member))
        .order_by(Article.published_on, Article.no)
    )
    return list(session.scalars(query))


def activities_in(session: Session, unit_id: int, start: date, end: date) -> list[Activity]:
    query = (
        select(Activity)
        .join(UnitLink, UnitLink.descendant_id == Activity.unit_id)
        .where(UnitLink.ancestor_id == unit_id, Activity.held_on.between(start, end))
        .options(joinedload(Activity.unit), joinedload(Activity.member))
        .order_by(Activity.held_on, Activity.no)
    )
    return list(session.scalars(query))
