"""Callback benchmark: wrk sends distinct encrypted, signed 上稿 callbacks to `tougao serve` and, side by side
in the same run, to a bare Flask app that only decrypts and encrypts with wechatpy (bench/baseline_app.py);
both under gunicorn with 2 workers.

    .venv/bin/python bench/callback.py [--database-url URL] [--preload N] [--seconds 10] [--repeat 3]

Each (concurrency, repeat) runs wrk on the baseline and on tougao back to back (alternating which goes first)
with a fresh set of messages from 100 publicists (examples/org.yaml's and 90 in communities added for the
bench), every message a new MsgId, nonce and link, so each one is a real 上稿 (an inbound row, a record
number, an article, the month's total of the sender's unit in the reply). Prints requests/s,
p50/p99 and the ratio to the baseline per run, then the median and spread, against the targets of issue 16:

    SQLite      ≥ 0.30× the baseline's requests/s, p99 < 80 ms   (concurrency 8 and 32)
    PostgreSQL  ≥ 0.12× the baseline's requests/s, p99 < 150 ms
    --preload N: the same measured on the empty database, then again after N stored articles (spread over
                 the publicists' units and 15 years): the ratio to the baseline within 1.3× of the empty one

It also checks that every answered message left its article, and prints the peak RSS per worker (target
≤ 80 MB). The database given is emptied and filled (default: a new SQLite file). Needs wrk (Debian: wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from bench.preload import preload_articles  # noqa: E402
from bench.servers import serve, workers_rss_mb  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.maintenance import refresh_statistics  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Article  # noqa: E402
from storage.orgfile import apply_org, load_org_file  # noqa: E402
from tests.conftest import WECOM  # noqa: E402
from tests.helpers import WeComSender, text_xml  # noqa: E402

# examples/org.yaml's ten publicists, and 90 more in communities of their own: a unit's month then holds what
# a busy unit reports (the reply counts the month's articles of the sender's unit), not thousands.
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
BENCH_UNITS = 90
TARGETS = {"sqlite": (0.30, 80.0), "postgresql": (0.12, 150.0)}
PRELOAD_LIMIT = 1.3
RSS_LIMIT = 80.0
LUA = ROOT / "bench" / "callback.lua"
# wrk's threads (each runs its own share of the messages)
THREADS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="emptied and filled; default: a new SQLite file")
    parser.add_argument("--preload", type=int, default=0, help="measure again after N stored articles")
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    cwd = Path(tempfile.mkdtemp(prefix="tougao-bench-"))
    url = args.database_url or f"sqlite:///{cwd}/bench.db"
    db = prepare(url)
    backend = db.engine.dialect.name
    ours, base = serve(url, cwd, args.workers)
    bench = Bench(db, cwd, ours, base, args.seconds)
    bench.warm_up()
    phases = [("empty database", 0)] + (
        [(f"{args.preload:,} stored articles", args.preload)] if args.preload else []
    )
    print(
        f"database {backend}; {args.workers} gunicorn workers each; wrk -t{THREADS}, {args.seconds} s a run, "
        f"{args.repeat} runs per level; CPUs {os.cpu_count()}"
    )
    summary: dict[tuple[str, int], list[Run]] = {}
    try:
        for label, preload in phases:
            if preload:
                started = time.perf_counter()
                preload_articles(db, preload)
                print(f"\nstored {preload:,} articles in {time.perf_counter() - started:.0f} s")
            print(f"\n{label}")
            print(
                f"{'conc':>4} {'run':>3} {'tougao req/s':>13} {'p50 ms':>7} {'p99 ms':>7}   "
                f"{'baseline req/s':>14} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
            )
            for concurrency in args.concurrency:
                for repeat in range(args.repeat):
                    run = bench.run(concurrency, ours_first=repeat % 2 == 1)
                    summary.setdefault((label, concurrency), []).append(run)
                    print(
                        f"{concurrency:>4} {repeat + 1:>3} {run.ours.rps:>13.0f} {run.ours.p50:>7.1f} "
                        f"{run.ours.p99:>7.1f}   {run.base.rps:>14.0f} {run.base.p50:>7.1f} "
                        f"{run.base.p99:>7.1f} {run.ratio:>6.3f}{run.note}"
                    )
        bench.check_reply()
        rss = workers_rss_mb(ours.pid), workers_rss_mb(base.pid)
    finally:
        for proc in (ours, base):
            proc.terminate()
            proc.wait(timeout=30)
    report(backend, summary, phases, args.concurrency, rss, bench)


class Result:
    def __init__(self, line: str) -> None:
        fields = dict(re.findall(r"(\w+)=(-?\d+)", line))
        self.requests, self.non200 = int(fields["requests"]), int(fields["non200"])
        self.errors, self.reused = int(fields["socket_errors"]), int(fields["reused"])
        self.rps = self.requests / (int(fields["duration_us"]) / 1e6)
        self.p50, self.p99 = int(fields["p50_us"]) / 1000, int(fields["p99_us"]) / 1000


class Run:
    def __init__(self, ours: Result, base: Result, stored: int, concurrency: int) -> None:
        self.ours, self.base, self.stored = ours, base, stored
        self.ratio = ours.rps / base.rps
        problems = []
        if ours.non200 or ours.errors or base.non200 or base.errors:
            problems.append(
                f"errors: tougao {ours.non200} non-200 / {ours.errors} socket, baseline "
                f"{base.non200} / {base.errors}"
            )
        if ours.reused:
            problems.append(f"{ours.reused} messages sent twice (raise the message count)")
        if not ours.requests - ours.non200 <= stored <= ours.requests + concurrency:
            problems.append(f"stored {stored} articles for {ours.requests - ours.non200} answers")
        self.note = "   ! " + "; ".join(problems) if problems else ""


class Bench:
    def __init__(self, db: Database, cwd: Path, ours, base, seconds: int) -> None:
        self.db, self.cwd, self.ours, self.base, self.seconds = db, cwd, ours, base, seconds
        self.sender = WeComSender(None, WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
        self.next_id = 1

    def messages(self, n: int) -> Path:
        """A file of `n` new callbacks, one "path<TAB>body" a line."""
        path = self.cwd / "messages.txt"
        with path.open("w") as out:
            for i in range(self.next_id, self.next_id + n):
                xml = text_xml(
                    USERS[i % len(USERS)], f"上稿 基准测试第{i}篇 https://www.xuexi.cn/bench?id={i}", i
                )
                body, query = self.sender.envelope(xml)
                out.write(f"/wecom/callback?{urlencode(query)}\t{body}\n")
        self.next_id += n
        return path

    def wrk(self, port: int, concurrency: int, messages: Path, seconds: int | None = None) -> Result:
        threads = min(THREADS, concurrency)
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{concurrency}",
            f"-d{seconds or self.seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
            "--",
            str(messages),
            str(threads),
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next((x for x in out.splitlines() if x.startswith("WRK_RESULT")), None)
        if line is None:
            raise SystemExit(f"wrk printed no result:\n{out}")
        return Result(line)

    def articles(self) -> int:
        with self.db.sessions() as s:
            return s.scalar(select(func.count()).select_from(Article))

    def run(self, concurrency: int, ours_first: bool) -> Run:
        messages = self.messages(4000 * self.seconds)  # more than tougao can answer in the time
        # A run adds thousands of rows in seconds, which no office does in a month: the planner's statistics
        # are brought up to date first, as the scheduler's nightly job keeps them (PostgreSQL's autovacuum
        # would follow only a minute later, and picks sequential scans meanwhile).
        refresh_statistics(self.db.engine)
        before = self.articles()
        order = [("ours", self.ours.port), ("base", self.base.port)]
        results = {}
        for name, port in order if ours_first else order[::-1]:
            results[name] = self.wrk(port, concurrency, messages)
            if name == "ours":
                time.sleep(0.5)  # requests wrk gave up on at the deadline finish
        return Run(results["ours"], results["base"], self.articles() - before, concurrency)

    def warm_up(self) -> None:
        """Two messages from every publicist, one after another, before anything is measured: their channel
        is learned (a write to the organisation, which each worker then reads again), as in a deployment's
        first days, and both workers have their copy of the organisation."""
        for i in range(self.next_id, self.next_id + 2 * len(USERS)):
            self.post(
                text_xml(USERS[i % len(USERS)], f"上稿 预热第{i}篇 https://www.xuexi.cn/bench?id={i}", i)
            )
        self.next_id += 2 * len(USERS)

    def post(self, xml: str) -> str:
        body, query = self.sender.envelope(xml)
        response = requests.post(
            f"http://127.0.0.1:{self.ours.port}/wecom/callback?{urlencode(query)}",
            data=body,
            headers={"Content-Type": "text/xml"},
            timeout=30,
        )
        return self.sender.open_reply(response.content)

    def check_reply(self) -> None:
        """One more message, its reply decrypted: the bench's messages are stored as 上稿 and answered."""
        i = self.next_id
        reply = self.post(text_xml("zhangsan", f"上稿 核对回复 https://www.xuexi.cn/bench?id={i}", i))
        if "已登记上稿" not in reply:
            raise SystemExit(f"unexpected reply: {reply}")


def prepare(url: str) -> Database:
    """An empty database at the newest schema, with examples/org.yaml and the bench's communities."""
    db = Database.from_url(url)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Path(db.engine.url.database).unlink(missing_ok=True)
    db.engine.dispose()
    upgrade(url)
    db = Database.from_url(url)
    with db.sessions() as s, s.begin():
        apply_org(s, load_org_file(ROOT / "examples" / "org.yaml", s))
    bench_org = {
        "units": [{"name": f"基准社区{i}", "parent": "新城街道"} for i in range(1, BENCH_UNITS + 1)],
        "members": [
            {"userid": f"bench{i}", "name": f"基准{i}", "unit": f"基准社区{i}", "role": "publicist"}
            for i in range(1, BENCH_UNITS + 1)
        ],
    }
    path = Path(tempfile.mkdtemp()) / "bench-org.yaml"
    path.write_text(yaml.safe_dump(bench_org, allow_unicode=True), encoding="utf-8")
    with db.sessions() as s, s.begin():
        apply_org(s, load_org_file(path, s))
    USERS.extend(f"bench{i}" for i in range(1, BENCH_UNITS + 1))
    return db


def spread(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def verdict(ok: bool, miss: str) -> str:
    return "met" if ok else f"MISSED ({miss})"


def report(backend: str, summary: dict, phases: list, levels: list[int], rss: tuple, bench: Bench) -> None:
    ratio_target, p99_target = TARGETS[backend]
    print(
        f"\nsummary (median of the runs, spread in brackets); targets for {backend}: "
        f"≥ {ratio_target:.2f}× the baseline, p99 < {p99_target:.0f} ms"
    )
    for label, _n in phases:
        for c in levels:
            runs = summary[(label, c)]
            ratio = statistics.median(r.ratio for r in runs)
            p99 = statistics.median(r.ours.p99 for r in runs)
            print(
                f"  {label}, concurrency {c}: tougao {spread([r.ours.rps for r in runs], '.0f')} req/s, "
                f"baseline {spread([r.base.rps for r in runs], '.0f')} req/s"
            )
            print(
                f"      ratio {spread([r.ratio for r in runs], '.3f')}: "
                f"{verdict(ratio >= ratio_target, f'{ratio / ratio_target:.2f}× of the target')}"
            )
            print(
                f"      p99 {spread([r.ours.p99 for r in runs], '.1f')} ms: "
                f"{verdict(p99 < p99_target, f'{p99 - p99_target:+.1f} ms')}"
            )
    if len(phases) == 2:
        for c in levels:
            empty = statistics.median(r.ratio for r in summary[(phases[0][0], c)])
            full = statistics.median(r.ratio for r in summary[(phases[1][0], c)])
            slower = empty / full
            p99s = [statistics.median(r.ours.p99 for r in summary[(label, c)]) for label, _ in phases]
            print(
                f"  {phases[1][0]} vs the empty database, concurrency {c}: the ratio to the baseline fell "
                f"{slower:.2f}× ({empty:.3f} → {full:.3f}; p99 {p99s[0]:.1f} → {p99s[1]:.1f} ms): "
                f"target ≤ {PRELOAD_LIMIT}×: "
                f"{verdict(slower <= PRELOAD_LIMIT, f'{slower / PRELOAD_LIMIT:.2f}× of the limit')}"
            )
    ours_rss, base_rss = rss
    peak = max(ours_rss, default=0)
    print(
        f"  peak RSS per worker: tougao {', '.join(f'{m:.0f}' for m in ours_rss)} MB, baseline "
        f"{', '.join(f'{m:.0f}' for m in base_rss)} MB: target ≤ {RSS_LIMIT:.0f} MB: "
        f"{verdict(peak <= RSS_LIMIT, f'{peak - RSS_LIMIT:+.0f} MB')}"
    )
    problems = sum(1 for runs in summary.values() for r in runs if r.note)
    print(f"  runs with a problem (marked !): {problems}")


if __name__ == "__main__":
    main()
