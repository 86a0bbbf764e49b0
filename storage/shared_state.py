"""Small rows every worker must agree on: callback (timestamp, nonce) pairs and the app's generated secrets."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import insert_missing
from storage.models import AppSecret, CallbackNonce


def accept_nonce(session: Session, key: str, digest: str, now: datetime) -> bool:
    """Record `key` with the body's digest. True when the pair is new, or came before with this very body
    (a platform retry, answered again from the inbound log); False when it came with another body."""
    values = {"key": key, "digest": digest, "seen_at": now}
    inserted = insert_missing(session, CallbackNonce, values, ["key"], returning=CallbackNonce.digest)
    if inserted is not None:
        return True  # the usual case: one statement
    return session.scalar(select(CallbackNonce.digest).where(CallbackNonce.key == key)) == digest


def forget_nonces(session: Session, before: datetime) -> int:
    """Drop pairs seen before `before` (their timestamps are outside the window by then)."""
    return session.execute(delete(CallbackNonce).where(CallbackNonce.seen_at < before)).rowcount or 0


def generated_secret(session: Session, name: str) -> str:
    """The secret called `name`, made (random, 48 bytes) by whichever process asks first."""
    insert_missing(session, AppSecret, {"name": name, "value": secrets.token_urlsafe(48)}, ["name"])
    return session.scalar(select(AppSecret.value).where(AppSecret.name == name))
