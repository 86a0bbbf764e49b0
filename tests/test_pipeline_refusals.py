"""A command that finds bad input after it wrote something: what it wrote is undone (the message's
transaction is rolled back and the message handled again with the refusal known), the member hears why,
and the message is logged once with that reply."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.pipeline import Replayed, SignedPair, process
from handlers import dispatch as dispatch_module
from handlers.command import Command
from handlers.conversation import DROPPED
from handlers.parsing import ParseError
from handlers.types import Incoming, Reply
from storage.articles import next_number
from storage.models import InboundMessage, PendingDraft, RecordNumber
from tests.helpers import count_rows

TZ = ZoneInfo("Asia/Shanghai")
PROBLEM = "人数太大，请核对后重发"


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """A command first in the table that takes a record number, then refuses the message."""
    runs: list[str] = []

    def run(ctx, args) -> Reply:
        runs.append(args)
        next_number(ctx.session, "activity")
        raise ParseError(PROBLEM, "活动 志愿服务 邻里守望 45人")

    refusing = Command("核对", lambda msg, ctx: msg.content if msg.content.startswith("核对") else None, run)
    table = dispatch_module.commands()
    monkeypatch.setattr(dispatch_module, "commands", lambda: [refusing, *table])
    return runs


def test_what_a_refusing_command_wrote_is_undone_and_it_runs_once(org, runs):
    reply = process(org, Incoming("wecom", "zhangsan", "m-1", content="核对 今天活动9999999人"), TZ)
    assert reply.text == f"{PROBLEM}\n例：活动 志愿服务 邻里守望 45人"
    assert runs == ["核对 今天活动9999999人"]  # handled again with the refusal known, not run again
    assert count_rows(org, RecordNumber) == 0
    with org.sessions() as s:
        logged = s.execute(select(InboundMessage.msg_key, InboundMessage.handler, InboundMessage.reply)).all()
    assert [tuple(row) for row in logged] == [("m-1", "核对", reply.text)]
    again = process(org, Incoming("wecom", "zhangsan", "m-1", content="核对 今天活动9999999人"), TZ)
    assert again.text == reply.text and len(runs) == 1  # WeCom's retry is answered from the log


def test_a_refusal_after_a_dropped_question_still_drops_it_and_says_so(org, runs):
    asked = process(
        org, Incoming("wecom", "zhangsan", "m-1", content="今天上午社区组织志愿者开展邻里守望活动"), TZ
    )
    assert "人" in asked.text and count_rows(org, PendingDraft) == 1
    reply = process(org, Incoming("wecom", "zhangsan", "m-2", content="核对 刚才的活动"), TZ)
    assert reply.text.startswith(PROBLEM) and reply.text.endswith(DROPPED)
    assert count_rows(org, PendingDraft) == 0 and count_rows(org, RecordNumber) == 0


def test_a_refused_callbacks_signed_pair_stays_used(org, runs):
    """The pair goes back with the rolled-back transaction; it is taken again at once, for this body only."""
    pair = SignedPair(key="1700000000:nonce-1", digest="body-1")
    msg = Incoming("wecom", "zhangsan", "m-1", content="核对 今天活动9999999人")
    assert process(org, msg, TZ, pair).text.startswith(PROBLEM)
    assert process(org, msg, TZ, pair).text.startswith(PROBLEM)  # WeCom's retry: the same body passes
    forged = Incoming("wecom", "admin", "m-2", content="成员 添加 attacker1 坏人 新城街道 管理员")
    with pytest.raises(Replayed):
        process(org, forged, TZ, SignedPair(key="1700000000:nonce-1", digest="body-2"))
    assert len(runs) == 1
