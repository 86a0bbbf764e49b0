"""Callbacks end to end on every channel (WeCom; Official Account plain and safe mode): real wechatpy
encryption both ways, real database. Adding a channel touched no handler."""

import time

import pytest

from storage.models import Article, InboundMessage
from tests.conftest import WECHAT
from tests.helpers import WeChatSender, count_rows, text_xml

pytestmark = pytest.mark.usefixtures("march_2023")


def count(db, model=Article) -> int:
    return count_rows(db, model)


def test_url_verification_returns_the_decrypted_echostr(client, wecom):
    query = wecom.url_check_query("echo-1234567890")
    response = client.get("/wecom/callback", query_string=query)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "echo-1234567890"
    assert response.mimetype == "text/plain"
    query["msg_signature"] = "0" * 40
    assert client.get("/wecom/callback", query_string=query).status_code == 403


def test_three_kinds_of_report_from_two_communities_rank_and_sum(channel, app):
    line = channel.text(
        "zhangsan",
        "上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/lgpage/detail/index.html?id=1 学习强国 3月5日",
    )
    form = channel.text(
        "xiwang",
        "上稿\n标题：希望社区举办邻里节\n链接：https://www.news.cn/x/1.htm\n媒体：新华网\n日期：3月6日",
    )
    link = channel.link(
        "zhangsan", "辽河社区开展反诈宣传", "https://mp.weixin.qq.com/s?__biz=MzA1&mid=2&idx=1&sn=ab&scene=21"
    )
    assert "这是哪个公众号/媒体发布的" in link  # an account the org file does not list is asked about
    link = channel.text("zhangsan", "街道公众号")
    assert "已登记上稿" in line and "已登记上稿" in form and "新城街道微信公众号" in link
    assert count(app.services.db) == 3
    ranking = channel.text("lishuji", "排名")
    assert "1. 辽河社区 2篇" in ranking and "2. 希望社区 1篇" in ranking and "3. 明仁社区 0篇" in ranking
    assert "上稿2篇，积分10.5" in channel.text("zhangsan", "我的")
    assert "积分8" in channel.text("xiwang", "我的")
    assert "1. 辽河社区 10.5分" in channel.text("xiwang", "排名 积分")


def test_same_msgid_three_times_stores_one_article_and_repeats_the_reply(channel, app):
    xml = text_xml("zhangsan", "上稿 甲 https://www.xuexi.cn/a?id=7", msg_id=123456789012345678)
    replies = [channel.open_reply(channel.send(xml)) for _ in range(3)]
    assert replies[0].startswith("已登记上稿") and replies == [replies[0]] * 3
    db = app.services.db
    assert count(db) == 1 and count(db, InboundMessage) == 1


def test_reply_goes_back_to_the_sender_from_the_corp(wecom):
    from bot.callback_crypto import parse_flat_xml

    response = wecom.send(text_xml("zhangsan", "帮助"))
    envelope = parse_flat_xml(response.get_data())
    inner = parse_flat_xml(
        wecom.crypto.decrypt_message(
            response.get_data(), envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
        )
    )
    assert (inner["ToUserName"], inner["FromUserName"], inner["MsgType"]) == (
        "zhangsan",
        "wwtestcorp0000001",
        "text",
    )


def test_unknown_sender_stores_nothing(channel, app):
    assert "管理员" in channel.text("stranger", "上稿 甲 https://www.xuexi.cn/a?id=7")
    db = app.services.db
    assert count(db) == 0 and count(db, InboundMessage) == 0


def test_events_get_an_empty_answer_and_are_keyed_by_user_and_time(channel, app):
    xml = (
        "<xml><ToUserName>wwtestcorp0000001</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1679277600</CreateTime>"
        "<MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1000002</AgentID></xml>"
    )
    for _ in range(2):
        response = channel.send(xml)
        assert (
            response.status_code == 200 and channel.open_reply(response) == ""
        )  # WeCom: empty; WeChat: "success"
    assert count(app.services.db, InboundMessage) == 1


def test_a_photo_without_a_recent_activity_is_explained(channel, app):
    xml = (
        "<xml><ToUserName>wwtestcorp0000001</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1679277600</CreateTime>"
        "<MsgType>image</MsgType><PicUrl>http://p/1.jpg</PicUrl><MediaId>m1</MediaId><MsgId>99</MsgId><AgentID>1</AgentID></xml>"
    )
    assert "照片需要跟在上稿或活动登记之后" in channel.open_reply(channel.send(xml))
    assert count(app.services.db) == 0


def test_wechat_url_check_and_plain_signature(client):
    import hashlib

    ts = str(int(time.time()))
    good = hashlib.sha1("".join(sorted([WECHAT["WECHAT_TOKEN"], ts, "n"])).encode()).hexdigest()
    query = {"signature": good, "timestamp": ts, "nonce": "n", "echostr": "hello123"}
    response = client.get("/wechat/callback", query_string=query)
    assert response.status_code == 200 and response.get_data(as_text=True) == "hello123"
    assert client.get("/wechat/callback", query_string={**query, "signature": "0" * 40}).status_code == 403
    bad_post = client.post(
        "/wechat/callback",
        query_string={**query, "signature": "0" * 40},
        data=text_xml("zhangsan", "排名"),
        content_type="text/xml",
    )
    assert bad_post.status_code == 403


def test_wechat_safe_mode_refuses_tampering(client):
    sender = WeChatSender(
        client, WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"], True
    )
    body, query = sender.envelope(text_xml("zhangsan", "排名"))
    assert sender.post(body, {**query, "msg_signature": "f" * 40}).status_code == 403
    assert sender.post(b"<xml><Encrypt>&x;</Encrypt></xml>", query).status_code == 400
    other_app = WeChatSender(client, WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], "wxSOMEONEELSE", True)
    assert sender.post(*other_app.envelope(text_xml("zhangsan", "排名"))).status_code == 403


def test_wechat_channel_off_without_token(org):
    from bot import create_app

    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org)
    assert app.test_client().post("/wechat/callback", data=b"<xml/>").status_code == 404
