"""Property-based: whatever a user types, parsing answers or raises ParseError, the pipeline always
replies, and a reply that is not a success stored nothing."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.parsing import ParseError
from handlers.parsing.activity import parse_activity
from handlers.parsing.article import parse_article
from handlers.parsing.dates import parse_date
from handlers.parsing.periods import parse_period
from handlers.parsing.text import normalise
from storage.models import Activity, ActivityPhoto, AdminAction, Article
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
SUCCESS = ("已登记", "已撤回", "已将照片")


@given(USER_TEXT)
@settings(max_examples=400, deadline=None)
def test_parsers_answer_or_raise_parse_error(text):
    body = normalise(text)
    for parse in (
        lambda: parse_article(body, ["学习强国"]),
        lambda: parse_activity(body, ["志愿服务"]),
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
    tables = (Article, Activity, ActivityPhoto, AdminAction)
    before = [count_rows(org, t) for t in tables]
    reply = chat(text)
    assert reply.strip()
    if not reply.startswith(SUCCESS):
        assert [count_rows(org, t) for t in tables] == before
