"""A question asked by one gunicorn worker is answered through another: the pending draft lives in the
database. Fourteen publicists hold a two-message exchange at once against two real workers; with the state in
one worker's memory about half of them would be lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from storage.models import Activity, Member, PendingDraft
from tests.live import LiveServer, Outcome, WeComLikeClient

pytestmark = pytest.mark.slow


def test_a_question_and_its_answer_may_reach_different_workers(org, tmp_path):
    with org.sessions() as s:
        users = list(s.scalars(select(Member.userid).where(Member.role == "publicist").order_by(Member.id)))
    server = LiveServer(org.engine.url.render_as_string(hide_password=False), tmp_path, workers=2)
    client, outcome = WeComLikeClient(server.url), Outcome()

    def exchange(i: int) -> None:
        client.deliver(
            users[i], "今天在社区广场开展学雷锋志愿服务活动，很多居民参加", 1000 + i, outcome, twice=False
        )
        client.deliver(users[i], f"大概{20 + i}人", 2000 + i, outcome, twice=False)

    try:
        with ThreadPoolExecutor(len(users)) as pool:
            list(pool.map(exchange, range(len(users))))
    finally:
        server.stop()
    assert all("大约是多少人" in outcome.answered[1000 + i] for i in range(len(users)))
    assert all("已登记活动" in outcome.answered[2000 + i] for i in range(len(users)))
    with org.sessions() as s:
        stored = {(a.member.userid, a.participants) for a in s.scalars(select(Activity))}
        assert s.scalar(select(PendingDraft.id)) is None
    assert stored == {(u, 20 + i) for i, u in enumerate(users)}
