"""PostgreSQL restarted under a running app: the pool's connections are dead, and the next message is still
answered and stored rather than answered 503 (the engine pings a pooled connection before using it)."""

import pytest
from sqlalchemy import create_engine, text

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
    """What a server restart does to the app's pooled connections: every one is terminated."""
    with db.engine.connect() as conn:  # one of the app's own, back to its pool afterwards
        conn.exec_driver_sql("SELECT 1")
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            dropped = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            mine = " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            return conn.execute(text(dropped + mine)).scalar()
    finally:
        admin.dispose()


def test_a_message_after_the_servers_connections_dropped_is_stored_not_503(org):
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/r?id=1")
    assert restart_drops_connections_of(org) >= 1
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 乙 https://www.xuexi.cn/r?id=2")
    assert count_rows(org, Article) == 2
