"""Fixtures: a real database per test (SQLite always, PostgreSQL with TEST_DATABASE_URL), the app, a
WeCom sender that encrypts with wechatpy exactly as WeCom does, and a chat helper for handler tests."""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from bot import create_app
from storage.db import Database
from tests.helpers import SHANGHAI, WeChatSender, WeComSender, chat_as
from tests.templates import EXAMPLE_ORG as EXAMPLE_ORG  # tests import it from here
from tests.templates import PostgresSnapshots, build_sqlite_templates, sqlite_copy

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]

WECHAT = {
    "WECHAT_APP_ID": "wxtestapp00000001",
    "WECHAT_TOKEN": "tougaoWeChatToken",
    "WECHAT_AES_KEY": "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut",
}
WECOM = {
    "WECOM_CORP_ID": "wwtestcorp0000001",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_TOKEN": "tougaoTestToken",
    "WECOM_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
}
# What `tougao serve` and `tougao scheduler` also need (they refuse a callback without push settings);
# the API base is a closed loopback port, so nothing ever leaves the machine.
WECOM_PUSH = {"WECOM_SECRET": "s3cr3t-for-tests", "WECOM_API_BASE": "http://127.0.0.1:9/cgi-bin/"}


@pytest.fixture(scope="session", autouse=True)
def _home(tmp_path_factory):
    """TOUGAO_HOME is a folder of the run's own: no test reads the developer's .env or writes into the clone
    (the processes tests start inherit it). A test about the home sets its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOUGAO_HOME", str(tmp_path_factory.mktemp("home")))
        yield


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """A test that would reach the internet fails: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and not host.startswith("/")
        ):
            raise AssertionError(f"test tried to reach {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def march_2023():
    """Local time frozen at 2023-03-20 10:00 in Shanghai (a Monday, mid-month)."""
    with time_machine.travel(datetime(2023, 3, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory) -> dict[bool, Path]:
    """The schema, and the schema with the example org, built once per run (tests/templates.py)."""
    return build_sqlite_templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def _pg_snapshots():
    """The PostgreSQL database named by TEST_DATABASE_URL, reset to a snapshot before each test."""
    snapshots = PostgresSnapshots(PG_URL)
    yield snapshots
    snapshots.close()


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> Database:
    """A fresh database at the newest schema; loaded with the example org when the test also asks for
    `org`. A copy of a template built once per run, not rebuilt per test."""
    with_org = "org" in request.fixturenames
    if request.param == "sqlite":
        db = sqlite_copy(request.getfixturevalue("_sqlite_templates")[with_org], tmp_path / "tougao.db")
        yield db
        db.engine.dispose()
        return
    yield request.getfixturevalue("_pg_snapshots").reset(with_org)


@pytest.fixture
def org(database) -> Database:
    """The database loaded with examples/org.yaml (新城街道 and the zone's 35 units)."""
    return database  # `database` copied the template that has it


@pytest.fixture
def app(org, tmp_path):
    config = {"DATABASE_URL": str(org.engine.url), "TOUGAO_TIMEZONE": "Asia/Shanghai", **WECOM, **WECHAT}
    return create_app(config, database=org)


@pytest.fixture
def fake_wecom(httpserver):
    """The WeCom API on a real local HTTP server (see tests/fake_wecom.py)."""
    from tests.fake_wecom import FakeWeCom

    return FakeWeCom(httpserver)


@pytest.fixture
def pushing_app(org, fake_wecom):
    """The app with WeCom credentials pointing at the fake API, and the group robot configured."""
    config = {
        "DATABASE_URL": str(org.engine.url),
        **WECOM,
        "WECOM_SECRET": "s3cr3t-for-tests",
        "WECOM_API_BASE": fake_wecom.api_base,
        "WECOM_WEBHOOK_URL": fake_wecom.webhook_url,
    }
    return create_app(config, database=org)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wecom(client) -> WeComSender:
    return WeComSender(client, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])


@pytest.fixture
def plain_wechat_client(org):
    """An Official Account in plain mode: no WECHAT_AES_KEY (with a key set, plain mode is refused)."""
    plain = {k: v for k, v in WECHAT.items() if k != "WECHAT_AES_KEY"}
    return create_app({"DATABASE_URL": str(org.engine.url), **WECOM, **plain}, database=org).test_client()


@pytest.fixture(params=["wecom", "wechat-plain", "wechat-safe"])
def channel(request, client):
    """Each callback channel, behind one sender interface: the same end-to-end tests run on all three."""
    if request.param == "wecom":
        return WeComSender(client, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
    safe = request.param == "wechat-safe"
    if not safe:
        client = request.getfixturevalue("plain_wechat_client")
    return WeChatSender(
        client, WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"], safe
    )


@pytest.fixture
def chat(org):
    """chat("上稿 …", user="zhangsan") → the reply text, through the same pipeline as every channel."""
    return lambda content, user="zhangsan": chat_as(org, user, content)
