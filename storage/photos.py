"""Photos sent right after a report, attached to the record by its number."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Photo


def add_photo(session: Session, record_no: int, media_id: str, pic_url: str) -> int:
    """Attach a photo to record `record_no`; returns how many it now has."""
    session.add(Photo(record_no=record_no, media_id=media_id, pic_url=pic_url))
    session.flush()
    return session.scalar(select(func.count(Photo.id)).where(Photo.record_no == record_no))
