"""A stand-in for the WeCom API on a real local HTTP server (pytest-httpserver): gettoken,
message/send, media, OAuth's auth/getuserinfo and the group robot's webhook/send, with scripted failures."""

from __future__ import annotations

import json
import threading
import time

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class FakeWeCom:
    """Counts calls, records what was sent, and answers from a script before answering OK."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.lock = threading.Lock()
        self.token_calls = 0
        self.tokens_issued: list[str] = []
        self.sent: list[dict] = []  # message/send bodies that were accepted
        self.webhook: list[dict] = []
        # errcodes (int), "down" (HTTP 502), "html" (a 200 that is not JSON), "ok", or a dict such as
        # {"invaliduser": "u1"}: accepted, with those recipients rejected
        self.send_script: list[object] = []
        self.token_script: list[object] = []  # the same for gettoken
        self.token_entered = threading.Event()  # set when a gettoken call arrives
        self.token_gate: threading.Event | None = None  # when set up, gettoken waits for it (WeCom slow)
        self.always: object | None = None  # answer every send with this until cleared
        self.delay = 0.0  # seconds each message/send takes (a slow API, to kill a sender mid fan-out)
        self.entered = threading.Event()  # set when a message/send call arrives
        self.gate: threading.Event | None = None  # when set up, message/send waits for it (a hung API)
        self.uploads: list[tuple[str, str, bytes]] = []  # (type, filename, bytes) sent to media/upload
        self.media: dict[str, bytes] = {}  # what media/get serves: files members "sent" to the app
        self.delivered: list[
            tuple[str, str]
        ] = []  # (user, content) that reached a person, after WeCom's duplicate check
        self.logins: dict[str, dict] = {}  # OAuth code → what auth/getuserinfo answers for it
        server.expect_request("/cgi-bin/gettoken", method="GET").respond_with_handler(self._gettoken)
        server.expect_request("/cgi-bin/message/send", method="POST").respond_with_handler(self._send)
        server.expect_request("/webhook/send", method="POST").respond_with_handler(self._webhook)
        server.expect_request("/cgi-bin/media/upload", method="POST").respond_with_handler(self._upload)
        server.expect_request("/cgi-bin/media/get", method="GET").respond_with_handler(self._download)
        server.expect_request("/cgi-bin/auth/getuserinfo", method="GET").respond_with_handler(self._userinfo)

    @property
    def api_base(self) -> str:
        return self.server.url_for("/cgi-bin/")

    @property
    def webhook_url(self) -> str:
        return self.server.url_for("/webhook/send") + "?key=test"

    def _gettoken(self, request: Request) -> Response:
        self.token_entered.set()
        if self.token_gate is not None:
            self.token_gate.wait(10)
        with self.lock:
            self.token_calls += 1
            step = self.token_script.pop(0) if self.token_script else "ok"
            if step == "down":
                return Response("bad gateway", status=502)
            if isinstance(step, int):
                return _json({"errcode": step, "errmsg": f"scripted {step}"})
            token = f"TOKEN{self.token_calls}"
            self.tokens_issued.append(token)
        return _json({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def _send(self, request: Request) -> Response:
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(10)
        if self.delay:
            time.sleep(self.delay)  # simulated API latency inside the fake server
        with self.lock:
            step = (
                self.always
                if self.always is not None
                else (self.send_script.pop(0) if self.send_script else "ok")
            )
            if step == "down":
                return Response("bad gateway", status=502)
            if step == "html":
                return Response("<html>portal</html>", mimetype="text/html")
            if isinstance(step, int):
                return _json({"errcode": step, "errmsg": f"scripted {step}"})
            body = json.loads(request.get_data())
            rejected = step.get("invaliduser", "").split("|") if isinstance(step, dict) else []
            body["access_token"] = request.args.get("access_token")
            self.sent.append(body)
            content = json.dumps(body.get(body["msgtype"]), ensure_ascii=False, sort_keys=True)
            for user in body["touser"].split("|"):
                if user in rejected:
                    continue
                if not (body.get("enable_duplicate_check") and (user, content) in self.delivered):
                    self.delivered.append((user, content))
        return _json({"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(u for u in rejected if u)})

    def _webhook(self, request: Request) -> Response:
        with self.lock:
            self.webhook.append(json.loads(request.get_data()))
        return _json({"errcode": 0, "errmsg": "ok"})

    def _upload(self, request: Request) -> Response:
        media = request.files["media"]
        with self.lock:
            self.uploads.append((request.args["type"], media.filename, media.read()))
            media_id = f"MEDIA{len(self.uploads)}"
        return _json({"errcode": 0, "errmsg": "ok", "type": request.args["type"], "media_id": media_id})

    def _download(self, request: Request) -> Response:
        content = self.media.get(request.args.get("media_id", ""))
        if content is None:
            return _json({"errcode": 40007, "errmsg": "invalid media_id"})
        return Response(content, mimetype="application/octet-stream")

    def _userinfo(self, request: Request) -> Response:
        answer = self.logins.get(request.args.get("code", ""), {"errcode": 40029, "errmsg": "invalid code"})
        return _json({"errcode": 0, "errmsg": "ok", **answer})

    def texts(self) -> list[dict]:
        """Accepted text messages only."""
        return [b for b in self.sent if b["msgtype"] == "text"]

    def recipients(self) -> list[str]:
        """Every userid a delivered message went to, in delivery order."""
        return [u for body in self.sent for u in body["touser"].split("|")]


def _json(data: dict) -> Response:
    return Response(json.dumps(data), mimetype="application/json")
