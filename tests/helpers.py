"""Test builders: WeCom messages encrypted with wechatpy, and a chat helper over the real pipeline."""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.callback_crypto import parse_flat_xml
from bot.console import say
from senders.links import FileLinks
from senders.services import Services
from storage.channels import Channel
from storage.db import Database
from storage.outbox import Address, Push, Routing, enqueue

SHANGHAI = ZoneInfo("Asia/Shanghai")
_ids = itertools.count(7_000_000_000_000_000_000)


def fresh_nonce() -> str:
    """A new nonce per request, as WeCom and WeChat send (a (timestamp, nonce) pair is good for one body)."""
    return secrets.token_hex(5)


# How the tests address pushes: WeCom app rows of up to 1000, as the WeCom sender takes them.
ROUTING = Routing(Channel.WECOM_APP, {Channel.WECOM_APP: 1000, Channel.WECHAT_OA: 1, Channel.GROUP_ROBOT: 1})


def app_push(kind: str, users, text: str, channel: Channel = Channel.WECOM_APP, mentions=()) -> Push:
    """A push of `text` to these userids on one channel (the WeCom app unless said)."""
    return Push(kind, tuple(Address(channel, u) for u in users), text, tuple(mentions))


def services_with(db: Database, senders: dict) -> Services:
    """Services around hand-made senders (a test's own), on the WeCom app by default."""
    links = FileLinks("http://tougao.test", lambda: "test-links-key")
    return Services(db, SHANGHAI, senders, Channel.WECOM_APP, links, timedelta(minutes=10))


def queue_pushes(db: Database, *pushes: Push, occasion: str = "test", routing: Routing = ROUTING) -> None:
    with db.sessions() as s, s.begin():
        enqueue(s, occasion, list(pushes), routing)


def count_rows(db: Database, model) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def chat_as(db: Database, user: str, content: str) -> str:
    return say(db, SHANGHAI, user, content).text


def text_xml(user: str, content: str, msg_id: int | None = None, corp: str = "wwtestcorp0000001") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id or next(_ids)}</MsgId>"
        f"<AgentID>1000002</AgentID></xml>"
    )


def link_xml(user: str, title: str, url: str, msg_id: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[wwtestcorp0000001]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[link]]></MsgType>"
        f"<Title><![CDATA[{title}]]></Title><Description><![CDATA[转发]]></Description>"
        f"<Url><![CDATA[{url}]]></Url><PicUrl><![CDATA[]]></PicUrl>"
        f"<MsgId>{msg_id or next(_ids)}</MsgId><AgentID>1000002</AgentID></xml>"
    )


class _Sender:
    """What both channel senders share: send an inner message, open the reply."""

    corp = "wwtestcorp0000001"

    def send(self, inner_xml: str, **kw):
        return self.post(*self.envelope(inner_xml, **kw))

    def text(self, user: str, content: str, msg_id: int | None = None) -> str:
        """Send a text message and return the decrypted reply's Content."""
        response = self.send(text_xml(user, content, msg_id, corp=self.corp))
        assert response.status_code == 200, response.get_data(as_text=True)
        return self.open_reply(response)

    def link(self, user: str, title: str, url: str) -> str:
        response = self.send(link_xml(user, title, url))
        assert response.status_code == 200, response.get_data(as_text=True)
        return self.open_reply(response)


class WeChatSender(_Sender):
    """Posts Official Account callbacks: plain mode (signature only) or safe mode (AES, like WeCom)."""

    def __init__(self, client, token: str, aes_key: str, app_id: str, safe: bool) -> None:
        from wechatpy.crypto import WeChatCrypto as OACrypto

        self.client, self.token, self.safe, self.corp = client, token, safe, "gh_test"
        self.crypto = OACrypto(token, aes_key, app_id)

    def envelope(self, inner_xml: str, timestamp: int | None = None, **_kw):
        import hashlib

        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), fresh_nonce()
        signature = hashlib.sha1("".join(sorted([self.token, ts, nonce])).encode()).hexdigest()
        query = {"signature": signature, "timestamp": ts, "nonce": nonce, "openid": "x"}
        if not self.safe:
            return inner_xml, query
        sealed = parse_flat_xml(self.crypto.encrypt_message(inner_xml, nonce, ts))
        body = f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>"
        return body, {**query, "encrypt_type": "aes", "msg_signature": sealed["MsgSignature"]}

    def post(self, body, query: dict):
        return self.client.post("/wechat/callback?" + urlencode(query), data=body, content_type="text/xml")

    def open_reply(self, response) -> str:
        raw = response if isinstance(response, bytes) else response.get_data()
        if raw in (b"", b"success"):
            return ""
        if self.safe:
            env = parse_flat_xml(raw)
            raw = self.crypto.decrypt_message(raw, env["MsgSignature"], env["TimeStamp"], env["Nonce"])
        return parse_flat_xml(raw)["Content"]


class WeComSender(_Sender):
    """Posts callbacks the way WeCom does: AES-encrypted, signed, with msg_signature/timestamp/nonce."""

    def __init__(self, client, token: str, aes_key: str, corp_id: str) -> None:
        self.client, self.token, self.aes_key, self.corp_id = client, token, aes_key, corp_id
        self.crypto = WeChatCrypto(token, aes_key, corp_id)

    def envelope(self, inner_xml: str, timestamp: int | None = None, corp_id: str | None = None):
        """(body, query) for an inner message; corp_id lets a test seal it for another corp."""
        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), fresh_nonce()
        crypto = WeChatCrypto(self.token, self.aes_key, corp_id) if corp_id else self.crypto
        sealed = parse_flat_xml(crypto.encrypt_message(inner_xml, nonce, ts))
        body = f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
        query = {"msg_signature": sealed["MsgSignature"], "timestamp": ts, "nonce": nonce}
        return body, query

    def url_check_query(self, echo: str, timestamp: int | None = None) -> dict:
        """The query string of WeCom's URL check: an encrypted, signed echostr."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sealed = parse_flat_xml(self.crypto.encrypt_message(echo, "n1", ts))
        return {
            "msg_signature": sealed["MsgSignature"],
            "timestamp": ts,
            "nonce": "n1",
            "echostr": sealed["Encrypt"],
        }

    def post(self, body: str | bytes, query: dict):
        return self.client.post("/wecom/callback?" + urlencode(query), data=body, content_type="text/xml")

    def open_reply(self, response) -> str:
        """Verify and decrypt a passive reply (a test-client response or raw bytes) as WeCom would."""
        raw = response if isinstance(response, bytes) else response.get_data()
        if not raw:
            return ""
        envelope = parse_flat_xml(raw)
        inner = self.crypto.decrypt_message(
            raw, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
        )
        return parse_flat_xml(inner)["Content"]
