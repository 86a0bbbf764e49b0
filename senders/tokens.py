"""Where API access tokens (WeCom, WeChat) live so that every process shares one: the database, or Redis."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from storage.db import Database, insert_missing
from storage.models import ApiToken

Fetch = Callable[[], tuple[str, int]]  # → (token, expires_in seconds)


class TokenStore(Protocol):
    def get(self, key: str, margin: float) -> str | None:
        """The token if it is still valid for `margin` seconds, else None."""

    def refresh(self, key: str, margin: float, fetch: Fetch) -> str:
        """Fetch a new token unless another process just did; one fetch at a time across processes."""

    def forget(self, key: str) -> None:
        """Drop a token the API rejected (WeCom 40014 / 42001, WeChat 40001 …)."""


class DatabaseTokenStore:
    """Tokens in the `api_token` table, one fetch at a time across processes: on PostgreSQL under the
    row's lock, on SQLite under a lock file beside the database (see refresh)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, margin: float) -> str | None:
        with self.db.sessions() as session:
            row = session.get(ApiToken, key)
            return row.token if row and row.token and _fresh(row.expires_at, margin) else None

    def refresh(self, key: str, margin: float, fetch: Fetch) -> str:
        if self.db.engine.dialect.name == "sqlite":
            return self._refresh_sqlite(key, margin, fetch)
        self._ensure_row(key)  # FOR UPDATE needs a row to lock, or two first fetches could race
        with self.db.sessions() as session, session.begin():  # the row lock blocks only other refreshers
            row = session.scalar(select(ApiToken).where(ApiToken.key == key).with_for_update())
            if _fresh(row.expires_at, margin):
                return row.token  # another process refreshed while we waited
            token, expires_in = fetch()
            row.token, row.expires_at = token, datetime.fromtimestamp(_now() + expires_in, UTC)
            return token

    def _refresh_sqlite(self, key: str, margin: float, fetch: Fetch) -> str:
        """SQLite's only lock is the whole database's write lock: holding it through gettoken (a 10 s
        timeout) kept every callback from writing, and they answered 503 while WeCom was slow. Refreshers
        queue on a lock file instead, and the database is written once the token is in hand."""
        with _refresh_lock(self.db.engine.url.database):
            with self.db.sessions() as session:
                row = session.get(ApiToken, key)
                if row is not None and row.token and _fresh(row.expires_at, margin):
                    return row.token  # another process refreshed while we waited
            token, expires_in = fetch()
            self._ensure_row(key)
            with self.db.sessions() as session, session.begin():
                row = session.get(ApiToken, key)
                row.token, row.expires_at = token, datetime.fromtimestamp(_now() + expires_in, UTC)
            return token

    def _ensure_row(self, key: str) -> None:
        with self.db.sessions() as session, session.begin():
            expired = datetime.fromtimestamp(0, UTC)
            insert_missing(session, ApiToken, {"key": key, "token": "", "expires_at": expired}, ["key"])

    def forget(self, key: str) -> None:
        with self.db.sessions() as session, session.begin():
            row = session.get(ApiToken, key)
            if row is not None:
                session.delete(row)


def store_errors() -> tuple[type[Exception], ...]:
    """What the shared token store raises when it fails: Redis's errors once Redis is in use (REDIS_URL);
    nothing before, when the redis package (5 MB a process) has not even been loaded. For `except`."""
    loaded = sys.modules.get("redis.exceptions")
    return (loaded.RedisError,) if loaded is not None else ()


class RedisTokenStore:
    """Tokens in Redis (REDIS_URL), with a short lock so only one process fetches."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)

    def get(self, key: str, margin: float) -> str | None:
        raw = self.redis.get(f"tougao:token:{key}")
        if not raw:
            return None
        entry = json.loads(raw)
        return entry["token"] if entry["expires_at"] - _now() > margin else None

    def refresh(self, key: str, margin: float, fetch: Fetch) -> str:
        with self.redis.lock(f"tougao:token-lock:{key}", timeout=30, blocking_timeout=30):
            token = self.get(key, margin)
            if token:
                return token
            token, expires_in = fetch()
            entry = {"token": token, "expires_at": _now() + expires_in}
            self.redis.set(f"tougao:token:{key}", json.dumps(entry), ex=int(expires_in))
            return token

    def forget(self, key: str) -> None:
        self.redis.delete(f"tougao:token:{key}")


_in_memory_lock = threading.Lock()


@contextmanager
def _refresh_lock(database: str | None) -> Iterator[None]:
    """An exclusive lock among processes using this SQLite file (a thread lock for an in-memory one)."""
    if not database or database == ":memory:":
        with _in_memory_lock:
            yield
        return
    import fcntl  # SQLite deployments run on Linux (gunicorn); the demo on Windows never fetches tokens

    with Path(f"{database}.token-lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now() -> float:
    return datetime.now(UTC).timestamp()


def _fresh(expires_at: datetime, margin: float) -> bool:
    return expires_at.timestamp() - _now() > margin
