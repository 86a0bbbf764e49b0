"""The robot against `tougao serve` with two real gunicorn workers, over HTTP with real encryption: group
and single chats at once, WeCom's retries, strangers, unknown streams; and replies finished only through
refreshes that reach whichever worker, since nothing of a stream lives in one worker's memory."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from storage.models import Activity, AibotStream, Article, InboundMessage, Member, PendingDraft
from tests.aibot import AIBOT, Robot, text
from tests.helpers import count_rows
from tests.live import LiveServer

pytestmark = pytest.mark.slow
GROUP = "wrGroupXinchengPublicists"


def publicists(org, n: int) -> list[str]:
    with org.sessions() as s:
        return list(s.scalars(select(Member.userid).where(Member.role == "publicist").order_by(Member.id)))[
            :n
        ]


def answered_by(log: str) -> set[str]:
    """The worker pids in gunicorn's access log lines for the robot's URL."""
    return set(re.findall(r'<(\d+)> "POST /wecom/aibot', log))


def serve(org, tmp_path, **env) -> LiveServer:
    return LiveServer(
        org.engine.url.render_as_string(hide_password=False), tmp_path, workers=2, **AIBOT, **env
    )


def test_group_and_single_chats_at_once_on_two_workers(org, tmp_path):
    users = publicists(org, 8)
    server = serve(org, tmp_path)
    robot = Robot(None, server.url)

    def report(i: int) -> list[str]:
        msg = text(users[i], f"上稿 第{i}篇 https://www.xuexi.cn/a?id={i}", chat=GROUP if i % 2 else None)
        return [robot.finish(users[i], robot.send(msg), msg.get("chatid")) for _ in range(2)]  # and a retry

    try:
        with ThreadPoolExecutor(8) as pool:
            replies = list(pool.map(report, range(len(users))))
            strangers = list(pool.map(lambda chat: robot.say("stranger", "排名", chat=chat), [GROUP, None]))
        unknown = robot.refresh("zhangsan", "STREAMID", chat=GROUP)["stream"]
        ranking = robot.say("lishuji", "本月排名", chat=GROUP)
    finally:
        log = server.stop()
    assert all(first.startswith("已登记上稿") and second == first for first, second in replies)
    assert all("管理员" in reply for reply in strangers)
    assert unknown == {"id": "STREAMID", "finish": True, "content": ""}
    assert "1. " in ranking and "1篇" in ranking
    assert count_rows(org, Article) == len(users) and count_rows(org, InboundMessage) == len(users) + 1
    assert answered_by(log)


def test_replies_finished_by_refreshes_on_any_worker(org, tmp_path):
    """WECOM_AIBOT_REPLY_WAIT=0: every callback answers an unfinished stream, and the reply is fetched by
    refreshes spread over both workers. Ten publicists in one group each answer their own question."""
    users = publicists(org, 10)
    server = serve(org, tmp_path, WECOM_AIBOT_REPLY_WAIT="0")
    robot = Robot(None, server.url)

    def exchange(i: int) -> tuple[dict, str]:
        first = robot.send(text(users[i], "今天在社区广场开展学雷锋志愿服务活动，很多居民参加", chat=GROUP))
        asked = robot.finish(users[i], first, GROUP)
        return first, asked + "|" + robot.say(users[i], f"大概{20 + i}人", chat=GROUP)

    def refresh(stream: tuple[str, str]) -> dict:
        return robot.refresh(stream[0], stream[1], GROUP)["stream"]

    try:
        with ThreadPoolExecutor(len(users)) as pool:
            results = list(pool.map(exchange, range(len(users))))
            # Every late reply, asked for again in bursts until both workers have answered (a sync worker takes
            # one request at a time, so a burst spreads; the access log is written as requests end).
            streams = [(users[i], first["stream"]["id"]) for i, (first, _) in enumerate(results)]
            for _ in range(5):
                again = list(pool.map(refresh, streams * 2))
                assert all(r["finish"] and "大约是多少人" in r["content"] for r in again)
                if len(answered_by(server.log_path.read_text())) == 2:
                    break
    finally:
        log = server.stop()
    assert all(first["stream"]["finish"] is False for first, _ in results)  # none was ready within 0 s
    assert all("大约是多少人" in r and "已登记活动" in r for _, r in results)
    with org.sessions() as s:
        stored = {(a.member.userid, a.participants) for a in s.scalars(select(Activity))}
        assert s.scalar(select(PendingDraft.id)) is None
    assert stored == {(u, 20 + i) for i, u in enumerate(users)}
    # Each first message's reply was late (asserted above); an answer may have been ready in time, rarely.
    assert len(users) <= count_rows(org, AibotStream) <= 2 * len(users)
    assert len(answered_by(log)) == 2  # replies made on one worker were read on the other
