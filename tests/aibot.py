"""A WeCom intelligent robot for tests: it encrypts messages the way WeCom does (wechatpy's own PrpCrypto
with an empty receiveid, independent of bot/aibot_crypto.py), posts them to /wecom/aibot, verifies the
reply's signature and decrypts it, and refreshes unfinished streams like WeCom."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from urllib.parse import urlencode

from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder
from wechatpy.enterprise.crypto import PrpCrypto

from tests.helpers import fresh_nonce

AIBOT = {
    "WECOM_AIBOT_TOKEN": "tougaoRobotToken",
    "WECOM_AIBOT_AES_KEY": "RobotKey0123456789abcdefghijklmnopqrstuvwxy",
    "WECOM_AIBOT_ID": "aibTestRobot0001",
}
KEY = base64.b64decode(AIBOT["WECOM_AIBOT_AES_KEY"] + "=")
MENTION = "@投稿通\u2005"  # WeCom puts U+2005 after an @-mention
_ids = itertools.count(1)


def seal_json(obj: dict | str, receive_id: str = "") -> str:
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return PrpCrypto(KEY).encrypt(text, receive_id).decode()


def encrypt_media(content: bytes) -> bytes:
    """A picture as WeCom's media URL serves it: AES-256-CBC with the robot's key, PKCS#7 to 32 bytes."""
    return WeChatCipher(KEY).encrypt(PKCS7Encoder.encode(content))


def message(user: str, msgtype: str = "text", chat: str | None = None, **fields) -> dict:
    """A decrypted robot message: a group one when `chat` names the group."""
    body = {
        "msgid": fields.pop("msgid", None) or f"CAIQ{next(_ids):08d}/robot=",
        "aibotid": fields.pop("aibotid", AIBOT["WECOM_AIBOT_ID"]),
        "chattype": "group" if chat else "single",
        "from": {"userid": user},
        "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=x",
        "msgtype": msgtype,
        **fields,
    }
    if chat:
        body["chatid"] = chat
    return body


def text(user: str, content: str, chat: str | None = None, **fields) -> dict:
    """In a group the text starts with the robot's @-mention, as WeCom delivers it."""
    return message(user, "text", chat, text={"content": (MENTION if chat else "") + content}, **fields)


class Robot:
    """Posts as WeCom posts to /wecom/aibot, with a Flask test client or (client=None) over HTTP."""

    def __init__(self, client, base_url: str = "") -> None:
        self.client, self.base_url = client, base_url

    def envelope(
        self, obj: dict | str, timestamp: int | None = None, receive_id: str = ""
    ) -> tuple[bytes, dict]:
        encrypt = seal_json(obj, receive_id)
        return json.dumps({"encrypt": encrypt}).encode(), self.signed(encrypt, timestamp)

    def signed(self, encrypt: str, timestamp: int | None = None) -> dict:
        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), fresh_nonce()
        parts = sorted([AIBOT["WECOM_AIBOT_TOKEN"], ts, nonce, encrypt])
        return {
            "msg_signature": hashlib.sha1("".join(parts).encode()).hexdigest(),
            "timestamp": ts,
            "nonce": nonce,
        }

    def post(self, body: bytes, query: dict):
        if self.client is None:
            import requests

            url = f"{self.base_url}/wecom/aibot?{urlencode(query)}"
            return requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10)
        return self.client.post(
            "/wecom/aibot?" + urlencode(query), data=body, content_type="application/json"
        )

    def send(self, obj: dict) -> dict | None:
        """Post a message; the decrypted reply (None for an empty body). Anything but 200 fails."""
        body, query = self.envelope(obj)
        response = self.post(body, query)
        status = getattr(response, "status_code", None)
        assert status == 200, (status, _data(response))
        return self.open(_data(response), query["nonce"])

    def open(self, raw: bytes, nonce: str) -> dict | None:
        """Check the reply as WeCom would: its signature, its nonce (the callback's own), then decrypt."""
        if not raw:
            return None
        envelope = json.loads(raw)
        assert set(envelope) == {"encrypt", "msgsignature", "timestamp", "nonce"}
        assert envelope["nonce"] == nonce and envelope["timestamp"].isdigit()
        parts = sorted([AIBOT["WECOM_AIBOT_TOKEN"], envelope["timestamp"], nonce, envelope["encrypt"]])
        assert hashlib.sha1("".join(parts).encode()).hexdigest() == envelope["msgsignature"]
        return json.loads(PrpCrypto(KEY).decrypt(envelope["encrypt"], ""))

    def refresh(self, user: str, stream_id: str, chat: str | None = None) -> dict:
        return self.send(message(user, "stream", chat, stream={"id": stream_id}))

    def say(self, user: str, content: str, chat: str | None = None, **fields) -> str:
        """Send a text and follow the stream (refreshing while unfinished) to its final content."""
        return self.finish(user, self.send(text(user, content, chat, **fields)), chat)

    def finish(self, user: str, reply: dict | None, chat: str | None = None, seconds: float = 30) -> str:
        if reply is None:
            return ""
        assert reply["msgtype"] == "stream", reply
        deadline = time.monotonic() + seconds
        while not reply["stream"]["finish"]:
            assert time.monotonic() < deadline, "the stream never finished"
            time.sleep(0.05)  # WeCom polls too
            reply = self.refresh(user, reply["stream"]["id"], chat)
        return reply["stream"]["content"]


def _data(response) -> bytes:
    return response.content if hasattr(response, "content") else response.get_data()
