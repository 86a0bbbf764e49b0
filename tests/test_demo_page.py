"""The /demo chat page: only in demo mode, same pipeline as WeCom, pushes visible, text never interpreted."""

import pytest
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from storage.channels import Channel
from storage.models import Article, InboundMessage
from storage.outbox import enqueue
from tests.helpers import ROUTING, app_push


@pytest.fixture
def demo(org):
    return create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()


def test_demo_page_exists_only_in_demo_mode(client, demo):
    assert client.get("/demo").status_code == 404
    assert client.post("/demo/api/send", json={"userid": "zhangsan", "text": "排名"}).status_code == 404
    page = demo.get("/demo")
    assert page.status_code == 200 and "投稿通演示" in page.get_data(as_text=True)
    assert "textContent" in page.get_data(as_text=True) and "innerHTML" not in page.get_data(as_text=True)


def test_members_and_examples_per_role(demo):
    data = demo.get("/demo/api/members").get_json()
    zhangsan = next(m for m in data["members"] if m["userid"] == "zhangsan")
    assert zhangsan == {"userid": "zhangsan", "name": "张三", "role": "宣传员", "unit": "辽河社区"}
    assert any(e.startswith("上稿 ") for e in data["examples"]["宣传员"])
    assert "未报" in data["examples"]["领导"] and not any(
        e.startswith("成员") for e in data["examples"]["领导"]
    )


def test_chat_goes_through_the_same_pipeline(demo, org):
    reply = demo.post(
        "/demo/api/send", json={"userid": "zhangsan", "text": "上稿 演示页上稿 https://www.xuexi.cn/a?id=9"}
    )
    assert reply.status_code == 200 and reply.get_json()["reply"].startswith("已登记上稿")
    assert (
        "1. 辽河社区 1篇"
        in demo.post("/demo/api/send", json={"userid": "lishuji", "text": "排名"}).get_json()["reply"]
    )
    with org.sessions() as s:
        assert s.scalar(select(Article.title)) == "演示页上稿"
        assert set(s.scalars(select(InboundMessage.channel))) == {"demo"}
    stranger = demo.post("/demo/api/send", json={"userid": "nobody", "text": "排名"}).get_json()["reply"]
    assert "管理员" in stranger


def test_a_question_and_its_answer_on_the_demo_page(demo, org):
    def say(text: str) -> str:
        return demo.post("/demo/api/send", json={"userid": "zhangsan", "text": text}).get_json()["reply"]

    assert "「很多居民」大约是多少人" in say("今天在社区广场开展学雷锋志愿服务活动，很多居民参加")
    assert "人数：80" in say("大概80人")
    assert "已修改第1号活动的人数：80 → 85" in say("刚才那条人数写错了，应该是85人")


def test_the_examples_start_with_messages_in_plain_words(demo):
    examples = demo.get("/demo/api/members").get_json()["examples"]
    assert examples["宣传员"][0].startswith("今天学习强国发了我们社区的稿子《")
    assert "这个月排名怎么样" in examples["领导"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"userid": "zhangsan"}, 400),
        ({"userid": "zhangsan", "text": "  "}, 400),
        ({"userid": "zhangsan", "text": "长" * 5000}, 413),
    ],
)
def test_bad_requests(demo, body, status):
    assert demo.post("/demo/api/send", json=body).status_code == status


def test_pushes_show_what_the_scheduler_queued(demo, org):
    with org.sessions() as s, s.begin():
        enqueue(s, "demo", [app_push("nag", ("zhangsan", "xiwang"), "【投稿通提醒】<b>请报送</b>")], ROUTING)
    pushes = demo.get("/demo/api/pushes").get_json()["pushes"]
    assert pushes == [
        {
            "id": 1,
            "recipients": ["zhangsan", "xiwang"],
            "count": 2,
            "status": "pending",
            "text": "【投稿通提醒】<b>请报送</b>",
            "kind": "nag",
            "links": [],
        }
    ]  # JSON; the page shows it as text
    assert demo.get("/demo/api/pushes?since=1").get_json()["pushes"] == []


def test_the_group_view_is_the_robot_in_a_group_where_several_members_ask(demo, org):
    def say(user: str, text: str) -> str:
        response = demo.post("/demo/api/send", json={"userid": user, "text": text, "chat": "group"})
        assert response.status_code == 200
        return response.get_json()["reply"]

    assert say("zhangsan", "上稿 群里报的稿 https://www.xuexi.cn/a?id=11").startswith("已登记上稿")
    assert "「很多居民」大约是多少人" in say("xiwang", "今天在社区广场开展学雷锋志愿服务活动，很多居民参加")
    assert "「很多居民」大约是多少人" in say("zhangsan", "今天在社区广场开展学雷锋志愿服务活动，很多居民参加")
    assert "人数：40" in say("xiwang", "40人")  # each member answers their own question
    assert "人数：25" in say("zhangsan", "25人")
    assert "1. 辽河社区 1篇" in say("lishuji", "本月排名")
    assert "管理员" in say("nobody", "排名")
    with org.sessions() as s:
        assert (
            s.scalar(select(InboundMessage.content).where(InboundMessage.userid == "lishuji"))
            == "@投稿通\u2005本月排名"
        )
        assert set(s.scalars(select(InboundMessage.channel))) == {"aibot"}


def test_a_lone_surrogate_is_a_bad_request_not_an_error(demo, org):
    for chat in ("single", "group"):
        response = demo.post("/demo/api/send", json={"userid": "zhangsan", "text": "甲\udc00", "chat": chat})
        assert response.status_code == 400
    assert (
        demo.post("/demo/api/send", json={"userid": "z" * 100, "text": "排名", "chat": "group"}).status_code
        == 400
    )
    with org.sessions() as s:
        assert s.scalar(select(InboundMessage.id)) is None


def test_an_export_shows_its_download_link_and_the_file_downloads(org):
    """In the demo (no credentials) the file goes to the console sender; the page links to it."""
    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)
    demo = app.test_client()
    reply = demo.post("/demo/api/send", json={"userid": "lishuji", "text": "导出"}).get_json()["reply"]
    assert "稍后以文件发给您" in reply
    jobs.work(app.services)
    [push] = [p for p in demo.get("/demo/api/pushes").get_json()["pushes"] if p["kind"] == "export"]
    assert (
        push["status"] == "sent"
        and push["text"].startswith("[文件] 新城街道")
        and push["text"].endswith(".xlsx")
    )
    [link] = push["links"]
    assert link["to"] == "lishuji" and link["href"].startswith("/files/")
    download = demo.get(link["href"])
    assert download.status_code == 200 and download.data[:2] == b"PK"  # an .xlsx is a zip
    [(to, logged)] = [
        (r, t) for r, t in app.services.senders[Channel.WECOM_APP].sent if t.startswith("[file]")
    ]
    assert to == ["lishuji"] and link["href"] in logged
