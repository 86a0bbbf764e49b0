"""Issue 11, item 7 (the admin's half): failed pushes are listed and resent (command line and dashboard),
and `tougao serve` / `tougao scheduler` refuse a callback whose push settings are incomplete."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from click.testing import CliRunner
from sqlalchemy import select

from bot import create_app
from bot.cli import main
from scheduler import jobs
from storage.models import AdminAction, Outbox
from storage.outbox import enqueue
from tests.aibot import AIBOT
from tests.conftest import WECOM
from tests.dashboard import DashboardUser
from tests.helpers import ROUTING, SHANGHAI, app_push


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2023, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def failed_push(pushing_app, fake_wecom, org) -> int:
    """A push to u0 and u1 that WeCom refused for u1 (outside the app's visible range)."""
    with org.sessions() as s, s.begin():
        enqueue(s, "test", [app_push("test", ("u0", "u1"), "本月任务提醒")], ROUTING)
    fake_wecom.send_script = [{"invaliduser": "u1"}]
    jobs.deliver(pushing_app.services)
    with org.sessions() as s:
        return s.scalar(select(Outbox.id).where(Outbox.status == "failed"))


def status(db, row_id: int) -> str:
    with db.sessions() as s:
        return s.get(Outbox, row_id).status


def cli(org, monkeypatch, *args: str):
    monkeypatch.setenv("DATABASE_URL", org.engine.url.render_as_string(hide_password=False))
    return CliRunner().invoke(main, list(args))


def test_the_command_line_lists_failed_pushes_and_resends_them(
    failed_push, pushing_app, fake_wecom, org, monkeypatch
):
    listed = cli(org, monkeypatch, "outbox", "list", "--failed")
    assert listed.exit_code == 0, listed.output
    assert f"#{failed_push} " in listed.output and "u1" in listed.output and "invaliduser" in listed.output
    assert "#1 " not in listed.output  # the part that went out is not listed
    again = cli(org, monkeypatch, "outbox", "retry", "--all-failed")
    assert again.exit_code == 0 and f"已重新排队 1 条推送（#{failed_push}）" in again.output
    jobs.deliver(pushing_app.services)  # the visible range was fixed in the meantime
    assert status(org, failed_push) == "sent"
    assert fake_wecom.sent[-1]["touser"] == "u1" and fake_wecom.sent[-1]["text"]["content"] == "本月任务提醒"
    assert "没有失败的推送" in cli(org, monkeypatch, "outbox", "list", "--failed").output


def test_retry_by_number_leaves_other_rows_alone(failed_push, org, monkeypatch):
    result = cli(org, monkeypatch, "outbox", "retry", "1", str(failed_push))
    assert result.exit_code == 0 and "不是失败状态，未改动：#1" in result.output
    assert status(org, 1) == "sent" and status(org, failed_push) == "pending"
    assert cli(org, monkeypatch, "outbox", "retry").exit_code == 2  # numbers or --all-failed


def test_the_dashboard_resends_a_failed_push_and_audits_it(failed_push, org):
    user = DashboardUser(
        create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()
    )
    user.sign_in("admin")
    page = user.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "重新发送全部失败推送（1条）" in page and "invaliduser" in page
    done = user.post("/admin/outbox/retry", follow=True, id=str(failed_push), status="failed")
    assert f"已重新排队1条推送（第{failed_push}条）" in done.get_data(as_text=True)
    assert status(org, failed_push) == "pending"
    with org.sessions() as s:
        assert (
            s.scalar(select(AdminAction.detail).where(AdminAction.action == "outbox_retry"))
            == f"#{failed_push}"
        )
    huge = user.post("/admin/outbox/retry", follow=True, id="9" * 30)
    assert huge.status_code == 200 and "没有需要重新发送的失败推送" in huge.get_data(as_text=True)


def test_leaders_cannot_resend(failed_push, org):
    user = DashboardUser(
        create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()
    )
    user.sign_in("lishuji")
    assert user.post("/admin/outbox/retry", all="1").status_code == 403
    assert status(org, failed_push) == "failed"


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({}, "WECOM_SECRET、WECOM_AGENT_ID"),
        ({"WECOM_AGENT_ID": "1000002"}, "WECOM_SECRET"),
        ({"WECOM_AGENT_ID": "app-one", "WECOM_SECRET": "s"}, "WECOM_AGENT_ID 应为应用的 AgentId"),
    ],
)
@pytest.mark.parametrize("command", [["serve"], ["scheduler"], ["remind", "nag"]])
def test_a_callback_without_push_settings_refuses_to_start(command, extra, says, org, monkeypatch, tmp_path):
    """Pushes would go to the console sender and be marked sent: nobody would ever get them."""
    started = []
    monkeypatch.setattr("bot.serve.run_gunicorn", lambda *a: started.append("serve"))
    monkeypatch.setattr("scheduler.runner.build_scheduler", lambda *a, **k: started.append("scheduler"))
    monkeypatch.setattr("scheduler.jobs.run_occasion", lambda *a, **k: started.append("remind") or 0)
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("WECOM_SECRET", "WECOM_AGENT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**{k: v for k, v in WECOM.items() if k != "WECOM_AGENT_ID"}, **extra}.items():
        monkeypatch.setenv(name, value)
    result = cli(org, monkeypatch, *command)
    assert result.exit_code == 2 and says in result.output and started == []


def test_a_robot_without_the_apps_push_settings_refuses_to_start(org, monkeypatch, tmp_path):
    """The robot's slow answers (exports) go out through the app: without its settings they would be lost."""
    started = []
    monkeypatch.setattr("bot.serve.run_gunicorn", lambda *a: started.append("serve"))
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("WECOM_CORP_ID", "WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_SECRET", "WECOM_AGENT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in AIBOT.items():
        monkeypatch.setenv(name, value)
    result = cli(org, monkeypatch, "serve")
    assert result.exit_code == 2 and started == []
    assert (
        "已配置智能机器人" in result.output and "WECOM_CORP_ID、WECOM_SECRET、WECOM_AGENT_ID" in result.output
    )


def test_without_any_credentials_the_console_sender_is_fine(org, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = []
    monkeypatch.setattr("bot.serve.run_gunicorn", lambda *a: started.append("serve"))
    assert cli(org, monkeypatch, "serve").exit_code == 0 and started == ["serve"]


def test_the_outbox_page_shows_the_channel_and_who_was_rejected_and_why(failed_push, org):
    """A WeCom member outside the app's visible range: the push is failed for that recipient alone."""
    user = DashboardUser(
        create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()
    )
    user.sign_in("admin")
    page = user.get("/admin/outbox").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    sent = next(r for r in rows if ">1</td>" in r)
    failed = next(r for r in rows if f">{failed_push}</td>" in r)
    assert "企业微信" in sent and "已发送" in sent and "u0" in sent
    assert "未送达</span> u1：不在应用可见范围内或账号不存在（invaliduser）" in sent
    assert "失败" in failed and "u1" in failed and "u0" not in failed
    with org.sessions() as s:
        row = s.get(Outbox, failed_push)
        assert (row.recipients, row.rejected) == (
            ["u1"],
            {"u1": "不在应用可见范围内或账号不存在（invaliduser）"},
        )
