"""Engine and session factory: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL via psycopg 3."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy's default driver is psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def dialect_insert(session: Session):
    """The dialect's `insert` (both have ON CONFLICT DO NOTHING, which plain `insert` lacks)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def insert_missing(session: Session, model: type, values: dict, key: list[str], returning=None):
    """Insert a row unless one with the same `key` columns exists (ON CONFLICT DO NOTHING, on both
    backends): the one upsert of the house. With `returning` (a column), its value for the new row, or
    None when the key was taken. A concurrent twin waits for the first insert to commit, then finds the
    key taken. (RETURNING, because rowcount is -1 on psycopg's ORM insert path.)"""
    statement = dialect_insert(session)(model).values(**values).on_conflict_do_nothing(index_elements=key)
    if returning is None:
        session.execute(statement)
        return None
    return session.execute(statement.returning(returning)).scalar()


def make_engine(url: str, busy_timeout: float = 3.0) -> Engine:
    """Create an engine; for SQLite also create the file's folder and set the connection pragmas."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict = {"connect_args": {"timeout": busy_timeout, "check_same_thread": False}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    _set_sqlite_pragmas(engine, busy_timeout, wal=not in_memory)
    return engine


def _set_sqlite_pragmas(engine: Engine, busy_timeout: float, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # pysqlite's own BEGIN handling defers locks badly; let SQLAlchemy emit BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # Writers: IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        # Readers (Database.readers): a plain BEGIN, which in WAL mode never blocks or is blocked.
        conn.exec_driver_sql(
            "BEGIN" if conn.get_execution_options().get("tougao_read_only") else "BEGIN IMMEDIATE"
        )


@dataclass
class Database:
    """The engine and its session factories (the services' `db`).

    `sessions` is for work that writes; `readers` for long reads (planning reminders, building workbooks):
    on SQLite they do not hold the write lock, so callbacks are never kept waiting by them."""

    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]

    @classmethod
    def from_url(cls, url: str, busy_timeout: float = 3.0) -> Database:
        engine = make_engine(url, busy_timeout)
        reader = engine.execution_options(tougao_read_only=True)
        return cls(
            engine, sessionmaker(engine, expire_on_commit=False), sessionmaker(reader, expire_on_commit=False)
        )

    def ping(self) -> None:
        """Raise if the database does not answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
