"""The year-end figures in the work report's own words: exact, or rounded down with 余 (--approx), as text
and as a Word document (`tougao report --year`)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from click.testing import CliRunner
from docx import Document

from bot.cli import main
from reports.annual import AnnualFigures
from reports.annual_report import annual_document, annual_paragraphs, annual_text
from reports.approx import about
from reports.zone import ZonePlace


@pytest.mark.parametrize(
    ("n", "written"),
    [
        (0, "0"),
        (7, "7"),
        (10, "10"),
        (12, "10余"),
        (40, "40"),
        (46, "40余"),
        (99, "90余"),
        (100, "100"),
        (108, "100余"),
        (146, "140余"),
        (320, "320"),
        (1000, "1000"),
        (1080, "1000余"),
        (3000, "3000"),
        (3240, "3200余"),
        (12345, "12000余"),
    ],
)
def test_counts_are_rounded_down_never_up(n, written):
    assert about(n) == written
    assert int(written.removesuffix("余")) <= n and written.endswith("余") == (
        int(written.removesuffix("余")) < n
    )


# The 2022 figures of the street's real report (shared/context), as the bot would hold them.
REAL = AnnualFigures(
    unit="新城街道",
    year=2022,
    articles=153,
    score=200.0,
    by_outlet=[("开发区融媒体中心", 146, 146.0), ("学习强国", 4, 40.0), ("通辽日报", 3, 9.0)],
    by_level=[("区级", 146, 146.0), ("国家级", 4, 40.0), ("市级", 3, 9.0)],
    zone_place=ZonePlace(zone="开发区", place=1, of=35, articles=146, months=12),
    activities=155,
    participants=4102,
    by_type=[("志愿服务", 108, 3000), ("理论宣讲", 32, 1080), ("中心组学习", 15, 22)],
    monthly={m: (12 + m % 3, 13) for m in range(1, 13)},
)


def test_the_report_style_exact_and_approximate():
    [(news, [articles]), (talks, [activities]), (months, [monthly])] = annual_paragraphs(REAL)
    assert (news, talks, months) == ("新闻宣传", "理论宣讲和活动", "分月情况")
    assert articles == (
        "全年在各级媒体上稿153篇，其中国家级4篇、市级3篇、区级146篇。"
        "刊发学习强国文章4篇，开发区融媒体中心上稿146篇，通辽日报上稿3篇。"
        "据开发区融媒体中心统计（已录入12个月），全年上稿146篇，在开发区35家单位中上稿量排名第一。"
    )
    assert activities == (
        "全年开展各类活动155次，参与4102人次。其中开展志愿服务活动108次，参与人数3000人次；"
        "开展理论宣讲32场次，覆盖1080人次；开展中心组学习15次，参加22人次。"
    )
    [(_, [articles]), (_, [activities]), (_, [approx_months])] = annual_paragraphs(REAL, approx=True)
    assert articles == (
        "全年在各级媒体上稿150余篇，其中国家级4篇、市级3篇、区级140余篇。"
        "刊发学习强国文章4篇，开发区融媒体中心上稿140余篇，通辽日报上稿3篇。"
        "据开发区融媒体中心统计（已录入12个月），全年上稿140余篇，在开发区35家单位中上稿量排名第一。"
    )
    assert activities == (
        "全年开展各类活动150余次，参与4100余人次。其中开展志愿服务活动100余次，参与人数3000人次；"
        "开展理论宣讲30余场次，覆盖1000余人次；开展中心组学习10余次，参加20余人次。"
    )
    assert approx_months == monthly and monthly.startswith("1月上稿13篇、开展活动13次；2月上稿14篇")


def test_a_year_still_running_says_how_far_it_goes():
    text = annual_text(REAL, today=date(2022, 3, 15))
    assert text.endswith("3月上稿12篇、开展活动13次。（数据截至2022年3月15日）") and "4月" not in text


def test_the_year_as_a_word_document():
    doc = Document(io.BytesIO(annual_document(REAL, approx=True)))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == "新城街道2022年\n新闻宣传工作情况"
    numbered = zip("一二三", annual_paragraphs(REAL, approx=True), strict=True)
    assert texts[1:] == [line for n, (head, ps) in numbered for line in (f"{n}、{head}", *ps)]
    [table] = doc.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["月份", "上稿量（篇）", "活动（次）"] and rows[3] == ["3月", "12", "13"]
    assert rows[-1] == ["全年", str(sum(a for a, _ in REAL.monthly.values())), "156"]


def test_the_command_line_writes_the_year_as_text_and_a_document(org, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", org.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--year", "2022", "--approx", "--docx", str(tmp_path / "y.docx")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("新城街道2022年新闻宣传工作情况\n一、新闻宣传\n全年未登记上稿。")
    assert Document(str(tmp_path / "y.docx")).paragraphs[0].text == "新城街道2022年\n新闻宣传工作情况"
    refused = runner.invoke(main, ["report", "--period", "2022-06", "--approx"])
    assert refused.exit_code == 2 and "--approx goes with --year" in refused.output
    helped = runner.invoke(main, ["report", "--help"])
    assert "rounded down" in helped.output and "never rounded up" in helped.output
