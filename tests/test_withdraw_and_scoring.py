"""撤回 and 批示, and the scoring rules: 头版/头条 factor, endorsement bonus, one story in several outlets."""

import re

import pytest
from sqlalchemy import select

from storage.models import AdminAction, Article, OrgSetting
from tests.helpers import count_rows

pytestmark = pytest.mark.usefixtures("march_2023")


def number(reply: str) -> int:
    return int(re.search(r"第(\d+)号", reply)[1])


def test_publicist_withdraws_own_unit_report_and_it_stops_counting(chat, org):
    no = number(chat("上稿 甲 https://www.xuexi.cn/a?id=1"))
    assert "1. 辽河社区 1篇" in chat("排名")
    assert f"已撤回第{no}号上稿「甲」" in chat(f"撤回 {no}")
    assert "辽河社区 0篇" in chat("排名")
    assert "已经撤回过了" in chat(f"撤回 第{no}号")
    # the link may be reported again once the mistaken copy is withdrawn
    assert "已登记上稿" in chat("上稿 甲 https://www.xuexi.cn/a?id=1")
    assert count_rows(org, AdminAction) == 1


def test_publicist_cannot_withdraw_another_units_report(chat, org):
    no = number(chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="xiwang"))
    reply = chat(f"撤回 {no}", user="zhangsan")
    assert "属于希望社区" in reply
    with org.sessions() as s:
        assert s.scalar(select(Article.status)) == "counted"


def test_leader_withdraws_within_the_street_and_activities_too(chat):
    no = number(chat("活动 志愿服务 甲 45人", user="xiwang"))
    assert f"已撤回第{no}号活动" in chat(f"撤回 {no}", user="lishuji")
    assert "活动0次" in chat("我的", user="xiwang")


@pytest.mark.parametrize(
    ("text", "says"), [("撤回", "请写上要撤回的编号"), ("撤回 abc", "请写上"), ("撤回 999", "没有第999号")]
)
def test_withdraw_bad_input(chat, text, says):
    assert says in chat(text)


def test_placement_doubles_the_score(chat, org):
    reply = chat("上稿 辽河社区开展学雷锋志愿服务 通辽日报 头版 3月5日")
    assert "媒体：通辽日报（市级）" in reply and "版面：头版" in reply and "积分6" in reply
    form = chat("上稿\n标题：乙\n媒体：开发区融媒体中心\n版面：头版头条")
    assert "积分2" in form


def test_leader_endorsement_adds_the_bonus_by_level(chat, org):
    no = number(chat("上稿 甲 通辽日报 3月5日"))
    assert "加2分，现积分5" in chat(f"批示 {no} 市级", user="lishuji")
    assert "加5分，现积分8" in chat(
        f"批示 {no} 国家", user="lishuji"
    )  # a later endorsement replaces the level
    assert "1. 辽河社区 8分" in chat("排名 积分")
    with org.sessions() as s:
        assert s.scalar(select(AdminAction.detail)) == f"第{no}号 市级"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("批示 12", "请写明批示领导的级别"),
        ("批示 市级", "请写上要登记批示的稿件编号"),
        ("批示 999 市级", "没有第999号"),
    ],
)
def test_endorse_bad_input(chat, text, says):
    assert says in chat(text, user="lishuji")


def test_publicist_cannot_endorse(chat):
    no = number(chat("上稿 甲 通辽日报 3月5日"))
    assert "仅限领导、管理员使用" in chat(f"批示 {no} 市级")


def test_same_story_counts_each_by_default_or_only_the_highest(chat, org):
    chat("上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/a?id=1")
    chat("上稿 辽河社区开展学雷锋志愿服务！ 开发区融媒体中心 3月19日")
    chat("上稿 另一篇 开发区融媒体中心 3月19日", user="xiwang")
    assert "1. 辽河社区 11分（2篇）" in chat("排名 积分")
    with org.sessions() as s, s.begin():
        s.merge(OrgSetting(key="scoring", value={"same_story": "highest"}))
    assert "1. 辽河社区 10分（1篇）" in chat("排名 积分")
    assert "1. 辽河社区 1篇" in chat("排名") and "1. 希望社区 1篇" in chat("排名")
    assert "上稿1篇，积分10" in chat("我的")
