"""Start-up benchmark: how long `tougao --help` and a one-line `tougao chat` take, beside a bare Python start,
and what one web worker holds in memory once it has answered a few hundred 上稿.

    .venv/bin/python bench/startup.py [--repeat 7]

Prints the median and spread of each against the targets of issue 16: `tougao --help` < 0.25 s,
`tougao chat --user zhangsan 帮助` < 0.6 s, peak RSS per web worker ≤ 80 MB (bench/callback.py prints it
for the two workers it drives, too). Runs on a new SQLite database with examples/org.yaml.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOUGAO = [sys.executable, "-m", "bot"]
TARGETS = {"tougao --help": 0.25, "tougao chat --user zhangsan 帮助": 0.6}
RSS_LIMIT = 80.0
WORKER = """
import sys
from zoneinfo import ZoneInfo
from bot import create_app
from bot.pipeline import process
from handlers.types import Incoming
app = create_app()
db, tz = app.services.db, ZoneInfo("Asia/Shanghai")
for i in range(400):
    text = f"上稿 第{i}篇 https://www.xuexi.cn/startup?id={i}"
    process(db, Incoming(channel="wecom", userid="zhangsan", msg_key=str(i), content=text), tz)
print(int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024)
"""


def timed(command: list[str], env: dict, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tougao-startup-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/startup.db", "TOUGAO_LOG_LEVEL": "WARNING"}
    subprocess.run([*TOUGAO, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(
        [*TOUGAO, "org", "import", "examples/org.yaml"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    runs = {
        "python -c pass (the baseline)": [sys.executable, "-c", "pass"],
        "tougao --help": [*TOUGAO, "--help"],
        "tougao chat --user zhangsan 帮助": [*TOUGAO, "chat", "--user", "zhangsan", "帮助"],
    }
    print(f"{args.repeat} runs each; CPUs {os.cpu_count()}")
    for name, command in runs.items():
        samples = timed(command, env, args.repeat)
        median = statistics.median(samples)
        line = f"  {name:<34} {median:6.3f} s ({min(samples):.3f}–{max(samples):.3f})"
        if name in TARGETS:
            target = TARGETS[name]
            line += f"  target < {target} s: " + (
                "met" if median < target else f"MISSED by {median - target:.2f} s"
            )
        print(line)
    done = subprocess.run(
        [sys.executable, "-c", WORKER], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    peak = float(done.stdout.split()[-1])
    verdict = "met" if peak <= RSS_LIMIT else f"MISSED by {peak - RSS_LIMIT:.0f} MB"
    print(f"  web app after 400 上稿, peak RSS       {peak:6.0f} MB  target ≤ {RSS_LIMIT:.0f} MB: {verdict}")


if __name__ == "__main__":
    main()
