"""`tougao demo` starts, answers /healthz and a chat from `tougao chat`, and stops on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

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
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "TOUGAO_LOG_LEVEL": "WARNING"}
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
            [sys.executable, "-m", "bot", "chat", "--user", "zhangsan", "排名"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert chat.returncode == 0, chat.stderr
        assert chat.stdout.startswith("新城街道各单位排名") and "辽河社区" in chat.stdout
        assert "合计0篇" not in chat.stdout  # the sample history is there
    finally:
        demo.send_signal(signal.SIGTERM)
        out, err = demo.communicate(timeout=20)
    assert demo.returncode == 0, err
    assert "tougao chat --user zhangsan" in out and f"http://127.0.0.1:{port}" in out
