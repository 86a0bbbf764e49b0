"""The two servers bench/callback.py measures side by side, each gunicorn with the same workers: `tougao serve`
and the bare decrypt-and-reply app (bench/baseline_app.py); and what their workers' memory peaked at."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import WECOM, WECOM_PUSH
from tests.live import children, free_port

ROOT = Path(__file__).resolve().parent.parent


class Server:
    def __init__(self, proc: subprocess.Popen, port: int) -> None:
        self.proc, self.port, self.pid = proc, port, proc.pid

    def terminate(self) -> None:
        self.proc.terminate()

    def wait(self, timeout: float) -> None:
        self.proc.wait(timeout=timeout)


def serve(url: str, cwd: Path, workers: int) -> tuple[Server, Server]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TOUGAO_LOG_LEVEL": "WARNING",
        "TOUGAO_CALLBACK_MAX_AGE": "0",  # the messages are made before the run
        **WECOM,
        **WECOM_PUSH,
        "PYTHONPATH": str(ROOT),
    }
    ours_port, base_port = free_port(), free_port()
    ours = start(
        [sys.executable, "-m", "bot", "serve", "--port", str(ours_port), "--workers", str(workers)],
        env,
        cwd,
        ours_port,
    )
    base = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{base_port}",
            "--chdir",
            str(ROOT / "bench"),
            "baseline_app:app",
        ],
        env,
        cwd,
        base_port,
    )
    return Server(ours, ours_port), Server(base, base_port)


def start(command: list[str], env: dict, cwd: Path, port: int) -> subprocess.Popen:
    log = (cwd / f"server-{port}.log").open("w")
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"server did not start; see {cwd}/server-{port}.log")


def workers_rss_mb(master: int) -> list[float]:
    """The peak resident memory (VmHWM) of each worker of the gunicorn master `master`, in MB."""
    found = []
    for pid in children(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return found
