"""Table-driven tests of reading reports as people write them: dates and counts anywhere in a sentence,
outlet names, articles in every shape, activities from news leads, several records in one message."""

from datetime import date

import pytest

from handlers.parsing.activity import parse_activity
from handlers.parsing.article import parse_article
from handlers.parsing.counts import find_people, parse_count
from handlers.parsing.dates import find_dates
from handlers.parsing.intent import record_kind
from handlers.parsing.outlets import find_outlets, match_outlet, outlet_table, unknown_outlet
from handlers.parsing.periods import find_period
from handlers.parsing.references import find_reference
from handlers.parsing.split import split_records
from handlers.parsing.text import clean
from storage.activity_types import DEFAULT_TYPES, type_words

TODAY = date(2026, 11, 26)  # a Thursday
OUTLETS = outlet_table(
    [
        ("学习强国", ["学习强国平台", "强国"]),
        ("人民网", []),
        ("内蒙古日报", ["正北方网", "正北方"]),
        ("通辽日报", ["通辽日报社"]),
        ("开发区融媒体中心", ["融媒体", "融媒体中心", "开发区融媒体", "融媒"]),
        ("新城街道微信公众号", ["公众号", "街道公众号", "新城公众号"]),
    ]
)
TYPES = type_words(DEFAULT_TYPES)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("今天学习强国发了", date(2026, 11, 26)),
        ("昨天", date(2026, 11, 25)),
        ("前天下午", date(2026, 11, 24)),
        ("上周五", date(2026, 11, 20)),
        ("上星期五", date(2026, 11, 20)),
        ("本周一", date(2026, 11, 23)),
        ("周三", date(2026, 11, 25)),
        ("星期四", date(2026, 11, 26)),
        ("周五", date(2026, 11, 20)),  # the most recent Friday, not tomorrow
        ("25号", date(2026, 11, 25)),
        ("28号", date(2026, 10, 28)),  # still ahead this month: last month's
        ("25日", date(2026, 11, 25)),
        ("11.25", date(2026, 11, 25)),
        ("11/25", date(2026, 11, 25)),
        ("2026.11.25", date(2026, 11, 25)),
        ("2026年11月25日", date(2026, 11, 25)),
        ("2026-11-25 09:30", date(2026, 11, 25)),
        ("11月25日上午", date(2026, 11, 25)),
        ("11月 24日", date(2026, 11, 24)),
        ("十一月二十五日", date(2026, 11, 25)),
        ("12月30日", date(2025, 12, 30)),
        ("去年11月20日", date(2025, 11, 20)),
        ("发布时间：2026-11-25", date(2026, 11, 25)),
    ],
)
def test_dates_anywhere(text, day):
    found = [d for d in find_dates(clean(text), TODAY) if d.day]
    assert [d.day for d in found] == [day]


@pytest.mark.parametrize(
    "text", ["月初", "前几天", "近日，社区开展", "上个月", "去年12月的", "9月份", "上周", "2月30日", "中旬"]
)
def test_vague_or_impossible_dates_are_found_as_vague(text):
    found = find_dates(clean(text), TODAY)
    assert found and all(d.day is None for d in found)


@pytest.mark.parametrize("text", ["5号楼前", "3.5万人", "第12号", "撤回 12", "今日头条"])
def test_not_dates(text):
    assert [d for d in find_dates(clean(text), TODAY) if d.day] == []


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("共有60余名居民参加", 60),
        ("约120人", 120),
        ("百余人", 100),
        ("两百多人", 200),
        ("35人左右", 35),
        ("200余人次", 200),
        ("１２人", 12),
        ("参会12人", 12),
        ("党员志愿者15名、居民50余人", 65),
        ("共有党员15名、居民50余人参加", 65),
        ("共有60余名居民参加，其中党员15名", 60),
        ("有三十多个人来听", 30),
        ("一共22个人", 22),
        ("十五个志愿者", 15),
        ("参加人数：12", 12),
        ("发放资料300余份，参与居民90余人", 90),
    ],
)
def test_people_counts(text, total):
    assert find_people(clean(text)).total == total


@pytest.mark.parametrize(
    "text", ["很多人参加", "不少居民", "数十名居民", "近百人", "近200人", "若干", "很多老人", "几十人"]
)
def test_vague_counts_are_vague_not_zero(text):
    found = find_people(clean(text))
    assert found.total is None and found.vague


def test_counts_that_do_not_obviously_add_up_are_unclear():
    assert find_people("志愿者10人服务居民100余人次").unclear


@pytest.mark.parametrize(("text", "value"), [("80", 80), ("大概80人", 80), ("八十多人", 80), ("约80人", 80)])
def test_a_count_as_an_answer(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("今天融媒体又发了", ["开发区融媒体中心"]),
        ("通辽日报公众号推送了", ["通辽日报"]),  # 公众号 after a named outlet is that outlet's
        ("科尔沁区融媒体中心", []),  # another place's media centre is not ours
        ("强国和融媒都发了", ["学习强国", "开发区融媒体中心"]),
    ],
)
def test_outlets_in_text(text, names):
    assert [m.name for m in find_outlets(text, OUTLETS)] == names


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("融媒", "开发区融媒体中心"),
        ("正北方", "内蒙古日报"),
        ("通辽日报微信公众号", "通辽日报"),
        ("大连日报", None),
    ],
)
def test_match_outlet(word, name):
    assert match_outlet(word, OUTLETS) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("大连日报刊发", "大连日报"),
        ("今日头条 昨天", "今日头条"),
        ("开展网格员培训", None),
        ("人民日报海外版", "人民日报海外版"),
    ],
)
def test_unknown_outlet_shapes(text, name):
    assert unknown_outlet(text) == name


@pytest.mark.parametrize(
    ("text", "title", "outlet", "day", "placement"),
    [
        (
            "今天学习强国发了我们社区的稿子《辽河社区开展消防演练》 链接https://www.xuexi.cn/a?id=1",
            "辽河社区开展消防演练",
            "学习强国",
            "2026-11-26",
            "",
        ),
        (
            "【上稿】辽河社区开展垃圾分类宣传|通辽日报|11月25日",
            "辽河社区开展垃圾分类宣传",
            "通辽日报",
            "2026-11-25",
            "",
        ),
        (
            "通辽日报11月24日第2版刊发《和平社区：邻里守望暖人心》",
            "和平社区:邻里守望暖人心",
            "通辽日报",
            "2026-11-24",
            "第2版",
        ),
        (
            "上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/x 学习强国 3月5日",
            "辽河社区开展学雷锋志愿服务",
            "学习强国",
            "2026-03-05",
            "",
        ),
        (
            "【学习强国】辽河社区：文明新风润万家 https://www.xuexi.cn/x",
            "辽河社区:文明新风润万家",
            "学习强国",
            "",
            "",
        ),
        (
            "上稿 “辽河社区开展防诈骗宣传” 融媒 上周五 头版",
            "辽河社区开展防诈骗宣传",
            "开发区融媒体中心",
            "2026-11-20",
            "头版",
        ),
        ("内蒙古日报A3版 11.25 《社区里的暖心事》", "社区里的暖心事", "内蒙古日报", "2026-11-25", "A3版"),
        ("@投稿通\u2005上稿 《邻里节》 正北方 昨天 谢谢😊", "邻里节", "内蒙古日报", "2026-11-25", ""),
        (
            "上稿\n标题：辽河社区开展学雷锋志愿服务\n媒体：学习强国\n发布时间：2026-11-25",
            "辽河社区开展学雷锋志愿服务",
            "学习强国",
            "2026-11-25",
            "",
        ),
    ],
)
def test_articles_as_written(text, title, outlet, day, placement):
    draft = parse_article(clean(text).removeprefix("上稿").strip(), OUTLETS, TODAY)
    assert (draft.title, draft.outlet, draft.day, draft.placement) == (title, outlet, day, placement)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("大连日报刊发了我们的稿子《社区新风》", "outlet_named"),
        ("上个月内蒙古日报登了《建国社区开展文明城市创建入户宣传》", "day_vague"),
        ("《甲乙丙丁》 通辽日报 11月20日 11月22日", "day_unclear"),
    ],
)
def test_articles_with_something_to_ask(text, field):
    assert getattr(parse_article(clean(text), OUTLETS, TODAY), field)


def test_a_link_alone_has_no_title():
    assert parse_article("强国上了 https://www.xuexi.cn/a?id=5 今天发的", OUTLETS, TODAY).title == ""


@pytest.mark.parametrize(
    ("text", "title_has", "title_not", "day", "people", "place"),
    [
        (
            "11月25日，和平社区在社区广场开展“邻里守望”志愿服务活动，共有60余名居民参加。",
            ["邻里守望", "志愿服务"],
            ["60", "广场", "25日"],
            "2026-11-25",
            60,
            "社区广场",
        ),
        (
            "今天上午开了中心组学习会，学习习近平文化思想，参会12人",
            ["中心组学习会", "习近平文化思想"],
            ["12"],
            "2026-11-26",
            12,
            "",
        ),
        ("活动 志愿服务 学雷锋志愿服务 3月5日 45人", ["学雷锋志愿服务"], ["45", "3月"], "2026-03-05", 45, ""),
        (
            "今天早上我们辽河社区组织了十五个志愿者在小区门口开展了交通文明劝导志愿服务活动",
            ["交通文明劝导"],
            ["十五", "门口"],
            "2026-11-26",
            15,
            "小区门口",
        ),
        (
            "活动 新时代文明实践 “文明交通 你我同行”劝导 11月12日 志愿者32人",
            ["文明交通 你我同行"],
            ["32"],
            "2026-11-12",
            32,
            "",
        ),
        (
            "活动\n名称：学雷锋志愿服务\n类型：志愿服务\n日期：3月5日\n人数：45\n地点：社区广场",
            ["学雷锋"],
            [],
            "2026-03-05",
            45,
            "社区广场",
        ),
    ],
)
def test_activities_as_written(text, title_has, title_not, day, people, place):
    draft = parse_activity(clean(text), TYPES, TODAY)
    assert all(w in draft.title for w in title_has) and not any(w in draft.title for w in title_not), draft
    assert (draft.day, draft.participants, draft.place) == (day, people, place)


def test_an_activity_with_a_vague_count_keeps_it_to_ask():
    draft = parse_activity("上周五在社区活动室举办了重阳节敬老活动 很多老人参加", TYPES, TODAY)
    assert draft.participants is None and draft.people_vague == "很多老人" and draft.title == "重阳节敬老活动"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("上稿2篇：1.《甲甲甲甲》学习强国 https://a.cn/1 2.《乙乙乙乙》正北方网 https://b.cn/2", 2),
        ("①《甲甲甲甲》 强国\n②《乙乙乙乙》 融媒\n③《丙丙丙丙》 通辽日报", 3),
        ("今天上的三篇 链接如下\n甲 https://a.cn/1\n乙 https://b.cn/2\n丙 https://c.cn/3", 3),
        ("甲甲\t通辽日报\t2026/11/20\n乙乙\t融媒\t2026/11/23", 2),
        (
            "序号\t报送单位\t稿件标题\t刊发媒体\t刊发时间\n1\t辽河社区\t甲甲\t学习强国\t11月25日\n2\t辽河社区\t乙乙\t融媒\t11月24日",
            2,
        ),
        ("今天通辽日报发了我们两篇：《甲甲甲甲》《乙乙乙乙》", 2),
        ("标题:甲\n媒体:强国\n标题:乙\n媒体:融媒", 2),
        ("《辽河社区开展消防演练》 学习强国 昨天", 1),
    ],
)
def test_several_records_in_one_message(text, items):
    from handlers.parsing.article import FORM_KEYS

    assert len(split_records(clean(text), FORM_KEYS).items) == items


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("通辽日报11月24日第2版刊发《和平社区：邻里守望暖人心》", "article"),
        ("补报 民主社区举办中秋邻里宴活动 融媒 9.25", "article"),
        ("https://www.xuexi.cn/a?id=1", "article"),
        ("11月25日，和平社区在社区广场开展志愿服务活动，60余名居民参加", "activity"),
        ("今天天气不错", None),
    ],
)
def test_record_kind(text, kind):
    assert record_kind(clean(text), OUTLETS, TYPES) == kind


@pytest.mark.parametrize(
    ("text", "rest", "number"),
    [
        ("撤回 12", "12", 12),
        ("把第12号撤回", "", 12),
        ("刚才那条发错了 撤回 30", "30", 30),
        ("撤回刚才那条", "刚才那条", None),
    ],
)
def test_references(text, rest, number):
    assert find_reference(text, rest).number == number


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("这个月排名怎么样", "2026年11月"),
        ("看一下三月份的通报", "2026年3月"),
        ("一季度积分排名", "2026年第一季度"),
        ("导出上个月的统计表", "2026年10月"),
    ],
)
def test_periods_in_sentences(text, label):
    assert find_period(text, TODAY)[0].label == label
