"""The zone's official figures: import from .xlsx/.csv (CLI and chat), refusals, and 排名 开发区 on them."""

import io
from datetime import datetime

import pytest
import time_machine
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.cli import main
from reports.figures_file import FiguresFileError, read_figures
from reports.official_import import import_figures
from scheduler import jobs
from storage.models import OfficialFigure, Task
from tests.conftest import WECOM
from tests.helpers import SHANGHAI, WeComSender

ZONE_UNITS = ["新城街道", "辽河镇", "清河街道", "河西街道", "木里图镇"]


def xlsx(rows: list[list], title: str | None = "2023年3月开发区各单位上稿统计") -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])  # a title row above the header, as the media centre's sheets have
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def figures(counts: dict[str, int]) -> bytes:
    return xlsx(
        [["排名", "单位名称", "上稿量"], *[[i + 1, name, n] for i, (name, n) in enumerate(counts.items())]]
    )


def stored(db, period="2023-03") -> dict[str, int]:
    with db.sessions() as s:
        from storage.models import Unit

        rows = s.execute(
            select(Unit.name, OfficialFigure.articles).join(Unit).where(OfficialFigure.period == period)
        )
        return dict(rows.all())


def do_import(db, content: bytes, name="f.xlsx", period="2023-03"):
    with db.sessions() as s, s.begin():
        return import_figures(s, content, name, period, None)


def test_read_xlsx_finds_headers_by_name_below_a_title_row():
    rows = read_figures(
        xlsx(
            [
                ["序号", "单位", "数量"],
                [1, "新城", 25],
                [2, "辽河镇", 20.0],
                [None, None, None],
                ["合计", None, 45],
            ]
        ),
        "a.xlsx",
    )
    assert [(r.name, r.articles, r.rank, r.line) for r in rows] == [
        ("新城", 25, None, 3),
        ("辽河镇", 20, None, 4),
    ]


def test_read_csv_in_gbk_as_excel_saves_it():
    content = "单位,篇数,排名\n新城街道,25,1\n辽河镇,20,2\n".encode("gbk")
    rows = read_figures(content, "figures.csv")
    assert [(r.name, r.articles, r.rank) for r in rows] == [("新城街道", 25, 1), ("辽河镇", 20, 2)]


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "a.xlsx", "文件是空的"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "不是有效的 Excel"),
        (b"hello", "a.xlsx", "不是有效的 Excel"),
        (xlsx([["名称", "数字"], ["新城街道", 3]]), "a.xlsx", "找不到表头"),
        (
            xlsx([["单位", "上稿量"], ["新城街道", "二十"]]),
            "a.xlsx",
            "第3行「新城街道」的上稿量不是整数：二十",
        ),
        (xlsx([["单位", "上稿量"], ["新城街道", 2.5]]), "a.xlsx", "不是整数"),
        (
            xlsx([["单位", "上稿量"], ["新城街道", 3], ["新城街道", 4]]),
            "a.xlsx",
            "单位「新城街道」出现了两次（第3行和第4行）",
        ),
        (xlsx([["单位", "上稿量"]]), "a.xlsx", "没有数据行"),
        (xlsx([["单位", "上稿量"], [None, 3]]), "a.xlsx", "第3行没有单位名称"),
        ("单位,上稿量\n新城街道,x\n".encode(), "a.csv", "上稿量不是整数"),
    ],
)
def test_malformed_files_are_refused_with_a_reason(content, name, says):
    with pytest.raises(FiguresFileError) as err:
        read_figures(content, name)
    assert says in str(err.value)


def test_import_replaces_a_period_and_refuses_unknown_names_whole(org):
    summary = do_import(
        org,
        figures({"新城街道": 25, "辽河镇": 20, "清河": 18})
        if False
        else figures({"新城街道": 25, "辽河镇": 20}),
    )
    assert (summary.units, summary.articles, summary.replaced) == (2, 45, 0)
    again = do_import(org, figures({"新城": 30, "辽河镇": 21, "清河街道": 5}))  # an alias counts as the name
    assert (again.units, again.replaced) == (3, 2) and stored(org) == {
        "新城街道": 30,
        "辽河镇": 21,
        "清河街道": 5,
    }
    with pytest.raises(FiguresFileError) as err:
        do_import(org, figures({"新城街道": 99, "火星街道": 1, "月球镇": 2}))
    assert "有2个单位名称找不到" in str(err.value) and "火星街道、月球镇" in str(err.value)
    assert stored(org) == {"新城街道": 30, "辽河镇": 21, "清河街道": 5}  # the earlier import is untouched


def test_cli_ranking_import(org, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", org.engine.url.render_as_string(hide_password=False))
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(figures({"新城街道": 25, "辽河镇": 20}))
    bad.write_bytes(figures({"没有这个单位": 3}))
    runner = CliRunner()
    ok = runner.invoke(main, ["ranking", "import", str(good), "--period", "2023-03"])
    assert ok.exit_code == 0 and "已导入2023-03开发区官方上稿量：2个单位，共45篇" in ok.output
    refused = runner.invoke(main, ["ranking", "import", str(bad), "--period", "2023-03"])
    assert refused.exit_code == 1 and "没有这个单位" in refused.output
    assert runner.invoke(main, ["ranking", "import", str(good), "--period", "March"]).exit_code == 1
    assert stored(org) == {"新城街道": 25, "辽河镇": 20}


@pytest.mark.usefixtures("march_2023")
def test_zone_ranking_uses_official_figures_with_own_counts_beside(org, chat):
    for i in range(3):
        chat(f"上稿 稿{i} https://www.xuexi.cn/a?id={i} 3月{i + 1}日", user="zhangsan")
    do_import(org, figures({"辽河镇": 30, "新城街道": 25, "清河街道": 25, "河西街道": 3}))
    reply = chat("排名 开发区 3月", user="lishuji")
    lines = reply.splitlines()
    assert lines[0] == "通辽经济技术开发区各单位上稿排名（2023年3月，开发区融媒体中心官方数据）"
    assert lines[1] == "1. 辽河镇 30篇"
    assert lines[2] == "2. 新城街道 25篇（投稿通3篇） ←本单位" and lines[3] == "2. 清河街道 25篇"
    assert "5. 木里图镇 0篇" in lines and len([ln for ln in lines if ln[0].isdigit()]) == 35
    assert "说明：新城街道官方25篇、投稿通3篇，有22篇未在投稿通登记，请补报。" in reply


@pytest.mark.usefixtures("march_2023")
def test_zone_ranking_without_an_import_says_so(org, chat):
    reply = chat("排名 开发区 上月", user="lishuji")
    assert "（2023年2月，按上稿量）" in reply and "尚未导入开发区融媒体中心的官方数据" in reply
    do_import(org, figures({"新城街道": 25}), period="2023-01")
    quarter = chat("排名 开发区 一季度", user="lishuji")
    assert (
        "开发区融媒体中心官方数据" in quarter
        and "已导入月份：2023-01；尚未导入：2023-02、2023-03。" in quarter
    )


def test_admin_sends_the_file_in_chat_and_it_is_imported_outside_the_callback(pushing_app, fake_wecom, org):
    sender = WeComSender(
        pushing_app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    fake_wecom.media["MEDIA_FIG"] = figures({"新城街道": 25, "辽河镇": 20})
    with time_machine.travel(datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        reply = sender.open_reply(sender.send(file_xml("admin", "MEDIA_FIG", "2023年3月上稿统计.xlsx")))
        assert reply == "已收到《2023年3月上稿统计.xlsx》，正在导入2023-03的开发区官方上稿量，完成后通知您。"
        assert stored(org) == {}  # nothing happened inside the callback
        jobs.work(pushing_app.services)
    assert stored(org) == {"新城街道": 25, "辽河镇": 20}
    [told] = fake_wecom.texts()
    assert (
        told["touser"] == "admin"
        and "已导入2023-03开发区官方上稿量：2个单位，共45篇" in told["text"]["content"]
    )


def test_month_from_an_earlier_luru_and_a_bad_file_is_reported(pushing_app, fake_wecom, org):
    sender = WeComSender(
        pushing_app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    fake_wecom.media["M1"] = figures({"火星街道": 3})
    with time_machine.travel(datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert "不知道《统计.xlsx》是哪个月的数据" in sender.open_reply(
            sender.send(file_xml("admin", "M1", "统计.xlsx"))
        )
        assert "请在30分钟内把2023-02" in sender.text("admin", "录入 2023年2月")
        assert "正在导入2023-02" in sender.open_reply(sender.send(file_xml("admin", "M1", "统计.xlsx")))
        assert "不是 .xlsx 或 .csv" in sender.open_reply(sender.send(file_xml("admin", "M2", "照片.jpg")))
        assert "仅限管理员使用" in sender.open_reply(
            sender.send(file_xml("zhangsan", "M1", "2023年3月.xlsx"))
        )
        jobs.work(pushing_app.services)
    assert stored(org, "2023-02") == {}
    [told] = fake_wecom.texts()
    assert "抱歉，任务没有完成" in told["text"]["content"] and "火星街道" in told["text"]["content"]
    with org.sessions() as s:
        assert s.scalar(select(Task.status)) == "failed" and s.scalar(select(func.count(Task.id))) == 1


_msg_ids = iter(range(880_000, 890_000))


def file_xml(user: str, media_id: str, name: str) -> str:
    return (
        "<xml><ToUserName>wwtestcorp0000001</ToUserName>"
        f"<FromUserName>{user}</FromUserName><CreateTime>1680487200</CreateTime><MsgType>file</MsgType>"
        f"<MediaId>{media_id}</MediaId><FileName>{name}</FileName><MsgId>{next(_msg_ids)}</MsgId>"
        "<AgentID>1000002</AgentID></xml>"
    )
