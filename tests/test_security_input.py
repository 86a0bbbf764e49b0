"""Issue 11, item 8 (the pipeline's and the dashboard's part): input too long or too large for the database
gets a Chinese answer and stores nothing; only a real database fault answers 503."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot import create_app
from bot.admin.web import OUT_OF_RANGE as FORM_OUT_OF_RANGE
from bot.pipeline import OUT_OF_RANGE
from storage.models import Article, InboundMessage, Member, Quota, RecordNumber
from tests.dashboard import DashboardUser
from tests.helpers import count_rows, text_xml

pytestmark = pytest.mark.usefixtures("march_2023")


def members(db) -> int:
    return count_rows(db, Member)


def test_a_value_the_database_refuses_is_answered_not_503(wecom, org, monkeypatch):
    """Whatever a handler writes that is out of range (PostgreSQL: DataError; SQLite: OverflowError)."""

    def writes_too_large(ctx, msg, refused=None):
        ctx.session.add(RecordNumber(id=10**20, kind="article"))
        ctx.session.flush()

    monkeypatch.setattr("bot.pipeline.dispatch", writes_too_large)
    response = wecom.send(text_xml("zhangsan", "上稿 …"))
    assert response.status_code == 200 and wecom.open_reply(response) == OUT_OF_RANGE
    assert count_rows(org, InboundMessage) == 0 and count_rows(org, RecordNumber) == 0  # nothing stored


def test_an_over_long_link_is_never_an_outage(wecom, org):
    link = (
        "https://www.xuexi.cn/lgpage/detail/index.html?id=" + "9" * 1300
    )  # 1,349 characters (the audit used 1,330)
    response = wecom.send(text_xml("zhangsan", f"上稿 辽河社区开展学雷锋志愿服务 {link}"))
    assert response.status_code == 200
    assert "链接太长（1349个字符，最多1000个）" in wecom.open_reply(response)
    assert count_rows(org, Article) == 0  # refused before storage, on either database
    assert count_rows(org, InboundMessage) == 1  # the message itself is logged and answered


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("成员 添加 " + "a" * 70 + " 张三 辽河社区 宣传员", "账号最多64个字符"),
        ("成员 添加 zhangsan2 " + "张" * 51 + " 辽河社区 宣传员", "姓名最多50个字，现在有51个"),
    ],
)
def test_member_userid_and_name_lengths_are_checked(wecom, org, command, says):
    before = members(org)
    reply = wecom.text("admin", command)
    assert says in reply and "例：成员 添加 zhangsan 张三 辽河社区 宣传员" in reply
    assert members(org) == before


@pytest.mark.parametrize(
    "inner",
    [
        text_xml("zhangsan", "帮助", msg_id=int("9" * 200)),
        text_xml("z" * 70, "帮助"),
        "<xml><FromUserName>zhangsan</FromUserName><MsgType>event</MsgType><Event>"
        + "e" * 200
        + "</Event><CreateTime>1</CreateTime></xml>",
    ],
    ids=["huge MsgId", "70-character FromUserName", "huge event"],
)
def test_over_long_channel_fields_are_refused_with_400(wecom, org, inner):
    assert wecom.send(inner).status_code == 400
    assert count_rows(org, InboundMessage) == 0


@pytest.fixture
def admin(org):
    user = DashboardUser(
        create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True).test_client()
    )
    user.sign_in("admin")
    return user


@pytest.mark.parametrize(
    "query",
    [
        "page=" + "9" * 30,
        "endpoint=x",
        "outlet=" + "9" * 30,
        "unit=" + "9" * 30,
        "page=-5",
        "_anchor=x&_method=GET",
    ],
)
def test_dashboard_lists_take_any_query(admin, query):
    for path in ("/admin/articles", "/admin/activities"):
        response = admin.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


def test_pager_links_take_nothing_but_the_filters_from_the_query(admin, org):
    from datetime import date

    from storage.articles import add_article
    from storage.models import Outlet

    with org.sessions() as s, s.begin():
        member = s.scalar(select(Member).where(Member.userid == "zhangsan"))
        outlet = s.scalar(select(Outlet).where(Outlet.name == "学习强国"))
        for i in range(51):  # two pages
            add_article(
                s,
                member=member,
                outlet=outlet,
                title=f"稿{i}",
                url=None,
                canonical=f"c{i}",
                published_on=date(2023, 3, 5),
            )
    crashed = admin.get("/admin/articles?endpoint=x&q=稿")  # url_for(endpoint, **request.args) was a 500
    assert crashed.status_code == 200 and "下一页" in crashed.get_data(as_text=True)
    page = admin.get("/admin/articles?_external=1&_scheme=javascript&q=稿").get_data(as_text=True)
    assert "下一页" in page and "javascript:" not in page and 'href="/admin/articles?' in page


def test_dashboard_forms_with_huge_numbers_answer_in_chinese(admin, org):
    assert admin.post("/admin/withdraw", no="9" * 30).status_code == 302
    done = admin.post("/admin/quotas", follow=True, unit_id="9" * 30, articles="3", activities="1")
    assert done.status_code == 400  # no such unit
    with org.sessions() as s:
        unit_id = s.scalar(select(Member.unit_id).where(Member.userid == "zhangsan"))
    huge = admin.post("/admin/quotas", follow=True, unit_id=str(unit_id), articles="9" * 25, activities="1")
    assert huge.status_code == 200 and FORM_OUT_OF_RANGE in huge.get_data(as_text=True)
    with org.sessions() as s:
        assert s.scalar(select(func.max(Quota.articles))) < 10**9


def test_a_name_cannot_break_out_of_the_confirm_dialog(admin, chat):
    """A member's name is admin input: inside onsubmit="confirm('…{{ name }}')" HTML escaping is undone
    by the browser before the script runs, so x');alert(1);// ran as script. It is a JSON string now."""
    assert "已添加成员" in chat("成员 添加 evil1 x');alert(1);// 辽河社区 宣传员", user="admin")
    page = admin.get("/admin/members").get_data(as_text=True)
    assert "confirm(&#39;停用成员x&#39;);alert(1)" not in page and "confirm('停用成员x');alert(1)" not in page
    assert "x\\u0027);alert(1);//" in page  # inside a JSON string literal, in a single-quoted attribute
