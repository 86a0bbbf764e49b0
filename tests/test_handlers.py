"""Commands through the real pipeline on a real database (SQLite, and PostgreSQL when configured)."""

import pytest
from sqlalchemy import select

from storage.models import Article, InboundMessage
from tests.helpers import count_rows

XUEXI = "https://www.xuexi.cn/lgpage/detail/index.html?id=1001"


pytestmark = pytest.mark.usefixtures("march_2023")


def count(db, model=Article) -> int:
    return count_rows(db, model)


def test_one_line_report_is_stored_and_confirmed(chat, org):
    reply = chat(f"上稿 辽河社区开展学雷锋志愿服务 {XUEXI} 学习强国 3月5日")
    assert "已登记上稿" in reply and "学习强国" in reply and "2023-03-05" in reply
    assert "辽河社区2023年3月已上稿1篇" in reply
    with org.sessions() as s:
        article = s.scalar(select(Article))
        assert (article.title, article.unit.name, article.score) == (
            "辽河社区开展学雷锋志愿服务",
            "辽河社区",
            10.0,
        )


def test_outlet_comes_from_the_link_and_date_defaults_to_today(chat, org):
    reply = chat(f"上稿：辽河社区开展学雷锋志愿服务 {XUEXI}")
    assert "学习强国（国家级）" in reply and "2023-03-20" in reply


def test_form_with_full_width_colons(chat):
    reply = chat(
        "上稿\n标题：希望社区举办邻里节\n链接：https://www.news.cn/x/1.htm\n媒体：新华网\n日期：2023年3月1日"
    )
    assert "已登记上稿" in reply and "新华网" in reply and "2023-03-01" in reply


def test_duplicate_url_names_the_first_reporter_and_number(chat, org):
    first = chat(f"上稿 辽河社区开展学雷锋志愿服务 {XUEXI}")
    number = first.split("第")[1].split("号")[0]
    again = chat(f"上稿 同一篇 {XUEXI}&utm_source=wechat#x", user="xiwang")
    assert "辽河社区张三" in again and f"第{number}号" in again and "不重复计数" in again
    assert count(org) == 1


def test_linkless_report_needs_outlet_and_dedupes_on_title_outlet_date(chat, org):
    assert "已登记" in chat("上稿 希望社区举办邻里节 通辽日报 3月5日", user="xiwang")
    assert "登记过" in chat("上稿 希望社区举办邻里节 通辽日报 3月5日", user="xiwang")
    assert count(org) == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("上稿", "需要标题和链接"),
        ("上稿 辽河社区开展消防演练 https://www.xuexi.cn:99999/x", "格式不对"),
        ("上稿 " + "长" * 301 + f" {XUEXI}", "标题太长"),
        (f"上稿 辽河社区开展消防演练 https://www.xuexi.cn/{'a' * 1000}", "链接太长"),
    ],
)
def test_bad_reports_explain_and_store_nothing(chat, org, text, says):
    reply = chat(text)
    assert says in reply and "例：" in reply
    assert count(org) == 0


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        (
            f"上稿 辽河社区开展消防演练 {XUEXI} 3月25日",
            "是2022年3月25日吗",
        ),  # the most recent 3月25日 is a year back
        (f"上稿 辽河社区开展消防演练 {XUEXI} 2022年1月1日", "已超过一年"),
        ("上稿 辽河社区开展消防演练 https://unknown.example/a", "是哪个媒体刊发的"),
        ("上稿 辽河社区开展消防演练 https://unknown.example/a 人民日报海外版", "不认识「人民日报海外版」"),
        ("上稿 辽河社区开展消防演练 通辽日报 2月30日", "「2月30日」具体是哪天"),
        ("上稿 辽河社区开展消防演练 通辽日报 月初", "「月初」具体是哪天"),
        (XUEXI, "标题是什么"),
        ("上稿\n标题：甲", "是哪个媒体刊发的"),
    ],
)
def test_doubtful_reports_ask_one_question_and_store_nothing(chat, org, text, asks):
    reply = chat(text)
    assert asks in reply and "取消" in reply
    assert count(org) == 0


def test_unknown_outlet_name_lists_known_ones(chat, org):
    reply = chat("上稿 辽河社区开展消防演练 人民日报海外版 3月1日")
    assert "不认识「人民日报海外版」" in reply and "1. 学习强国" in reply
    reply = chat("上稿\n标题：甲\n媒体：人民日报海外版")
    assert "不认识「人民日报海外版」" in reply and "学习强国" in reply
    assert "已登记" in chat("2")  # the answer picks the second option: 人民网
    with org.sessions() as s:
        assert s.scalar(select(Article.title)) == "甲"


def test_ranking_ties_share_a_place_and_zeros_are_listed(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="zhangsan")
    chat("上稿 乙 https://www.xuexi.cn/a?id=2", user="zhangsan")
    chat("上稿 丙 https://www.xuexi.cn/a?id=3", user="zhangsan")
    chat("上稿 丁 https://www.xuexi.cn/a?id=4", user="xiwang")
    chat("上稿 戊 https://www.xuexi.cn/a?id=5", user="xiwang")
    chat("上稿 己 https://www.xuexi.cn/a?id=6", user="liuyang")
    chat("上稿 庚 https://www.xuexi.cn/a?id=7", user="liuyang")
    chat("上稿 辛 https://www.xuexi.cn/a?id=8", user="chenjing")
    lines = chat("排名").splitlines()
    assert lines[0] == "新城街道各单位排名（2023年3月，按上稿量）"
    assert lines[1] == "1. 辽河社区 3篇 ←本单位"
    assert lines[2:4] == ["2. 希望社区 2篇", "2. 明仁社区 2篇"]
    assert lines[4] == "4. 新兴社区 1篇"
    assert "5. 和平社区 0篇" in lines and "5. 综合治理办公室 0篇" in lines
    assert len(lines) == 1 + 14 + 1  # header, every unit of the street, total
    assert lines[-1].startswith("合计8篇")


def test_ranking_by_period_and_score(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1 2月3日", user="zhangsan")
    chat("上稿 乙 开发区融媒体中心 2月4日", user="xiwang")
    chat("上稿 丙 开发区融媒体中心 2月5日", user="xiwang")
    by_count = chat("排名 上月")
    assert "2023年2月" in by_count and "1. 希望社区 2篇" in by_count and "2. 辽河社区 1篇" in by_count
    by_score = chat("排名 2023年2月 积分")
    assert (
        "按积分" in by_score
        and "1. 辽河社区 10分（1篇）" in by_score
        and "2. 希望社区 2分（2篇）" in by_score
    )
    for period in ("2月", "2023-02", "2023年2月"):
        assert "1. 希望社区 2篇" in chat(f"排名 {period}")
    assert "0篇" in chat("排名 本月") and "合计0篇" in chat("排名")


def test_ranking_bad_period_explains(chat):
    reply = chat("排名 明年")
    assert "看不懂时间「明年」" in reply and "例：" in reply


def test_leader_sees_the_street_communities(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="zhangsan")
    reply = chat("排名", user="lishuji")
    assert reply.startswith("新城街道各单位排名") and "1. 辽河社区 1篇" in reply and "←本单位" not in reply


def test_mine_shows_outlets_score_rank_and_quota(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="zhangsan")
    chat("上稿 乙 开发区融媒体中心 3月2日", user="zhangsan")
    chat("上稿 丙 https://www.xuexi.cn/a?id=2", user="xiwang")
    chat("上稿 丁 https://www.xuexi.cn/a?id=3", user="xiwang")
    chat("上稿 戊 https://www.xuexi.cn/a?id=4", user="xiwang")
    reply = chat("我的")
    assert reply.startswith("辽河社区 2023年3月")
    assert "上稿2篇，积分11" in reply and "学习强国1篇" in reply and "开发区融媒体中心1篇" in reply
    assert "在新城街道14个单位中排第2名" in reply
    assert "上稿2/3篇，还差1篇" in reply and "活动0/1次，还差1次" in reply
    assert "上稿3/3篇，已完成" in chat("本月", user="xiwang")


def test_unknown_sender_is_told_and_nothing_is_stored(chat, org):
    reply = chat(f"上稿 甲 {XUEXI}", user="stranger")
    assert "联系" in reply and "管理员" in reply
    assert count(org) == 0 and count(org, InboundMessage) == 0


def test_not_understood_gets_a_short_answer_with_one_example(chat):
    reply = chat("天气不错")
    assert reply.startswith("没看懂") and "报上稿可以这样发" in reply and "帮助" in reply
    assert "投稿通可用命令" not in reply  # not the whole help
    reply = chat("天气不错 3月5日")
    assert "看到了：日期3月5日" in reply


def test_help_lists_commands_with_examples(chat):
    for word in ("帮助", "help", "？", "?"):
        reply = chat(word)
        assert "投稿通可用命令" in reply and "例：上稿" in reply and "例：排名" in reply


def test_every_message_is_logged_with_its_reply(chat, org):
    chat("排名")
    with org.sessions() as s:
        row = s.scalar(select(InboundMessage))
        assert (row.userid, row.handler, row.content) == ("zhangsan", "排名", "排名")
        assert row.reply.startswith("新城街道各单位排名")


def test_control_characters_are_dropped_before_storage(chat, org):
    # PostgreSQL refuses NUL in text; without this the callback would answer 503 forever.
    assert "已登记上稿" in chat("上稿 甲\x00乙\x07 https://www.xuexi.cn/a?id=5")
    with org.sessions() as s:
        assert s.scalar(select(Article.title)) == "甲乙"
        assert "\x00" not in s.scalar(select(InboundMessage.content))


def test_one_log_line_per_message_without_its_text(chat, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="bot.pipeline"):
        chat("上稿 机密标题 https://www.xuexi.cn/a?id=77")
        chat("排名", user="stranger")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("message ")]
    assert len(lines) == 2
    assert "channel=console" in lines[0] and "user=zhangsan" in lines[0] and "handler=上稿" in lines[0]
    assert "outcome=handled" in lines[0] and " ms=" in lines[0]
    assert "outcome=unknown_sender" in lines[1]
    assert not any("机密标题" in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
