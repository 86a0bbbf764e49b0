"""Property-based: whatever a user types, parsing answers or raises ParseError, the pipeline always
replies, and a reply that is not a success stored nothing."""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from handlers.parsing import ParseError
from handlers.parsing.activity import parse_activity
from handlers.parsing.article import FORM_KEYS, parse_article
from handlers.parsing.counts import find_people
from handlers.parsing.dates import find_dates, parse_date
from handlers.parsing.periods import parse_period
from handlers.parsing.split import split_records
from handlers.parsing.text import normalise
from storage.models import Activity, AdminAction, Article, PendingDraft, Photo
from tests.helpers import count_rows

KEYWORDS = [
    "上稿 ",
    "上稿\n标题：",
    "活动 ",
    "活动\n名称：",
    "排名 ",
    "撤回 ",
    "批示 ",
    "我的",
    "通报 ",
    "成员 添加 ",
    "指标 ",
    "免报 ",
    "",
]
PIECES = st.sampled_from(
    [
        "3月5日",
        "2023-03",
        "四十五人",
        "学习强国",
        "https://www.xuexi.cn/a?id=1",
        "：",
        "\n",
        " ",
        "头版",
        "一季度",
        "第12号",
        "🙂",
        "\x00",
        "<xml>",
    ]
)
USER_TEXT = st.builds(
    lambda k, parts, tail: k + "".join(parts) + tail,
    st.sampled_from(KEYWORDS),
    st.lists(PIECES, max_size=6),
    st.text(max_size=40),
)
TODAY = date(2023, 3, 20)
SUCCESS = ("已登记", "已撤回", "已将照片", "已修改", "已设置")


@given(USER_TEXT)
@settings(max_examples=400, deadline=None)
def test_parsers_answer_or_raise_parse_error(text):
    body = normalise(text)
    for parse in (
        lambda: parse_article(body, {"学习强国": "学习强国"}, TODAY),
        lambda: parse_activity(body, ["志愿服务"], TODAY),
        lambda: find_people(body),
        lambda: find_dates(body, TODAY),
        lambda: split_records(body, FORM_KEYS),
        lambda: parse_period(body, TODAY),
        lambda: parse_date(body, TODAY),
    ):
        try:
            parse()
        except ParseError as exc:
            assert exc.reply_text()


@pytest.mark.usefixtures("march_2023")
@given(text=USER_TEXT)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pipeline_always_replies_and_failures_store_nothing(chat, org, text):
    tables = (Article, Activity, Photo, AdminAction)
    before = [count_rows(org, t) for t in tables]
    reply = chat(text)
    assert reply.strip()
    if not any(word in reply for word in SUCCESS):
        assert [count_rows(org, t) for t in tables] == before


@pytest.mark.usefixtures("march_2023")
@given(text=USER_TEXT)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_pending_draft_never_counts(chat, org, text):
    """Whatever was said, what the rankings count is exactly the counted records: a question's draft
    (pending_draft) is never one of them."""
    chat(text)
    with org.sessions() as s:
        counted = s.scalar(
            select(func.count(Article.id)).where(
                Article.status == "counted", Article.published_on.between(date(2023, 3, 1), date(2023, 3, 31))
            )
        )
        pending = s.scalar(select(func.count(PendingDraft.id)))
    ranking = chat("排名 本月")
    listed = sum(int(n) for n in re.findall(r"合计(\d+)篇", ranking))
    assert listed == counted
    assert pending in (0, 1)
