"""导出 and `tougao report`: the workbook cell by cell, the chart, and the year figures against a hand count."""

import io
from datetime import datetime

import pytest
import time_machine
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from bot.cli import main
from handlers.parsing.periods import month
from reports.annual import annual_figures, annual_workbook
from reports.annual_report import annual_text
from reports.chart import ranking_chart, ranking_figure
from reports.workbook import build_workbook
from reports.zone import ZonePlace
from scheduler import jobs
from storage.models import Unit
from storage.official import replace_period
from storage.org import unit_by_name
from tests.conftest import WECOM
from tests.helpers import SHANGHAI, WeComSender, chat_as

NOW = datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def march(org):
    with time_machine.travel(datetime(2023, 3, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        chat_as(org, "zhangsan", "上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/a?id=1 3月5日")
        chat_as(org, "zhangsan", "上稿 辽河社区举办邻里节 开发区融媒体中心 头版 3月6日")
        chat_as(org, "xiwang", "上稿 希望社区反诈宣传 通辽日报 3月7日")
        chat_as(org, "xiwang", "活动 志愿服务 邻里守望 3月8日 45人")
        chat_as(org, "zhangsan", "撤回 2")
    return org


def workbook(db, label_month=(2023, 3)):
    with db.readers() as s:
        content = build_workbook(s, unit_by_name(s, "新城街道"), month(*label_month), NOW)
    return load_workbook(io.BytesIO(content))


def test_workbook_sheets_headers_and_cells(march):
    book = workbook(march)
    assert book.sheetnames == ["排名", "稿件", "活动", "媒体与级别", "任务完成"]
    ranking = book["排名"]
    assert [c.value for c in ranking[1]] == ["名次", "单位", "上稿量", "积分", "活动次数", "参与人次"]
    # tied on one article each (the withdrawn 头版 one does not count): the org file's order decides the row
    assert [c.value for c in ranking[2]] == [1, "希望社区", 1, 3, 1, 45]
    assert [c.value for c in ranking[3]] == [1, "辽河社区", 1, 10, 0, 0]
    articles = book["稿件"]
    assert [c.value for c in articles[1]][:6] == ["编号", "刊发日期", "单位", "标题", "媒体", "级别"]
    first = [c.value for c in articles[2]]
    assert first[:6] == [
        1,
        datetime(2023, 3, 5),
        "辽河社区",
        "辽河社区开展学雷锋志愿服务",
        "学习强国",
        "国家级",
    ]
    assert first[10] == "计入" and first[11] == "张三" and first[13] == "https://www.xuexi.cn/a?id=1"
    assert articles["B2"].number_format == "yyyy-mm-dd" and articles["M2"].number_format == "yyyy-mm-dd hh:mm"
    withdrawn = [c.value for c in articles[3]]
    assert withdrawn[6] == "头版" and withdrawn[8] == 2 and withdrawn[10] == "已撤回"
    assert [c.value for c in book["活动"][2]][:6] == [
        4,
        datetime(2023, 3, 8),
        "希望社区",
        "志愿服务",
        "邻里守望",
        45,
    ]
    outlets = book["媒体与级别"]
    values = [[c.value for c in row] for row in outlets.iter_rows()]
    assert (
        ["学习强国", 1, 10] in values
        and ["通辽日报", 1, 3] in values
        and ["级别", "上稿量", "积分"] in values
    )
    assert ["国家级", 1, 10] in values and ["市级", 1, 3] in values
    quotas = {row[0].value: [c.value for c in row] for row in book["任务完成"].iter_rows(min_row=2)}
    assert quotas["辽河社区"] == ["辽河社区", 1, 3, 0, 1, "未完成", "张三"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert articles.column_dimensions["D"].width >= 28  # a Chinese title column is wide enough to read


def test_export_by_chat_answers_at_once_and_the_file_arrives_by_push(pushing_app, fake_wecom, march):
    sender = WeComSender(
        pushing_app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    with time_machine.travel(NOW, tick=False):
        assert (
            sender.text("lishuji", "导出 2023年3月")
            == "正在生成《新城街道2023年3月宣传信息统计.xlsx》，稍后以文件发给您。"
        )
        assert fake_wecom.uploads == []
        jobs.work(pushing_app.services)
    [(kind, name, content)] = fake_wecom.uploads
    assert (kind, name) == ("file", "新城街道2023年3月宣传信息统计.xlsx")
    assert load_workbook(io.BytesIO(content))["排名"]["B3"].value == "辽河社区"
    [message] = fake_wecom.sent
    assert (
        message["msgtype"] == "file"
        and message["touser"] == "lishuji"
        and message["file"]["media_id"] == "MEDIA1"
    )
    assert "仅限领导、管理员使用" in sender.text("zhangsan", "导出")


def test_chart_is_a_sane_png_with_the_units_names():
    rows = [("辽河社区", 5), ("希望社区", 3), ("西拉木伦社区", 0)]
    figure = ranking_figure(
        "新城街道2023年3月上稿排名", rows
    )  # a missing CJK glyph would warn, and warnings fail
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["西拉木伦社区", "希望社区", "辽河社区"]  # first place drawn on top
    assert figure.axes[0].get_title() == "新城街道2023年3月上稿排名"
    png = ranking_chart("新城街道2023年3月上稿排名", rows)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and 600 <= image.width <= 1200 and 250 <= image.height <= 1200
    assert 5_000 < len(png) < 500_000


@pytest.fixture
def year_2022(org):
    """A hand-counted year: 4 articles (2 国家级 学习强国, 1 市级 通辽日报, 1 区级), one withdrawn;
    3 activities, two of them 理论宣讲 with 30 + 50 listeners; official figures for two months."""
    with time_machine.travel(datetime(2022, 12, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        chat_as(org, "zhangsan", "上稿 甲 https://www.xuexi.cn/a?id=1 2022年3月5日")
        chat_as(org, "zhangsan", "上稿 乙 https://www.xuexi.cn/a?id=2 2022年3月9日")
        chat_as(org, "xiwang", "上稿 丙 通辽日报 2022年6月1日")
        chat_as(org, "xiwang", "上稿 丁 开发区融媒体中心 2022年12月1日")
        chat_as(org, "xiwang", "上稿 错的 开发区融媒体中心 2022年12月2日")
        chat_as(org, "xiwang", "撤回 5")
        chat_as(org, "zhangsan", "活动 理论宣讲 二十大精神宣讲 2022年3月10日 30人")
        chat_as(org, "xiwang", "活动 理论宣讲 法治宣讲 2022年6月2日 50人")
        chat_as(org, "xiwang", "活动 志愿服务 清扫 2022年6月3日 20人")
    with org.sessions() as s, s.begin():
        ids = {u.name: u.id for u in s.query(Unit).filter(Unit.name.in_(["新城街道", "辽河镇", "清河街道"]))}
        replace_period(
            s, "2022-03", [(ids["新城街道"], 10, 2), (ids["辽河镇"], 12, 1), (ids["清河街道"], 3, 3)], None
        )
        replace_period(s, "2022-06", [(ids["新城街道"], 9, 1), (ids["辽河镇"], 2, 2)], None)
    return org


def test_year_figures_match_the_hand_count(year_2022):
    with year_2022.readers() as s:
        figures = annual_figures(s, unit_by_name(s, "新城街道"), 2022)
    assert (figures.articles, figures.score) == (4, 24.0)
    assert figures.by_outlet == [("学习强国", 2, 20.0), ("开发区融媒体中心", 1, 1.0), ("通辽日报", 1, 3.0)]
    assert sorted(figures.by_level) == [("区级", 1, 1.0), ("国家级", 2, 20.0), ("市级", 1, 3.0)]
    # 19 official articles beat 辽河镇's 14
    assert figures.zone_place == ZonePlace(zone="开发区", place=1, of=35, articles=19, months=2)
    assert (figures.activities, figures.participants, figures.talks) == (3, 100, (2, 80))
    assert figures.monthly[3] == (2, 1) and figures.monthly[6] == (1, 2) and figures.monthly[12] == (1, 0)
    assert annual_text(figures).splitlines() == [
        "新城街道2022年新闻宣传工作情况",
        "一、新闻宣传",
        "全年在各级媒体上稿4篇，其中国家级2篇、市级1篇、区级1篇。"
        "刊发学习强国文章2篇，开发区融媒体中心上稿1篇，通辽日报上稿1篇。"
        "据开发区融媒体中心统计（已录入2个月），全年上稿19篇，在开发区35家单位中上稿量排名第一。",
        "二、理论宣讲和活动",
        "全年开展各类活动3次，参与100人次。其中开展理论宣讲2场次，覆盖80人次；开展志愿服务活动1次，参与人数20人次。",
        "三、分月情况",
        "；".join(f"{m}月上稿{a}篇、开展活动{b}次" for m, (a, b) in sorted(figures.monthly.items())) + "。",
    ]
    assert "全年上稿10余篇" in annual_text(figures, approx=True)  # 19 official articles, rounded down
    book = load_workbook(io.BytesIO(annual_workbook(figures)))
    assert [[c.value for c in row] for row in book["总览"].iter_rows(min_row=2, max_row=3)] == [
        ["上稿量", 4],
        ["积分", 24],
    ]
    assert [c.value for c in book["月度趋势"][4]] == ["3月", 2, 1]


def test_report_command_prints_and_writes(year_2022, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", year_2022.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    annual = runner.invoke(main, ["report", "--year", "2022", "--xlsx", str(tmp_path / "2022.xlsx")])
    assert annual.exit_code == 0 and "上稿4篇" in annual.output
    assert load_workbook(tmp_path / "2022.xlsx")["总览"]["B2"].value == 4
    with time_machine.travel(datetime(2023, 1, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        bulletin = runner.invoke(
            main, ["report", "--period", "2022年6月", "--xlsx", str(tmp_path / "june.xlsx")]
        )
    assert bulletin.exit_code == 0 and bulletin.output.startswith("【新城街道宣传信息工作通报】2022年6月")
    assert load_workbook(tmp_path / "june.xlsx").sheetnames[0] == "排名"
    assert runner.invoke(main, ["report"]).exit_code == 2
    assert runner.invoke(main, ["report", "--year", "2022", "--unit", "火星"]).exit_code == 1
