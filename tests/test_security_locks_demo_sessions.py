"""Issue 11, item 9: a slow token refresh holds no database lock, the demo never touches a real
database, and a signed-out dashboard cookie stops working at once (role changes and deactivation too)."""

from __future__ import annotations

import socket
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot import create_app
from bot.cli import main
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member
from storage.orgfile import apply_org, load_org_file
from tests.conftest import EXAMPLE_ORG, WECOM
from tests.dashboard import DashboardUser
from tests.helpers import WeComSender, count_rows, text_xml


def test_a_slow_token_refresh_does_not_block_callbacks(pushing_app, fake_wecom, org):
    """WeCom's gettoken hangs while a token is refreshed; a callback must still write and answer (SQLite's
    busy timeout here is 1 s: the refresh used to hold the write lock and the callback answered 503)."""
    fake_wecom.token_gate = threading.Event()
    client = pushing_app.services.wecom
    tokens: list[str] = []
    refresh = threading.Thread(target=lambda: tokens.append(client.access_token))
    refresh.start()
    try:
        assert fake_wecom.token_entered.wait(10)  # the refresh is inside gettoken now
        sender = WeComSender(
            pushing_app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
        )
        response = sender.send(text_xml("zhangsan", "帮助"))
        assert response.status_code == 200 and "投稿通可用命令" in sender.open_reply(response)
    finally:
        fake_wecom.token_gate.set()
        refresh.join(30)
    assert tokens == ["TOKEN1"] and fake_wecom.token_calls == 1


@pytest.fixture
def production(tmp_path) -> str:
    """A real office's database: migrated, its own organisation, no demo marker."""
    url = f"sqlite:///{tmp_path}/production.db"
    upgrade(url)
    db = Database.from_url(url)
    with db.sessions() as s, s.begin():
        apply_org(s, load_org_file(EXAMPLE_ORG, s))
        s.add(Member(userid="realperson", name="真人", unit_id=1, role="admin"))
    db.engine.dispose()
    return url


def people(url: str) -> int:
    db = Database.from_url(url)
    try:
        return count_rows(db, Member)
    finally:
        db.engine.dispose()


@pytest.fixture
def no_server(monkeypatch, tmp_path):
    """Run `tougao demo` in-process up to the point where it would serve."""
    served: list[str] = []
    monkeypatch.setattr(
        "bot.serve.run_dev_server",
        lambda app, listening: served.append(app.settings.DATABASE_URL) or listening.close(),
    )
    monkeypatch.setattr("bot.serve.listen", lambda host, port: socket.create_server(("127.0.0.1", 0)))
    monkeypatch.setattr("scheduler.runner.build_scheduler", lambda services, background: _Idle())
    monkeypatch.setenv("TOUGAO_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return served


class _Idle:
    def start(self) -> None: ...

    def shutdown(self, wait: bool) -> None: ...


def test_the_demo_ignores_database_url_and_uses_its_own(production, no_server, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", production)
    monkeypatch.setenv("WECOM_SECRET", "real-secret-of-the-office")  # as a production .env would have
    before = people(production)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert (
        no_server == [f"sqlite:///{tmp_path}/instance/demo.db"]
        and (tmp_path / "instance" / "demo.db").exists()
    )
    assert people(production) == before  # no example members (or admin) added to the real database
    demo = CliRunner().invoke(main, ["demo"])  # the demo's own database is reused
    assert demo.exit_code == 0, demo.output


def test_the_demo_refuses_a_database_it_did_not_make(production, no_server):
    before = people(production)
    result = CliRunner().invoke(main, ["demo", "--database-url", production])
    assert result.exit_code == 1 and "不是演示建立的数据" in result.output
    assert people(production) == before and no_server == []


def test_the_demo_never_uses_wecom_credentials(no_server, monkeypatch):
    apps = []
    monkeypatch.setattr(
        "bot.serve.run_dev_server", lambda app, listening: apps.append(app) or listening.close()
    )
    for name, value in {**WECOM, "WECOM_SECRET": "real-secret-of-the-office"}.items():
        monkeypatch.setenv(name, value)
    assert CliRunner().invoke(main, ["demo"]).exit_code == 0
    [app] = apps
    assert {type(s).__name__ for s in app.services.senders.values()} == {"ConsoleSender"}
    assert app.test_client().post("/wecom/callback").status_code == 404


@pytest.fixture
def dashboard(org):
    return create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)


def stolen_copy(dashboard, userid: str):
    """Sign in, and keep a copy of the cookie (as someone who saw it would)."""
    user = DashboardUser(dashboard.test_client())
    user.sign_in(userid)
    cookie = user.client.get_cookie("tougao_admin").value
    other = dashboard.test_client()
    other.set_cookie("tougao_admin", cookie)
    assert other.get("/admin/").status_code == 200
    return user, other


def test_a_signed_out_cookie_stops_working_everywhere(dashboard):
    user, copy = stolen_copy(dashboard, "lishuji")
    user.post("/admin/logout")
    assert copy.get("/admin/").status_code == 302  # to the sign-in page


@pytest.mark.parametrize(
    "change",
    ["成员 添加 lishuji 李书记 新城街道 管理员", "成员 删除 lishuji"],
    ids=["role change", "deactivation"],
)
def test_a_role_change_or_deactivation_voids_old_cookies(dashboard, org, change, chat):
    _user, copy = stolen_copy(dashboard, "lishuji")
    chat(change, user="admin")
    if "添加" in change:
        with org.sessions() as s:
            assert s.scalar(select(Member.role).where(Member.userid == "lishuji")) == "admin"
    assert copy.get("/admin/").status_code == 302
    fresh = DashboardUser(dashboard.test_client())
    if "添加" in change:  # signing in again works, with the new role
        fresh.sign_in("lishuji")
        assert fresh.get("/admin/members").status_code == 200
