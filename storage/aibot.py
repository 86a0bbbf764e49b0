"""The intelligent robot's rows: stream replies finished late, and the content of photos it delivered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, literal, select
from sqlalchemy.orm import Session

from storage.db import insert_missing
from storage.models import AibotStream, MediaFile, PendingDraft, Photo

STREAM_MEMORY = timedelta(hours=1)  # WeCom asks for a stream for six minutes at most


def finish_stream(session: Session, stream_id: str, content: str, now: datetime) -> None:
    """Keep a late reply for the robot's next refresh, and forget replies past STREAM_MEMORY."""
    session.execute(delete(AibotStream).where(AibotStream.finished_at < now - STREAM_MEMORY))
    insert_missing(session, AibotStream, {"id": stream_id, "content": content, "finished_at": now}, ["id"])


def finished_stream(session: Session, stream_id: str) -> str | None:
    """The reply of a stream that finished late, or None (unknown, still working, or forgotten)."""
    return session.scalar(select(AibotStream.content).where(AibotStream.id == stream_id))


def keep_photo_content(session: Session, media_id: str, digest: str, mime: str, content: bytes) -> bool:
    """Store a downloaded photo's content when a record kept the photo (a Photo row names `media_id`) or a
    pending question holds it for the record it asks about (WeCom's link to the picture has expired by the
    time the question is answered); True when it did. The same picture sent twice is stored once."""
    kept = session.scalar(select(Photo.id).where(Photo.media_id == media_id).limit(1)) is not None
    if not kept and media_id not in _held(session):
        return False
    insert_missing(session, MediaFile, {"digest": digest, "mime": mime, "content": content}, ["digest"])
    return True


def forget_unattached_photos(session: Session, before: datetime) -> int:
    """Delete photo contents stored before `before` that no record kept and no pending question holds (a
    question cancelled, dropped or expired after the photo came). Returns how many."""
    kept = exists().where(Photo.media_id == literal("aibot:") + MediaFile.digest)
    loose = session.scalars(select(MediaFile.digest).where(MediaFile.created_at < before, ~kept)).all()
    held = _held(session)
    gone = [digest for digest in loose if f"aibot:{digest}" not in held]
    if gone:
        session.execute(delete(MediaFile).where(MediaFile.digest.in_(gone)))
    return len(gone)


def _held(session: Session) -> set[str]:
    """The media ids of photos pending questions hold for their records (few rows: one per member asked)."""
    return {
        photo[0] for draft in session.scalars(select(PendingDraft.draft)) for photo in draft.get("photos", ())
    }
