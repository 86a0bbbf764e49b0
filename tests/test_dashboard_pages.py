"""What the dashboard shows and changes: rankings, lists and filters, withdraw, members, quotas,
exemptions, the outbox and the workbook (Flask test client, frozen at 2023-03-20)."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import create_app
from storage.models import AdminAction, Article, Exemption, Member, Outbox, Quota, Unit
from storage.outbox import enqueue
from tests.dashboard import DashboardUser
from tests.helpers import ROUTING, app_push

pytestmark = pytest.mark.usefixtures("march_2023")
XUEXI = "https://www.xuexi.cn/lgpage/detail/index.html?id="


@pytest.fixture
def user(org):
    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)
    return DashboardUser(app.test_client())


@pytest.fixture
def reported(chat):
    """Three articles (辽河 2 with a 头版, 希望 1) and an activity, sent through the chat pipeline."""
    assert "已登记" in chat(f"上稿 辽河社区学雷锋 {XUEXI}1 3月5日")
    assert "已登记" in chat(f"上稿 辽河社区邻里节 {XUEXI}2 3月6日 头版", user="zhangsan")
    assert "已登记" in chat(
        "上稿 希望社区义诊 https://www.tongliaowang.com/a/3 通辽日报 3月7日", user="xiwang"
    )
    assert "已登记" in chat("活动 志愿服务 希望社区清雪 3月8日 四十五人", user="xiwang")


def ranking_rows(html: str) -> list[tuple[str, str, str]]:
    """(place, unit, articles) of each row of the ranking table."""
    body = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    cells = [re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", row, re.S) for row in body.split("<tr")[2:]]
    return [(c[0], c[1], c[3]) for c in cells]


def test_overview_ranks_by_count_with_shared_places_and_shows_progress(user, reported):
    user.sign_in("lishuji")
    html = user.get("/admin/").get_data(as_text=True)
    rows = ranking_rows(html)
    assert rows[:2] == [("1", "辽河社区", "2"), ("2", "希望社区", "1")]
    assert {place for place, _u, n in rows if n == "0"} == {"3"}  # everyone else ties for third
    assert len(rows) == 14  # every community and office, the ones with nothing too
    assert "2023年3月" in html and "未完成" in html


def test_overview_by_score_and_for_another_period(user, reported):
    user.sign_in("lishuji")
    by_score = ranking_rows(user.get("/admin/?by=score").get_data(as_text=True))
    assert by_score[0][1] == "辽河社区"  # 学习强国 ×2 for the 头版 outweighs 通辽日报
    february = user.get("/admin/?period=2023年2月").get_data(as_text=True)
    assert "2023年2月" in february and all(n == "0" for *_x, n in ranking_rows(february))
    unreadable = user.get("/admin/?period=明年春天").get_data(as_text=True)
    assert "看不懂时间「明年春天」" in unreadable and "2023年3月" in unreadable


def test_a_leader_cannot_look_at_another_scope(user, org):
    with org.sessions() as s:
        zone = s.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    user.sign_in("lishuji")
    html = user.get(f"/admin/?scope={zone.id}").get_data(as_text=True)
    assert "新城街道各单位排名" in html and zone.name + "各单位排名" not in html


def test_articles_list_filters_by_unit_outlet_and_title(user, reported, org):
    user.sign_in("lishuji")
    with org.sessions() as s:
        liaohe = s.scalar(select(Unit.id).where(Unit.name == "辽河社区"))
    everything = user.get("/admin/articles").get_data(as_text=True)
    assert "共 3 条" in everything
    only_liaohe = user.get(f"/admin/articles?unit={liaohe}").get_data(as_text=True)
    assert "共 2 条" in only_liaohe and "希望社区义诊" not in only_liaohe
    assert "共 1 条" in user.get("/admin/articles?q=邻里").get_data(as_text=True)
    assert "共 0 条" in user.get("/admin/articles?period=2023年2月").get_data(as_text=True)
    activities = user.get("/admin/activities?type=志愿服务").get_data(as_text=True)
    assert "希望社区清雪" in activities and ">45<" in activities


def test_script_shaped_titles_are_shown_escaped(user, chat):
    chat(f"上稿 <script>alert(1)</script>报道 {XUEXI}9 3月5日")
    user.sign_in("lishuji")
    html = user.get("/admin/articles").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;报道" in html and "<script>alert" not in html


def test_withdraw_from_the_list_as_chat_would(user, reported, org):
    with org.sessions() as s:
        no = s.scalar(select(Article.no).where(Article.title == "希望社区义诊"))
    user.sign_in("lishuji")
    back = "/admin/articles?status="
    response = user.post("/admin/withdraw", no=str(no), back=back)
    assert response.location == back
    page = user.flashes(back)
    assert f"已撤回第{no}号上稿「希望社区义诊」" in page and "已撤回</span>" in page
    user.post("/admin/withdraw", no="999")
    assert "没有第999号记录" in user.flashes("/admin/")
    with org.sessions() as s:
        assert s.scalar(select(Article.status).where(Article.no == no)) == "withdrawn"
        assert s.scalar(select(AdminAction.action).where(AdminAction.member_id.is_not(None))) == "withdraw"
    assert ranking_rows(user.get("/admin/").get_data(as_text=True))[1][2] == "0"


def test_members_are_added_updated_and_deactivated(user, org):
    user.sign_in("admin")
    user.post("/admin/members", userid="lisi", name="李四", unit="希望社区", role="宣传员")
    assert "已添加成员：李四（lisi），希望社区宣传员" in user.flashes("/admin/members")
    user.post("/admin/members", userid="lisi", name="李四", unit="辽河社区", role="宣传员")
    assert "已更新成员" in user.flashes("/admin/members")
    user.post("/admin/members", userid="x1", name="某人", unit="希望社区", role="局长")
    assert "不认识角色「局长」" in user.flashes("/admin/members")
    user.post("/admin/members", userid="lisi", action="remove")
    assert "已停用成员：李四" in user.flashes("/admin/members")
    with org.sessions() as s:
        lisi = s.scalar(select(Member).where(Member.userid == "lisi"))
        assert (lisi.unit.name, lisi.active) == ("辽河社区", False)
        assert s.scalar(select(Member).where(Member.userid == "x1")) is None


def test_quota_edits_and_bad_numbers(user, org):
    user.sign_in("admin")
    with org.sessions() as s:
        xiwang = s.scalar(select(Unit.id).where(Unit.name == "希望社区"))
    user.post("/admin/quotas", unit_id=str(xiwang), articles="四", activities="2")
    assert "已设置希望社区每月任务：上稿4篇、活动2次" in user.flashes("/admin/quotas")
    user.post("/admin/quotas", unit_id=str(xiwang), articles="很多", activities="2")
    assert "很多" in user.flashes("/admin/quotas")
    assert user.post("/admin/quotas", unit_id="999999", articles="1", activities="1").status_code == 400
    with org.sessions() as s:
        quota = s.scalar(select(Quota).where(Quota.unit_id == xiwang))
        assert (quota.articles, quota.activities) == (4, 2)


def test_exemptions_by_period_or_dates_and_removed(user, org):
    user.sign_in("admin")
    with org.sessions() as s:
        heping = s.scalar(select(Unit.id).where(Unit.name == "和平社区"))
    user.post("/admin/exemptions", unit_id=str(heping), period="本月", reason="换届选举")
    assert "和平社区2023年3月免报（换届选举）" in user.flashes("/admin/exemptions")
    user.post("/admin/exemptions", unit_id=str(heping), start="2023-04-10", end="2023-04-01")
    assert "结束日期早于开始日期" in user.flashes("/admin/exemptions")
    user.post("/admin/exemptions", unit_id=str(heping), start="2023-04-01", end="2023-04-10")
    assert "2023-04-01 至 2023-04-10" in user.flashes("/admin/exemptions")
    assert "免报" in user.get("/admin/").get_data(as_text=True).split("和平社区", 1)[1].split("</tr>")[0]
    with org.sessions() as s:
        first = s.scalar(select(Exemption.id).order_by(Exemption.id))
    user.post("/admin/exemptions", id=str(first), action="remove")
    assert "已取消和平社区03月01日至03月31日的免报" in user.flashes("/admin/exemptions")
    with org.sessions() as s:
        assert [(e.start.isoformat(), e.end.isoformat()) for e in s.scalars(select(Exemption))] == [
            ("2023-04-01", "2023-04-10")
        ]
        assert "exempt_remove" in set(s.scalars(select(AdminAction.action)))


def test_outbox_shows_delivery_status(user, org):
    with org.sessions() as s, s.begin():
        enqueue(s, "demo", [app_push("nag", ("zhangsan",), "【投稿通提醒】辽河社区还差2篇")], ROUTING)
        s.add(
            Outbox(
                channel="wecom", recipients=["admin"], status="failed", attempts=5, last_error="errcode 60020"
            )
        )
    user.sign_in("admin")
    page = user.get("/admin/outbox").get_data(as_text=True)
    assert "催报" in page and "辽河社区还差2篇" in page and "errcode 60020" in page and "尝试5次" in page
    failed = user.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "errcode 60020" in failed and "辽河社区还差2篇" not in failed


def test_the_workbook_downloads_for_the_chosen_period(user, reported):
    user.sign_in("lishuji")
    response = user.get("/admin/export.xlsx?period=本月")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["排名", "稿件", "活动", "媒体与级别", "任务完成"]
    assert [c.value for c in book["排名"][2]][:3] == [1, "辽河社区", 2]


def test_outlets_page_shows_and_corrects_the_learned_wechat_accounts(user, chat, org):
    chat("上稿 《社区新风》 https://mp.weixin.qq.com/s?__biz=MzkwMDAwMDAwMg==&mid=1&idx=1&sn=a")
    chat("街道公众号")  # the publicist's answer: remembered for that account
    user.sign_in("admin")
    html = user.get("/admin/outlets").get_data(as_text=True)
    row = html.split('data-biz="MzkwMDAwMDAwMg=="', 1)[1].split("</tr>", 1)[0]
    assert "新城街道微信公众号" in row and "宣传员回答（张三）" in row
    user.post("/admin/outlets", biz="MzkwMDAwMDAwMg==", outlet="通辽日报")
    html = user.flashes("/admin/outlets")
    assert "已设置：公众号 MzkwMDAwMDAwMg== 的文章计为通辽日报（原为新城街道微信公众号）" in html
    with org.sessions() as s:
        assert s.scalar(select(AdminAction.detail).where(AdminAction.action == "wechat_account")) == (
            "MzkwMDAwMDAwMg== 新城街道微信公众号 → 通辽日报"
        )
    user.sign_in("lishuji")
    assert user.get("/admin/outlets").status_code == 403
