"""Questions that take their answer: one question per doubtful record, kept in the database (any worker, any
channel), answered by the next message, dropped by 取消, by another message or after 30 minutes."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from storage.models import Activity, AdminAction, Article, PendingDraft, WechatAccount
from tests.helpers import SHANGHAI, count_rows

UNKNOWN_ACCOUNT = "https://mp.weixin.qq.com/s?__biz=MzkzMDAwMDAwMQ==&mid=2247{n}&idx=1&sn=ab{n}&chksm=x#rd"


def articles(db) -> list[Article]:
    with db.sessions() as s:
        rows = list(s.scalars(select(Article).order_by(Article.id)))
        for a in rows:
            _ = a.outlet.name
        return rows


def test_a_forwarded_wechat_article_is_asked_once_per_account_on_every_channel(channel, app):
    db = app.services.db
    asked = channel.link("zhangsan", "辽河社区开展冬季消防演练", UNKNOWN_ACCOUNT.format(n=1))
    assert "这是哪个公众号/媒体发布的" in asked and count_rows(db, Article) == 0
    stored = channel.text("zhangsan", "是通辽日报的")
    assert "已登记上稿" in stored and "媒体：通辽日报（市级）" in stored
    again = channel.link("zhangsan", "辽河社区开展防诈骗宣传", UNKNOWN_ACCOUNT.format(n=2))
    assert "已登记上稿" in again and "通辽日报" in again  # the account is remembered
    assert [a.outlet.name for a in articles(db)] == ["通辽日报", "通辽日报"]
    with db.sessions() as s:
        learned = s.scalar(select(WechatAccount).where(WechatAccount.biz == "MzkzMDAwMDAwMQ=="))
        assert learned.source == "learned" and learned.member.userid == "zhangsan"


def test_a_short_wechat_link_is_asked_every_time(chat, org):
    assert "这是哪个公众号/媒体发布的" in chat("上稿 社区新风 https://mp.weixin.qq.com/s/AbC12xYz")
    assert "已登记" in chat("融媒")
    assert "这是哪个公众号/媒体发布的" in chat("上稿 社区新风二 https://mp.weixin.qq.com/s/DeF34uVw")
    assert count_rows(org, WechatAccount) == 3  # only the three of the org file


def test_the_known_accounts_of_the_org_file_need_no_question(chat, org):
    reply = chat("上稿 社区新风 https://mp.weixin.qq.com/s?__biz=MzA5NzE2MDQ0Mg==&mid=1&idx=1&sn=a")
    assert "已登记上稿" in reply and "新城街道微信公众号" in reply


@pytest.mark.usefixtures("march_2023")
def test_a_vague_count_is_asked_and_answered(chat, org):
    asked = chat("今天在社区广场开展学雷锋志愿服务活动，很多居民参加")
    assert "「很多居民」大约是多少人" in asked and count_rows(org, Activity) == 0
    stored = chat("大概80人吧")
    assert "已登记活动" in stored and "人数：80" in stored and "地点：社区广场" in stored
    with org.sessions() as s:
        assert s.scalar(select(Activity.participants)) == 80
        assert s.scalar(select(PendingDraft.id)) is None


@pytest.mark.usefixtures("march_2023")
def test_cancel_drops_the_draft(chat, org):
    chat("活动 志愿服务 学雷锋 很多人")
    assert "已取消" in chat("取消")
    assert count_rows(org, Activity) == 0 and count_rows(org, PendingDraft) == 0
    assert "没有待补充" in chat("取消")


@pytest.mark.usefixtures("march_2023")
def test_another_message_is_handled_as_new_and_the_question_is_dropped(chat, org):
    chat("活动 志愿服务 学雷锋 很多人")
    reply = chat("排名")
    assert reply.startswith("新城街道各单位排名") and "刚才问的那条没有登记，已作废" in reply
    assert count_rows(org, Activity) == 0 and count_rows(org, PendingDraft) == 0


def test_a_question_expires_after_30_minutes(chat, org):
    with time_machine.travel(datetime(2023, 3, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        chat("活动 志愿服务 学雷锋 很多人")
    with time_machine.travel(datetime(2023, 3, 20, 10, 31, tzinfo=SHANGHAI), tick=False):
        reply = chat("80")
    assert "30分钟前问的那条没有回复，已作废" in reply
    assert count_rows(org, Activity) == 0


@pytest.mark.usefixtures("march_2023")
def test_questions_are_per_member(chat, org):
    chat("活动 志愿服务 学雷锋 很多人", user="zhangsan")
    assert "已登记" not in chat("80", user="xiwang")  # not 希望社区's question
    assert "已登记活动" in chat("80", user="zhangsan")
    with org.sessions() as s:
        assert [a.unit.name for a in s.scalars(select(Activity))] == ["辽河社区"]


@pytest.mark.usefixtures("march_2023")
def test_several_articles_store_what_is_complete_and_ask_about_the_rest(chat, org):
    reply = chat(
        "上稿3篇：1.《辽河社区开展消防演练》学习强国 https://www.xuexi.cn/a?id=1 "
        "2.《辽河社区举办邻里节》大连日报 3.《辽河社区开展义诊》融媒 昨天"
    )
    assert reply.startswith("收到3条：") and "1. 已登记第1号" in reply and "3. 已登记第2号" in reply
    assert "2. 待补充：《辽河社区举办邻里节》" in reply and "不认识「大连日报」" in reply
    assert len(articles(org)) == 2
    assert "已登记上稿" in chat("7")  # the 7th option: 开发区融媒体中心
    assert [a.title for a in articles(org)][-1] == "辽河社区举办邻里节"


@pytest.mark.usefixtures("march_2023")
def test_a_date_over_two_months_back_is_confirmed_unless_said_on_purpose(chat, org):
    assert "是2022年12月30日吗" in chat("上稿 《社区迎新春》 通辽日报 12月30日")
    assert "已登记上稿" in chat("对")
    assert "已登记上稿" in chat("补报 《社区迎新年》 通辽日报 12月31日")  # 补报: meant
    assert "已登记上稿" in chat("上稿 《社区冬至》 通辽日报 2022年12月22日")  # the year written: meant
    with org.sessions() as s:
        assert sorted(str(d) for d in s.scalars(select(Article.published_on))) == [
            "2022-12-22",
            "2022-12-30",
            "2022-12-31",
        ]


@pytest.mark.usefixtures("march_2023")
def test_a_date_answer_replaces_the_doubtful_one(chat, org):
    chat("活动 志愿服务 学雷锋 45人 12月30日")
    assert "那活动日期是哪天" in chat("不是")
    assert "已登记活动" in chat("3月10日")
    with org.sessions() as s:
        assert str(s.scalar(select(Activity.held_on))) == "2023-03-10"


@pytest.mark.usefixtures("march_2023")
def test_a_photo_right_after_an_article_attaches_as_proof(wecom, app):
    wecom.text("zhangsan", "上稿 《辽河社区开展消防演练》 https://www.xuexi.cn/a?id=1")
    photo = (
        "<xml><ToUserName>wwtestcorp0000001</ToUserName><FromUserName>zhangsan</FromUserName>"
        "<CreateTime>1679277600</CreateTime><MsgType>image</MsgType><PicUrl>http://127.0.0.1/p.jpg</PicUrl>"
        "<MediaId>media1</MediaId><MsgId>555</MsgId><AgentID>1000002</AgentID></xml>"
    )
    reply = wecom.open_reply(wecom.send(photo))
    assert "已将照片附到第1号上稿「辽河社区开展消防演练」（共1张）" in reply
    assert count_rows(app.services.db, Article) == 1


@pytest.mark.usefixtures("march_2023")
def test_a_link_whose_record_was_withdrawn_may_be_reported_again(chat, org):
    chat("上稿 《辽河社区开展消防演练》 https://www.xuexi.cn/a?id=1")
    assert "已撤回第1号" in chat("刚才那条发错了 撤回 1")
    assert "已登记上稿（第2号）" in chat("上稿 《辽河社区开展冬季消防演练》 https://www.xuexi.cn/a?id=1")
    assert [a.status for a in articles(org)] == ["withdrawn", "counted"]


@pytest.mark.usefixtures("march_2023")
def test_roles_come_before_parsing(chat, org):
    assert "仅限管理员使用" in chat("指标 不存在的单位 3")
    assert "仅限管理员使用" in chat("把我们社区的任务改成2篇")
    assert count_rows(org, AdminAction) == 0
