"""Issue 11, item 1: no forged callback. With WECHAT_AES_KEY set only safe mode is accepted; a signed
(timestamp, nonce) pair is good for one body on every worker; the access log keeps no query string."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import select

from bot import create_app
from storage.models import InboundMessage, Member
from tests.conftest import WECHAT, WECOM
from tests.helpers import WeChatSender, WeComSender, count_rows, text_xml

WECHAT_KEYS = (WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"])
FORGED = "成员 添加 attacker1 攻击者 新城街道 管理员"


def attacker_exists(db) -> bool:
    with db.sessions() as s:
        return s.scalar(select(Member).where(Member.userid == "attacker1")) is not None


def plain_query(ts: str, nonce: str) -> dict:
    signature = hashlib.sha1("".join(sorted([WECHAT["WECHAT_TOKEN"], ts, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": ts, "nonce": nonce}


def test_plain_mode_is_refused_once_an_aes_key_is_set(client, org):
    """The audit's attack: one logged plain signature, then any body as the admin."""
    query = plain_query(str(int(time.time())), "n0nce1")
    response = client.post(
        "/wechat/callback?" + urlencode(query), data=text_xml("admin", FORGED), content_type="text/xml"
    )
    assert response.status_code == 403
    assert not attacker_exists(org) and count_rows(org, InboundMessage) == 0


def test_safe_mode_still_works_with_the_key(client, org):
    safe = WeChatSender(client, *WECHAT_KEYS, True)
    assert "投稿通可用命令" in safe.text("admin", "帮助")


def test_a_signed_pair_is_good_for_one_body_on_every_worker(org):
    """Plain mode (no AES key), two app instances on one database as two workers: the retry of a message
    passes on either, the logged query with another body is refused on the other worker."""
    plain = {k: v for k, v in WECHAT.items() if k != "WECHAT_AES_KEY"}
    config = {"DATABASE_URL": str(org.engine.url), **WECOM, **plain}
    one, two = (create_app(config, database=org).test_client() for _ in range(2))
    sender = WeChatSender(one, *WECHAT_KEYS, False)
    legit, query = sender.envelope(text_xml("admin", "帮助", msg_id=1001))
    assert sender.post(legit, query).status_code == 200
    retry = two.post("/wechat/callback?" + urlencode(query), data=legit, content_type="text/xml")
    assert retry.status_code == 200 and "投稿通可用命令" in sender.open_reply(retry)
    forged = two.post(
        "/wechat/callback?" + urlencode(query), data=text_xml("admin", FORGED, 1002), content_type="text/xml"
    )
    assert forged.status_code == 403
    assert not attacker_exists(org) and count_rows(org, InboundMessage) == 1


@pytest.mark.slow
def test_the_access_log_keeps_no_callback_query_string(org, tmp_path):
    from tests.live import LiveServer

    server = LiveServer(org.engine.url.render_as_string(hide_password=False), tmp_path, workers=2)
    sender = WeComSender(None, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
    body, query = sender.envelope(text_xml("zhangsan", "帮助"))
    try:
        response = requests.post(
            f"{server.url}/wecom/callback?{urlencode(query)}", data=body.encode(), timeout=10
        )
        assert response.status_code == 200
    finally:
        log = server.stop()
    assert "POST /wecom/callback HTTP/1.1" in log  # the access log is on, with the path
    for value in query.values():
        assert value not in log
    assert "msg_signature" not in log and "nonce=" not in log


def test_the_scheduler_forgets_pairs_past_the_window(pushing_app, org):
    from datetime import datetime, timedelta

    import time_machine

    from scheduler import jobs
    from storage.models import CallbackNonce
    from tests.helpers import SHANGHAI

    start = datetime(2023, 3, 20, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False) as clock:
        sender = WeComSender(
            pushing_app.test_client(), *(WECOM[k] for k in ("WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_CORP_ID"))
        )
        assert "投稿通可用命令" in sender.text("zhangsan", "帮助")
        jobs.tick(pushing_app.services)
        assert count_rows(org, CallbackNonce) == 1  # still inside twice the 300 s window
        clock.shift(timedelta(seconds=601))
        jobs.tick(pushing_app.services)
        assert count_rows(org, CallbackNonce) == 0


@pytest.mark.slow
def test_real_gunicorn_workers_all_refuse_a_logged_pair_with_another_body(org, tmp_path):
    """The audit's attack against `tougao serve` with three workers: WeChat's retries of a message pass on
        whichever worker takes them, the logged query with a forged body is refused by each that gets it (at least two
    of the three, seen in the access log)."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from tests.live import LiveServer

    plain = {k: v for k, v in WECHAT.items() if k != "WECHAT_AES_KEY"}
    server = LiveServer(org.engine.url.render_as_string(hide_password=False), tmp_path, workers=3, **plain)
    sender = WeChatSender(None, *WECHAT_KEYS, False)
    legit, query = sender.envelope(text_xml("admin", "帮助", msg_id=3001))
    url = f"{server.url}/wechat/callback?{urlencode(query)}"
    forged = text_xml("admin", FORGED, msg_id=3002).encode()

    def post(body: bytes) -> int:
        return requests.post(url, data=body, timeout=10).status_code

    def refused_by(log: str) -> set[str]:  # gunicorn's %(p)s of each worker that answered the forged body
        return set(re.findall(r'<(\d+)> "POST /wechat/callback\S* HTTP/1.1" 403', log))

    statuses, refused = [], []
    try:
        # Sent in bursts, so that a busy worker leaves the next request to another (a sync worker takes one at
        # a time), until at least two workers have refused; the access log is written as requests end.
        with ThreadPoolExecutor(12) as pool:
            for _ in range(5):
                statuses += pool.map(post, [legit.encode()] * 12)
                refused += pool.map(post, [forged] * 12)
                if len(refused_by(server.log_path.read_text())) >= 2:
                    break
    finally:
        log = server.stop()
    assert set(statuses) == {200} and set(refused) == {403}
    assert len(refused_by(log)) >= 2  # the forged body was really refused by several workers
    assert not attacker_exists(org) and count_rows(org, InboundMessage) == 1
