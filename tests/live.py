"""A real `tougao serve` (gunicorn, several workers) on loopback, and a WeCom-like client that retries
the way WeCom does: same body again on a timeout, an error status or a dropped connection."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import requests

from tests.conftest import WECOM, WECOM_PUSH
from tests.helpers import WeComSender, text_xml


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(parent: int) -> list[int]:
    """PIDs of the processes whose parent is `parent` (gunicorn's workers of its master), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(entry.name))
    return pids


class LiveServer:
    def __init__(self, database_url: str, cwd: Path, workers: int = 3, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TOUGAO_LOG_LEVEL": "WARNING",
            **WECOM,
            **WECOM_PUSH,
            **env,
        }
        # Logs go to a file: a pipe nobody reads fills up and blocks every worker in its access log.
        self.log_path = cwd / f"serve-{self.port}.log"
        self._log = self.log_path.open("w")
        command = [sys.executable, "-m", "bot", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.proc = subprocess.Popen(
            command, cwd=cwd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._wait_healthy()

    def _wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)  # polling a starting process
        raise AssertionError("server did not become healthy")

    def workers(self) -> list[int]:
        """PIDs of gunicorn's worker processes (children of the master)."""
        return children(self.proc.pid)

    def stop(self) -> str:
        """SIGTERM: gunicorn lets requests in flight finish, then exits 0."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self._log.close()
        log = self.log_path.read_text()
        assert self.proc.returncode == 0, log[-3000:]
        return log


@dataclass
class Outcome:
    answered: dict[int, str] = field(default_factory=dict)  # msg id → reply text, for each 200
    statuses: list[int] = field(default_factory=list)  # every status seen, retries included
    lock: threading.Lock = field(default_factory=threading.Lock)


class WeComLikeClient:
    """Posts encrypted callbacks like WeCom: on 5xx, a timeout or a broken connection it sends the very
    same request again (WeCom retries three times; here until `deadline`)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.sender = WeComSender(None, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def deliver(
        self,
        user: str,
        content: str,
        msg_id: int,
        outcome: Outcome,
        twice: bool = True,
        deadline: float = 120,
    ) -> None:
        body, query = self.sender.envelope(text_xml(user, content, msg_id))
        url = f"{self.base_url}/wecom/callback?{urlencode(query)}"
        stop = time.monotonic() + deadline
        got = 0
        while got < (2 if twice else 1):  # `twice`: WeCom's retry of a message that was in fact handled
            if time.monotonic() > stop:
                raise AssertionError(f"message {msg_id} was never answered")
            try:
                response = self._session().post(
                    url, data=body.encode(), headers={"Content-Type": "text/xml"}, timeout=5
                )
                status = response.status_code
            except requests.RequestException:
                status = 0
                self.local.session = requests.Session()
            with outcome.lock:
                outcome.statuses.append(status)
            if status == 200:
                reply = self.sender.open_reply(response.content)
                with outcome.lock:
                    if msg_id in outcome.answered:
                        assert outcome.answered[msg_id] == reply, "a retry got a different reply"
                    outcome.answered[msg_id] = reply
                got += 1
            else:
                time.sleep(0.05)  # a failing server; WeCom waits too before it retries
