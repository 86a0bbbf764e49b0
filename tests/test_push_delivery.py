"""Pushes through the outbox to a real local HTTP server standing in for the WeCom API."""

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from scheduler import jobs
from scheduler.failures import MAX_REFUSALS
from senders.tokens import DatabaseTokenStore
from senders.wecom import WeComApi
from storage.channels import Channel
from storage.models import Outbox
from storage.outbox import Push
from tests.helpers import SHANGHAI, app_push, queue_pushes

START = datetime(2023, 3, 20, 9, 0, tzinfo=SHANGHAI)


def queue(db, *pushes: Push, occasion: str = "test") -> None:
    queue_pushes(db, *pushes, occasion=occasion)


def statuses(db) -> list[str]:
    with db.sessions() as s:
        return list(s.scalars(select(Outbox.status).order_by(Outbox.id)))


def text_push(n: int, prefix: str = "u") -> Push:
    return app_push("test", tuple(f"{prefix}{i}" for i in range(n)), f"消息{prefix}")


@pytest.fixture(autouse=True)
def _start():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_identical_text_shares_calls_of_at_most_1000(pushing_app, fake_wecom, org):
    queue(org, text_push(2500))
    report = jobs.deliver(pushing_app.services)
    assert report.sent == 3 and [len(b["touser"].split("|")) for b in fake_wecom.sent] == [1000, 1000, 500]
    assert fake_wecom.recipients() == [f"u{i}" for i in range(2500)]
    assert fake_wecom.token_calls == 1 and {b["agentid"] for b in fake_wecom.sent} == {1000002}
    assert statuses(org) == ["sent"] * 3


def test_one_token_shared_by_several_processes(pushing_app, fake_wecom, org):
    """Four 'workers' (four clients on the shared database store) fetch one token between them."""
    store = DatabaseTokenStore(org)
    clients = [
        WeComApi("wwtestcorp0000001", "s3cr3t-for-tests", fake_wecom.api_base, store) for _ in range(4)
    ]
    tokens = {c.access_token for c in clients}
    assert tokens == {"TOKEN1"} and fake_wecom.token_calls == 1


def test_token_refreshed_before_it_expires(pushing_app, fake_wecom, org, _start):
    store = DatabaseTokenStore(org)
    client = WeComApi("wwtestcorp0000001", "s3cr3t-for-tests", fake_wecom.api_base, store)
    assert client.access_token == "TOKEN1"
    _start.shift(timedelta(seconds=7200 - 301))
    assert client.access_token == "TOKEN1"
    _start.shift(timedelta(seconds=2))  # inside the 5-minute safety margin
    assert client.access_token == "TOKEN2"


def test_expired_token_is_fetched_again_and_the_send_retried_once(pushing_app, fake_wecom, org):
    queue(org, text_push(3))
    fake_wecom.send_script = [42001]
    assert jobs.deliver(pushing_app.services).sent == 1
    assert fake_wecom.token_calls == 2 and fake_wecom.sent[0]["access_token"] == "TOKEN2"


def test_a_server_that_always_answers_42001_is_bounded(pushing_app, fake_wecom, org):
    queue(org, text_push(3))
    fake_wecom.always = 42001
    report = jobs.deliver(pushing_app.services)  # wechatpy's own retry would recurse until RecursionError
    assert report.sent == 0 and report.paused == {Channel.WECOM_APP}
    assert fake_wecom.token_calls == 2  # the first fetch and one retry, no more
    assert statuses(org) == ["pending"]


@pytest.mark.parametrize("failure", [-1, 45009, "down"])
def test_busy_rate_limited_or_down_pauses_then_delivers(pushing_app, fake_wecom, org, _start, failure):
    queue(org, text_push(2, "a"), text_push(2, "b"))
    fake_wecom.send_script = [failure]
    first = jobs.deliver(pushing_app.services)
    assert first.sent == 0 and first.paused == {Channel.WECOM_APP} and statuses(org) == ["pending", "pending"]
    assert jobs.deliver(pushing_app.services).sent == 0  # still paused: nothing tried
    _start.shift(timedelta(seconds=31))
    assert jobs.deliver(pushing_app.services).sent == 2
    assert fake_wecom.recipients() == ["a0", "a1", "b0", "b1"]


def test_an_hour_long_outage_loses_nothing_and_delivers_in_order(pushing_app, fake_wecom, org, _start):
    queue(org, *(text_push(3, prefix) for prefix in "abcdefghij"))
    fake_wecom.always = "down"
    for _minute in range(60):
        jobs.deliver(pushing_app.services)
        _start.shift(timedelta(minutes=1))
    assert fake_wecom.sent == [] and statuses(org) == ["pending"] * 10
    with org.sessions() as s:
        resume = s.scalar(select(func.max(Outbox.next_attempt_at)))
    assert resume - datetime.now(SHANGHAI) <= timedelta(minutes=15)  # back-off is capped
    fake_wecom.always = None
    _start.shift(timedelta(minutes=15))
    jobs.deliver(pushing_app.services)
    assert statuses(org) == ["sent"] * 10
    assert fake_wecom.recipients() == [f"{p}{i}" for p in "abcdefghij" for i in range(3)]


def test_a_refused_message_fails_after_the_limit_and_the_admin_is_told(pushing_app, fake_wecom, org, _start):
    queue(org, text_push(2))
    fake_wecom.send_script = [60020] * MAX_REFUSALS  # e.g. "not allow to access from your ip"
    for _ in range(MAX_REFUSALS):
        jobs.deliver(pushing_app.services)
        _start.shift(timedelta(minutes=16))
    assert statuses(org)[0] == "failed"
    jobs.deliver(pushing_app.services)
    [alert] = fake_wecom.sent
    assert alert["touser"] == "admin" and "多次发送失败" in alert["text"]["content"]
    with org.sessions() as s:
        assert "60020" in s.scalar(select(Outbox.last_error).where(Outbox.status == "failed"))


def test_group_robot_gets_the_bulletin_with_mentions_and_its_rate_limit(pushing_app, fake_wecom, org, _start):
    group = Channel.GROUP_ROBOT
    queue(org, *(app_push("test", (f"webhook:{i}",), f"通报{i}", group, ("zhangsan",)) for i in range(21)))
    report = jobs.deliver(pushing_app.services)
    assert report.sent == 20 and report.paused == {"webhook"}
    assert fake_wecom.webhook[0] == {
        "msgtype": "text",
        "text": {"content": "通报0", "mentioned_list": ["zhangsan"]},
    }
    _start.shift(timedelta(seconds=61))
    assert (
        jobs.deliver(pushing_app.services).sent == 1 and fake_wecom.webhook[-1]["text"]["content"] == "通报20"
    )


def test_scheduled_bulletin_reaches_leaders_and_the_group(pushing_app, fake_wecom, org, _start):
    _start.move_to(datetime(2023, 4, 3, 9, 0, tzinfo=SHANGHAI))
    jobs.tick(pushing_app.services)
    [to_leaders] = [b for b in fake_wecom.texts() if "通报" in b["text"]["content"]]
    assert to_leaders["touser"] == "lishuji|wangzhuren"
    [chart] = [b for b in fake_wecom.sent if b["msgtype"] == "image"]
    assert chart["touser"] == "lishuji|wangzhuren" and chart["image"]["media_id"] == "MEDIA1"
    kind, name, png = fake_wecom.uploads[0]
    assert (kind, name, png[:8]) == ("image", "新城街道2023年3月上稿排名图.png", b"\x89PNG\r\n\x1a\n")
    group_text, group_image = fake_wecom.webhook
    assert group_text["text"]["content"].startswith("【新城街道宣传信息工作通报】2023年3月")
    # every unit is behind, so every publicist is @-mentioned
    assert "zhangsan" in group_text["text"]["mentioned_list"]
    assert group_image["msgtype"] == "image" and len(group_image["image"]["md5"]) == 32


def test_first_token_fetch_is_not_raced_by_parallel_workers(pushing_app, fake_wecom, org):
    from concurrent.futures import ThreadPoolExecutor

    store = DatabaseTokenStore(org)

    def fresh_client_token(_):
        return WeComApi("wwtestcorp0000001", "s3cr3t-for-tests", fake_wecom.api_base, store).access_token

    with ThreadPoolExecutor(6) as pool:
        tokens = set(pool.map(fresh_client_token, range(6)))
    assert tokens == {"TOKEN1"} and fake_wecom.token_calls == 1


def test_messages_ask_wecom_to_drop_duplicates(pushing_app, fake_wecom, org):
    """A retry after a crash between WeCom's acceptance and our bookkeeping reaches nobody twice."""
    queue(org, text_push(2))
    jobs.deliver(pushing_app.services)
    [body] = fake_wecom.sent
    assert body["enable_duplicate_check"] == 1 and body["duplicate_check_interval"] == 14400
    with org.sessions() as s, s.begin():  # as if the process died before marking the row sent
        s.get(Outbox, 1).status = "pending"
    jobs.deliver(pushing_app.services)
    assert len(fake_wecom.sent) == 2 and [u for u, _ in fake_wecom.delivered] == ["u0", "u1"]
