"""Messages that an earlier version stored with a wrong field, found by an independent review and by held-out
corpora. Each is now stored with the right fields, asked about, or answered without storing anything; the
rows are checked, not only the reply."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from storage.models import Activity, Article, PendingDraft
from tests.helpers import SHANGHAI


@pytest.fixture(autouse=True)
def november_2026():
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def rows(db) -> tuple[list[dict], list[dict], str | None]:
    with db.sessions() as s:
        articles = [
            {"title": a.title, "outlet": a.outlet.name, "date": a.published_on, "placement": a.placement}
            for a in s.scalars(select(Article).order_by(Article.id))
        ]
        activities = [
            {"title": a.title, "date": a.held_on, "people": a.participants, "place": a.place, "type": a.type}
            for a in s.scalars(select(Activity).order_by(Activity.id))
        ]
        asked = s.scalar(select(PendingDraft.question))
    return articles, activities, asked


NOTHING_STORED = [
    # questions, things not yet published, things still planned: nothing to record
    ("融媒体明天会发我们的稿子吗", "看懂"),
    ("通辽日报的稿子还没发出来", "刊发后"),
    ("明天上午我们社区准备开展包饺子活动，预计50人参加", "办完后"),
    ("下周三辽河社区将在社区广场举办消防演练", "办完后"),
    ("稿子写好了发给融媒体了 等审核", "刊发后"),
    ("融媒体说我们那篇稿子这周五能发，到时候发了我再报", "办完后"),
]


@pytest.mark.parametrize(("text", "reply_has"), NOTHING_STORED)
def test_no_report_stores_nothing(chat, org, text, reply_has):
    assert reply_has in chat(text)
    assert rows(org) == ([], [], None)


ASKED = [
    # (message, the field asked about)
    ("通辽发布公众号发了我们的稿子《辽河社区开展消防演练》", "outlet"),  # not our 街道公众号
    ("《辽河社区开展消防演练》通辽融媒今天发了", "outlet"),  # not our 开发区融媒
    ("融媒体今天用了我们辽河社区一篇稿子", "title"),
    ("那篇稿子通辽日报也发了，应该是11月21日", "title"),  # a new report, not a correction
    ("今天整理了一下，融媒体前几天发了《辽河社区开展消防演练》", "date"),  # 今天 is the day of the report
    ("昨天开展消防演练活动，参加人数50-60人", "participants"),
    ("昨天开展消防演练活动，分3组每组20人", "participants"),
    ("辽河社区开展消防演练\t融媒体\t\n辽河社区举办邻里节\t通辽日报\t11月20日", "date"),  # an empty cell
    ("党建办 中心组学习 11月24日 专题学习习近平总书记考察内蒙古重要讲话精神", "participants"),
    ("这周强国发了我们的《辽河社区：暖心助餐 老有所依》", "date"),  # 这周 is no day
    ("辽河社区开展“邻里节”文明实践活动，参与居民65人", "date"),  # told as news, no day: not today
    ("辽河社区11月25日开展双语普法志愿服务，参与志愿者10人，服务群众100余人", "participants"),
]


@pytest.mark.parametrize(("text", "field"), ASKED)
def test_a_doubtful_field_is_asked(chat, org, text, field):
    chat(text)
    assert rows(org)[2] == field


STORED = [
    (
        "综治办 上稿 新城街道开展“平安建设”集中宣传活动 融媒体 11月9日",
        {
            "title": "新城街道开展“平安建设”集中宣传活动",
            "outlet": "开发区融媒体中心",
            "date": date(2026, 11, 9),
        },
    ),
    (
        "辽河社区上稿：辽河社区开展重阳节“敬老孝老”主题活动，通辽日报10月30日第4版",
        {"title": "辽河社区开展重阳节“敬老孝老”主题活动", "outlet": "通辽日报", "placement": "第4版"},
    ),
    (
        "那个，今天融媒体把我们反诈骗宣传那个稿子发了，题目叫辽河社区筑牢反诈防线守护群众钱袋子，你给登记上。",
        {"title": "辽河社区筑牢反诈防线守护群众钱袋子", "date": date(2026, 11, 26)},
    ),
    (
        "强国平台上了🥳 辽河社区：小小“红马甲”🌟温暖一座城 https://www.xuexi.cn/lgpage/detail/index.html?id=1509 昨天发的",
        {"title": "辽河社区：小小“红马甲” 温暖一座城", "outlet": "学习强国", "date": date(2026, 11, 25)},
    ),
    (
        "【通联群】今日《通辽日报》第3版刊发新城街道稿件《新城街道“志愿红”扮靓城市“文明底色”》，请知悉。",
        {"title": "新城街道“志愿红”扮靓城市“文明底色”", "outlet": "通辽日报", "placement": "第3版"},
    ),
    (
        "辽河社区“学习《民法典》 守护美好生活”宣传活动 融媒体 11月20日",
        {"title": "辽河社区“学习《民法典》 守护美好生活”宣传活动"},
    ),
    (
        "我今天看到融媒体11月20日发了我们的《辽河社区开展消防演练》",
        {"title": "辽河社区开展消防演练", "date": date(2026, 11, 20)},
    ),
    (
        "在融媒体上发了一篇 辽河社区开展消防演练 11月20日",
        {"title": "辽河社区开展消防演练", "outlet": "开发区融媒体中心"},
    ),
    (
        "新城街道开展11月25日消防日活动 通辽日报",  # the date inside the title is the title's
        {"title": "新城街道开展11月25日消防日活动", "date": date(2026, 11, 26)},
    ),
    (
        "社区向环卫工人说声谢谢 融媒体 11月20日",  # a 谢谢 inside the title is kept
        {"title": "社区向环卫工人说声谢谢"},
    ),
]


@pytest.mark.parametrize(("text", "want"), STORED)
def test_an_article_is_stored_with_its_own_fields(chat, org, text, want):
    assert "已登记" in chat(text)
    articles, activities, asked = rows(org)
    assert len(articles) == 1 and not activities and asked is None
    assert {k: articles[0][k] for k in want} == want


ACTIVITIES = [
    (
        "辽河社区活动：11月18日下午，辽河社区在社区党群服务中心开展“学习强国”使用培训，辖区党员20余人参加。",
        {"title": "“学习强国”使用培训", "people": 20, "place": "社区党群服务中心"},
    ),
    (
        "综治办 今天上午在新城街道文化广场开展禁毒宣传活动 志愿者和群众约100人参加",
        {"title": "禁毒宣传活动", "type": "其他", "people": 100},  # 志愿者 took part; no 志愿服务
    ),
    (
        "今天晚上辽河社区在社区广场跳安代舞🎶 民族团结一家亲 居民有80多人来参加 算一个活动哈",
        {"place": "社区广场", "people": 80},
    ),
    (
        "今天辽河社区开展“小手拉大手 垃圾分类我先行”亲子活动 参加家庭18户 共40人",
        {"title": "“小手拉大手 垃圾分类我先行”亲子活动", "people": 40},
    ),
    (
        "辽河社区昨天开展“119”消防安全宣传 发放资料200份 参与居民约50人",
        {"title": "“119”消防安全宣传", "people": 50},
    ),
    ("辽河社区 周六 党员志愿者清雪 30人 辽河小区", {"type": "志愿服务", "people": 30}),
    ("活动，内容是消防演练，昨天，50人", {"title": "消防演练"}),
    ("辽河社区今天上午组织开展“石榴籽”家庭教育讲座 其他类 参加家长25人", {"title": "“石榴籽”家庭教育讲座"}),
    ("辽河社区上午开展了消防应急演练，居民62人参加", {"date": date(2026, 11, 26)}),  # 上午: today's
]


@pytest.mark.parametrize(("text", "want"), ACTIVITIES)
def test_an_activity_is_stored_with_its_own_fields(chat, org, text, want):
    assert "已登记活动" in chat(text)
    articles, activities, asked = rows(org)
    assert len(activities) == 1 and not articles and asked is None
    assert {k: activities[0][k] for k in want} == want


def test_a_count_answer_may_say_who_attended(chat, org):
    chat("党建办 中心组学习 11月24日 专题学习习近平总书记考察内蒙古重要讲话精神", user="majun")
    assert "已登记活动" in chat("参会18人", user="majun")
    _, activities, asked = rows(org)
    assert activities[0]["people"] == 18 and activities[0]["type"] == "中心组学习" and asked is None
    assert activities[0]["title"] == "专题学习习近平总书记考察内蒙古重要讲话精神"


def test_an_activity_report_that_says_this_is_wrong_is_no_correction(chat, org):
    chat("上稿 《辽河社区开展消防演练》 融媒体 11月20日")
    assert "已登记活动" in chat("活动 这条不对的宣传 消防演练 11月20日 30人")
    articles, activities, _ = rows(org)
    assert articles[0]["date"] == date(2026, 11, 20) and len(activities) == 1


def test_a_title_correction_keeps_words_that_look_like_a_connector(chat, org):
    chat("上稿 《辽河社区开展消防演练》 融媒体 11月20日")
    assert "社区旧貌改为新颜" in chat("修改 1 标题 社区旧貌改为新颜")
    assert rows(org)[0][0]["title"] == "社区旧貌改为新颜"


def test_the_number_after_the_keyword_names_the_record_not_the_day(chat, org):
    for day in (20, 21, 22):
        chat(f"上稿 《辽河社区第{day}期消防演练》 融媒体 11月{day}日")
    chat("修改 3 日期 5号")
    assert [a["date"].day for a in rows(org)[0]] == [20, 21, 5]


def test_a_link_of_another_outlet_is_refused_with_the_way_out(chat, org):
    chat("上稿 《辽河社区开展消防演练》 融媒体 11月20日")
    reply = chat("修改 1 链接 https://www.xuexi.cn/lgpage/detail/index.html?id=1234")
    assert "这个链接是学习强国的" in reply and "修改 1 媒体 学习强国" in reply
    with org.sessions() as s:
        assert s.scalar(select(Article.url)) is None


def test_a_date_with_its_year_written_out_is_taken_even_a_year_back(chat, org):
    chat("上稿 《辽河社区开展消防演练》 融媒体 11月20日")
    assert "2025-11-05" in chat("修改 1 日期 2025年11月5日")
    assert rows(org)[0][0]["date"] == date(2025, 11, 5)


def test_two_outlets_named_apart_are_not_two_articles(chat, org):
    chat("辽河社区联合融媒体中心开展培训 学习强国 11月3日")
    articles, _, _ = rows(org)
    assert [(a["title"], a["outlet"]) for a in articles] == [("辽河社区联合融媒体中心开展培训", "学习强国")]


def test_two_outlets_named_together_are_two_articles(chat, org):
    chat("《辽河社区开展消防演练》昨天学习强国、通辽日报上都发了")
    assert [a["outlet"] for a in rows(org)[0]] == ["学习强国", "通辽日报"]


def test_lines_that_only_quote_an_outlet_are_not_split_by_it(chat, org):
    chat("辽河社区开展“学习强国”知识竞赛 融媒体 11月3日\n辽河社区举办“融媒体”培训 通辽日报 11月4日")
    assert [(a["title"], a["outlet"]) for a in rows(org)[0]] == [
        ("辽河社区开展“学习强国”知识竞赛", "开发区融媒体中心"),
        ("辽河社区举办“融媒体”培训", "通辽日报"),
    ]


def test_numbered_items_end_at_their_line(chat, org):
    chat(
        "转自融媒体中心通联群：\n今日融媒体中心发布新城街道稿件2篇\n1.新城街道召开第四季度安全生产工作部署会\n"
        "2.新城街道开展“冬季送温暖”走访慰问活动\n请相关单位知悉。"
    )
    assert [a["title"] for a in rows(org)[0]] == [
        "新城街道召开第四季度安全生产工作部署会",
        "新城街道开展“冬季送温暖”走访慰问活动",
    ]


def test_a_story_in_two_outlets_each_with_its_day_is_two_articles(chat, org):
    chat("同一篇稿子两家都发了：《辽河社区“爱心早餐”温暖环卫工人》 通辽日报11月24日第二版，学习强国11月25日")
    articles = rows(org)[0]
    assert [(a["outlet"], a["date"].day, a["placement"]) for a in articles] == [
        ("通辽日报", 24, "第2版"),  # 第二版 is written the way the paper's index writes it
        ("学习强国", 25, ""),
    ]


def test_the_same_activity_reported_twice_is_counted_once(chat, org):
    chat("活动 志愿服务 辽河社区“清雪除冰”志愿服务 11月25日 30人")
    assert "登记过（第1号" in chat("11月25日辽河社区开展“清雪除冰”志愿服务，30人参加")
    assert len(rows(org)[1]) == 1


def test_activities_between_semicolons_each_with_day_and_count(chat, org):
    chat(
        "11月中心组学习两次：11月10日 学习“四下基层”制度 14人；11月24日 专题研讨“基层治理现代化” 13人",
        user="majun",
    )
    activities = rows(org)[1]
    assert [(a["type"], a["date"].day, a["people"]) for a in activities] == [
        ("中心组学习", 10, 14),
        ("中心组学习", 24, 13),
    ]


def test_a_numbered_list_whose_items_start_with_a_date(chat, org):
    chat("11月活动：\n1.11月12日 “垃圾分类我先行”志愿服务 26人\n2.11月20日 “冬季送温暖”志愿服务 40人")
    assert [(a["date"].day, a["people"]) for a in rows(org)[1]] == [(12, 26), (20, 40)]


def test_an_answer_naming_which_item_it_is_about_is_no_new_report(chat, org):
    chat(
        "1.《辽河社区开展“敬老爱老”助餐服务》 通辽日报 11月19日 2.《辽河社区：冬季送温暖 情暖困难户》 11月25日"
    )
    chat("第二篇是强国发的")
    articles, _, asked = rows(org)
    assert [(a["title"], a["outlet"]) for a in articles] == [
        ("辽河社区开展“敬老爱老”助餐服务", "通辽日报"),
        ("辽河社区：冬季送温暖 情暖困难户", "学习强国"),
    ] and asked is None


def test_answers_may_say_more_than_the_value(chat, org):
    chat("今天辽河社区开展了扫雪志愿服务，近百人参加")
    assert "已登记活动" in chat("统计了一下是96人")
    chat("上稿《辽河社区：冬日里的暖心“小驿站”》 北方新报 11月25日")
    assert "已登记上稿" in chat("不对 我记错了 是通辽日报")
    articles, activities, asked = rows(org)
    assert activities[0]["people"] == 96 and articles[0]["outlet"] == "通辽日报" and asked is None


def test_an_unknown_name_given_as_the_answer_is_asked_again(chat, org):
    chat("上稿《辽河社区开展消防演练》 大连日报 11月25日")
    assert "不认识「通辽发布」" in chat("通辽发布")
    assert rows(org)[2] == "outlet"


@pytest.mark.parametrize(
    ("fix", "field", "want"),
    [
        ("人数打错了，是45人不是54", "people", 45),
        ("人数改成62，刚统计完签到表", "people", 62),
        ("地点写错了，应该是在辖区小游园", "place", "辖区小游园"),
        ("说错了 不是今天 是11月24号", "date", date(2026, 11, 24)),
    ],
)
def test_a_correction_takes_only_the_new_value(chat, org, fix, field, want):
    chat("活动 志愿服务 辽河社区暖心义剪 今天 54人 社区活动室")
    assert "已修改" in chat(fix)
    assert rows(org)[1][0][field] == want


def test_a_link_correction_in_plain_words_is_no_new_article(chat, org):
    chat(
        "上稿 《辽河社区开展消防演练》 学习强国 11月25日 https://www.xuexi.cn/lgpage/detail/index.html?id=1200"
    )
    new = "https://www.xuexi.cn/lgpage/detail/index.html?id=1201"
    assert "已修改" in chat(f"链接发错了，正确的是 {new}")
    with org.sessions() as s:
        assert s.scalars(select(Article.url)).all() == [new]
