"""成员, 指标, 免报 by chat: admins only, every change audited; refusals for everyone else."""

import pytest
from sqlalchemy import select

from storage.models import AdminAction, Exemption, Member
from storage.org import quota_for, unit_by_name
from tests.helpers import count_rows

pytestmark = pytest.mark.usefixtures("march_2023")

LEADER_AND_ADMIN = ["未报", "通报", "批示 1 市级"]
ADMIN_ONLY = [
    "成员 添加 lisi 李四 辽河社区 宣传员",
    "成员 删除 xiwang",
    "成员 列表",
    "指标 辽河社区 5",
    "免报 辽河社区 本月",
]


def test_admin_adds_updates_and_removes_a_member(chat, org):
    assert "已添加成员：李四（lisi），辽河社区宣传员" in chat("成员 添加 lisi 李四 辽河 宣传员", user="admin")
    assert "已登记上稿" in chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="lisi")
    assert "已更新成员：李四（lisi），希望社区领导" in chat("成员 添加 lisi 李四 希望社区 领导", user="admin")
    assert "已停用成员：李四（lisi）" in chat("成员 删除 lisi", user="admin")
    assert "联系" in chat("排名", user="lisi")  # a removed member is a stranger again
    assert "没有在用的成员" in chat("成员 删除 lisi", user="admin")
    assert "不能删除自己" in chat("成员 删除 admin", user="admin")
    with org.sessions() as s:
        actions = list(s.scalars(select(AdminAction.action).order_by(AdminAction.id)))
        assert actions == ["member_add", "member_update", "member_remove"]
        assert s.scalar(select(AdminAction.member_id)) == s.scalar(
            select(Member.id).where(Member.userid == "admin")
        )


def test_member_list(chat):
    reply = chat("成员 列表 辽河社区", user="admin")
    assert reply.startswith("辽河社区的成员（1人）：") and "张三（zhangsan）宣传员" in reply
    street = chat("成员 列表", user="admin")
    assert "新城街道的成员（17人）" in street and "李书记（lishuji）领导" in street


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("成员 添加 lisi 李四 不存在社区 宣传员", "没有单位「不存在社区」"),
        ("成员 添加 lisi 李四 辽河社区 书记", "不认识角色「书记」"),
        ("成员 添加 lisi 李四", "添加成员需要：账号 姓名 单位 角色"),
        ("成员 开除 lisi", "成员命令不认识「开除」"),
        ("指标 辽河社区", "请写明每月上稿几篇"),
        ("指标 不存在 3", "没有单位「不存在」"),
        ("指标 辽河社区 很多", "看不懂数字「很多」"),
        ("免报 辽河社区", "免报需要：单位 期间"),
        ("免报 辽河社区 明年", "看不懂时间「明年」"),
    ],
)
def test_admin_bad_input_explains_and_changes_nothing(chat, org, text, says):
    reply = chat(text, user="admin")
    assert says in reply and "例：" in reply
    assert count_rows(org, AdminAction) == 0 and count_rows(org, Member) == 17


def test_quota_and_exemption(chat, org):
    assert "已设置辽河社区每月任务：上稿5篇、活动2次" in chat("指标 辽河社区 5篇 2次", user="admin")
    assert "已设置希望社区每月任务：上稿4篇" in chat("指标 希望 4", user="admin")
    with org.sessions() as s:
        assert quota_for(s, unit_by_name(s, "辽河社区").id) == (5, 2)
        assert quota_for(s, unit_by_name(s, "希望社区").id) == (4, 1)  # activities stay at the default
    assert "本月任务：上稿0/5篇，还差5篇；活动0/2次，还差2次" in chat("我的")
    assert "免报" in chat("免报 辽河社区 一季度 驻村工作", user="admin")
    with org.sessions() as s:
        e = s.scalar(select(Exemption))
        assert (str(e.start), str(e.end), e.reason) == ("2023-01-01", "2023-03-31", "驻村工作")
    assert "辽河社区" not in chat("未报", user="lishuji").split("免报")[0]
    assert count_rows(org, AdminAction) == 3


@pytest.mark.parametrize("text", LEADER_AND_ADMIN + ADMIN_ONLY)
def test_publicist_is_refused_every_leader_and_admin_command(chat, org, text):
    reply = chat(text, user="zhangsan")
    assert "仅限" in reply and "使用" in reply
    assert count_rows(org, AdminAction) == 0 and count_rows(org, Exemption) == 0


@pytest.mark.parametrize("text", ADMIN_ONLY)
def test_leader_is_refused_admin_commands(chat, text):
    assert "仅限管理员使用" in chat(text, user="lishuji")


@pytest.mark.parametrize(
    "text",
    [
        "帮助",
        "上稿 甲 https://www.xuexi.cn/a?id=1",
        "活动 志愿服务 甲",
        "我的",
        "排名",
        "撤回 1",
        *LEADER_AND_ADMIN,
        *ADMIN_ONLY,
    ],
)
def test_unknown_user_gets_no_command(chat, org, text):
    assert "联系" in chat(text, user="intruder")
    assert count_rows(org, AdminAction) == 0


def test_help_shows_each_role_its_commands(chat):
    publicist, leader, admin = chat("帮助"), chat("帮助", user="lishuji"), chat("帮助", user="admin")
    assert (
        "例：活动" in publicist
        and "例：撤回" in publicist
        and "未报" not in publicist
        and "成员" not in publicist
    )
    assert "例：未报" in leader and "例：通报" in leader and "例：批示" in leader and "例：成员" not in leader
    assert "例：成员" in admin and "例：指标" in admin and "例：免报" in admin
