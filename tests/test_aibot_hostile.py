"""The app callback's hostile-input suite against /wecom/aibot: each body gets its 4xx (never a 500),
nothing is stored, and the robot goes on answering."""

from __future__ import annotations

import base64
import json
import sqlite3
import struct
import time
from urllib.parse import urlencode

import pytest
from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

from bot import create_app
from bot.callback_crypto import MAX_BODY
from storage.models import AibotStream, Article, InboundMessage, MediaFile
from tests.aibot import AIBOT, KEY, Robot, message, seal_json, text
from tests.conftest import WECOM
from tests.helpers import count_rows

REPORT = "上稿 甲 https://www.xuexi.cn/a?id=1"
TABLES = (Article, InboundMessage, AibotStream, MediaFile)


@pytest.fixture
def robot(org) -> Robot:
    return Robot(
        create_app({"DATABASE_URL": str(org.engine.url), **WECOM, **AIBOT}, database=org).test_client()
    )


def stored(org) -> tuple[int, ...]:
    return tuple(count_rows(org, table) for table in TABLES)


def signed(r: Robot, encrypt: str) -> tuple[bytes, dict]:
    """A well-signed envelope around any encrypt value (to reach the decrypt step)."""
    return json.dumps({"encrypt": encrypt}).encode(), r.signed(encrypt)


def raw(plain: bytes, padded: bool = True) -> str:
    """Ciphertext of `plain` with the robot's key, without the random/length/receiveid framing."""
    return base64.b64encode(
        WeChatCipher(KEY).encrypt(PKCS7Encoder.encode(plain) if padded else plain)
    ).decode()


def framed(msg: bytes, length: int | None = None, receive_id: bytes = b"") -> str:
    head = b"0123456789abcdef" + struct.pack(">I", len(msg) if length is None else length)
    return raw(head + msg + receive_id)


def inner(r: Robot, obj: object) -> tuple[bytes, dict]:
    """A message that decrypts fine but is not a usable message."""
    return signed(r, seal_json(obj if isinstance(obj, str) else json.dumps(obj)))


def good(r: Robot, **kw) -> tuple[bytes, dict]:
    return r.envelope(text("zhangsan", REPORT), **kw)


CASES = {
    "bad_signature": (lambda r: (good(r)[0], {**good(r)[1], "msg_signature": "f" * 40}), 403),
    "receiveid_of_the_app": (lambda r: good(r, receive_id=WECOM["WECOM_CORP_ID"]), 403),
    "receiveid_of_the_robot": (lambda r: good(r, receive_id=AIBOT["WECOM_AIBOT_ID"]), 403),
    "stale": (lambda r: good(r, timestamp=int(time.time()) - 301), 403),
    "future": (lambda r: good(r, timestamp=int(time.time()) + 301), 403),
    "non_numeric_timestamp": (lambda r: (good(r)[0], {**good(r)[1], "timestamp": "yesterday"}), 400),
    "missing_params": (lambda r: (good(r)[0], {}), 400),
    "oversized": (lambda r: (good(r)[0][:-1] + b', "pad": "' + b"x" * MAX_BODY + b'"}', good(r)[1]), 413),
    "ten_megabytes": (lambda r: (b'{"encrypt": "' + b"A" * (10 << 20) + b'"}', {}), 413),
    "malformed_json": (lambda r: (b'{"encrypt": "abc"', {}), 400),
    "truncated": (lambda r: (good(r)[0][:40], good(r)[1]), 400),
    "xml_body": (lambda r: (b"<xml><Encrypt>abc</Encrypt></xml>", {}), 400),
    "empty": (lambda r: (b"", {}), 400),
    "non_utf8": (lambda r: (b'{"encrypt": "\xff\xfe"}', {}), 400),
    "deep_nesting": (lambda r: (b"[" * 60000, {}), 400),
    "json_list": (lambda r: (b'["encrypt"]', {}), 400),
    "encrypt_not_a_string": (lambda r: (b'{"encrypt": 12345}', {}), 400),
    "no_encrypt": (lambda r: (b'{"Encrypt": "abc"}', {}), 400),
    "bad_base64": (lambda r: signed(r, "!!!not-base64!!!"), 400),
    "non_ascii_base64": (lambda r: signed(r, "密文密文"), 400),
    "not_whole_blocks": (lambda r: signed(r, base64.b64encode(b"0123456789").decode()), 400),
    "bad_padding": (lambda r: signed(r, raw(b"x" * 31 + b"\x00", padded=False)), 400),
    "padding_past_32": (lambda r: signed(r, raw(b"x" * 15 + b"\x30" * 49, padded=False)), 400),
    "plaintext_too_short": (lambda r: signed(r, raw(b"short")), 400),
    "length_past_the_end": (lambda r: signed(r, framed(b'{"a": 1}', length=1000)), 400),
    "plaintext_not_utf8": (lambda r: signed(r, framed(b"\xff\xfe{}")), 400),
    "inner_not_json": (lambda r: inner(r, "not json at all"), 400),
    "inner_list": (lambda r: inner(r, [1, 2]), 400),
    "inner_deep_nesting": (lambda r: inner(r, "[" * 5000), 400),
    "inner_without_sender": (
        lambda r: inner(r, {"msgid": "1", "msgtype": "text", "text": {"content": REPORT}}),
        400,
    ),
    "inner_from_not_an_object": (lambda r: inner(r, {**text("zhangsan", REPORT), "from": "zhangsan"}), 400),
    "inner_msgtype_a_number": (lambda r: inner(r, {**text("zhangsan", REPORT), "msgtype": 1}), 400),
    "inner_content_a_list": (
        lambda r: inner(r, {**text("zhangsan", REPORT), "text": {"content": [REPORT]}}),
        400,
    ),
    "inner_lone_surrogate": (lambda r: inner(r, json.dumps(text("zhangsan", "\udc00"))), 400),  # valid JSON
    "inner_without_msgid": (lambda r: inner(r, {**text("zhangsan", REPORT), "msgid": ""}), 400),
    "inner_msgid_too_long": (lambda r: inner(r, text("zhangsan", REPORT, msgid="m" * 200)), 400),
    "inner_userid_too_long": (lambda r: inner(r, text("z" * 100, REPORT)), 400),
    "image_without_url": (lambda r: inner(r, message("zhangsan", "image", image={})), 400),
    "mixed_without_items": (lambda r: inner(r, message("zhangsan", "mixed", mixed={"msg_item": "x"})), 400),
    "another_robot": (lambda r: inner(r, text("zhangsan", REPORT, aibotid="aibOther")), 403),
}


@pytest.mark.parametrize(("make", "status"), CASES.values(), ids=list(CASES))
def test_hostile_body_is_refused_and_the_robot_goes_on(make, status, robot, org):
    body, query = make(robot)
    response = robot.post(body, query)
    assert response.status_code == status, response.get_data(as_text=True)
    assert stored(org) == (0, 0, 0, 0)
    assert robot.say("zhangsan", REPORT).startswith("已登记上稿")  # still answering, and storing
    assert stored(org) == (1, 1, 0, 0)


def test_url_check_refuses_missing_bad_stale_and_foreign_echostrs(robot):
    def check(encrypt: str, **query) -> int:
        q = {**robot.signed(encrypt), "echostr": encrypt, **query}
        return robot.client.get("/wecom/aibot?" + urlencode(q)).status_code

    assert robot.client.get("/wecom/aibot").status_code == 400
    assert check("!!!not-base64!!!") == 400
    assert check(seal_json("echo", receive_id=WECOM["WECOM_CORP_ID"])) == 403
    stale = seal_json("echo")
    q = {**robot.signed(stale, timestamp=int(time.time()) - 1000), "echostr": stale}
    assert robot.client.get("/wecom/aibot?" + urlencode(q)).status_code == 403
    assert check(stale, msg_signature="0" * 40) == 403


def test_a_signed_pair_is_good_for_one_body(robot, org):
    body, query = robot.envelope(text("admin", "帮助", msgid="CAIQpair1"))
    assert robot.post(body, query).status_code == 200
    assert robot.post(body, query).status_code == 200  # WeCom's retry of the very same request
    forged, _ = robot.envelope(text("admin", "成员 添加 attacker1 攻击者 新城街道 管理员", msgid="CAIQpair2"))
    assert robot.post(forged, query).status_code == 403  # the logged query with another body
    assert count_rows(org, InboundMessage) == 1


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_locked_database_answers_503_and_the_retry_stores_once(org):
    config = {"DATABASE_URL": str(org.engine.url), **WECOM, **AIBOT, "TOUGAO_SQLITE_BUSY_TIMEOUT": "0.2"}
    robot = Robot(create_app(config).test_client())
    body, query = robot.envelope(text("zhangsan", REPORT, chat="wrGroup", msgid="CAIQlocked"))
    blocker = sqlite3.connect(org.engine.url.database, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert robot.post(body, query).status_code == 503
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    for _ in range(2):
        reply = robot.open(robot.post(body, query).get_data(), query["nonce"])
        assert reply["stream"]["finish"] and reply["stream"]["content"].startswith("已登记上稿")
    assert count_rows(org, Article) == 1
