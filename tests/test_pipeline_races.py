"""Races the pipeline must win: WeCom's retry arriving while the first is in flight, and two people
reporting the same link at once. Real threads on a real database."""

from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.pipeline import process
from handlers.types import Incoming
from storage.models import Article, InboundMessage

TZ = ZoneInfo("Asia/Shanghai")


def totals(db) -> tuple[int, int]:
    with db.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Article)),
            s.scalar(select(func.count()).select_from(InboundMessage)),
        )


def test_same_message_key_in_parallel_is_handled_once(org):
    msg = Incoming("wecom", "zhangsan", "msg-1", content="上稿 甲 https://www.xuexi.cn/a?id=1")
    with ThreadPoolExecutor(8) as pool:
        replies = [r.text for r in pool.map(lambda _: process(org, msg, TZ), range(8))]
    assert totals(org) == (1, 1)
    assert all(r.startswith("已登记上稿") for r in replies) and len(set(replies)) == 1


def test_same_link_from_many_people_at_once_counts_once(org):
    users = ["zhangsan", "xiwang", "liuyang", "chenjing", "zhaomin", "sunhao"]

    def report(i: int) -> str:
        msg = Incoming("wecom", users[i], f"k{i}", content="上稿 同一篇 https://www.xuexi.cn/a?id=42")
        return process(org, msg, TZ).text

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(report, range(6)))
    assert totals(org) == (1, 6)
    assert sum(r.startswith("已登记上稿") for r in replies) == 1
    assert sum("不重复计数" in r for r in replies) == 5
