"""PostgreSQL restarted under a running app: the pool's connections are dead, and the next message is still
answered and stored rather than answered 503 (the engine pings a pooled connection before using it)."""

import pytest
from sqlalchemy import create_engine, event, text

from storage.models import Article
from tests.conftest import PG_URL
from tests.helpers import chat_as, count_rows

pytestmark = [
    pytest.mark.skipif(
        not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)"
    ),
    pytest.mark.parametrize("database", ["postgresql"], indirect=True),  # SQLite has no server to restart
]


def restart_drops_connections_of(db) -> int:
    """What a server restart does to the app's pooled connections: every one is terminated (only the app's:
    another run's or a developer's sessions on the same database are left alone)."""
    pids: list[int] = []

    def remember(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])

    db.engine.dispose()  # the pool starts again, and each connection it makes is remembered
    event.listen(db.engine, "connect", remember)
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")  # back to the pool afterwards, alive
    finally:
        event.remove(db.engine, "connect", remember)
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            ended = text("SELECT count(pg_terminate_backend(pid)) FROM unnest(CAST(:pids AS int[])) AS pid")
            return conn.execute(ended, {"pids": pids}).scalar()
    finally:
        admin.dispose()


def test_a_message_after_the_servers_connections_dropped_is_stored_not_503(org):
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/r?id=1")
    assert restart_drops_connections_of(org) == 1
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 乙 https://www.xuexi.cn/r?id=2")
    assert count_rows(org, Article) == 2
