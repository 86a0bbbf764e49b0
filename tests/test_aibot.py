"""The intelligent robot at /wecom/aibot end to end: real encryption both ways (wechatpy's PrpCrypto with
an empty receiveid on WeCom's side), the real pipeline and database, group and single chats."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from storage.channels import Channel
from storage.models import Activity, AibotStream, Article, InboundMessage, Member, Outbox, Photo
from tests.aibot import AIBOT, MENTION, Robot, message, seal_json, text
from tests.conftest import WECOM
from tests.helpers import count_rows

pytestmark = pytest.mark.usefixtures("march_2023")
GROUP = "wrGroupXinchengPublicists"
REPORT = "上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/lgpage/detail/index.html?id=1 学习强国 3月5日"
ACTIVITY = "今天在社区广场开展学雷锋志愿服务活动，很多居民参加"


def robot_app(org, **extra):
    config = {"DATABASE_URL": str(org.engine.url), **WECOM, **AIBOT, **extra}
    return create_app(config, database=org)


@pytest.fixture
def robot(org) -> Robot:
    return Robot(robot_app(org).test_client())


def test_url_verification_answers_the_decrypted_echostr(robot):
    encrypt = seal_json("echo-1234567890")
    query = {**robot.signed(encrypt), "echostr": encrypt}
    response = robot.client.get("/wecom/aibot", query_string=query)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data() == b"echo-1234567890"  # no quotes, no BOM, no line break
    assert (
        robot.client.get("/wecom/aibot", query_string={**query, "msg_signature": "0" * 40}).status_code == 403
    )


def test_group_members_report_and_a_leader_asks_in_the_group(robot, org):
    reported = robot.send(text("zhangsan", REPORT, chat=GROUP))
    stream = reported["stream"]
    assert reported["msgtype"] == "stream" and stream["finish"] is True and stream["id"]
    assert stream["content"].startswith("已登记上稿")
    assert "已登记活动" in robot.say("xiwang", "活动 志愿服务 邻里守望 3月18日 45人", chat=GROUP)
    ranking = robot.say("lishuji", "本月排名", chat=GROUP)
    assert "1. 辽河社区 1篇" in ranking and "希望社区 0篇" in ranking
    assert "仅限领导" in robot.say("zhangsan", "未报", chat=GROUP)
    assert "希望社区" in robot.say("lishuji", "未报", chat=GROUP)
    with org.sessions() as s:
        assert set(s.scalars(select(InboundMessage.channel))) == {"aibot"}
        assert (
            s.scalar(select(InboundMessage.content).where(InboundMessage.handler == "上稿"))
            == MENTION + REPORT
        )


def test_single_chat_is_the_same_conversation(robot, org):
    assert robot.say("zhangsan", REPORT).startswith("已登记上稿")
    assert "上稿1篇" in robot.say("zhangsan", "我的")
    assert count_rows(org, Article) == 1


def test_two_people_in_one_group_never_answer_each_others_questions(robot, org):
    assert "「很多居民」大约是多少人" in robot.say("zhangsan", ACTIVITY, chat=GROUP)
    assert "「很多居民」大约是多少人" in robot.say("xiwang", ACTIVITY, chat=GROUP)
    assert "人数：50" in robot.say("xiwang", "大概50人", chat=GROUP)
    assert "人数：30" in robot.say("zhangsan", "30人", chat=GROUP)
    with org.sessions() as s:
        rows = {(a.member.userid, a.participants) for a in s.scalars(select(Activity))}
    assert rows == {("zhangsan", 30), ("xiwang", 50)}


def test_the_same_msgid_three_times_stores_once_and_answers_the_same(robot, org):
    msg = text("zhangsan", "上稿 甲 https://www.xuexi.cn/a?id=7", chat=GROUP)
    replies = [robot.send(msg)["stream"] for _ in range(3)]
    assert replies[0]["content"].startswith("已登记上稿")
    assert {r["content"] for r in replies} == {replies[0]["content"]} and all(r["finish"] for r in replies)
    assert count_rows(org, Article) == 1 and count_rows(org, InboundMessage) == 1


@pytest.mark.parametrize("chat", [GROUP, None])
def test_an_unknown_sender_is_told_to_contact_the_admin_and_nothing_is_stored(robot, org, chat):
    assert "管理员" in robot.say("stranger", "上稿 甲 https://www.xuexi.cn/a?id=7", chat=chat)
    file = robot.send(message("stranger", "file", chat, file={"url": "https://example.invalid/f"}))
    assert "管理员" in file["stream"]["content"]
    assert count_rows(org, Article) == 0 and count_rows(org, InboundMessage) == 0


@pytest.mark.parametrize("stream_id", ["STREAMID", "f" + "0" * 40, "1679277600" + "0" * 32, "流" * 10])
def test_a_refresh_of_an_unknown_or_finished_stream_closes_it(robot, stream_id):
    reply = robot.refresh("zhangsan", stream_id, chat=GROUP)
    assert reply == {"msgtype": "stream", "stream": {"id": stream_id, "finish": True, "content": ""}}


def test_a_slow_reply_is_finished_by_a_refresh_on_another_worker(org):
    """A wait of 0 s: every reply is still being worked on when the callback is answered. The thread
    stores it, and another app (another worker) answers the refresh from the database."""
    first, second = (Robot(robot_app(org, WECOM_AIBOT_REPLY_WAIT="0").test_client()) for _ in range(2))
    reply = first.send(text("zhangsan", REPORT, chat=GROUP))
    assert reply["stream"] == {"id": reply["stream"]["id"], "finish": False, "content": "正在处理，请稍候…"}
    content = second.finish("zhangsan", reply, chat=GROUP)
    assert content.startswith("已登记上稿") and count_rows(org, Article) == 1
    assert count_rows(org, AibotStream) == 1
    again = second.refresh("zhangsan", reply["stream"]["id"], chat=GROUP)["stream"]
    assert again["finish"] is True and again["content"] == content  # a late refresh gets the same


def test_an_export_asked_in_the_group_is_acknowledged_there_and_delivered_by_the_apps_push(org, fake_wecom):
    """Slow work is never done in the robot's callback: the group hears it is being made, the workbook goes to
    the leader in the app's chat (the robot's userids are the app's), and the leader's channel is the app."""
    app = robot_app(org, WECOM_SECRET="s3cr3t-for-tests", WECOM_API_BASE=fake_wecom.api_base)
    robot = Robot(app.test_client())
    robot.say("zhangsan", REPORT, chat=GROUP)
    acknowledged = robot.say("lishuji", "导出", chat=GROUP)
    assert "正在生成《新城街道2023年3月宣传信息统计.xlsx》" in acknowledged
    assert fake_wecom.uploads == []  # nothing built inside the callback
    jobs.work(app.services)
    [(kind, filename, content)] = fake_wecom.uploads
    assert (kind, filename) == ("file", "新城街道2023年3月宣传信息统计.xlsx") and content[:2] == b"PK"
    [file_message] = [body for body in fake_wecom.sent if body["msgtype"] == "file"]
    assert file_message["touser"] == "lishuji" and file_message["file"]["media_id"] == "MEDIA1"
    with org.sessions() as s:
        assert s.scalar(select(Member.channel).where(Member.userid == "lishuji")) == Channel.WECOM_APP
        rows = [r for r in s.scalars(select(Outbox)) if r.recipients == ["lishuji"]]
        assert [(r.channel, r.status) for r in rows] == [(Channel.WECOM_APP, "sent")]


def test_a_voice_message_is_read_as_its_transcript(robot, org):
    assert robot.finish(
        "zhangsan", robot.send(message("zhangsan", "voice", voice={"content": REPORT}))
    ).startswith("已登记上稿")


def test_a_mixed_message_is_read_for_its_text_and_says_where_photos_go(robot, org):
    items = [
        {"msgtype": "text", "text": {"content": MENTION + "上稿 甲 https://www.xuexi.cn/a?id=8"}},
        {"msgtype": "image", "image": {"url": "https://example.invalid/p"}},
    ]
    content = robot.finish(
        "zhangsan", robot.send(message("zhangsan", "mixed", GROUP, mixed={"msg_item": items}))
    )
    assert content.startswith("已登记上稿") and "单独发送" in content
    assert count_rows(org, Article) == 1 and count_rows(org, Photo) == 0


def test_enter_chat_welcomes_a_stranger_with_text_and_a_member_with_nothing(robot):
    event = {"event": {"eventtype": "enter_chat"}, "create_time": 1679277600}
    stranger = robot.send(message("stranger", "event", **event))
    assert stranger["msgtype"] == "text" and "管理员" in stranger["text"]["content"]
    assert robot.send(message("zhangsan", "event", **event)) is None  # an empty body


def test_a_file_in_single_chat_is_pointed_to_the_app(robot, org):
    reply = robot.send(message("admin", "file", file={"url": "https://example.invalid/f"}))
    assert reply["stream"]["finish"] and "投稿通」应用" in reply["stream"]["content"]
    assert count_rows(org, InboundMessage) == 0


def test_another_robots_message_is_refused_and_no_robot_id_accepts_any(org):
    robot = Robot(robot_app(org).test_client())
    body, query = robot.envelope(text("zhangsan", "帮助", aibotid="aibSomeoneElse"))
    assert robot.post(body, query).status_code == 403
    assert count_rows(org, InboundMessage) == 0
    anyone = Robot(robot_app(org, WECOM_AIBOT_ID="").test_client())
    assert "投稿通可用命令" in anyone.say("zhangsan", "帮助", aibotid="aibSomeoneElse")


def test_without_robot_settings_the_url_is_404(org):
    app = create_app({"DATABASE_URL": str(org.engine.url), **WECOM}, database=org)
    assert app.test_client().post("/wecom/aibot", data=b"{}").status_code == 404
    assert app.test_client().get("/wecom/aibot").status_code == 404


def test_a_long_reply_is_cut_to_wecoms_limit():
    from bot.aibot_messages import MAX_STREAM_BYTES, stream_body

    body = stream_body("s1", "长" * 10000, True)["stream"]["content"]
    assert len(body.encode()) <= MAX_STREAM_BYTES and body.endswith("已截断）")
    assert stream_body("s1", "短", True)["stream"]["content"] == "短"


def test_a_bad_robot_key_is_refused_at_start(org):
    with pytest.raises(ValueError, match="WECOM_AIBOT_AES_KEY"):
        robot_app(org, WECOM_AIBOT_AES_KEY="short")
