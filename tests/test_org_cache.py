"""The organisation cached per process (storage.org_cache): every writer of its tables renews the token in its
own transaction, a request checks the token with one query, and a write through one engine or process is
seen by every other one's next request."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
import yaml
from sqlalchemy import delete, event, insert, select, update

from storage import org_cache
from storage.db import Database
from storage.members import learn_channel
from storage.models import (
    Exemption,
    Member,
    OrgGeneration,
    OrgSetting,
    Outlet,
    Quota,
    Unit,
    UnitLink,
    WechatAccount,
)
from storage.org import active_member, active_outlets
from storage.quotas import quotas_for
from storage.reminders import record_bulletin
from storage.scoring import load_rules
from tests.conftest import PG_URL
from tests.helpers import chat_as
from tests.templates import EXAMPLE_ORG, ROOT

pytestmark = pytest.mark.usefixtures("march_2023")


def token(db: Database) -> str | None:
    with db.sessions() as s:
        return s.scalar(select(OrgGeneration.token))


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def other(org):
    """A second engine on the same database, with its own cache: another worker process."""
    db = Database.from_url(url_of(org))
    yield db
    db.engine.dispose()


def test_a_member_removed_through_one_engine_is_a_stranger_to_the_other_at_once(org, other):
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/c?id=1")
    assert "已登记上稿" in chat_as(other, "zhangsan", "上稿 乙 https://www.xuexi.cn/c?id=2")  # both cached
    assert "已停用成员" in chat_as(other, "admin", "成员 删除 zhangsan")
    assert "联系" in chat_as(org, "zhangsan", "上稿 丙 https://www.xuexi.cn/c?id=3")
    assert "已更新成员" in chat_as(org, "admin", "成员 添加 zhangsan 张三 希望社区 宣传员")
    assert "希望社区" in chat_as(other, "zhangsan", "上稿 丁 https://www.xuexi.cn/c?id=4")


def test_a_change_made_by_another_process_is_seen_by_the_next_request(org, tmp_path):
    assert "辽河社区" in chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/p?id=1")
    data = yaml.safe_load(EXAMPLE_ORG.read_text(encoding="utf-8"))
    for member in data["members"]:
        if member["userid"] == "zhangsan":
            member["unit"] = "明仁社区"
    data["outlets"].append({"name": "科尔沁日报", "level": "市级", "weight": 2, "aliases": ["科报"]})
    changed = tmp_path / "org.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": url_of(org), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "org", "import", str(changed)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    reply = chat_as(org, "zhangsan", "上稿 《乙》 科报")
    assert "明仁社区" in reply and "科尔沁日报（市级）" in reply, reply


def test_one_query_a_transaction_checks_the_copy(org):
    chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/q?id=1")  # the copy is read
    seen: list[str] = []
    listen = lambda *a: seen.append(a[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(org.engine, "before_cursor_execute", listen)
    try:
        with org.sessions() as s, s.begin():
            member = active_member(s, "zhangsan")
            outlets, rules, quotas = active_outlets(s), load_rules(s), quotas_for(s, [member.unit_id])
            assert member.unit.name == "辽河社区" and outlets and rules.placement_factor == 2.0
            assert quotas[member.unit_id] == (3, 1)
    finally:
        event.remove(org.engine, "before_cursor_execute", listen)
    org_reads = [q for q in seen if "FROM member" in q or "FROM outlet" in q or "FROM org_setting" in q]
    assert [q for q in seen if "org_generation" in q] and not org_reads


WRITERS = {
    "unit": lambda s: s.execute(update(Unit).where(Unit.name == "辽河社区").values(aliases=["辽河", "辽"])),
    "unit_link": lambda s: s.execute(delete(UnitLink).where(UnitLink.depth == 99)),
    "member (ORM)": lambda s: setattr(
        s.scalar(select(Member).where(Member.userid == "xiwang")), "name", "王"
    ),
    "outlet": lambda s: s.add(Outlet(name="新媒体", level="区级", weight=1, aliases=[], domains=[])),
    "wechat_account": lambda s: s.execute(delete(WechatAccount)),
    "quota": lambda s: s.execute(
        insert(Quota).values(unit_id=s.scalar(select(Unit.id).limit(1)), articles=9)
    ),
    "exemption": lambda s: s.add(
        Exemption(unit_id=s.scalar(select(Unit.id).limit(1)), start=date(2023, 3, 1), end=date(2023, 3, 31))
    ),
    "org_setting": lambda s: s.merge(OrgSetting(key="scoring", value={"placement_factor": 3})),
    "bulletin_log": lambda s: record_bulletin(s, "2023-02"),
    "member channel": lambda s: learn_channel(s, active_member(s, "zhangsan"), "wechat_oa"),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_every_write_to_the_organisation_renews_the_token(org, writer):
    before = token(org)
    assert before is not None
    with org.sessions() as s, s.begin():
        WRITERS[writer](s)
    assert token(org) != before


def test_what_others_cached_follows_each_writer(org, other):
    with other.sessions() as s:
        assert load_rules(s).placement_factor == 2.0 and active_member(s, "zhangsan").channel is None
        assert "2023-02" not in org_cache.snapshot(s).bulletins
    with org.sessions() as s, s.begin():
        WRITERS["org_setting"](s)
        WRITERS["bulletin_log"](s)
        WRITERS["member channel"](s)
    with other.sessions() as s:
        assert load_rules(s).placement_factor == 3.0 and active_member(s, "zhangsan").channel == "wechat_oa"
        assert "2023-02" in org_cache.snapshot(s).bulletins


def test_reads_and_other_writes_leave_the_token_alone(org):
    before = token(org)
    assert "已登记上稿" in chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/r?id=1")
    assert "排名" in chat_as(org, "lishuji", "排名")
    assert token(org) == before


def test_a_rolled_back_change_leaves_nothing_behind_in_any_cache(org, other):
    before = token(org)
    with org.sessions() as s:
        s.begin()
        member = active_member(s, "zhangsan")
        member.name = "改名"
        s.flush()
        assert active_member(s, "zhangsan").name == "改名"  # the transaction sees its own change
        assert org_cache.snapshot(s).token is None  # and keeps no copy of it
        s.rollback()
    assert token(org) == before
    for db in (org, other):
        with db.sessions() as s:
            assert active_member(s, "zhangsan").name == "张三"


def test_a_change_after_a_rolled_back_savepoint_still_renews_the_token(org, other):
    with other.sessions() as s:
        assert active_member(s, "xiwang").name == "王丽"
    before = token(org)
    with org.sessions() as s, s.begin():
        savepoint = s.begin_nested()
        active_member(s, "zhangsan").name = "甲"
        s.flush()
        savepoint.rollback()  # the token it renewed is undone with it
        s.execute(update(Member).where(Member.userid == "xiwang").values(name="王"))
    assert token(org) != before
    with other.sessions() as s:
        assert active_member(s, "xiwang").name == "王" and active_member(s, "zhangsan").name == "张三"


def test_without_a_token_row_nothing_is_kept(org, other):
    with org.sessions() as s, s.begin():
        s.execute(delete(OrgGeneration))  # a schema made by create_all and not yet written
    with other.sessions() as s:
        assert org_cache.snapshot(s).token is None
        assert active_member(s, "zhangsan").name == "张三"
    with org.engine.begin() as conn:  # a write the engine sees makes the row again
        conn.execute(update(Member).where(Member.userid == "zhangsan").values(name="张三丰"))
    assert token(org) is not None
    with other.sessions() as s:
        assert active_member(s, "zhangsan").name == "张三丰"


def test_members_from_the_cache_are_the_sessions_own(org):
    with org.readers() as first, org.readers() as second:
        a, b = active_member(first, "zhangsan"), active_member(second, "zhangsan")
        assert a is not b and a in first and b in second and a.unit in first
        assert active_member(first, "zhangsan") is a
        assert active_member(first, "nobody") is None


def test_a_parse_kept_from_before_a_change_is_not_used_after_it(org, other):
    """Messages are read ahead of their transaction and the parse kept (handlers/ahead.py): keyed by the
    organisation's token, so the same words read again after an outlet was added find the outlet."""
    text = "上稿 《社区开展消防演练》 科报"
    assert "哪个媒体" in chat_as(org, "zhangsan", text)
    assert "已取消" in chat_as(org, "zhangsan", "取消")
    with other.sessions() as s, s.begin():
        s.add(Outlet(name="科尔沁日报", level="市级", weight=2, aliases=["科报"], domains=[]))
    reply = chat_as(org, "zhangsan", text)
    assert "已登记上稿" in reply and "科尔沁日报（市级）" in reply


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)")
@pytest.mark.parametrize(
    "database", ["postgresql"], indirect=True
)  # SQLite: one writer holds the whole database
def test_an_unfinished_change_holds_no_lock_that_others_wait_for(org, other):
    """The token is replaced as the writer commits: a writer cut off mid-way (on PostgreSQL a dead
    connection keeps its transaction open until the server notices) keeps nobody else waiting."""
    stuck = org.sessions()
    stuck.begin()
    stuck.execute(update(Member).where(Member.userid == "xiwang").values(name="王"))  # an org write, open
    try:
        assert "已停用成员" in chat_as(other, "admin", "成员 删除 zhangsan")  # another org write commits
        assert "已登记上稿" in chat_as(other, "liuyang", "上稿 甲 https://www.xuexi.cn/u?id=1")
    finally:
        stuck.rollback()
        stuck.close()


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)")
@pytest.mark.parametrize(
    "database", ["postgresql"], indirect=True
)  # SQLite: one writer holds the whole database
def test_a_writer_waits_a_bounded_time_for_another_writers_commit(org, other, monkeypatch):
    """Two writers committing at once meet at the token row; a commit stuck there (cut off between the two)
    makes the other fail after BUMP_WAIT (a 503, retried) instead of waiting for ever."""
    from sqlalchemy.exc import OperationalError

    from storage import org_generation

    monkeypatch.setattr(org_generation, "BUMP_WAIT", 0.2)
    with org.engine.connect() as holder:
        holder.execute(update(OrgGeneration).values(token="held"))  # the row locked, not committed
        with pytest.raises(OperationalError), other.sessions() as s, s.begin():
            WRITERS["org_setting"](s)
        assert "已登记上稿" in chat_as(
            other, "liuyang", "上稿 乙 https://www.xuexi.cn/u?id=2"
        )  # others go on
        holder.rollback()
