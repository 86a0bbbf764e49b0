"""Run the understanding corpus (tests/corpus/*.yaml, format in tests/corpus/README.md) through the real
pipeline, each case on a fresh copy of a database holding the example organisation, and judge what was
stored. Shared by tests/test_corpus.py and bench/understanding.py."""

from __future__ import annotations

import itertools
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import time_machine
import yaml
from sqlalchemy import event, select

from bot.pipeline import process
from handlers.types import Incoming
from storage.db import Database
from storage.models import Activity, Article, InboundMessage, Member, PendingDraft
from tests.helpers import SHANGHAI
from tests.templates import build_sqlite_templates

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DEFAULT_NOW = "2026-11-26 10:00"
_QUOTES = str.maketrans("", "", "《》“”\"「」'‘’ \u3000\t\n")
_ids = itertools.count(1)


def load_cases(paths: list[Path] | None = None) -> list[dict]:
    cases = []
    for path in paths or sorted(CORPUS.glob("*.yaml")):
        cases += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return cases


def build_template(folder: Path) -> Path:
    """A SQLite file with the schema and the example organisation, copied for each case."""
    return build_sqlite_templates(folder)[True]


@dataclass
class Verdict:
    case: dict
    understood: bool
    misrecord: bool
    problems: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)


def run_case(case: dict, db: Database) -> Verdict:
    """Send the case's messages as its user, at its time, and judge the rows it left."""
    now = datetime.fromisoformat(case.get("now", DEFAULT_NOW)).replace(tzinfo=SHANGHAI)
    says = case["say"] if isinstance(case["say"], list) else [case["say"]]
    replies, handler = [], None
    with time_machine.travel(now, tick=True):
        for message in case.get("setup") or []:
            replies.append(_send(db, case["user"], message))
        for message in says:
            key = f"corpus-{next(_ids)}"
            replies.append(_send(db, case["user"], message, key))
            handler = _handler(db, key)
    return judge(case, db, replies, handler)


def _send(db: Database, user: str, message, key: str | None = None) -> str:
    key = key or f"corpus-{next(_ids)}"
    if isinstance(message, dict) and "link" in message:
        link = message["link"]
        msg = Incoming(
            "corpus", user, key, "link", f"{link['title']} {link['url']}", link["title"], link["url"]
        )
    elif isinstance(message, dict) and message.get("image"):
        msg = Incoming(
            "corpus", user, key, "image", media_id=f"media-{key}", pic_url="https://example.invalid/p.jpg"
        )
    else:
        msg = Incoming("corpus", user, key, "text", str(message))
    return process(db, msg, SHANGHAI).text


def _handler(db: Database, key: str) -> str | None:
    with db.sessions() as s:
        return s.scalar(select(InboundMessage.handler).where(InboundMessage.msg_key == key))


def judge(case: dict, db: Database, replies: list[str], handler: str | None) -> Verdict:
    expect = case.get("expect") or {}
    problems: list[str] = []
    misrecord = False
    with db.sessions() as s:
        articles = list(s.scalars(select(Article).order_by(Article.id)))
        activities = list(s.scalars(select(Activity).order_by(Activity.id)))
        found = [_article_row(a) for a in articles]
        done = [_activity_row(a) for a in activities]
        asked = s.scalar(
            select(PendingDraft.id)
            .join(Member, Member.id == PendingDraft.member_id)
            .where(Member.userid == case["user"])
        )
    for label, want, got, compare in (
        ("article", expect.get("articles") or [], found, _article_problems),
        ("activity", expect.get("activities") or [], done, _activity_problems),
    ):
        for i, row in enumerate(got):
            if i >= len(want):
                problems.append(f"extra {label} stored: {row}")
                misrecord = True
                continue
            wrong = compare(want[i], row)
            if wrong:
                problems.append(f"{label} {i + 1}: " + "; ".join(wrong))
                misrecord = True
        if len(got) < len(want):
            problems.append(f"{len(want) - len(got)} {label}(s) not stored")
    if expect.get("asks") and not asked:
        problems.append("expected a question (a pending draft), none kept")
    if expect.get("command") and handler != expect["command"]:
        problems.append(f"answered by {handler!r}, expected {expect['command']!r}")
    for word in expect.get("reply_has") or []:
        if word not in (replies[-1] if replies else ""):
            problems.append(f"reply lacks {word!r}")
    return Verdict(case, not problems, misrecord, problems, replies)


def _article_row(a: Article) -> dict:
    return {
        "title": a.title,
        "outlet": a.outlet.name,
        "date": a.published_on,
        "placement": a.placement,
        "url": a.url or "",
        "status": a.status,
    }


def _activity_row(a: Activity) -> dict:
    return {
        "title": a.title,
        "type": a.type,
        "date": a.held_on,
        "participants": a.participants,
        "place": a.place,
        "status": a.status,
    }


def _norm(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).translate(_QUOTES)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _article_problems(want: dict, got: dict) -> list[str]:
    wrong = []
    if "title" in want and _norm(want["title"]) != _norm(got["title"]):
        wrong.append(f"title {got['title']!r} ≠ {want['title']!r}")
    if "outlet" in want and want["outlet"] != got["outlet"]:
        wrong.append(f"outlet {got['outlet']} ≠ {want['outlet']}")
    if "date" in want and _day(want["date"]) != got["date"]:
        wrong.append(f"date {got['date']} ≠ {want['date']}")
    if _norm(want.get("placement", "")).upper() != _norm(got["placement"]).upper():
        wrong.append(f"placement {got['placement']!r} ≠ {want.get('placement', '')!r}")
    if "url" in want and _norm(want["url"]) != _norm(got["url"]):
        wrong.append(f"url {got['url']!r} ≠ {want['url']!r}")
    if want.get("status", "counted") != got["status"]:
        wrong.append(f"status {got['status']} ≠ {want.get('status', 'counted')}")
    return wrong


def _activity_problems(want: dict, got: dict) -> list[str]:
    wrong = []
    for key in ("type", "participants"):
        if key in want and want[key] != got[key]:
            wrong.append(f"{key} {got[key]!r} ≠ {want[key]!r}")
    if "date" in want and _day(want["date"]) != got["date"]:
        wrong.append(f"date {got['date']} ≠ {want['date']}")
    if "place" in want and _norm(want["place"]) != _norm(got["place"]):
        wrong.append(f"place {got['place']!r} ≠ {want['place']!r}")
    if "title" in want and _norm(want["title"]) != _norm(got["title"]):
        wrong.append(f"title {got['title']!r} ≠ {want['title']!r}")
    title = _norm(got["title"])
    for word in want.get("title_has") or []:
        if _norm(word) not in title:
            wrong.append(f"title {got['title']!r} lacks {word!r}")
    for word in want.get("title_not") or []:
        if _norm(word) in title:
            wrong.append(f"title {got['title']!r} contains {word!r}")
    if want.get("status", "counted") != got["status"]:
        wrong.append(f"status {got['status']} ≠ {want.get('status', 'counted')}")
    return wrong


class Scratch:
    """One SQLite database reset to the template before each case. The engine stays, so its compiled
    statement cache does too (a new engine per case spends most of its time compiling SQL)."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template, self.path = template, folder / "case.db"
        shutil.copyfile(template, self.path)
        self.db = Database.from_url(f"sqlite:///{self.path}")
        # A scratch copy need not survive a power cut: no fsync per commit (the product's own setting is not this).
        event.listen(self.db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA synchronous=OFF"))

    def fresh(self) -> Database:
        self.db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, self.path)
        return self.db

    def close(self) -> None:
        self.db.engine.dispose()
