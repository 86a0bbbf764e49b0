"""Issue 12: a member's channel is learned from where they write, set in the org file or by 成员, and
pushes follow it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.channels import Channel
from storage.models import AdminAction, Member
from storage.orgfile import OrgFileError, apply_org, load_org_file
from tests.conftest import PG_URL, WECHAT

pytestmark = pytest.mark.usefixtures("march_2023")


def channel_of(db, userid: str) -> str | None:
    with db.sessions() as s:
        return s.scalar(select(Member.channel).where(Member.userid == userid))


def test_the_channel_is_learned_from_where_a_member_writes(client, wecom, org):
    from tests.helpers import WeChatSender

    assert channel_of(org, "zhangsan") is None  # not known yet: the default channel
    wecom.text("zhangsan", "我的")
    assert channel_of(org, "zhangsan") == Channel.WECOM_APP
    official = WeChatSender(
        client, WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"], True
    )
    official.text("zhangsan", "我的")
    assert channel_of(org, "zhangsan") == Channel.WECHAT_OA


def test_the_console_and_strangers_teach_nothing(chat, org, wecom):
    chat("我的", user="zhangsan")  # the terminal cannot be pushed to
    assert channel_of(org, "zhangsan") is None
    wecom.text("nobody", "你好")
    assert channel_of(org, "nobody") is None


def test_an_admin_sets_a_members_channel(chat, org):
    assert "已设置：提醒、通报和文件通过公众号发给张三（zhangsan）" in chat(
        "成员 渠道 zhangsan 公众号", user="admin"
    )
    assert channel_of(org, "zhangsan") == Channel.WECHAT_OA
    reply = chat("成员 添加 oWx01 王五 辽河社区 宣传员 公众号", user="admin")
    assert "已添加成员：王五（oWx01），辽河社区宣传员，通过公众号推送。" in reply
    assert channel_of(org, "oWx01") == Channel.WECHAT_OA
    chat("成员 添加 oWx01 王五 希望社区 宣传员", user="admin")  # no channel named: it stays
    assert channel_of(org, "oWx01") == Channel.WECHAT_OA
    assert "王五（oWx01）宣传员，公众号" in chat("成员 列表 希望社区", user="admin")
    with org.sessions() as s:
        assert "zhangsan wechat_oa" in s.scalars(select(AdminAction.detail)).all()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("成员 渠道 zhangsan 短信", "不认识渠道「短信」"),
        ("成员 渠道 zhangsan", "设置渠道需要：账号 渠道"),
        ("成员 添加 lisi 李四 辽河社区 宣传员 飞书", "不认识渠道「飞书」"),
    ],
)
def test_a_wrong_channel_is_refused_with_an_example(chat, command, says):
    reply = chat(command, user="admin")
    assert says in reply and "成员 渠道 zhangsan 公众号" in reply


def test_a_publicist_cannot_set_channels(chat, org):
    assert "仅限管理员" in chat("成员 渠道 zhangsan 公众号", user="zhangsan")
    assert channel_of(org, "zhangsan") is None


def test_the_org_file_sets_a_channel_and_otherwise_keeps_the_learned_one(org, tmp_path):
    with org.sessions() as s, s.begin():
        s.scalar(select(Member).where(Member.userid == "xiwang")).channel = Channel.WECHAT_OA  # learned
    path = tmp_path / "org.yaml"
    path.write_text(
        "units:\n  - {name: 新建社区, parent: 新城街道}\n"
        "members:\n"
        "  - {userid: zhangsan, name: 张三, unit: 辽河社区, role: publicist, channel: 公众号}\n"
        "  - {userid: lishuji, name: 李书记, unit: 新城街道, role: leader, channel: wecom_app}\n"
        "  - {userid: xiwang, name: 希望宣传员, unit: 希望社区, role: publicist}\n",
        encoding="utf-8",
    )
    with org.sessions() as s, s.begin():
        apply_org(s, load_org_file(path, s))
    assert channel_of(org, "zhangsan") == Channel.WECHAT_OA
    assert channel_of(org, "lishuji") == Channel.WECOM_APP
    assert channel_of(org, "xiwang") == Channel.WECHAT_OA


def test_the_org_file_refuses_an_unknown_channel(database, tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(
        "units:\n  - name: 街道\n    children: [{name: 甲社区}]\n"
        "members:\n  - {userid: a, name: 甲, unit: 甲社区, channel: 短信}\n",
        encoding="utf-8",
    )
    with database.sessions() as s, pytest.raises(OrgFileError) as refused:
        load_org_file(path, s)
    assert "成员「a」的渠道「短信」无法识别" in str(refused.value)


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)")
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # SQLite has no row locks to wait on
def test_learning_never_waits_on_a_member_row_another_transaction_holds(org, wecom):
    """A transaction cut off mid-way (a network fault) keeps its row locks until PostgreSQL notices: a
    message from that member must still be answered at once; its channel is learned by a later one."""
    with org.sessions() as holder, holder.begin():
        holder.scalar(select(Member).where(Member.userid == "zhangsan").with_for_update())
        assert "辽河社区" in wecom.text("zhangsan", "我的")  # answered, not queued behind the lock
        assert channel_of(org, "zhangsan") is None
    wecom.text("zhangsan", "我的")
    assert channel_of(org, "zhangsan") == Channel.WECOM_APP
