"""Callback benchmark: encrypted 上稿 callbacks at concurrency 1, 8 and 32 against `tougao serve`
(2 workers, SQLite unless --database-url) and, in the same run, against a bare baseline Flask app that
only decrypts with wechatpy and encrypts a fixed reply (also gunicorn, 2 workers).

    .venv/bin/python bench/callback.py [--database-url URL] [--requests 1500]

Prints requests/s, p50/p99 latency, the ratio to the baseline, and peak RSS per worker.
Targets (issue 6): ≥ 0.6× the baseline's throughput; p99 < 100 ms at concurrency 32 on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.orgfile import apply_org, load_org_file  # noqa: E402
from tests.conftest import WECOM, WECOM_PUSH  # noqa: E402
from tests.helpers import WeComSender, text_xml  # noqa: E402
from tests.live import free_port  # noqa: E402

USERS = [
    "zhangsan",
    "xiwang",
    "liuyang",
    "chenjing",
    "zhaomin",
    "sunhao",
    "zhouna",
    "wuqiang",
    "zhengyu",
    "fengxue",
]


def start(command: list[str], env: dict, cwd: Path, port: int) -> subprocess.Popen:
    log = (cwd / f"server-{port}.log").open("w")
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.post(f"http://127.0.0.1:{port}/wecom/callback", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def workers_rss_mb(master: int) -> list[float]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    for line in (entry / "status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            found.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
    return found


def bodies(n: int, first_id: int) -> list[tuple[bytes, str]]:
    sender = WeComSender(None, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
    out = []
    for i in range(n):
        body, query = sender.envelope(
            text_xml(
                USERS[i % 10],
                f"上稿 基准测试第{first_id + i}篇 https://www.xuexi.cn/bench?id={first_id + i}",
                first_id + i,
            )
        )
        out.append((body.encode(), urlencode(query)))
    return out


def load(port: int, work: list[tuple[bytes, str]], concurrency: int) -> tuple[float, float, float]:
    sessions: dict[int, requests.Session] = {}

    def one(item: tuple[bytes, str]) -> float:
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        started = time.perf_counter()
        response = session.post(
            f"http://127.0.0.1:{port}/wecom/callback?{item[1]}",
            data=item[0],
            headers={"Content-Type": "text/xml"},
            timeout=30,
        )
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, work))
    seconds = time.perf_counter() - started
    return len(work) / seconds, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=1500)
    args = parser.parse_args()
    cwd = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{cwd}/bench.db"
    upgrade(url)
    db = Database.from_url(url)
    with db.sessions() as s, s.begin():
        apply_org(s, load_org_file(ROOT / "examples" / "org.yaml", s))
    db.engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TOUGAO_LOG_LEVEL": "WARNING",
        "TOUGAO_CALLBACK_MAX_AGE": "0",
        **WECOM,
        **WECOM_PUSH,
        "PYTHONPATH": str(ROOT),
    }
    ours_port, base_port = free_port(), free_port()
    ours = start(
        [sys.executable, "-m", "bot", "serve", "--port", str(ours_port), "--workers", "2"],
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
            "2",
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
    print(
        f"database {url.split(':')[0]}; {args.requests} requests per level; 2 workers each; CPUs {os.cpu_count()}"
    )
    print(
        f"{'concurrency':>11} {'tougao req/s':>13} {'p50 ms':>7} {'p99 ms':>7} {'baseline req/s':>15} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
    )
    next_id = 1
    try:
        for concurrency in (1, 8, 32):
            n = args.requests if concurrency > 1 else args.requests // 3
            work = bodies(n, next_id)
            next_id += n
            load(base_port, work[:50], concurrency)  # warm both
            ours_rps, ours_p50, ours_p99 = load(ours_port, work, concurrency)
            base_rps, base_p50, base_p99 = load(base_port, work, concurrency)
            print(
                f"{concurrency:>11} {ours_rps:>13.0f} {ours_p50:>7.1f} {ours_p99:>7.1f} {base_rps:>15.0f} {base_p50:>7.1f} {base_p99:>7.1f} {ours_rps / base_rps:>6.2f}"
            )
        print(
            "peak RSS per worker (MB): tougao "
            + ", ".join(f"{m:.0f}" for m in workers_rss_mb(ours.pid))
            + "; baseline "
            + ", ".join(f"{m:.0f}" for m in workers_rss_mb(base.pid))
        )
    finally:
        for proc in (ours, base):
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
