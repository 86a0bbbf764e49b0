"""Table-driven tests of the parsing layer: where Chinese users' variety lives."""

from datetime import date

import pytest

from handlers.parsing import ParseError
from handlers.parsing.dates import check_reasonable, parse_date
from handlers.parsing.periods import parse_period
from handlers.parsing.text import normalise, split_keyword
from handlers.parsing.urls import canonical_url, find_url, host_matches

TODAY = date(2023, 3, 20)
OUTLETS = ["学习强国", "开发区融媒体中心", "融媒体", "通辽日报"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("上稿：标题", "上稿:标题"),
        ("  排名　　上月 ", "排名 上月"),
        ("标题：甲\r\n\r\n链接：https://a.cn", "标题:甲\n链接:https://a.cn"),
        ("２０２３年３月", "2023年3月"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("排名 上月", "上月"), ("排名", ""), ("排名:上月", "上月"), ("排名上月", None), ("我的排名", None)],
)
def test_split_keyword(text, expected):
    assert split_keyword(text, ("排名",)) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("3月5日", date(2023, 3, 5)),
        ("3月5号", date(2023, 3, 5)),
        ("12月30日", date(2022, 12, 30)),  # the most recent such day that is not in the future
        ("3月25日", date(2022, 3, 25)),  # five days ahead: last year's (a date that old is then confirmed)
        ("2023年3月5日", date(2023, 3, 5)),
        ("2023-03-05", date(2023, 3, 5)),
        ("2023/3/5", date(2023, 3, 5)),
        ("2023.3.5", date(2023, 3, 5)),
        ("3.5", date(2023, 3, 5)),
        ("3-5", date(2023, 3, 5)),
        ("5日", date(2023, 3, 5)),
        ("今天", TODAY),
        ("昨天", date(2023, 3, 19)),
        ("前天", date(2023, 3, 18)),
    ],
)
def test_parse_date(token, expected):
    assert parse_date(token, TODAY) == expected


@pytest.mark.parametrize("token", ["2月30日", "13月1日", "明年", "2023-02-29", "abc", "月初", "3月"])
def test_parse_date_rejects(token):
    with pytest.raises(ParseError) as err:
        parse_date(token, TODAY)
    assert "例：" in err.value.reply_text()


@pytest.mark.parametrize(
    ("day", "ok"),
    [(TODAY, True), (date(2023, 3, 21), False), (date(2022, 3, 20), True), (date(2022, 3, 18), False)],
)
def test_check_reasonable(day, ok):
    if ok:
        check_reasonable(day, TODAY)
    else:
        with pytest.raises(ParseError):
            check_reasonable(day, TODAY)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("本月", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("上月", date(2023, 2, 1), date(2023, 2, 28), "2023年2月"),
        ("上个月", date(2023, 2, 1), date(2023, 2, 28), "2023年2月"),
        ("3月", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("3月份", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("11月", date(2022, 11, 1), date(2022, 11, 30), "2022年11月"),
        ("2023年3月", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2023-03", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("2023-3", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("2022年12月", date(2022, 12, 1), date(2022, 12, 31), "2022年12月"),
        ("三月", date(2023, 3, 1), date(2023, 3, 31), "2023年3月"),
        ("十二月", date(2022, 12, 1), date(2022, 12, 31), "2022年12月"),
        ("一季度", date(2023, 1, 1), date(2023, 3, 31), "2023年第一季度"),
        ("第一季度", date(2023, 1, 1), date(2023, 3, 31), "2023年第一季度"),
        ("Q1", date(2023, 1, 1), date(2023, 3, 31), "2023年第一季度"),
        ("q2", date(2022, 4, 1), date(2022, 6, 30), "2022年第二季度"),  # not begun yet: last year's
        ("2023年二季度", date(2023, 4, 1), date(2023, 6, 30), "2023年第二季度"),
        ("2022Q4", date(2022, 10, 1), date(2022, 12, 31), "2022年第四季度"),
        ("本季度", date(2023, 1, 1), date(2023, 3, 31), "2023年第一季度"),
        ("上半年", date(2023, 1, 1), date(2023, 6, 30), "2023年上半年"),
        ("下半年", date(2022, 7, 1), date(2022, 12, 31), "2022年下半年"),
        ("2023年下半年", date(2023, 7, 1), date(2023, 12, 31), "2023年下半年"),
        ("本年", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
        ("今年", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
        ("全年", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
        ("去年", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022年全年", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022年度", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
    ],
)
def test_parse_period(text, start, end, label):
    period = parse_period(text, TODAY)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_last_month_in_january_is_december():
    assert parse_period("上月", date(2024, 1, 15)).label == "2023年12月"


@pytest.mark.parametrize("text", ["13月", "十三月", "2023-13", "明天", "去年春天", "五季度", "Q5", "中半年"])
def test_parse_period_rejects(text):
    with pytest.raises(ParseError):
        parse_period(text, TODAY)


@pytest.mark.parametrize(
    ("text", "value"), [("45", 45), ("４５", None), ("四十五", 45), ("两百", 200), ("廿", 20), ("零", 0)]
)
def test_to_int(text, value):
    from handlers.parsing.numbers import to_int

    assert to_int(normalise(text)) == (value if value is not None else 45)


@pytest.mark.parametrize("text", ["四十五点五", "abc", "-3", "4.5", ""])
def test_to_int_rejects(text):
    from handlers.parsing.numbers import to_int

    with pytest.raises(ParseError):
        to_int(text)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.xuexi.cn/lgpage/detail/index.html?id=1&utm_source=wx&spm=a.b",
            "https://www.xuexi.cn/lgpage/detail/index.html?id=1",
        ),
        ("HTTP://WWW.Xuexi.CN/a/?b=2&a=1#top", "https://www.xuexi.cn/a?a=1&b=2"),
        (
            "http://mp.weixin.qq.com/s?__biz=MzA1&mid=22&idx=1&sn=abc&chksm=zz&scene=21&key=k#wechat_redirect",
            "https://mp.weixin.qq.com/s?__biz=MzA1&idx=1&mid=22&sn=abc",
        ),
        ("https://mp.weixin.qq.com/s/AbCdEf?from=timeline", "https://mp.weixin.qq.com/s/AbCdEf"),
        ("https://www.news.cn:443/x.htm", "https://www.news.cn/x.htm"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_same_wechat_article_shared_twice_is_one_url():
    a = "https://mp.weixin.qq.com/s?__biz=MzA1&mid=22&idx=1&sn=abc&chksm=1&scene=1"
    b = "https://mp.weixin.qq.com/s?sn=abc&idx=1&__biz=MzA1&mid=22&chksm=2&sharer_sharetime=9&scene=2#rd"
    assert canonical_url(a) == canonical_url(b)
    assert canonical_url(a) != canonical_url(a.replace("idx=1", "idx=2"))


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("看 https://www.xuexi.cn/x?id=1 学习强国", "https://www.xuexi.cn/x?id=1"),
        ("链接https://a.cn/x?id=1，学习强国", "https://a.cn/x?id=1"),
        ("https://a.cn/x?id=1学习强国", "https://a.cn/x?id=1"),
        ("没有链接", None),
    ],
)
def test_find_url(text, url):
    assert find_url(text) == url


@pytest.mark.parametrize(
    ("url", "domain", "ok"),
    [
        ("https://www.xuexi.cn/a", "xuexi.cn", True),
        ("https://xuexi.cn/a", "xuexi.cn", True),
        ("https://notxuexi.cn/a", "xuexi.cn", False),
        ("https://xuexi.cn.evil.com/a", "xuexi.cn", False),
    ],
)
def test_host_matches(url, domain, ok):
    assert host_matches(url, domain) is ok
