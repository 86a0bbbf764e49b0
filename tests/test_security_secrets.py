"""Issue 11, item 2: the WeCom secret leaks nowhere (errors, the outbox, the dashboard, chat, the log), and
the dashboard's session key is no longer derived from it."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from datetime import datetime

import pytest
import requests
import time_machine
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from senders.redact import install_log_redaction, redact
from storage import tasks
from storage.models import AppSecret, Member, Outbox, Task
from tests.conftest import WECOM
from tests.dashboard import DashboardUser
from tests.helpers import SHANGHAI

SECRET = "s3cr3t-for-tests"  # the pushing_app's WECOM_SECRET


def test_a_failed_gettoken_leaks_the_secret_nowhere(pushing_app, fake_wecom, org, caplog):
    with org.sessions() as s, s.begin():
        admin = s.scalar(select(Member).where(Member.userid == "admin"))
        tasks.create(
            s, "import_official", admin, {"media_id": "M1", "filename": "3月.xlsx", "period": "2023-03"}
        )
    fake_wecom.token_script = ["down"]  # gettoken answers 502: requests' error names the URL
    april = datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(april, tick=False), caplog.at_level(logging.INFO):
        jobs.work(pushing_app.services)
    with org.sessions() as s:
        error = s.scalar(select(Task.error))
        told = [r.payload["text"] for r in s.scalars(select(Outbox))]
    assert "corpsecret=***" in error and SECRET not in error
    assert told and "corpsecret=***" in told[0] and all(SECRET not in t for t in told)
    ours = "\n".join(  # the fake WeCom server's own request log (werkzeug) is not ours
        caplog.handler.format(r) for r in caplog.records if r.name != "werkzeug"
    )
    assert "task 1 (import_official) failed" in ours and "corpsecret=***" in ours and SECRET not in ours
    assert [b["text"]["content"] for b in fake_wecom.texts()] == told  # the admin's chat
    assert all(SECRET not in b["text"]["content"] for b in fake_wecom.texts())
    user = DashboardUser(
        create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()
    )
    user.sign_in("admin")
    page = user.get("/admin/outbox").get_data(as_text=True)
    assert "corpsecret=***" in page and SECRET not in page


def test_every_log_handler_masks_what_slips_through(monkeypatch):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    install_log_redaction()
    try:
        raise requests.HTTPError(f"502 for url: http://x/cgi-bin/gettoken?corpid=ww1&corpsecret={SECRET}")
    except requests.HTTPError:
        logging.getLogger("tougao.test").exception("fetch failed for %s", f"/send?access_token=T0KEN{SECRET}")
    logged = stream.getvalue()
    assert "corpsecret=***" in logged and "access_token=***" in logged and SECRET not in logged


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("http://h/gettoken?corpid=ww&corpsecret=abc&x=1", "http://h/gettoken?corpid=ww&corpsecret=***&x=1"),
        ("https://h/send?access_token=TOK) next", "https://h/send?access_token=***) next"),
        ("webhook/send?key=693a-91f6", "webhook/send?key=***"),
        ("params {'corpid': 'ww', 'corpsecret': 'abc'}", "params {'corpid': 'ww', 'corpsecret': '***'}"),
        ("secret santa and a key ring", "secret santa and a key ring"),
    ],
)
def test_redact(text, masked):
    assert redact(text) == masked


def old_derived_cookie(member_id: int) -> str:
    """The cookie anyone holding WECOM_SECRET could sign before: the key was derived from the secret."""
    material = f"{WECOM['WECOM_CORP_ID']}|{SECRET}|{WECOM['WECOM_AES_KEY']}".encode()
    key = hmac.new(material, b"tougao dashboard sessions", hashlib.sha256).digest()
    app = create_app({"DATABASE_URL": "sqlite://"})
    app.secret_key = key
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.dumps({"member_id": member_id, "csrf": "x"})


def test_a_leaked_wecom_secret_does_not_forge_a_session(pushing_app, org):
    with org.sessions() as s:
        admin_id = s.scalar(select(Member.id).where(Member.userid == "admin"))
    client = pushing_app.test_client()
    client.set_cookie("tougao_admin", old_derived_cookie(admin_id))
    assert client.get("/admin/members").status_code == 302  # to the sign-in page, not the members


def test_the_generated_key_is_shared_by_every_worker(org):
    config = {"DATABASE_URL": str(org.engine.url)}
    one, two = (create_app(config, database=org, demo=True).test_client() for _ in range(2))
    DashboardUser(one).sign_in("admin")
    cookie = one.get_cookie("tougao_admin").value
    two.set_cookie("tougao_admin", cookie)
    assert two.get("/admin/members").status_code == 200  # the second worker reads the same key
    with org.sessions() as s:
        assert len(s.scalar(select(AppSecret.value).where(AppSecret.name == "session_key"))) >= 48
