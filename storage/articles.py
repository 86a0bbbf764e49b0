"""Articles (上稿): numbering, recording, duplicate look-ups. The 上稿 path's statements are plain Core,
built once here."""

from __future__ import annotations

import functools
from datetime import date
from typing import TypeVar

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage import org_cache
from storage.db import add_row, core, own_row, whole
from storage.models import Article, Member, RecordNumber, utcnow
from storage.org_cache import OutletInfo
from storage.scoring import story_key

T = TypeVar("T")
_NUMBER = insert(RecordNumber.__table__).values(kind=bindparam("kind")).returning(RecordNumber.id)
_COUNTED = Article.status == "counted"
_BY_URL = select(Article.id).where(Article.canonical_url == bindparam("url"), _COUNTED)
_SAME_STORY = select(Article.id).where(
    Article.title == bindparam("title"),
    Article.outlet_id == bindparam("outlet"),
    Article.published_on == bindparam("day"),
    _COUNTED,
)


def next_number(session: Session, kind: str) -> int:
    """The next number users see; articles and activities share the sequence."""
    return core(session).execute(_NUMBER, {"kind": kind}).scalar_one()


def add_numbered(session: Session, model: type[T], kind: str, **values) -> T:
    """A record and the number users see for it (`values`: every other column), given to the session as its
    own object, not read back: one INSERT on PostgreSQL (the number made in a CTE of it), two on SQLite,
    which has no INSERT in a CTE."""
    conn = core(session)
    if conn.dialect.name != "postgresql":
        return add_row(session, model, no=next_number(session, kind), **values)
    whole(model, values, "id", "no")
    row_id, no = conn.execute(_numbered(model), {"kind": kind, **values}).one()
    return own_row(session, model, id=row_id, no=no, **values)


@functools.cache
def _numbered(model: type):
    """WITH numbered AS (INSERT INTO record_number … RETURNING id) INSERT INTO <model> … SELECT numbered.id, …"""
    table = model.__table__
    number = insert(RecordNumber.__table__).values(kind=bindparam("kind")).returning(RecordNumber.id)
    numbered = number.cte("numbered")
    columns = [c for c in table.c if c.key not in ("id", "no")]
    values = select(numbered.c.id, *(bindparam(c.key, type_=c.type) for c in columns))
    return (
        insert(table).from_select(["no", *(c.key for c in columns)], values).returning(table.c.id, table.c.no)
    )


def counted_by_url(session: Session, canonical: str) -> Article | None:
    found = core(session).execute(_BY_URL, {"url": canonical}).scalar()
    return None if found is None else session.get(Article, found)


def counted_same_story(session: Session, title: str, outlet_id: int, published_on: date) -> Article | None:
    """A link-less report is a duplicate when title, outlet and date all match a counted one."""
    found = core(session).execute(_SAME_STORY, {"title": title, "outlet": outlet_id, "day": published_on})
    article_id = found.scalar()
    return None if article_id is None else session.get(Article, article_id)


def add_article(
    session: Session,
    *,
    member: Member,
    outlet: OutletInfo,
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
    """Record a counted article credited to the member's unit (score defaults to the outlet's weight): two
    INSERTs, and the article, its unit, member and outlet known to the session without reading them."""
    article = add_numbered(
        session,
        Article,
        "article",
        unit_id=member.unit_id,
        member_id=member.id,
        outlet_id=outlet.id,
        title=title,
        url=url,
        canonical_url=canonical,
        published_on=published_on,
        status="counted",
        score=outlet.weight if score is None else score,
        placement=placement,
        factor=factor,
        endorsement=None,
        bonus=0.0,
        story_key=story_key(title),
        late=late,
        created_at=utcnow(),
        inbound_id=inbound_id,
    )
    set_committed_value(article, "member", member)
    set_committed_value(article, "unit", member.unit)
    set_committed_value(article, "outlet", org_cache.outlet(session, outlet.id))
    return article


def by_number(session: Session, no: int) -> Article | None:
    return session.scalar(select(Article).where(Article.no == no))


def bulletin_sent(session: Session, year: int, month: int) -> bool:
    """Has the bulletin for that month gone out? Reports for it after that are 补报."""
    return f"{year:04d}-{month:02d}" in org_cache.snapshot(session).bulletins
