"""Engine and session factory: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL via psycopg 3."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker
from sqlalchemy.pool import StaticPool

T = TypeVar("T")


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy's default driver is psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def dialect_insert(session: Session):
    """The dialect's `insert` (both have ON CONFLICT DO NOTHING, which plain `insert` lacks)."""
    return insert_for(session.get_bind().dialect.name)


def insert_for(dialect: str):
    """PostgreSQL's or SQLite's `insert`, whose module is loaded only by a process that uses it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_missing(session: Session, model: type, values: dict, key: list[str], returning=None):
    """Insert a row unless one with the same `key` columns exists (ON CONFLICT DO NOTHING, on both
    backends): the one upsert of the house. With `returning` (a column), its value for the new row, or
    None when the key was taken. A concurrent twin waits for the first insert to commit, then finds the
    key taken. (RETURNING, because rowcount is -1 on psycopg's ORM insert path.) The statement is built
    once per shape and run as plain Core."""
    conn = core(session)
    shape = (conn.dialect.name, model, tuple(values), tuple(key), getattr(returning, "key", None))
    statement = _missing.get(shape)
    if statement is None:
        statement = insert_for(conn.dialect.name)(model.__table__).values({k: bindparam(k) for k in values})
        statement = statement.on_conflict_do_nothing(index_elements=key)
        if returning is not None:
            statement = statement.returning(returning)
        statement = _missing.setdefault(shape, statement)
    result = conn.execute(statement, values)
    return None if returning is None else result.scalar()


_missing: dict = {}


def core(session: Session) -> Connection:
    """The session's connection, for the hot path's plain Core statements (built once, at import): they
    skip the ORM's execution layer, about 70 µs a statement. What the session holds is flushed first, as an
    ORM query would."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


_inserts: dict = {}


def add_row(session: Session, model: type[T], **values) -> T:
    """INSERT one row with a plain Core statement (RETURNING its id) and give it to the session as its own
    object, not read back: the hot path's writes at under half a flush's cost. `values` names every
    column but the id (so nothing is left for the database to fill in that the object would not know)."""
    table = model.__table__
    whole(model, values, "id")
    if table not in _inserts:
        _inserts[table] = insert(table).returning(table.c.id)
    return own_row(session, model, id=core(session).execute(_inserts[table], values).scalar_one(), **values)


def whole(model: type, values: dict, *given: str) -> None:
    """Raise unless `values` and `given` name every column of `model`."""
    missing = set(model.__table__.columns.keys()) - set(given) - set(values)
    if missing:
        raise TypeError(f"{model.__name__}: no value for {', '.join(sorted(missing))}")


def own_row(session: Session, model: type[T], **values) -> T:
    """A row just inserted (every column in `values`), as the session's own object, without reading it."""
    row = model(**values)
    make_transient_to_detached(row)
    session.add(row)
    return row


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
        if conn.get_execution_options().get("tougao_read_only"):
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn, busy_timeout)


# How often a writer looks again for SQLite's write lock while another writer holds it.
WRITE_LOCK_POLL = 0.0002


def _begin_immediate(conn: Connection, timeout: float) -> None:
    """BEGIN IMMEDIATE, looking for the write lock every WRITE_LOCK_POLL seconds for up to `timeout`.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15 … ms between tries: with writers one after another
    (every callback writes) a waiter mostly sleeps while the lock is free, and p99 grows past 100 ms. The
    last try goes through SQLAlchemy, so a lock still held raises its OperationalError (503 for a callback).
    """
    raw = conn.connection.driver_connection
    deadline = time.monotonic() + timeout
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    break  # not another writer: the last try below raises it properly
            time.sleep(WRITE_LOCK_POLL)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")


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
        from storage.org_generation import watch

        engine = make_engine(url, busy_timeout)
        watch(engine)  # writes to the organisation's tables renew the cached copy's token
        reader = engine.execution_options(tougao_read_only=True)
        return cls(
            engine, sessionmaker(engine, expire_on_commit=False), sessionmaker(reader, expire_on_commit=False)
        )

    @property
    def one_writer(self) -> bool:
        """SQLite: one write transaction at a time, for the whole database."""
        return self.engine.dialect.name == "sqlite"

    def ping(self) -> None:
        """Raise if the database does not answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
