"""A database fault answers 503 (WeCom retries, nothing was acknowledged); the retry stores once."""

import sqlite3

import pytest
from sqlalchemy import func, select

from bot import create_app
from storage.db import Database
from storage.models import Article
from tests.conftest import WECOM
from tests.helpers import WeComSender, text_xml


@pytest.mark.parametrize(
    "database", ["sqlite"], indirect=True
)  # PostgreSQL's twin: the refused connection below
def test_locked_sqlite_answers_503_and_the_retry_stores_once(org):
    app = create_app({"DATABASE_URL": str(org.engine.url), **WECOM, "TOUGAO_SQLITE_BUSY_TIMEOUT": "0.2"})
    sender = WeComSender(
        app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    body, query = sender.envelope(text_xml("zhangsan", "上稿 甲 https://www.xuexi.cn/a?id=1", msg_id=42))
    blocker = sqlite3.connect(org.engine.url.database, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = sender.post(body, query)
        assert response.status_code == 503
        assert app.test_client().get("/healthz").status_code == 503
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "已登记上稿" in sender.open_reply(sender.post(body, query))
    assert "已登记上稿" in sender.open_reply(sender.post(body, query))  # WeCom's further retry
    with org.sessions() as s:
        assert s.scalar(select(func.count(Article.id))) == 1


def test_unreachable_postgresql_answers_503():
    url = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=1"
    app = create_app({"DATABASE_URL": url, **WECOM}, database=Database.from_url(url))
    sender = WeComSender(
        app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    assert sender.send(text_xml("zhangsan", "排名")).status_code == 503
    health = app.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "error", "database": "unavailable"}


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}
