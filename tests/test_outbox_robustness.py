"""Issue 11, items 5–7 (delivery): one bad row never jams the outbox, a process delivers once at a time,
recipients WeCom rejects are recorded as failed, and failure alerts also reach the group robot and the log."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from scheduler.failures import MAX_REFUSALS
from scheduler.outbox import deliver_due
from storage.channels import Channel
from storage.models import OrgSetting, Outbox
from storage.outbox import enqueue
from tests.conftest import WECOM
from tests.helpers import ROUTING, SHANGHAI, app_push, services_with

START = datetime(2023, 3, 20, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def queue_each(db, users: list[str]) -> None:
    """One row per user, each with its own text."""
    with db.sessions() as s, s.begin():
        enqueue(s, "test", [app_push("test", (u,), f"给{u}的消息") for u in users], ROUTING)


def rows(db) -> list[Outbox]:
    with db.sessions() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.id)))


def test_a_non_json_answer_costs_its_row_one_attempt_and_the_rest_go(pushing_app, fake_wecom, org):
    queue_each(org, ["u0", "u1", "u2"])
    fake_wecom.send_script = ["html"]  # a proxy's page instead of WeCom's JSON
    report = jobs.deliver(pushing_app.services)
    first, *others = rows(org)
    assert report.sent == 2 and [r.status for r in others] == ["sent", "sent"]
    assert (first.status, first.attempts) == ("pending", 1) and "not JSON" in first.last_error
    assert first.next_attempt_at == START + timedelta(seconds=30)  # back-off, not at the head at once


class Exploding:
    """A sender whose send raises something that is not a PushError for one recipient."""

    channel, per_call = Channel.WECOM_APP, 1000

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, recipients: list[str], message) -> dict[str, str]:
        if recipients == ["u1"]:
            raise RuntimeError("boom at http://h/cgi-bin/message/send?access_token=T0KEN-SECRET")
        self.sent += recipients
        return {}

    def download(self, media_id: str) -> bytes:
        raise NotImplementedError


def test_any_exception_is_isolated_to_its_row_and_masked(org, clock):
    queue_each(org, ["u0", "u1", "u2"])
    sender = Exploding()
    for _ in range(MAX_REFUSALS):
        deliver_due(services_with(org, {Channel.WECOM_APP: sender}))
        clock.shift(timedelta(minutes=16))
    assert sender.sent[:2] == ["u0", "u2"]
    bad = rows(org)[1]
    assert (bad.status, bad.attempts) == ("failed", MAX_REFUSALS)
    assert bad.last_error == "RuntimeError: boom at http://h/cgi-bin/message/send?access_token=***"
    assert [r.payload["kind"] for r in rows(org)[3:]] == ["alert"]  # the admins are told
    assert sender.sent[-1] == "admin"


def test_a_token_store_outage_pauses_the_channel_and_keeps_every_row(org, fake_wecom):
    config = {
        "DATABASE_URL": str(org.engine.url),
        **WECOM,
        "WECOM_SECRET": "s3cr3t-for-tests",
        "WECOM_API_BASE": fake_wecom.api_base,
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there
    }
    app = create_app(config, database=org)
    queue_each(org, ["u0", "u1"])
    report = jobs.deliver(app.services)
    assert report.paused == {Channel.WECOM_APP} and report.sent == 0
    assert [(r.status, r.attempts) for r in rows(org)] == [("pending", 1), ("pending", 0)]
    assert "token store unreachable" in rows(org)[0].last_error


def test_one_occasion_that_fails_does_not_hold_back_the_others(
    pushing_app, fake_wecom, org, clock, monkeypatch
):
    with org.sessions() as s, s.begin():
        s.merge(OrgSetting(key="schedule", value={"grace_hours": 100000}))
    real_plan = jobs.plan

    def plan(session, occasion, *args, **kw):
        if occasion.kind == "nag":
            raise RuntimeError("a bug in the nag")
        return real_plan(session, occasion, *args, **kw)

    monkeypatch.setattr(jobs, "plan", plan)
    clock.move_to(datetime(2023, 4, 3, 9, 0, tzinfo=SHANGHAI))
    jobs.tick(pushing_app.services)
    texts = [b["text"]["content"] for b in fake_wecom.texts()]
    assert any("通报" in t for t in texts) and any("月末提醒" in t for t in texts)


def test_one_delivery_at_a_time_in_a_process(pushing_app, fake_wecom, org, clock):
    """tick, work and the outbox job each deliver, in APScheduler's thread pool: while one delivery is
    sending (WeCom hangs), another finds the lease run out but must not send the same rows again."""
    queue_each(org, ["u0", "u1", "u2"])
    fake_wecom.gate = threading.Event()
    first = threading.Thread(target=jobs.deliver, args=(pushing_app.services,))
    first.start()
    assert fake_wecom.entered.wait(10)  # the first delivery is inside message/send
    clock.shift(timedelta(minutes=10))  # longer than any lease
    second = jobs.deliver(pushing_app.services)
    fake_wecom.gate.set()
    first.join(30)
    assert second.sent == 0
    assert sorted(fake_wecom.recipients()) == ["u0", "u1", "u2"]  # each once
    assert [r.status for r in rows(org)] == ["sent"] * 3


def test_recipients_wecom_rejects_are_failed_for_them_and_alerted(pushing_app, fake_wecom, org, caplog):
    with org.sessions() as s, s.begin():
        enqueue(s, "test", [app_push("test", ("u0", "u1", "u2"), "通知")], ROUTING)
    fake_wecom.send_script = [{"invaliduser": "u1"}]  # outside the app's visible range
    with caplog.at_level(logging.ERROR):
        jobs.deliver(pushing_app.services)
    sent, failed, *alerts = rows(org)
    assert (sent.status, sent.recipients) == ("sent", ["u0", "u2"])
    assert (failed.status, failed.recipients, failed.payload["text"]) == ("failed", ["u1"], "通知")
    assert "invaliduser" in failed.last_error and "u1" in failed.last_error
    assert [a.channel for a in alerts] == [Channel.WECOM_APP, Channel.GROUP_ROBOT]
    assert "failed for good" in caplog.text
    assert any("发送失败" in b["text"]["content"] for b in fake_wecom.webhook)


def test_a_failure_alert_also_reaches_the_group_robot_and_the_log(
    pushing_app, fake_wecom, org, clock, caplog
):
    queue_each(org, ["u0"])
    fake_wecom.always = 60020  # not allowed from this IP: the WeCom app itself cannot tell the admins
    with caplog.at_level(logging.ERROR):
        for _ in range(MAX_REFUSALS):
            jobs.deliver(pushing_app.services)
            clock.shift(timedelta(minutes=16))
    assert rows(org)[0].status == "failed"
    assert "outbox row 1 failed for good: WeCom errcode 60020" in caplog.text
    [group] = fake_wecom.webhook
    assert "多次发送失败（第1条" in group["text"]["content"] and "60020" in group["text"]["content"]
