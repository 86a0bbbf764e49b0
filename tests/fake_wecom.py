"""A stand-in for the WeCom API on a real local HTTP server (pytest-httpserver): gettoken,
message/send and the group robot's webhook/send, with scripted failures."""

from __future__ import annotations

import json
import threading

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
        self.send_script: list[object] = []  # errcodes (int), "down" (HTTP 502), or "ok"
        self.always: object | None = None  # answer every send with this until cleared
        server.expect_request("/cgi-bin/gettoken", method="GET").respond_with_handler(self._gettoken)
        server.expect_request("/cgi-bin/message/send", method="POST").respond_with_handler(self._send)
        server.expect_request("/webhook/send", method="POST").respond_with_handler(self._webhook)

    @property
    def api_base(self) -> str:
        return self.server.url_for("/cgi-bin/")

    @property
    def webhook_url(self) -> str:
        return self.server.url_for("/webhook/send") + "?key=test"

    def _gettoken(self, request: Request) -> Response:
        with self.lock:
            self.token_calls += 1
            token = f"TOKEN{self.token_calls}"
            self.tokens_issued.append(token)
        return _json({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def _send(self, request: Request) -> Response:
        with self.lock:
            step = (
                self.always
                if self.always is not None
                else (self.send_script.pop(0) if self.send_script else "ok")
            )
            if step == "down":
                return Response("bad gateway", status=502)
            if isinstance(step, int):
                return _json({"errcode": step, "errmsg": f"scripted {step}"})
            body = json.loads(request.get_data())
            body["access_token"] = request.args.get("access_token")
            self.sent.append(body)
        return _json({"errcode": 0, "errmsg": "ok", "invaliduser": ""})

    def _webhook(self, request: Request) -> Response:
        with self.lock:
            self.webhook.append(json.loads(request.get_data()))
        return _json({"errcode": 0, "errmsg": "ok"})

    def recipients(self) -> list[str]:
        """Every userid a delivered message went to, in delivery order."""
        return [u for body in self.sent for u in body["touser"].split("|")]


def _json(data: dict) -> Response:
    return Response(json.dumps(data), mimetype="application/json")
