"""Two real `tougao scheduler` processes at once on the same database (SQLite, and PostgreSQL when
configured) send every reminder once; the Redis token store shares one token between clients."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from storage.models import OrgSetting, Outbox, ReminderLog
from tests.conftest import WECOM

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def scheduler_env(org, fake_wecom) -> dict[str, str]:
    """The environment of a `tougao scheduler` on the test database, pushing to the fake WeCom API."""
    return {
        **os.environ,
        "DATABASE_URL": org.engine.url.render_as_string(hide_password=False),
        **WECOM,
        "WECOM_SECRET": "s3cr3t-for-tests",
        "WECOM_API_BASE": fake_wecom.api_base,
        "TOUGAO_LOG_LEVEL": "WARNING",
    }


def wait_until_delivered(db, procs, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"scheduler exited early: {p.communicate()}")
        with db.sessions() as s:
            total = s.scalar(select(func.count(Outbox.id)))
            open_rows = s.scalar(select(func.count(Outbox.id)).where(Outbox.status != "sent"))
        state = (total, open_rows)
        if state != last:
            last, stable_since = state, time.monotonic()
        elif total and not open_rows and time.monotonic() - stable_since > 3:
            return
        time.sleep(0.3)  # polling real processes, not waiting for time to pass
    raise AssertionError(f"outbox did not settle: {last}")


@pytest.mark.slow
def test_two_scheduler_processes_send_each_reminder_once(org, fake_wecom, tmp_path):
    with org.sessions() as s, s.begin():
        # every occasion of last month (and this month's first nag) is due, and none is past the grace period
        s.merge(
            OrgSetting(key="schedule", value={"nag": {"days": [1], "time": "09:00"}, "grace_hours": 100000})
        )
    env = scheduler_env(org, fake_wecom)
    start = [sys.executable, "-m", "bot", "scheduler"]
    procs = [
        subprocess.Popen(
            start, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        wait_until_delivered(org, procs)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=30) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    deliveries = Counter(
        (body["text"]["content"], user) for body in fake_wecom.texts() for user in body["touser"].split("|")
    )
    assert deliveries and max(deliveries.values()) == 1  # nobody got the same reminder twice
    nags = {user for (text, user) in deliveries if text.startswith("【投稿通提醒】")}
    assert len(nags) == 14  # every publicist (no one reported anything) got last month's nag once
    with org.sessions() as s:
        keys = s.execute(select(ReminderLog.kind, ReminderLog.occasion, ReminderLog.recipient)).all()
    assert len(keys) == len(set(keys))
    assert fake_wecom.token_calls == 1  # the two processes shared one token through the database


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set (.ci/run sets it when Redis answers)")
def test_redis_token_store_shares_one_token(fake_wecom):
    import redis

    from senders.tokens import RedisTokenStore
    from senders.wecom import WeComApi

    redis.Redis.from_url(REDIS_URL).delete("tougao:token:wwtestcorp0000001_s3cr3t-for_access_token")
    clients = [
        WeComApi("wwtestcorp0000001", "s3cr3t-for-tests", fake_wecom.api_base, RedisTokenStore(REDIS_URL))
        for _ in range(3)
    ]
    assert {c.access_token for c in clients} == {"TOKEN1"} and fake_wecom.token_calls == 1
    clients[0].tokens.forget(clients[0].access_token_key)
    assert clients[1].access_token == "TOKEN2"


@pytest.mark.slow
def test_scheduler_killed_mid_fan_out_sends_the_rest_once_after_restart(org, fake_wecom, tmp_path):
    from storage.outbox import enqueue
    from tests.helpers import ROUTING, app_push

    with org.sessions() as s, s.begin():  # 40 distinct messages waiting to go out
        enqueue(s, "fanout", [app_push("test", (f"user{i}",), f"提醒{i}") for i in range(40)], ROUTING)
    fake_wecom.delay = 0.1
    env = scheduler_env(org, fake_wecom)
    start = [sys.executable, "-m", "bot", "scheduler"]
    first = subprocess.Popen(
        start, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while len(fake_wecom.sent) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the fake API until the fan-out is under way
    first.kill()  # SIGKILL in the middle of the fan-out
    first.wait(timeout=10)
    sent_before = len(fake_wecom.sent)
    assert 10 <= sent_before < 40
    second = subprocess.Popen(
        start, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_delivered(org, [second])
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    reached = Counter(user for user, _content in fake_wecom.delivered)
    assert sorted(reached) == sorted(f"user{i}" for i in range(40)) and set(reached.values()) == {1}
    assert (
        len(fake_wecom.sent) - sent_before <= 40 - sent_before + 1
    )  # at most the one in flight is asked again


@pytest.mark.slow
def test_two_schedulers_on_a_slow_api_send_each_row_once(org, fake_wecom, tmp_path):
    """Issue 11, item 6: the second scheduler starts while the first is sending a slow batch. It used to
    release the first one's claims at start-up and send those rows too (and a batch's lease could run out
    under a live sender); now claims are per row and only a dead process's claims are released."""
    from storage.outbox import enqueue
    from tests.helpers import ROUTING, app_push

    with org.sessions() as s, s.begin():
        enqueue(s, "slow", [app_push("test", (f"slow{i}",), f"慢消息{i}") for i in range(40)], ROUTING)
    fake_wecom.delay = 0.15  # each message/send takes a while
    env = scheduler_env(org, fake_wecom)
    start = [sys.executable, "-m", "bot", "scheduler"]

    def scheduler_process() -> subprocess.Popen:
        return subprocess.Popen(
            start, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    first = scheduler_process()
    deadline = time.monotonic() + 60
    while len(fake_wecom.sent) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the fake API until the first scheduler is mid-batch
    procs = [first, scheduler_process()]
    try:
        wait_until_delivered(org, procs)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    calls = Counter((body["text"]["content"], body["touser"]) for body in fake_wecom.texts())
    mine = {key: n for key, n in calls.items() if key[0].startswith("慢消息")}
    assert len(mine) == 40 and set(mine.values()) == {1}  # every row sent, none twice
    assert max(calls.values()) == 1
