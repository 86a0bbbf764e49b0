"""修改: one field of a record corrected — by number or in plain words for the sender's last record — with
what derives from it kept in step, the change shown before and after, and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Activity, AdminAction, Article

pytestmark = pytest.mark.usefixtures("march_2023")
XUEXI = "https://www.xuexi.cn/lgpage/detail/index.html?id=77"


def one(db, model):
    with db.sessions() as s:
        row = s.scalar(select(model))
        if isinstance(row, Article):
            _ = row.outlet.name
        return row


def audit(db) -> list[str]:
    with db.sessions() as s:
        return list(s.scalars(select(AdminAction.detail).where(AdminAction.action == "correct")))


@pytest.mark.parametrize(
    ("fix", "field", "value"),
    [
        ("修改 1 日期 3月15日", "published_on", "2023-03-15"),
        ("刚才那条日期写错了，是3月15日", "published_on", "2023-03-15"),
        ("修改 1 标题 辽河社区开展冬季消防演练", "title", "辽河社区开展冬季消防演练"),
        ("刚才那条标题少了个字，应该是《辽河社区开展消防演练活动》", "title", "辽河社区开展消防演练活动"),
        ("修改第1号的版面为第2版", "placement", "第2版"),
    ],
)
def test_article_fields(chat, org, fix, field, value):
    chat("上稿 《辽河社区开展消防演练》 通辽日报 3月18日")
    reply = chat(fix)
    assert reply.startswith("已修改第1号上稿的") and "→" in reply and "现在是：" in reply
    assert str(getattr(one(org, Article), field)) == value
    assert len(audit(org)) == 1


def test_a_new_outlet_rescores_the_article(chat, org):
    chat("上稿 《辽河社区开展消防演练》 通辽日报 3月18日 头版")
    reply = chat("修改 1 媒体 学习强国")
    assert "媒体：通辽日报 → 学习强国" in reply
    article = one(org, Article)
    assert (article.outlet.name, article.score) == ("学习强国", 20.0)  # weight 10 × the front page's 2


def test_activity_fields_and_a_field_told_by_its_value(chat, org):
    chat("活动 志愿服务 学雷锋志愿服务 3月18日 45人")
    assert "人数：45 → 60" in chat("修改 1 人数 60")
    assert "地点：未注明 → 社区广场" in chat("修改 1 地点 社区广场")
    assert "类型：志愿服务 → 文明实践" in chat("刚才那条类型选错了，应该是文明实践")
    assert "日期：2023-03-18 → 2023-03-17" in chat("刚才那条不对，是3月17日")  # a date can only be the date
    activity = one(org, Activity)
    assert (activity.participants, activity.place, activity.type, str(activity.held_on)) == (
        60,
        "社区广场",
        "文明实践",
        "2023-03-17",
    )
    assert len(audit(org)) == 4


def test_leaders_correct_records_under_them_and_publicists_only_their_own(chat, org):
    chat("上稿 《辽河社区开展消防演练》 通辽日报 3月18日", user="zhangsan")
    assert "只有本单位宣传员或上级领导可以修改" in chat("修改 1 日期 3月15日", user="xiwang")
    assert "已修改第1号上稿的日期" in chat("修改 1 日期 3月15日", user="lishuji")
    assert audit(org) == ["上稿 第1号 日期 2023-03-18 → 2023-03-15"]


@pytest.mark.parametrize(
    ("fix", "says"),
    [
        ("修改 9 日期 3月15日", "没有第9号记录"),
        ("修改 1 人数 60", "上稿没有这一项可改"),
        ("修改 1 媒体 大连日报", "不认识媒体「大连日报」"),
        ("修改 1 日期 3月25日", "是2022年3月25日吗？是的话请写明年份"),
        ("修改 1 日期 2023年3月25日", "还没到"),
        ("修改 1 日期 3月18日", "本来就是"),
    ],
)
def test_bad_corrections_change_nothing(chat, org, fix, says):
    chat("上稿 《辽河社区开展消防演练》 通辽日报 3月18日")
    assert says in chat(fix)
    article = one(org, Article)
    assert (str(article.published_on), article.outlet.name) == ("2023-03-18", "通辽日报")
    assert audit(org) == []


def test_a_withdrawn_record_is_not_corrected(chat, org):
    chat("上稿 《辽河社区开展消防演练》 通辽日报 3月18日")
    chat("撤回刚才那条")
    assert "已撤回，不能修改" in chat("修改 1 日期 3月15日")
