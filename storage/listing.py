"""Row listings: a unit subtree's articles and activities in a period (exports, the dashboard), the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from storage.models import Activity, Article, Outbox, UnitLink


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


@dataclass(frozen=True)
class RecordFilter:
    """What the dashboard's lists narrow by: a unit's subtree and a period, then optional filters."""

    unit_id: int
    start: date
    end: date
    status: str | None = "counted"  # None: every status
    text: str = ""  # part of the title
    outlet_id: int | None = None  # articles only
    kind: str = ""  # activities only: the type


def search_articles(session: Session, f: RecordFilter, limit: int, offset: int) -> tuple[list[Article], int]:
    """One page of a subtree's articles, newest first, and how many match in all."""
    extra = [Article.outlet_id == f.outlet_id] if f.outlet_id else []
    eager = (Article.unit, Article.outlet, Article.member)
    return _search(session, Article, Article.published_on, f, extra, eager, limit, offset)


def search_activities(
    session: Session, f: RecordFilter, limit: int, offset: int
) -> tuple[list[Activity], int]:
    """One page of a subtree's activities, newest first, and how many match in all."""
    extra = [Activity.type == f.kind] if f.kind else []
    eager = (Activity.unit, Activity.member)
    return _search(session, Activity, Activity.held_on, f, extra, eager, limit, offset)


def _search(
    session: Session, model, day, f: RecordFilter, extra: list, eager: tuple, limit: int, offset: int
):
    where = [UnitLink.ancestor_id == f.unit_id, day.between(f.start, f.end), *extra]
    if f.status:
        where.append(model.status == f.status)
    if f.text:
        where.append(model.title.icontains(f.text, autoescape=True))
    base = select(model).join(UnitLink, UnitLink.descendant_id == model.unit_id).where(*where)
    page = base.options(*(joinedload(r) for r in eager)).order_by(day.desc(), model.no.desc())
    return list(session.scalars(page.limit(limit).offset(offset))), _count(session, base)


def recent_outbox(session: Session, status: str | None, limit: int) -> list[Outbox]:
    """The newest pushes, optionally of one delivery status."""
    query = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
    if status:
        query = query.where(Outbox.status == status)
    return list(session.scalars(query))


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
