"""未报 and 通报 for leaders: quota status with exemptions marked, the bulletin's sections, 补报."""

from datetime import UTC, datetime

import pytest

from storage.models import BulletinLog

pytestmark = pytest.mark.usefixtures("march_2023")


def test_shortfall_lists_units_behind_with_publicists_and_marks_exempt(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1", user="zhangsan")
    chat("活动 志愿服务 乙 10人", user="xiwang")
    for i, user in enumerate(["xiwang", "xiwang", "xiwang"]):
        chat(f"上稿 希望{i} https://www.xuexi.cn/b?id={i}", user=user)
    assert "已登记：和平社区2023年3月免报（换届选举）" in chat("免报 和平 本月 换届选举", user="admin")
    reply = chat("未报", user="lishuji")
    assert reply.startswith("新城街道2023年3月未完成任务的单位（截至03月20日）：")
    assert "• 辽河社区：上稿1/3篇（差2篇），活动0/1次（差1次） —— 宣传员：张三" in reply
    assert "希望社区" not in reply.split("免报")[0]  # 3/3 articles and 1/1 activity: done
    assert "• 和平社区" not in reply and "免报：和平社区（03月01日至03月31日，换届选举）" in reply
    assert "其余1个单位已完成。" in reply


def test_shortfall_and_bulletin_refuse_publicists(chat):
    assert "仅限领导、管理员使用" in chat("未报")
    assert "仅限领导、管理员使用" in chat("通报")


def test_bulletin_has_totals_outlets_levels_ranking_activities_and_quota(chat):
    chat("上稿 甲 https://www.xuexi.cn/a?id=1 3月2日", user="zhangsan")
    chat("上稿 乙 开发区融媒体中心 3月3日", user="zhangsan")
    chat("上稿 丙 开发区融媒体中心 3月4日", user="xiwang")
    chat("活动 志愿服务 丁 3月5日 45人", user="xiwang")
    chat("活动 理论宣讲 戊 3月6日 30人", user="zhangsan")
    text = chat("通报 2023年3月", user="lishuji")
    assert text.startswith("【新城街道宣传信息工作通报】2023年3月")
    assert "一、总体：上稿3篇，积分12；开展活动2次，参与75人次。" in text
    assert "二、按媒体：开发区融媒体中心2篇，学习强国1篇" in text
    assert "按级别：区级2篇，国家级1篇" in text
    assert "　1. 辽河社区 2篇（积分11，活动1次）" in text and "　2. 希望社区 1篇（积分1，活动1次）" in text
    assert "上稿最多：辽河社区（2篇）" in text
    assert (
        "四、活动：志愿服务1次45人次，理论宣讲1次30人次" in text
        or "四、活动：理论宣讲1次30人次，志愿服务1次45人次" in text
    )
    assert "五、未完成任务：" in text and "辽河社区：上稿2/3篇（差1篇）" in text
    assert "（数据截至2023年03月20日 10:00）" in text


def test_bulletin_goes_out_even_when_nobody_reported(chat):
    text = chat("通报 上月", user="lishuji")
    assert "【新城街道宣传信息工作通报】2023年2月" in text and "本期各单位均未报送上稿和活动。" in text
    assert "五、未完成任务：" in text


def test_late_report_after_the_bulletin_is_flagged_and_listed_next_time(chat, org):
    with org.sessions() as s, s.begin():
        s.add(BulletinLog(period="2023-02", sent_at=datetime(2023, 3, 1, 1, 0, tzinfo=UTC)))
    reply = chat("上稿 二月的稿 开发区融媒体中心 2月27日")
    assert "补报" in reply and "计入2023年2月" in reply
    on_time = chat("上稿 三月的稿 开发区融媒体中心 3月1日")
    assert "补报" not in on_time
    assert "1. 辽河社区 1篇" in chat("排名 2023年2月")  # counted in its publication month
    march = chat("通报 本月", user="lishuji")
    assert (
        "六、补报（计入刊发当月）：" in march
        and "辽河社区《二月的稿》（2023年02月，开发区融媒体中心）" in march
    )
