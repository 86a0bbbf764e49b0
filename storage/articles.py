"""Articles (上稿): numbering, recording, duplicate look-ups."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, BulletinLog, Member, Outlet, RecordNumber
from storage.scoring import story_key


def next_number(session: Session, kind: str) -> int:
    """The next number users see; articles and activities share the sequence."""
    row = RecordNumber(kind=kind)
    session.add(row)
    session.flush()
    return row.id


def counted_by_url(session: Session, canonical: str) -> Article | None:
    return session.scalar(
        select(Article).where(Article.canonical_url == canonical, Article.status == "counted")
    )


def counted_same_story(session: Session, title: str, outlet_id: int, published_on: date) -> Article | None:
    """A link-less report is a duplicate when title, outlet and date all match a counted one."""
    return session.scalar(
        select(Article).where(
            Article.title == title,
            Article.outlet_id == outlet_id,
            Article.published_on == published_on,
            Article.status == "counted",
        )
    )


def add_article(
    session: Session,
    *,
    member: Member,
    outlet: Outlet,
    title: str,
    url: str | None,
    canonical: str | None,
    published_on: date,
    score: float | None = None,
    placement: str = "",
    factor: float = 1.0,
    late: bool = False,
    inbound_id: int | None = None,
) -> Article:
    """Record a counted article credited to the member's unit (score defaults to the outlet's weight)."""
    article = Article(
        no=next_number(session, "article"),
        unit_id=member.unit_id,
        member_id=member.id,
        outlet_id=outlet.id,
        title=title,
        url=url,
        canonical_url=canonical,
        published_on=published_on,
        score=outlet.weight if score is None else score,
        placement=placement,
        factor=factor,
        story_key=story_key(title),
        late=late,
        inbound_id=inbound_id,
    )
    session.add(article)
    session.flush()
    article.outlet, article.unit, article.member = (
        outlet,
        member.unit,
        member,
    )  # known: no lazy loads for the reply
    return article


def by_number(session: Session, no: int) -> Article | None:
    return session.scalar(select(Article).where(Article.no == no))


def bulletin_sent(session: Session, year: int, month: int) -> bool:
    """Has the bulletin for that month gone out? Reports for it after that are 补报."""
    return (
        session.scalar(select(BulletinLog.id).where(BulletinLog.period == f"{year:04d}-{month:02d}"))
        is not None
    )
