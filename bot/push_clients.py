"""Push clients, built from config: WeCom app messages, the group robot webhook, and the console.

Each raises PushError: `transient` (the API is down or busy: pause and retry, never drop) or not (this
message is refused: retry a few times, then mark it failed and tell the admin).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections import deque

import requests
from redis.exceptions import RedisError
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.redact import redact
from bot.token_store import TokenStore

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40014, 41001, 42001}  # invalid, missing, expired access token
TRANSIENT_ERRORS = {-1, 45009, 45033, 45047}  # system busy, API rate limits
TOKEN_MARGIN = 300.0  # refresh a token five minutes before WeCom says it expires
DUPLICATE_WINDOW = 14400  # seconds: WeCom's longest duplicate check for message/send


class PushError(Exception):
    """A push (or download) that did not happen; its text is masked, so it may be stored, shown and sent."""

    def __init__(self, message: str, *, transient: bool, retry_after: float = 0.0) -> None:
        super().__init__(redact(message))
        self.transient = transient
        self.retry_after = retry_after


class ConsoleSender:
    """No credentials: log the push and count it delivered, so the whole product runs locally."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.sent: list[tuple[list[str], str]] = []

    def send(self, recipients: list[str], payload: dict) -> list[str]:
        text = payload.get("text", "")
        if payload.get("msgtype") in ("file", "image"):
            text = f"[{payload['msgtype']}] {payload.get('name')} ({len(payload.get('content', b''))} bytes)"
        self.sent.append((list(recipients), text))
        log.info("push via console (%s) to %s:\n%s", self.channel, ",".join(recipients), text)
        return []


class TougaoWeComClient(WeChatClient):
    """wechatpy's enterprise client with WECOM_API_BASE honoured everywhere (gettoken included), the token
    kept in a shared store with a safety margin, and token errors retried once instead of recursing."""

    def __init__(
        self, corp_id: str, secret: str, api_base: str, tokens: TokenStore, timeout: float = 10
    ) -> None:
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self.tokens = tokens

    @property
    def access_token(self) -> str:
        return self.tokens.get(self.access_token_key, TOKEN_MARGIN) or self.tokens.refresh(
            self.access_token_key, TOKEN_MARGIN, self._fetch
        )

    def fetch_access_token(self) -> dict:
        token = self.tokens.refresh(self.access_token_key, float("inf"), self._fetch)
        return {"access_token": token}

    def _fetch(self) -> tuple[str, int]:
        params = {"corpid": self.corp_id, "corpsecret": self.secret}
        response = self._http.get(self.API_BASE_URL + "gettoken", params=params, timeout=self.timeout)
        response.raise_for_status()
        result = response.json()
        if result.get("errcode", 0) != 0:
            raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self)
        return result["access_token"], int(result.get("expires_in", 7200))

    def call_with_token_retry(self, call):
        """Run `call()`; on a token error drop the token and try once more (wechatpy would recurse)."""
        try:
            return call()
        except WeChatClientException as exc:
            if exc.errcode not in TOKEN_ERRORS:
                raise
            log.info("WeCom token rejected (%s); fetching a new one and retrying once", exc.errcode)
            self.tokens.forget(self.access_token_key)
            return call()


class WeComAppSender:
    """Text messages from the self-built app to members (up to 1000 userids a call)."""

    channel = "wecom"

    def __init__(self, client: TougaoWeComClient, agent_id: int) -> None:
        self.client, self.agent_id = client, agent_id

    def send(self, recipients: list[str], payload: dict) -> list[str]:
        """Send to up to 1000 userids; returns those WeCom rejected (invaliduser: outside the app's
        visible range, or no such account), who did not get it."""
        try:
            result = self.client.call_with_token_retry(lambda: self._send(recipients, payload))
        except WeChatClientException as exc:
            transient = exc.errcode is None or exc.errcode in TRANSIENT_ERRORS or exc.errcode in TOKEN_ERRORS
            raise PushError(f"WeCom errcode {exc.errcode}: {exc.errmsg}", transient=transient) from None
        except requests.RequestException as exc:
            raise PushError(f"WeCom unreachable: {type(exc).__name__}", transient=True) from None
        except RedisError as exc:  # the shared token store (REDIS_URL)
            raise PushError(f"token store unreachable: {type(exc).__name__}", transient=True) from None
        if not isinstance(result, dict):  # wechatpy hands back the raw response when it is not JSON
            raise PushError("WeCom answered message/send with something that is not JSON", transient=False)
        rejected = [u for u in str(result.get("invaliduser") or "").split("|") if u]
        if result.get("invalidparty") or result.get("invalidtag"):
            log.warning(
                "WeCom reported invalid parties/tags: %s %s",
                result.get("invalidparty"),
                result.get("invalidtag"),
            )
        return rejected

    def _send(self, recipients: list[str], payload: dict) -> dict:
        kind = payload.get("msgtype", "text")
        if kind == "text":
            body = {"text": {"content": payload["text"]}}
        else:  # file | image: upload, then send the media id
            upload = self.client.media.upload(kind, (payload["name"], payload["content"]))
            body = {kind: {"media_id": upload["media_id"]}}
        # WeCom drops an identical message to the same person within the interval: if we die after WeCom
        # accepted a call but before the row is marked sent, the retry does not reach anyone twice.
        msg = {
            "msgtype": kind,
            **body,
            "enable_duplicate_check": 1,
            "duplicate_check_interval": DUPLICATE_WINDOW,
        }
        return self.client.message.send(self.agent_id, recipients, msg=msg)

    def download(self, media_id: str) -> bytes:
        """A file a member sent (WeCom keeps it three days), fetched through WECOM_API_BASE."""
        try:
            response = self.client.call_with_token_retry(
                lambda: self.client.get("media/get", params={"media_id": media_id})
            )
        except (WeChatClientException, requests.RequestException) as exc:
            # `from None`: the chained exception's text holds the URL with the secret or the token
            raise PushError(f"WeCom media/get failed: {_describe(exc)}", transient=True) from None
        if isinstance(response, dict):
            raise PushError(f"WeCom media/get answered JSON: {response}", transient=False)
        return response.content


class WebhookSender:
    """The group robot: text with @-mentions, at most 20 messages a minute."""

    channel = "webhook"
    PER_MINUTE = 20

    def __init__(self, url: str, timeout: float = 10) -> None:
        self.url, self.timeout = url, timeout
        self.http = requests.Session()
        self.recent: deque[float] = deque()

    def send(self, recipients: list[str], payload: dict) -> list[str]:
        now = time.time()
        while self.recent and now - self.recent[0] >= 60:
            self.recent.popleft()
        if len(self.recent) >= self.PER_MINUTE:
            raise PushError(
                "group robot limit (20 a minute)", transient=True, retry_after=60 - (now - self.recent[0])
            )
        body = self._body(payload)
        try:
            response = self.http.post(self.url, json=body, timeout=self.timeout)
            response.raise_for_status()
            result = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise PushError(f"group robot unreachable: {type(exc).__name__}", transient=True) from None
        self.recent.append(now)
        if result.get("errcode", 0) != 0:
            code = result["errcode"]
            raise PushError(
                f"group robot errcode {code}: {result.get('errmsg')}", transient=code in TRANSIENT_ERRORS
            )
        return []

    @staticmethod
    def _body(payload: dict) -> dict:
        """Text with @-mentions, or an image (the robot takes it inline: base64 and md5, at most 2 MB)."""
        if payload.get("msgtype") == "image":
            content = payload["content"]
            image = {"base64": base64.b64encode(content).decode(), "md5": hashlib.md5(content).hexdigest()}
            return {"msgtype": "image", "image": image}
        return {
            "msgtype": "text",
            "text": {"content": payload["text"], "mentioned_list": payload.get("mentions", [])},
        }


def _describe(exc: Exception) -> str:
    """An API failure in words that are safe to store: the errcode, or the exception's masked text."""
    if isinstance(exc, WeChatClientException) and exc.errcode is not None:
        return f"errcode {exc.errcode}: {exc.errmsg}"
    return f"{type(exc).__name__}: {redact(str(exc))}"


def build_senders(settings, db) -> dict[str, object]:
    """channel → sender: WeCom app messages when credentials are set, else the console; the group robot
    only when WECOM_WEBHOOK_URL is set."""
    from bot.token_store import DatabaseTokenStore, RedisTokenStore

    senders: dict[str, object] = {}
    if settings.wecom_app_configured:
        tokens = RedisTokenStore(settings.REDIS_URL) if settings.REDIS_URL else DatabaseTokenStore(db)
        client = TougaoWeComClient(
            settings.WECOM_CORP_ID, settings.WECOM_SECRET, settings.WECOM_API_BASE, tokens
        )
        senders["wecom"] = WeComAppSender(client, int(settings.WECOM_AGENT_ID))
    else:
        senders["wecom"] = ConsoleSender("wecom")
    if settings.WECOM_WEBHOOK_URL:
        senders["webhook"] = WebhookSender(settings.WECOM_WEBHOOK_URL)
    return senders
