"""A stand-in for the WeChat Official Account API on a real local HTTP server (pytest-httpserver), under its
own prefix beside the fake WeCom: token, customer-service and template messages, media upload and get."""

from __future__ import annotations

import json
import threading

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PREFIX = "/wechat-api/cgi-bin/"


class FakeWeChat:
    """Records what reached whom; `closed` followers have not written for 48 hours (45015 on custom/send),
    `script` answers the next custom/send calls with these errcodes first."""

    def __init__(self, server: HTTPServer, app_id: str, secret: str) -> None:
        self.server, self.app_id, self.secret = server, app_id, secret
        self.lock = threading.Lock()
        self.token_requests: list[dict] = []
        self.custom: list[dict] = []  # accepted customer-service messages, with the token they carried
        self.templates: list[dict] = []  # accepted template messages
        self.uploads: list[tuple[str, str, bytes]] = []
        self.closed: set[str] = set()
        self.script: list[int] = []
        self.media: dict[str, bytes] = {}
        for path, method, handler in (
            ("token", "GET", self._token),
            ("message/custom/send", "POST", self._custom),
            ("message/template/send", "POST", self._template),
            ("media/upload", "POST", self._upload),
            ("media/get", "GET", self._media),
        ):
            server.expect_request(PREFIX + path, method=method).respond_with_handler(handler)

    @property
    def api_base(self) -> str:
        return self.server.url_for(PREFIX)

    def _token(self, request: Request) -> Response:
        with self.lock:
            self.token_requests.append(dict(request.args))
            n = len(self.token_requests)
        if request.args.get("appid") != self.app_id or request.args.get("secret") != self.secret:
            return _json({"errcode": 40125, "errmsg": "invalid appsecret"})
        return _json({"access_token": f"WXTOKEN{n}", "expires_in": 7200})

    def _authorised(self, request: Request) -> bool:
        return request.args.get("access_token", "").startswith("WXTOKEN")

    def _custom(self, request: Request) -> Response:
        if not self._authorised(request):
            return _json({"errcode": 40001, "errmsg": "invalid credential"})
        body = json.loads(request.get_data())
        with self.lock:
            if self.script:
                code = self.script.pop(0)
                return _json({"errcode": code, "errmsg": f"scripted {code}"})
            if body["touser"] in self.closed:
                return _json(
                    {"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"}
                )
            self.custom.append({**body, "access_token": request.args["access_token"]})
        return _json({"errcode": 0, "errmsg": "ok"})

    def _template(self, request: Request) -> Response:
        if not self._authorised(request):
            return _json({"errcode": 40001, "errmsg": "invalid credential"})
        with self.lock:
            self.templates.append(json.loads(request.get_data()))
        return _json({"errcode": 0, "errmsg": "ok", "msgid": len(self.templates)})

    def _upload(self, request: Request) -> Response:
        media = request.files["media"]
        with self.lock:
            self.uploads.append((request.args["type"], media.filename, media.read()))
            media_id = f"WXMEDIA{len(self.uploads)}"
        return _json({"type": request.args["type"], "media_id": media_id, "created_at": 0})

    def _media(self, request: Request) -> Response:
        content = self.media.get(request.args.get("media_id", ""))
        if content is None:
            return _json({"errcode": 40007, "errmsg": "invalid media_id"})
        return Response(content, mimetype="application/octet-stream")

    def texts_to(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.custom if m["touser"] == openid and m["msgtype"] == "text"]


def _json(data: dict) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")
