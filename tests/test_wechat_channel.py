"""Issue 12: a member on the WeChat Official Account gets their pushes there. A fake WeChat API on a real
local server (token, custom/send, template/send, 45015 "window closed") beside the fake WeCom API."""

from __future__ import annotations

import io
import re
from datetime import datetime
from urllib.parse import quote

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from storage.channels import Channel
from storage.models import Member, Outbox, Unit
from tests.conftest import WECHAT, WECOM
from tests.dashboard import DashboardUser
from tests.fake_wechat import FakeWeChat
from tests.helpers import SHANGHAI, WeChatSender, WeComSender

OPENID = "oWx_leader_0001"  # a street leader who uses the Official Account, not WeCom
SECRET = "wx-secret-for-tests"
PUBLIC = "http://tougao.test"


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def fake_wechat(httpserver) -> FakeWeChat:
    return FakeWeChat(httpserver, WECHAT["WECHAT_APP_ID"], SECRET)


@pytest.fixture
def leader(org) -> str:
    """王领导, a leader of 新城街道 registered by their openid; their channel is not known yet."""
    with org.sessions() as s, s.begin():
        street = s.scalar(select(Unit).where(Unit.name == "新城街道"))
        s.add(Member(userid=OPENID, name="王领导", unit_id=street.id, role="leader"))
    return OPENID


def make_app(org, fake_wecom, fake_wechat, template: str = ""):
    config = {
        "DATABASE_URL": str(org.engine.url),
        **WECOM,
        "WECOM_SECRET": "s3cr3t-for-tests",
        "WECOM_API_BASE": fake_wecom.api_base,
        **WECHAT,
        "WECHAT_SECRET": SECRET,
        "WECHAT_API_BASE": fake_wechat.api_base,
        "WECHAT_TEMPLATE_REMINDER": template,
        "TOUGAO_PUBLIC_URL": PUBLIC,
    }
    return create_app(config, database=org)


@pytest.fixture
def app(org, fake_wecom, fake_wechat, leader):
    return make_app(org, fake_wecom, fake_wechat)


def official_account(app) -> WeChatSender:
    token, key, app_id = WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"]
    return WeChatSender(app.test_client(), token, key, app_id, safe=True)


def export_on_the_official_account(app) -> str:
    """The leader writes 导出 on 20 March 2023; the task runs. Returns the reply."""
    with at(2023, 3, 20, 10, 0):
        reply = official_account(app).text(OPENID, "导出")
        jobs.work(app.services)
    return reply


def link_in(text: str) -> str:
    return re.search(rf"{re.escape(PUBLIC)}(/files/\S+)", text)[1]


def test_a_wechat_leader_gets_the_export_as_a_link_on_the_official_account(app, org, fake_wecom, fake_wechat):
    reply = export_on_the_official_account(app)
    assert "正在生成《新城街道2023年3月宣传信息统计.xlsx》" in reply
    with org.sessions() as s:
        assert s.scalar(select(Member.channel).where(Member.userid == OPENID)) == Channel.WECHAT_OA
        row = s.scalar(select(Outbox))
        assert (row.channel, row.recipients, row.status) == (Channel.WECHAT_OA, [OPENID], "sent")
    assert fake_wecom.sent == [] and fake_wecom.uploads == []  # nothing went to WeCom for an openid
    [text] = fake_wechat.texts_to(OPENID)
    assert "《新城街道2023年3月宣传信息统计.xlsx》已生成" in text and "7天内有效" in text
    with at(2023, 3, 21, 8, 0):
        download = app.test_client().get(link_in(text))
    assert download.status_code == 200
    assert quote("新城街道2023年3月宣传信息统计.xlsx") in download.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.data)).sheetnames == [
        "排名",
        "稿件",
        "活动",
        "媒体与级别",
        "任务完成",
    ]
    # the token was fetched through WECHAT_API_BASE with the account's credentials, and used
    assert fake_wechat.token_requests == [
        {"grant_type": "client_credential", "appid": WECHAT["WECHAT_APP_ID"], "secret": SECRET}
    ]
    assert fake_wechat.custom[0]["access_token"] == "WXTOKEN1"


def test_a_download_link_is_for_its_member_and_seven_days_only(app, org, fake_wechat):
    export_on_the_official_account(app)
    path = link_in(fake_wechat.texts_to(OPENID)[0])
    other = DashboardUser(app.test_client())
    with at(2023, 3, 20, 11, 0):
        app.demo = True  # the demo picker signs in without WeCom
        other.sign_in("lishuji")
        refused = other.get(path)
        assert refused.status_code == 403 and "只给生成时的接收人本人" in refused.get_data(as_text=True)
        assert app.test_client().get(path[:-3] + "xyz").status_code == 404
        assert app.test_client().get(path).status_code == 200
    with at(2023, 3, 27, 9, 59):
        assert app.test_client().get(path).status_code == 200
    with at(2023, 3, 27, 10, 1):
        expired = app.test_client().get(path)
        assert expired.status_code == 410 and "已过期" in expired.get_data(as_text=True)
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).active = False
    with at(2023, 3, 21, 9, 0):
        assert app.test_client().get(path).status_code == 403


def test_the_bulletin_reaches_a_wechat_leader_by_customer_service_message(app, org, fake_wecom, fake_wechat):
    with at(2023, 3, 30, 10, 0):
        official_account(app).text(OPENID, "我的")  # writing opens the 48-hour window
    with at(2023, 4, 3, 9, 0):
        jobs.tick(app.services)
    [bulletin] = [t for t in fake_wechat.texts_to(OPENID) if t.startswith("【新城街道宣传信息工作通报】")]
    assert "2023年3月" in bulletin
    [image] = [m for m in fake_wechat.custom if m["msgtype"] == "image"]
    assert image["touser"] == OPENID and image["image"]["media_id"] == "WXMEDIA1"
    kind, name, png = fake_wechat.uploads[0]
    assert (kind, name, png[:4]) == ("image", "新城街道2023年3月上稿排名图.png", b"\x89PNG")
    # the WeCom leaders still get theirs in WeCom; the openid is never sent to WeCom
    assert "lishuji|wangzhuren" in {b["touser"] for b in fake_wecom.texts()}
    assert OPENID not in fake_wecom.recipients()


def test_after_48_hours_a_template_message_carries_reminders_and_files(org, fake_wecom, fake_wechat, leader):
    app = make_app(org, fake_wecom, fake_wechat, template="TPL-REMINDER")
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).channel = Channel.WECHAT_OA
    fake_wechat.closed = {OPENID}  # 45015: no message from them for 48 hours
    with at(2023, 4, 3, 9, 0):
        jobs.tick(app.services)
        official_account(app).text(OPENID, "导出 上月")  # writing reopens the window, but they close it again
        jobs.work(app.services)
    bulletin, chart, document, export = fake_wechat.templates
    assert {t["template_id"] for t in fake_wechat.templates} == {"TPL-REMINDER"}
    assert bulletin["touser"] == OPENID and bulletin["data"]["first"]["value"].startswith(
        "【新城街道宣传信息工作通报】"
    )
    assert bulletin["data"]["keyword2"]["value"] == "2023-04-03 09:00" and "url" not in bulletin
    assert chart["url"].startswith(f"{PUBLIC}/files/")  # a chart cannot go in a template: its link does
    # the bulletin's Word document, like the export, is a link: a follower can receive no file
    assert (
        document["data"]["first"]["value"] == "《新城街道关于2023年3月新闻宣传信息报送情况的通报.docx》已生成"
    )
    assert export["data"]["first"]["value"] == "《新城街道2023年3月宣传信息统计.xlsx》已生成"
    with at(2023, 4, 3, 9, 5):
        assert app.test_client().get(export["url"].removeprefix(PUBLIC)).status_code == 200
        docx = app.test_client().get(document["url"].removeprefix(PUBLIC))
        assert docx.status_code == 200 and docx.data[:2] == b"PK"
    with org.sessions() as s:
        assert set(s.scalars(select(Outbox.status).where(Outbox.channel == Channel.WECHAT_OA))) == {"sent"}


def test_without_a_template_a_closed_window_fails_the_push_and_says_why(app, org, fake_wecom, fake_wechat):
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).channel = Channel.WECHAT_OA
    fake_wechat.closed = {OPENID}
    with at(2023, 4, 3, 9, 0):
        jobs.tick(app.services)
        jobs.deliver(app.services)  # the admins' alerts
    with org.sessions() as s:
        failed = s.scalars(select(Outbox).where(Outbox.channel == Channel.WECHAT_OA)).all()
    assert {r.status for r in failed} == {"failed"} and len(failed) == 3  # the bulletin, chart and document
    assert all("45015" in r.last_error and "WECHAT_TEMPLATE_REMINDER" in r.last_error for r in failed)
    assert set(failed[0].rejected) == {OPENID}
    assert any(
        "发送失败" in b["text"]["content"] and "公众号" in b["text"]["content"] for b in fake_wecom.texts()
    )
    admin = DashboardUser(app.test_client())
    app.demo = True
    admin.sign_in("admin")
    page = admin.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "公众号" in page and "未送达" in page and OPENID in page and "超过48小时未互动" in page


def test_a_busy_wechat_api_pauses_the_channel_and_keeps_the_row(app, org, fake_wechat):
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).channel = Channel.WECHAT_OA
    fake_wechat.script = [-1]
    with at(2023, 3, 31, 9, 0):
        jobs.tick(app.services)
    with org.sessions() as s:
        row = s.scalar(select(Outbox).where(Outbox.channel == Channel.WECHAT_OA))
    assert (row.status, row.attempts) == ("pending", 1) and "-1" in row.last_error
    with at(2023, 3, 31, 9, 0, 20):
        assert jobs.deliver(app.services).paused == set() and fake_wechat.custom == []  # still waiting
    with at(2023, 3, 31, 9, 0, 31):
        assert jobs.deliver(app.services).sent == 1
    assert any("月末提醒（抄送）" in t for t in fake_wechat.texts_to(OPENID))


def test_a_stale_wechat_token_is_fetched_again_once(app, org, fake_wechat):
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).channel = Channel.WECHAT_OA
    fake_wechat.script = [40001]  # the stored token was revoked (another client fetched a new one)
    with at(2023, 3, 31, 9, 0):
        jobs.tick(app.services)
    assert len(fake_wechat.token_requests) == 2 and fake_wechat.custom[0]["access_token"] == "WXTOKEN2"


def test_without_wechat_credentials_pushes_to_followers_fail_with_the_setting_named(org, fake_wecom, leader):
    config = {
        "DATABASE_URL": str(org.engine.url),
        **WECOM,
        "WECOM_SECRET": "s",
        "WECOM_API_BASE": fake_wecom.api_base,
    }
    app = create_app(config, database=org)
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == OPENID)).channel = Channel.WECHAT_OA
    with at(2023, 3, 31, 9, 0):
        jobs.tick(app.services)
    with org.sessions() as s:
        row = s.scalar(select(Outbox).where(Outbox.channel == Channel.WECHAT_OA))
    assert row.status == "failed" and "WECHAT_APP_ID、WECHAT_SECRET" in row.last_error


def test_a_wecom_leader_gets_the_file_and_their_own_link(app, org, fake_wecom, fake_wechat):
    sender = WeComSender(
        app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    with at(2023, 3, 20, 10, 0):
        assert "正在生成" in sender.text("lishuji", "导出")
        jobs.work(app.services)
    [(kind, name, _)] = fake_wecom.uploads
    assert (kind, name) == ("file", "新城街道2023年3月宣传信息统计.xlsx")
    file_message, link_message = fake_wecom.sent
    assert (file_message["msgtype"], file_message["touser"]) == ("file", "lishuji")
    assert link_message["touser"] == "lishuji" and "仅限本人" in link_message["text"]["content"]
    with at(2023, 3, 20, 10, 5):
        assert app.test_client().get(link_in(link_message["text"]["content"])).status_code == 200
    assert fake_wechat.custom == []


def test_an_office_on_the_official_account_alone_pushes_there_by_default(org, fake_wechat, leader):
    config = {"DATABASE_URL": str(org.engine.url), **WECHAT, "WECHAT_SECRET": SECRET}
    app = create_app(
        {**config, "WECHAT_API_BASE": fake_wechat.api_base, "TOUGAO_PUBLIC_URL": PUBLIC}, database=org
    )
    assert app.services.default_channel == Channel.WECHAT_OA  # members whose channel is not known yet
    with at(2023, 3, 31, 9, 0):
        jobs.tick(app.services)
    assert any("月末提醒（抄送）" in t for t in fake_wechat.texts_to(OPENID))
    assert len({m["touser"] for m in fake_wechat.custom}) > 10  # publicists behind quota too, one call each
