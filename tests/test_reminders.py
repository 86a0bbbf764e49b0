"""Reminders on their occasions: the right people, the right text, once, on time, caught up or skipped."""

import logging
from datetime import date, datetime

import pytest
import time_machine
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from scheduler import jobs
from storage.channels import Channel
from storage.models import BulletinLog, Exemption, Member, Outbox, ReminderLog, Unit
from tests.helpers import SHANGHAI, chat_as


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


def console(app) -> list[tuple[list[str], str]]:
    return app.services.senders[Channel.WECOM_APP].sent


def report(db, user: str, n: int, day: str = "3月2日") -> None:
    for i in range(n):
        chat_as(db, user, f"上稿 {user}{i} 开发区融媒体中心 {day}")


@pytest.fixture
def march(org):
    """辽河 1/3 articles, 希望 3/3 articles and an activity; everyone else has nothing."""
    with at(2023, 3, 10, 10, 0):
        report(org, "zhangsan", 1)
        report(org, "xiwang", 3)
        chat_as(org, "xiwang", "活动 志愿服务 邻里守望 3月3日 20人")
    return org


def test_nag_goes_to_each_publicist_behind_with_what_is_missing(app, march):
    with at(2023, 3, 20, 9, 0):
        jobs.tick(app.services)
    sent = {r[0]: text for r, text in console(app)}
    assert (
        "【投稿通提醒】辽河社区2023年3月已上稿1篇，任务3篇，还差2篇；活动0次，任务1次，还差1次。"
        in sent["zhangsan"]
    )
    assert "xiwang" not in sent  # 希望社区 is on quota
    assert len(sent) == 13  # the other 12 units behind plus 辽河; leaders and the admin get no nag
    assert all(len(r) == 1 for r, _ in console(app))  # one unit, one publicist, one text


def test_each_reminder_is_sent_once_however_often_the_tick_runs(app, march):
    for minute in (0, 1, 2, 30):
        with at(2023, 3, 20, 9, minute):
            jobs.tick(app.services)
    assert len(console(app)) == 13
    with march.sessions() as s:
        assert s.scalar(
            select(ReminderLog.id).where(
                ReminderLog.recipient == "zhangsan", ReminderLog.occasion == "2023-03@20"
            )
        )


def test_nothing_before_the_time_and_catch_up_after_downtime(app, march):
    with at(2023, 3, 20, 8, 59):
        jobs.tick(app.services)
    assert console(app) == []
    with at(2023, 3, 20, 20, 30):  # the scheduler was down from 09:00; 11.5 h late is within the 12 h grace
        jobs.tick(app.services)
    assert len(console(app)) == 13


def test_past_the_grace_period_it_is_logged_as_skipped(app, march, caplog):
    with at(2023, 3, 21, 9, 30), caplog.at_level(logging.WARNING):
        jobs.tick(app.services)
        jobs.tick(app.services)
    assert console(app) == []
    assert (
        sum("nag 2023-03@20" in r.message and "skipped" in r.message for r in caplog.records) == 1
    )  # once, not every tick
    with march.sessions() as s:
        assert s.scalar(select(ReminderLog.status).where(ReminderLog.recipient == "*")) == "skipped"


def test_a_reminder_sent_on_time_is_never_called_skipped_later(app, march, caplog):
    """Once its grace period is over, an occasion that went out is done, not \"past the grace period\"."""
    with at(2023, 3, 20, 9, 0):
        jobs.tick(app.services)
    caplog.clear()  # the first tick called February's occasions skipped: no scheduler ran then
    with at(2023, 3, 21, 9, 30), caplog.at_level(logging.WARNING):
        jobs.tick(app.services)
    assert len(console(app)) == 13
    assert not [r for r in caplog.records if "grace period" in r.message]
    with march.sessions() as s:
        occasion = select(ReminderLog.status).where(ReminderLog.recipient == "*", ReminderLog.kind == "nag")
        assert list(s.scalars(occasion.where(ReminderLog.occasion == "2023-03@20"))) == ["done"]


def test_a_made_up_history_is_settled_without_a_warning_and_what_is_due_still_goes(app, march, caplog):
    """The demo seeds months no scheduler ever saw: their occasions are settled quietly, not warned about."""
    with at(2023, 3, 20, 10, 0), march.sessions() as s, s.begin():
        settled = jobs.settle_past(s, datetime.now(SHANGHAI))
    with march.sessions() as s:
        rows = s.execute(
            select(ReminderLog.kind, ReminderLog.occasion).where(ReminderLog.status == "skipped")
        )
        skipped = {tuple(row) for row in rows}
    assert settled == len(skipped) > 0 and ("nag", "2023-02@20") in skipped
    assert ("nag", "2023-03@20") not in skipped  # today's nag is within its grace
    with at(2023, 3, 20, 10, 0), caplog.at_level(logging.WARNING):
        jobs.tick(app.services)
    assert not [r for r in caplog.records if "grace period" in r.message]
    assert len(console(app)) == 13  # today's nag went out all the same


def test_exempt_units_and_members_on_leave_get_nothing(app, march):
    with march.sessions() as s, s.begin():
        liaohe = s.scalar(select(Unit).where(Unit.name == "辽河社区"))
        s.add(Exemption(unit_id=liaohe.id, start=date(2023, 3, 1), end=date(2023, 3, 31), reason="换届"))
        liuyang = s.scalar(select(Member).where(Member.userid == "liuyang"))
        s.add(Exemption(member_id=liuyang.id, start=date(2023, 3, 15), end=date(2023, 3, 25), reason="病假"))
    with at(2023, 3, 20, 9, 0):
        jobs.tick(app.services)
    recipients = {r[0] for r, _ in console(app)}
    assert "zhangsan" not in recipients and "liuyang" not in recipients and len(recipients) == 11


def test_last_workday_brings_a_last_call_and_a_copy_to_leaders(app, march):
    with at(2023, 3, 31, 9, 0):
        jobs.tick(app.services)
    texts = {tuple(r): t for r, t in console(app)}
    assert "今天是本月最后一个工作日" in texts[("zhangsan",)]
    copy = texts[("lishuji", "wangzhuren")]  # one call for both leaders
    assert (
        copy.startswith("【投稿通·月末提醒（抄送）】新城街道2023年3月尚未完成任务的单位：")
        and "• 辽河社区：上稿1/3篇（差2篇）" in copy
    )


def test_bulletin_on_the_first_to_leaders_and_later_reports_are_late(app, march):
    with at(2023, 4, 3, 9, 0):  # 1 April 2023 was a Saturday: the bulletin waits for Monday
        jobs.tick(app.services)
    to_leaders = [t for r, t in console(app) if tuple(r) == ("lishuji", "wangzhuren")]
    [bulletin] = [t for t in to_leaders if t.startswith("【")]
    assert bulletin.startswith("【新城街道宣传信息工作通报】2023年3月") and "上稿4篇" in bulletin
    assert any(
        t.startswith("[image] 新城街道2023年3月上稿排名图.png") for t in to_leaders
    )  # the chart follows
    with march.sessions() as s:
        assert s.scalar(select(BulletinLog.period)) == "2023-03"
    with at(2023, 4, 3, 10, 0):
        assert "补报" in chat_as(march, "zhangsan", "上稿 迟到的三月稿 开发区融媒体中心 3月30日")


def test_bulletin_goes_out_even_when_nobody_reported(app):
    with at(2023, 4, 3, 9, 0):
        jobs.tick(app.services)
    [(_, text)] = [(r, t) for r, t in console(app) if t.startswith("【新城街道宣传信息工作通报】")]
    assert "本期各单位均未报送上稿和活动。" in text


def test_remind_command_dry_run_then_real_then_again(app, march, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", march.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    with at(2023, 3, 22, 15, 0):
        dry = runner.invoke(main, ["remind", "nag", "--dry-run"])
        assert dry.exit_code == 0 and "（演练）nag 2023-03@20：13 条推送，13 位接收人；未发送。" in dry.output
        assert "zhangsan" in dry.output
        with march.sessions() as s:
            assert s.scalar(select(ReminderLog.id)) is None and s.scalar(select(Outbox.id)) is None
        real = runner.invoke(main, ["remind", "nag"])
        assert real.exit_code == 0 and "写入 13 条推送，已发送 13 条" in real.output
        again = runner.invoke(main, ["remind", "nag"])
        assert "写入 0 条推送" in again.output
        assert runner.invoke(main, ["remind", "nag", "--period", "2023-13"]).exit_code == 2
    with at(2023, 3, 20, 9, 0):
        jobs.tick(app.services)  # the scheduled run for the same occasion finds everyone reminded
    assert console(app) == []
