"""`tougao demo` and `tougao serve` start as real processes, answer, and stop on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"demo exited early: {proc.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.2)  # polling a starting process, not waiting for time to pass
    raise AssertionError("demo did not answer /healthz in time")


@pytest.mark.slow
def test_demo_starts_answers_and_stops(tmp_path):
    port = free_port()
    # DATABASE_URL names another (a production) database: the demo leaves it alone and uses its own
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/production.db",
        "TOUGAO_LOG_LEVEL": "WARNING",
        "TOUGAO_HOME": str(tmp_path),
    }
    env.pop("TOUGAO_ORG_FILE", None)
    demo = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}/healthz", demo) == {"status": "ok", "database": "ok"}
        chat = subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--demo", "--user", "zhangsan", "排名"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert chat.returncode == 0, chat.stderr
        assert chat.stdout.startswith("新城街道各单位排名") and "辽河社区" in chat.stdout
        assert "合计0篇" not in chat.stdout  # the sample history is there
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login", timeout=5) as response:
            assert "演示模式" in response.read().decode()  # the dashboard, with the demo's member picker
    finally:
        demo.send_signal(signal.SIGTERM)
        out, err = demo.communicate(timeout=20)
    assert demo.returncode == 0, err
    assert "past the grace period" not in err  # the seeded months missed no reminder
    assert "tougao chat --demo --user zhangsan" in out and f"http://127.0.0.1:{port}/admin" in out
    assert (tmp_path / "instance" / "demo.db").exists() and not (tmp_path / "production.db").exists()


@pytest.mark.slow
def test_serve_runs_gunicorn_workers_that_answer_wecom(tmp_path):
    from tests.conftest import EXAMPLE_ORG, WECOM, WECOM_PUSH
    from tests.helpers import WeComSender, text_xml

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.db",
        "TOUGAO_LOG_LEVEL": "WARNING",
        **WECOM,
        **WECOM_PUSH,
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert run("db", "upgrade").returncode == 0
    assert run("org", "import", str(EXAMPLE_ORG)).returncode == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}/healthz", server)["database"] == "ok"
        sender = WeComSender(None, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
        body, query = sender.envelope(text_xml("zhangsan", "上稿 甲 https://www.xuexi.cn/a?id=1"))
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/wecom/callback?{urlencode(query)}",
            data=body.encode(),
            headers={"Content-Type": "text/xml"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert "已登记上稿" in sender.open_reply(response.read())
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Booting worker" in err
