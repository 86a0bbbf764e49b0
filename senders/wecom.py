"""The WeCom self-built app: its API client (WECOM_API_BASE for every call, gettoken included; the token
shared by every process) and the sender of app messages. The only outbound module that knows WeCom."""

from __future__ import annotations

import logging

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from senders.base import File, Message, PushError, Rejections, Text
from senders.links import FileLinks
from senders.redact import redact
from senders.tokens import TokenStore, store_errors
from storage.channels import Channel

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40014, 41001, 42001}  # invalid, missing, expired access token
TRANSIENT_ERRORS = {-1, 45009, 45033, 45047}  # system busy, API rate limits
TOKEN_MARGIN = 300.0  # refresh a token five minutes before WeCom says it expires
DUPLICATE_WINDOW = 14400  # seconds: WeCom's longest duplicate check for message/send
REJECTED = "不在应用可见范围内或账号不存在（invaliduser）"


class WeComApi(WeChatClient):
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

    def userid_for_code(self, code: str) -> str | None:
        """Whose one-time OAuth code this is (the dashboard's sign-in)."""
        result = self.call_with_token_retry(lambda: self.get("auth/getuserinfo", params={"code": code}))
        return result.get("userid") or result.get("UserId")


class WeComAppSender:
    """App messages to members: text, images, files (up to 1000 userids a call); a file's recipients also
    get their own download link when TOUGAO_PUBLIC_URL is set."""

    channel = Channel.WECOM_APP
    per_call = 1000

    def __init__(self, api: WeComApi, agent_id: int, links: FileLinks) -> None:
        self.api, self.agent_id, self.links = api, agent_id, links

    def send(self, recipients: list[str], message: Message) -> Rejections:
        """Returns those WeCom rejected (invaliduser: outside the app's visible range, or no such
        account), who did not get it."""
        result = self._guarded(lambda: self._send(recipients, message))
        if not isinstance(result, dict):  # wechatpy hands back the raw response when it is not JSON
            raise PushError("WeCom answered message/send with something that is not JSON", transient=False)
        rejected = {u: REJECTED for u in str(result.get("invaliduser") or "").split("|") if u}
        if result.get("invalidparty") or result.get("invalidtag"):
            log.warning(
                "WeCom reported invalid parties/tags: %s %s",
                result.get("invalidparty"),
                result.get("invalidtag"),
            )
        if isinstance(message, File) and not message.image:
            self._send_links([u for u in recipients if u not in rejected], message)
        return rejected

    def _guarded(self, call):
        try:
            return self.api.call_with_token_retry(call)
        except WeChatClientException as exc:
            transient = exc.errcode is None or exc.errcode in TRANSIENT_ERRORS or exc.errcode in TOKEN_ERRORS
            raise PushError(f"WeCom errcode {exc.errcode}: {exc.errmsg}", transient=transient) from None
        except requests.RequestException as exc:
            raise PushError(f"WeCom unreachable: {type(exc).__name__}", transient=True) from None
        except store_errors() as exc:  # the shared token store (REDIS_URL)
            raise PushError(f"token store unreachable: {type(exc).__name__}", transient=True) from None

    def _send(self, recipients: list[str], message: Message) -> dict:
        if isinstance(message, Text):
            kind, body = "text", {"text": {"content": message.text}}
        else:  # upload, then send the media id
            kind = "image" if message.image else "file"
            upload = self.api.media.upload(kind, (message.name, message.content))
            body = {kind: {"media_id": upload["media_id"]}}
        # WeCom drops an identical message to the same person within the interval: if we die after WeCom
        # accepted a call but before the row is marked sent, the retry does not reach anyone twice.
        msg = {
            "msgtype": kind,
            **body,
            "enable_duplicate_check": 1,
            "duplicate_check_interval": DUPLICATE_WINDOW,
        }
        return self.api.message.send(self.agent_id, recipients, msg=msg)

    def _send_links(self, recipients: list[str], file: File) -> None:
        """Each recipient's own link, handy on a phone. The file itself went; a link that does not is
        logged, and the row is not sent again for it (that would send the file twice)."""
        for userid in recipients:
            url = self.links.url(file.file_id, userid)
            if url is None:
                return
            text = f"《{file.name}》也可在7天内用此链接下载（仅限本人）：{url}"
            try:
                self._guarded(lambda u=userid, t=text: self._send([u], Text(t)))
            except PushError as exc:
                log.warning("download link for %s not sent: %s", userid, exc)

    def download(self, media_id: str) -> bytes:
        """A file a member sent (WeCom keeps it three days), fetched through WECOM_API_BASE."""
        try:
            response = self.api.call_with_token_retry(
                lambda: self.api.get("media/get", params={"media_id": media_id})
            )
        except (WeChatClientException, requests.RequestException) as exc:
            # `from None`: the chained exception's text holds the URL with the secret or the token
            raise PushError(f"WeCom media/get failed: {_describe(exc)}", transient=True) from None
        if isinstance(response, dict):
            raise PushError(f"WeCom media/get answered JSON: {response}", transient=False)
        return response.content


def _describe(exc: Exception) -> str:
    """An API failure in words that are safe to store: the errcode, or the exception's masked text."""
    if isinstance(exc, WeChatClientException) and exc.errcode is not None:
        return f"errcode {exc.errcode}: {exc.errmsg}"
    return f"{type(exc).__name__}: {redact(str(exc))}"
