"""The WeChat Official Account's API through WECHAT_API_BASE (default https://api.weixin.qq.com/cgi-bin/),
the access token included (wechatpy fetches it from a fixed address), shared by every process."""

from __future__ import annotations

import json
import logging

import requests

from senders.tokens import TokenStore

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 41001, 42001}  # invalid credential or token, missing, expired
TOKEN_MARGIN = 300.0


class WeChatError(Exception):
    """A non-zero errcode (or no usable answer: errcode None)."""

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode, self.errmsg = errcode, errmsg


class WeChatApi:
    def __init__(
        self, app_id: str, secret: str, api_base: str, tokens: TokenStore, timeout: float = 10
    ) -> None:
        self.app_id, self.secret, self.timeout = app_id, secret, timeout
        self.base = api_base if api_base.endswith("/") else api_base + "/"
        self.tokens, self.token_key = tokens, f"wechat_oa:{app_id}"
        self.http = requests.Session()

    def access_token(self) -> str:
        return self.tokens.get(self.token_key, TOKEN_MARGIN) or self.tokens.refresh(
            self.token_key, TOKEN_MARGIN, self._fetch
        )

    def _fetch(self) -> tuple[str, int]:
        params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self.secret}
        result = _json(self.http.get(self.base + "token", params=params, timeout=self.timeout))
        return result["access_token"], int(result.get("expires_in", 7200))

    def post(self, path: str, body: dict) -> dict:
        """POST JSON (as UTF-8: WeChat shows \\u escapes literally in some messages)."""
        data = json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return self._with_token(
            lambda token: _json(
                self.http.post(
                    self.base + path,
                    params={"access_token": token},
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                )
            )
        )

    def upload(self, kind: str, name: str, content: bytes) -> str:
        """A temporary media (image) for a customer-service message; its media_id."""
        result = self._with_token(
            lambda token: _json(
                self.http.post(
                    self.base + "media/upload",
                    params={"access_token": token, "type": kind},
                    files={"media": (name, content)},
                    timeout=self.timeout,
                )
            )
        )
        return result["media_id"]

    def media(self, media_id: str) -> bytes:
        """A file a follower sent (temporary media), as bytes."""

        def call(token: str) -> bytes:
            response = self.http.get(
                self.base + "media/get",
                params={"access_token": token, "media_id": media_id},
                timeout=self.timeout,
            )
            if response.headers.get("Content-Type", "").startswith(("application/json", "text/plain")):
                _json(response)  # an error answer raises
            response.raise_for_status()
            return response.content

        return self._with_token(call)

    def _with_token(self, call):
        """Run `call(token)`; on a token error drop the token and try once more, no more."""
        try:
            return call(self.access_token())
        except WeChatError as exc:
            if exc.errcode not in TOKEN_ERRORS:
                raise
            log.info("WeChat token rejected (%s); fetching a new one and retrying once", exc.errcode)
            self.tokens.forget(self.token_key)
            return call(self.access_token())


def _json(response: requests.Response) -> dict:
    response.raise_for_status()
    try:
        result = response.json()
    except ValueError:
        raise WeChatError(None, "the answer is not JSON") from None
    if not isinstance(result, dict):
        raise WeChatError(None, "the answer is not a JSON object")
    if result.get("errcode", 0) != 0:
        raise WeChatError(result["errcode"], str(result.get("errmsg", "")))
    return result
