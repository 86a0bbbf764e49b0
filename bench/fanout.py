"""Fan-out benchmark: the nag for 10,000 publicists in 10 units, every unit behind quota, delivered to a
local fake WeCom API. Prints the API calls made and the seconds taken.

    .venv/bin/python bench/fanout.py [--units 10] [--per-unit 1000] [--database-url URL]

Target (issue 4): calls = distinct texts × ⌈recipients of that text / 1000⌉ (10 × 1 = 10), well under a minute.
It drops and recreates every table in the database it is given (default: a new SQLite file).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import insert

from bot import create_app
from scheduler import jobs
from storage.db import Database
from storage.models import Base, Member, OrgSetting, Quota, Unit, UnitLink

CALLS: list[int] = []


class FakeWeCom(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # gettoken
        self._json({"errcode": 0, "access_token": "T", "expires_in": 7200})

    def do_POST(self) -> None:  # message/send
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        CALLS.append(len(body["touser"].split("|")))
        self._json({"errcode": 0, "errmsg": "ok"})

    def _json(self, data: dict) -> None:
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args) -> None:
        pass


def seed(db: Database, units: int, per_unit: int) -> None:
    """A street with `units` communities of `per_unit` publicists each, quota 1 article, nothing reported."""
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)
    with db.sessions() as s, s.begin():
        s.add(Unit(id=1, name="街道", aliases=[], kind="street"))
        s.add_all(
            Unit(id=10 + u, name=f"社区{u}", aliases=[], kind="community", parent_id=1, sort_order=u)
            for u in range(units)
        )
        s.flush()
        links = [{"ancestor_id": 1, "descendant_id": 1, "depth": 0}]
        for u in range(units):
            links += [
                {"ancestor_id": 10 + u, "descendant_id": 10 + u, "depth": 0},
                {"ancestor_id": 1, "descendant_id": 10 + u, "depth": 1},
            ]
        s.execute(insert(UnitLink), links)
        s.execute(
            insert(Member),
            [
                {
                    "userid": f"p{u}_{i}",
                    "name": f"宣传员{u}-{i}",
                    "unit_id": 10 + u,
                    "role": "publicist",
                    "active": True,
                }
                for u in range(units)
                for i in range(per_unit)
            ],
        )
        s.add(Quota(unit_id=None, articles=1, activities=0))
        s.add(OrgSetting(key="schedule", value={"nag": {"days": [20], "time": "09:00"}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--per-unit", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeCom)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/"
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/fanout.db"
    db = Database.from_url(url)
    seed(db, args.units, args.per_unit)
    app = create_app(
        {
            "DATABASE_URL": url,
            "WECOM_CORP_ID": "ww",
            "WECOM_AGENT_ID": "1",
            "WECOM_SECRET": "s",
            "WECOM_API_BASE": base,
        },
        database=db,
    )
    recipients = args.units * args.per_unit
    with time_machine.travel(datetime(2023, 3, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        started = time.perf_counter()
        jobs.tick(app.services)
        seconds = time.perf_counter() - started
    expected = args.units * -(-args.per_unit // 1000)
    print(f"backend            {urlparse(url).scheme}")
    print(f"publicists         {recipients} in {args.units} units, all behind quota")
    print(f"API calls          {len(CALLS)} (target {expected}: distinct texts × ⌈recipients/1000⌉)")
    print(f"recipients reached {sum(CALLS)}")
    print(f"seconds            {seconds:.2f} (plan, claim, queue and deliver)")
    server.shutdown()
    db.engine.dispose()


if __name__ == "__main__":
    main()
