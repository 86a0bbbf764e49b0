"""Against a real `tougao serve` with several gunicorn workers, on SQLite and on PostgreSQL: load with
WeCom's retries, the database failing mid-run, a worker killed. Nothing lost, nothing stored twice."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select

from storage.models import Article, InboundMessage, Member, Unit
from tests.live import LiveServer, Outcome, WeComLikeClient

pytestmark = pytest.mark.slow
SENDERS = 50


@pytest.fixture
def senders(org) -> list[str]:
    """50 publicists spread over the street's communities."""
    with org.sessions() as s, s.begin():
        units = list(s.scalars(select(Unit.id).where(Unit.kind == "community").order_by(Unit.id)))
        rows = [
            {
                "userid": f"load{i:02d}",
                "name": f"宣传员{i}",
                "unit_id": units[i % len(units)],
                "role": "publicist",
                "active": True,
            }
            for i in range(SENDERS)
        ]
        s.execute(insert(Member), rows)
    return [r["userid"] for r in rows]


def counts(db) -> tuple[int, int]:
    with db.sessions() as s:
        return (s.scalar(select(func.count(Article.id))), s.scalar(select(func.count(InboundMessage.id))))


def run_load(client: WeComLikeClient, users: list[str], n: int, outcome: Outcome, first_id: int = 1) -> None:
    def one(i: int) -> None:
        client.deliver(
            users[i % len(users)], f"上稿 第{i}篇稿件 https://www.xuexi.cn/load?id={i}", first_id + i, outcome
        )

    with ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(one, range(n)))


def database_url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_2000_submissions_from_50_senders_with_retries(org, senders, tmp_path):
    server = LiveServer(database_url(org), tmp_path, workers=3)
    outcome = Outcome()
    started = time.monotonic()
    try:
        run_load(WeComLikeClient(server.url), senders, 2000, outcome)
    finally:
        server.stop()
    assert len(outcome.answered) == 2000 and all(
        r.startswith("已登记上稿") for r in outcome.answered.values()
    )
    assert counts(org) == (2000, 2000)
    print(
        f"\n2000 messages ×2 in {time.monotonic() - started:.1f}s; statuses {sorted(set(outcome.statuses))}"
    )


def test_database_unavailable_mid_run_answers_503_and_loses_nothing(org, senders, tmp_path):
    if org.engine.dialect.name == "sqlite":
        server = LiveServer(database_url(org), tmp_path, workers=3, TOUGAO_SQLITE_BUSY_TIMEOUT="0.3")
        outage = sqlite_locked(org.engine.url.database)
    else:
        proxy = TcpProxy(org.engine.url.host or "127.0.0.1", org.engine.url.port or 5432)
        url = org.engine.url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        server = LiveServer(url, tmp_path, workers=3)
        outage = proxy.refusing()
    outcome = Outcome()
    try:
        load = threading.Thread(target=run_load, args=(WeComLikeClient(server.url), senders, 400, outcome))
        load.start()
        time.sleep(0.5)  # let the load get going, then take the database away for two seconds
        with outage:
            time.sleep(2)
        load.join()
    finally:
        server.stop()
    assert 503 in outcome.statuses  # WeCom was told to retry, not acknowledged
    assert 500 not in outcome.statuses
    assert len(outcome.answered) == 400 and counts(org) == (400, 400)


def test_a_worker_killed_under_load_loses_no_acknowledged_message(org, senders, tmp_path):
    server = LiveServer(database_url(org), tmp_path, workers=3)
    outcome = Outcome()
    try:
        load = threading.Thread(target=run_load, args=(WeComLikeClient(server.url), senders, 600, outcome))
        load.start()
        time.sleep(0.7)
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        load.join()
        assert victim not in server.workers() and len(server.workers()) == 3  # gunicorn replaced it
    finally:
        server.stop()
    with org.sessions() as s:
        stored = set(s.scalars(select(InboundMessage.msg_key)))
    assert {str(i) for i in outcome.answered} <= stored  # every 200 was committed first
    assert counts(org) == (600, 600)


class sqlite_locked:
    """Hold SQLite's exclusive lock: every writer waits, then gives up (503)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self):
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")

    def __exit__(self, *exc) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


class TcpProxy:
    """A loopback TCP forwarder to PostgreSQL that can refuse connections (and cut open ones) on demand."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(128)
        self.open: list[socket.socket] = []
        self.down = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def refusing(self):
        proxy = self

        class _Outage:
            def __enter__(self):
                proxy.down.set()
                for s in proxy.open:
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                proxy.open.clear()

            def __exit__(self, *exc):
                proxy.down.clear()

        return _Outage()
