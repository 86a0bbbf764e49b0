"""The 通报 as a Word document: a hand-counted October checked cell by cell and sentence by sentence, the
GB/T 9704 layout, LibreOffice's rendering, and the same .docx by chat, push, dashboard and command line.

The month, counted by hand (example org: 新城街道's 14 units; quotas 2 articles and 1 activity, 辽河 and
希望 3 articles, the three offices 1 article and no activity; weights 学习强国 10, 内蒙古日报 5, 通辽日报 and
通辽市电视台 3, 开发区融媒体中心 1, 新城街道微信公众号 0.5; 头版 doubles):

| unit | October articles (score)                                          | activities          | September |
|------|-------------------------------------------------------------------|---------------------|-----------|
| 希望 | 学习强国 10, 通辽日报 头版 6, 融媒体 1 = 3 (17)                       | 志愿服务 45, 宣讲 60 | 0         |
| 辽河 | 内蒙古日报 5, 公众号 0.5, 融媒体 1 = 3 (6.5); a 学习强国 one withdrawn | 宣讲 30             | 3 + 1 补报 |
| 明仁 | 融媒体 ×2 = 2 (2)                                                 | —                   | 0         |
| 新兴 | 融媒体 = 1 (1)                                                    | —                   | 0         |
| 和平 | 通辽市电视台 = 1 (3)                                              | 文明实践 25         | 1         |
| 党建办 | 融媒体 = 1 (1)                                                  | —                   | 0         |
| 光明 | exempt (换届), nothing                                             |                     |           |
| the other 7 | nothing                                                    |                     |           |

Totals: 11 articles, 30.5 points; 国家级 1, 自治区级 1, 市级 2, 区级 6, 街道 1; 4 activities, 160 people.
September: 5 (辽河 4 with the 补报, 和平 1), so +6. The zone's official October figures put 新城街道 (15)
second, behind 辽河镇 (20) and level with 清河街道.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from sqlalchemy import select

from bot.cli import main
from reports.bulletin import compose_bulletin
from reports.bulletin_document import build_bulletin_document
from reports.periods import month
from scheduler import jobs
from storage.models import Article, BulletinLog, OrgSetting, Outbox, Task, Unit
from storage.official import replace_period
from storage.org import unit_by_name
from tests.conftest import WECOM
from tests.dashboard import DashboardUser
from tests.helpers import SHANGHAI, WeComSender, chat_as

ISSUED = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # 1 November 2026 is a Sunday: Monday's push
OCTOBER = month(2026, 10)
NAME = "新城街道关于2026年10月新闻宣传信息报送情况的通报.docx"


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def october(org):
    """The month of the table above, entered through the chat as the members would."""
    with at(2026, 9, 29, 10, 0):
        for i in range(3):
            chat_as(org, "zhangsan", f"上稿 辽河九月稿{i} 开发区融媒体中心 9月{10 + i}日")
        chat_as(org, "zhaomin", "上稿 和平九月稿 开发区融媒体中心 9月12日")
    with org.sessions() as s, s.begin():
        s.add(BulletinLog(period="2026-09", sent_at=datetime(2026, 10, 1, 1, 0, tzinfo=UTC)))
    with at(2026, 10, 28, 10, 0):
        say = [
            (
                "xiwang",
                "上稿 希望社区开展反诈宣传进万家 https://www.xuexi.cn/lgpage/detail/index.html?id=501 10月5日",
            ),
            ("xiwang", "上稿 希望社区重阳敬老暖人心 通辽日报 头版 10月8日"),
            ("xiwang", "上稿 希望社区举办邻里节 开发区融媒体中心 10月12日"),
            ("xiwang", "活动 志愿服务 邻里守望志愿服务 10月10日 45人"),
            ("xiwang", "活动 理论宣讲 党的创新理论进小区 10月15日 60人"),
            ("zhangsan", "上稿 辽河社区老年大学开课 内蒙古日报 10月6日"),
            ("zhangsan", "上稿 辽河社区消防演练 新城街道微信公众号 10月7日"),
            ("zhangsan", "上稿 辽河社区垃圾分类入户 开发区融媒体中心 10月9日"),
            (
                "zhangsan",
                "上稿 辽河社区平安建设宣传 https://www.xuexi.cn/lgpage/detail/index.html?id=502 10月11日",
            ),
            ("zhangsan", "活动 理论宣讲 宣讲进楼栋 10月20日 30人"),
            ("zhangsan", "上稿 辽河社区国庆前夕走访 开发区融媒体中心 9月28日"),
            ("liuyang", "上稿 明仁社区文明楼道评选 开发区融媒体中心 10月3日"),
            ("liuyang", "上稿 明仁社区义诊进社区 开发区融媒体中心 10月4日"),
            ("chenjing", "上稿 新兴社区开展秋季运动会 开发区融媒体中心 10月20日"),
            ("zhaomin", "上稿 和平社区老旧小区改造见成效 通辽市电视台 10月14日"),
            ("zhaomin", "活动 文明实践 文明实践进万家 10月16日 25人"),
            ("majun", "上稿 党建办开展主题党日 开发区融媒体中心 10月18日"),
            ("admin", "免报 光明社区 2026年10月 换届"),
        ]
        for user, text in say:
            reply = chat_as(org, user, text)
            assert reply.startswith(("已登记", "已设置", "已免报", "光明社区")), (text, reply)
        with org.sessions() as s:
            wrong = s.scalar(select(Article.no).where(Article.title == "辽河社区平安建设宣传"))
        assert "已撤回" in chat_as(org, "zhangsan", f"撤回 {wrong}")
    with org.sessions() as s, s.begin():
        ids = {u.name: u.id for u in s.scalars(select(Unit))}
        rows = [
            (ids["辽河镇"], 20, 1),
            (ids["新城街道"], 15, 2),
            (ids["清河街道"], 15, 2),
            (ids["木里图镇"], 3, 4),
        ]
        replace_period(s, "2026-10", rows, None)
    return org


def build(db) -> bytes:
    with db.readers() as s:
        return build_bulletin_document(s, unit_by_name(s, "新城街道"), OCTOBER, ISSUED)


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def body_of(texts: list[str], heading: str) -> list[str]:
    """The paragraphs under a level-1 heading, up to the next one."""
    start = texts.index(heading) + 1
    end = next(
        (
            i
            for i in range(start, len(texts))
            if texts[i][1:2] == "、" and texts[i][0] in "一二三四五六七八九"
        ),
        len(texts),
    )
    return texts[start:end]


RANKING = [
    [
        "名次",
        "单位",
        "上稿量",
        "积分",
        "国家级",
        "自治区级",
        "市级",
        "区级",
        "街道",
        "活动",
        "参与人次",
        "任务完成",
    ],
    ["1", "希望社区", "3", "17", "1", "0", "1", "1", "0", "2", "105", "完成"],
    ["1", "辽河社区", "3", "6.5", "0", "1", "0", "1", "1", "1", "30", "完成"],
    ["3", "明仁社区", "2", "2", "0", "0", "0", "2", "0", "0", "0", "未完成"],
    ["4", "新兴社区", "1", "1", "0", "0", "0", "1", "0", "0", "0", "未完成"],
    ["4", "和平社区", "1", "3", "0", "0", "1", "0", "0", "1", "25", "未完成"],
    ["4", "党建工作办公室", "1", "1", "0", "0", "0", "1", "0", "0", "0", "完成"],
    *[
        ["7", name, "0", "0", "0", "0", "0", "0", "0", "0", "0", state]
        for name, state in [
            ("富康社区", "未完成"),
            ("民主社区", "未完成"),
            ("建国社区", "未完成"),
            ("东郊社区", "未完成"),
            ("光明社区", "免报"),
            ("西拉木伦社区", "未完成"),
            ("社会事务办公室", "未完成"),
            ("综合治理办公室", "未完成"),
        ]
    ],
    ["", "合计", "11", "30.5", "1", "1", "2", "6", "1", "4", "160", ""],
]


def test_every_cell_of_the_ranking_table_matches_the_hand_count(october):
    [table] = Document(io.BytesIO(build(october))).tables
    assert [[c.text for c in row.cells] for row in table.rows] == RANKING


def test_every_sentence_matches_the_hand_count(october):
    texts = paragraphs(build(october))
    assert texts[:5] == [
        "中共新城街道工作委员会宣传办公室",
        "新宣通〔2026〕11号",
        "新城街道关于2026年10月\n新闻宣传信息报送情况的通报",
        "各社区、各办公室：",
        "现将2026年10月各单位新闻宣传信息报送情况通报如下。",
    ]
    assert body_of(texts, "一、总体情况") == [
        "2026年10月，各单位共上稿11篇，积分30.5，较上月增加6篇（上月5篇）。"
        "其中国家级1篇、自治区级1篇、市级2篇、区级6篇、街道1篇；"
        "按媒体：开发区融媒体中心6篇、内蒙古日报1篇、学习强国1篇、新城街道微信公众号1篇、通辽市电视台1篇、通辽日报1篇。"
        "共开展活动4次，参与160人次。"
        "据开发区融媒体中心统计，本月新城街道上稿15篇，在开发区35家单位中排名第二。"
        "本通报数据截至2026年11月2日9时。"
    ]
    assert body_of(texts, "二、各单位排名") == [
        "按上稿量排名，并列的单位名次相同；积分为媒体分值乘版面系数加批示加分。"
    ]
    assert body_of(texts, "三、先进和进步单位") == [
        "（一）上稿量位居前列的单位",
        "希望社区（3篇）、辽河社区（3篇）、明仁社区（2篇），本月上稿量位居前三。",
        "（二）进步较快的单位",
        # 希望 +3, 明仁 +2, then 新兴 and 党建办 +1 tie for third; 和平 stayed at 1, 辽河 fell from 4 to 3
        "与上月相比，希望社区增加3篇（上月0篇）、明仁社区增加2篇（上月0篇）、"
        "新兴社区增加1篇（上月0篇）、党建工作办公室增加1篇（上月0篇）。",
    ]
    assert body_of(texts, "四、未上稿和未完成任务的单位") == [
        "（一）未上稿的单位",
        "富康社区、民主社区、建国社区、东郊社区、西拉木伦社区、社会事务办公室、综合治理办公室"
        "（共7个）本月未上稿，请引起重视。",
        "（二）未完成任务的单位",
        "明仁社区上稿2/2篇，活动0/1次（差1次）；新兴社区上稿1/2篇（差1篇），活动0/1次（差1次）；"
        "和平社区上稿1/2篇（差1篇），活动1/1次；"
        + "；".join(
            f"{n}上稿0/2篇（差2篇），活动0/1次（差1次）"
            for n in ["富康社区", "民主社区", "建国社区", "东郊社区", "西拉木伦社区"]
        )
        + "；社会事务办公室上稿0/1篇（差1篇）；综合治理办公室上稿0/1篇（差1篇）。",
        "（三）免报单位",
        "光明社区（10月01日至10月31日，换届），不列入考核。",
    ]
    assert (
        body_of(texts, "五、典型稿件")
        == [
            "1.《希望社区开展反诈宣传进万家》，希望社区，学习强国（国家级），10月5日刊发。",
            "2.《希望社区重阳敬老暖人心》，希望社区，通辽日报（市级），10月8日刊发，头版。",
            "3.《辽河社区老年大学开课》，辽河社区，内蒙古日报（自治区级），10月6日刊发。",
            "4.《和平社区老旧小区改造见成效》，和平社区，通辽市电视台（市级），10月14日刊发。",
            "5.《明仁社区文明楼道评选》，明仁社区，开发区融媒体中心（区级），10月3日刊发。",  # the earliest of the 1-point ones
        ]
    )
    assert body_of(texts, "六、活动开展情况") == [
        "本月共开展活动4次，参与160人次。其中理论宣讲2次、参与90人次；志愿服务1次、参与45人次；文明实践1次、参与25人次。"
    ]
    [late_head, late] = body_of(texts, "七、补报情况")
    assert late_head == "以下1篇稿件在所属月份通报发出后补报，计入刊发当月，已发通报不再改动："
    assert late.startswith("1.第") and late.endswith(
        "号 辽河社区《辽河社区国庆前夕走访》（2026年9月28日，开发区融媒体中心）。"
    )
    requirements = body_of(texts, "八、工作要求")
    assert (
        requirements[0].startswith("各社区、各办公室要高度重视新闻宣传信息报送工作")
        and len(requirements) == 5
    )
    assert requirements[-2:] == ["中共新城街道工作委员会宣传办公室", "二〇二六年十一月二日"]


def test_the_chat_bulletin_prints_the_same_figures(october):
    with october.readers() as s:
        text = compose_bulletin(s, unit_by_name(s, "新城街道"), OCTOBER, ISSUED)
    assert "一、总体：上稿11篇，积分30.5；开展活动4次，参与160人次。" in text
    assert "按级别：区级6篇，市级2篇，国家级1篇，自治区级1篇，街道1篇" in text
    assert (
        "　1. 希望社区 3篇（积分17，活动2次）\n　1. 辽河社区 3篇（积分6.5，活动1次）\n　3. 明仁社区 2篇"
        in text
    )
    assert "四、活动：理论宣讲2次90人次，志愿服务1次45人次，文明实践1次25人次" in text
    assert "　　免报：光明社区（10月01日至10月31日，换届）" in text
    assert "辽河社区《辽河社区国庆前夕走访》（2026年09月，开发区融媒体中心）" in text


def test_a_month_without_reports_still_makes_a_document(org):
    with org.readers() as s:
        content = build_bulletin_document(s, unit_by_name(s, "新城街道"), OCTOBER, ISSUED)
    texts = paragraphs(content)
    assert body_of(texts, "一、总体情况")[0].startswith("2026年10月，各单位均未报送上稿和活动。")
    assert body_of(texts, "三、先进和进步单位") == ["本月各单位均未上稿。"]
    assert body_of(texts, "五、典型稿件") == ["本月无刊发稿件。"]
    assert body_of(texts, "七、补报情况") == ["本月无补报稿件。"]
    assert "（共14个）本月未上稿" in body_of(texts, "四、未上稿和未完成任务的单位")[1]


def east_asian(run_or_style) -> str | None:
    fonts = run_or_style.element.rPr.rFonts if hasattr(run_or_style, "element") else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_the_layout_follows_gb_t_9704(october):
    doc = Document(io.BytesIO(build(october)))
    [section] = doc.sections

    def mm(length) -> float:  # Word keeps twips: compare to a tenth of a millimetre
        return round(Emu(length).mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)  # 天头, 订口
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert (mm(text_width), mm(text_height)) == (156, 225)  # 版心
    settings = doc.settings.element
    assert settings.find(qn("w:mirrorMargins")) is not None and doc.settings.odd_and_even_pages_header_footer
    grid = section._sectPr.find(qn("w:docGrid"))
    assert 22 * int(grid.get(qn("w:linePitch"))) <= Mm(225).pt * 20 < 23 * int(grid.get(qn("w:linePitch")))
    normal = doc.styles["Normal"]
    assert east_asian(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)  # 3号
    assert 22 * normal.paragraph_format.line_spacing <= Mm(225) < 23 * normal.paragraph_format.line_spacing
    # 28 characters of 3号 with the condensed spacing fit the 156 mm line, 29 do not
    spacing = int(doc.paragraphs[4].runs[0].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing) <= Mm(156).pt < 29 * (16 + spacing)
    assert (
        east_asian(doc.styles["Heading 1"]) == "黑体" and east_asian(doc.styles["Heading 2"]) == "楷体_GB2312"
    )
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert headings["一、总体情况"] == "Heading 1" and headings["（一）上稿量位居前列的单位"] == "Heading 2"
    title = next(p for p in doc.paragraphs if p.text.startswith("新城街道关于"))
    assert {(east_asian(r), r.font.size) for r in title.runs} == {("方正小标宋简体", Pt(22))}  # 2号
    assert all(east_asian(r) == "仿宋_GB2312" for p in doc.paragraphs[3:6] for r in p.runs)
    letterhead = doc.paragraphs[0].runs[0]
    assert east_asian(letterhead) == "方正小标宋简体" and str(letterhead.font.color.rgb) == "E60012"
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        [p] = footer.paragraphs
        assert p.alignment == {"right": 2, "left": 0}[side]  # odd pages right, even pages left
        assert p.text == "— 1 —" and "PAGE" in p._p.xml and 'w:fldCharType="begin"' in p._p.xml
        assert {(east_asian(r), r.font.size) for r in p.runs} == {("宋体", Pt(14))}  # 4号
    header_row = doc.tables[0].rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page


def test_the_leaders_command_answers_at_once_and_the_file_arrives_by_push(pushing_app, fake_wecom, october):
    sender = WeComSender(
        pushing_app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"]
    )
    with time_machine.travel(ISSUED, tick=False):
        reply = sender.text("lishuji", "通报 上月 文档")
        assert reply == f"正在生成《{NAME}》（Word公文格式），稍后以文件发给您。"
        assert fake_wecom.uploads == []  # nothing is rendered inside the callback
        jobs.work(pushing_app.services)
    [(kind, name, content)] = fake_wecom.uploads
    assert (kind, name) == ("file", NAME)
    [message] = fake_wecom.sent
    assert message["msgtype"] == "file" and message["touser"] == "lishuji"
    assert paragraphs(content) == paragraphs(build(october))
    assert "仅限领导、管理员使用" in sender.text("zhangsan", "通报 上月 文档")


def test_the_dashboard_and_the_command_line_give_the_same_document(october, tmp_path, monkeypatch):
    from bot import create_app

    user = DashboardUser(
        create_app({"DATABASE_URL": str(october.engine.url)}, database=october, demo=True).test_client()
    )
    monkeypatch.setenv("DATABASE_URL", october.engine.url.render_as_string(hide_password=False))
    with time_machine.travel(ISSUED, tick=False):
        user.sign_in("lishuji")
        page = user.get("/admin/").get_data(as_text=True)
        assert "下载通报（Word）" in page and "/admin/bulletin.docx" in page
        response = user.get("/admin/bulletin.docx?period=2026年10月")
        result = CliRunner().invoke(
            main, ["report", "--period", "2026-10", "--docx", str(tmp_path / "b.docx")]
        )
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert result.exit_code == 0, result.output
    assert (
        result.output.startswith("【新城街道宣传信息工作通报】2026年10月")
        and f"已写入 {tmp_path / 'b.docx'}" in result.output
    )
    expected = paragraphs(build(october))
    assert paragraphs(response.get_data()) == expected == paragraphs((tmp_path / "b.docx").read_bytes())


def test_the_first_of_the_month_push_gives_leaders_the_document(pushing_app, fake_wecom, october):
    with time_machine.travel(ISSUED, tick=False):
        jobs.tick(pushing_app.services)
    files = [(n, c) for kind, n, c in fake_wecom.uploads if kind == "file"]
    assert [n for n, _ in files] == [NAME]
    assert paragraphs(files[0][1]) == paragraphs(build(october))
    [message] = [m for m in fake_wecom.sent if m["msgtype"] == "file"]
    assert message["touser"] == "lishuji|wangzhuren"
    assert [m["msgtype"] for m in fake_wecom.webhook] == ["text", "image"]  # the group robot carries no file
    with october.sessions() as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.msg_type == "file")))
    assert [(r.payload["kind"], r.status) for r in rows] == [("bulletin_doc", "sent")]
    with time_machine.travel(ISSUED.replace(minute=5), tick=False):
        jobs.tick(pushing_app.services)  # once only
    assert len([u for u in fake_wecom.uploads if u[0] == "file"]) == 1


@pytest.mark.parametrize(
    ("message", "document"),
    [
        ("通报 上月 文档", True),
        ("要上个月的通报文件", True),
        ("上个月通报 word版", True),
        ("通报 2026年10月 Word", True),
        ("下载上个月的通报", True),
        ("通报 上月", False),
        ("看一下上个月的通报", False),
    ],
)
def test_natural_ways_to_ask_for_the_document(org, message, document):
    with time_machine.travel(ISSUED, tick=False):
        reply = chat_as(org, "wangzhuren", message)
    with org.sessions() as s:
        tasks = list(s.scalars(select(Task)))
    if document:
        assert reply == f"正在生成《{NAME}》（Word公文格式），稍后以文件发给您。"
        assert [(t.kind, t.payload["label"]) for t in tasks] == [("bulletin_doc", "2026年10月")]
    else:
        assert reply.startswith("【新城街道宣传信息工作通报】2026年10月") and tasks == []
        assert reply.endswith("发送「通报 2026年10月 文档」可获取Word公文。")


def test_titles_are_printed_as_written(org):
    with at(2026, 10, 20, 10, 0):
        chat_as(org, "xiwang", "上稿 《A&B<C>=SUM(1)“引号”社区活动》 开发区融媒体中心 10月5日")
    with org.sessions() as s:
        [title] = s.scalars(select(Article.title))
    typical = body_of(paragraphs(build(org)), "五、典型稿件")
    assert (
        typical == [f"1.《{title}》，希望社区，开发区融媒体中心（区级），10月5日刊发。"]
        and "<C>=SUM" in title
    )


SOFFICE = os.environ.get("TOUGAO_SOFFICE", "soffice")


def need_soffice() -> str:
    """Skip outside CI when LibreOffice is missing; in CI (where .ci/run installs it) that is a failure."""
    found = shutil.which(SOFFICE)
    if found:
        return found
    message = f"no LibreOffice ({SOFFICE}): apt-get install libreoffice-writer (.ci/run does it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(content: bytes, folder: Path) -> bytes:
    """LibreOffice's own conversion, with its own profile (a running soffice would swallow the job) and
    a CJK font from the mplfonts wheel (a machine without a system CJK font would print empty boxes)."""
    from tests.browser import cjk_fontconfig

    soffice = need_soffice()
    (folder / "b.docx").write_bytes(content)
    env = {**os.environ, "FONTCONFIG_FILE": str(cjk_fontconfig(folder)), "HOME": str(folder)}
    command = [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(folder), str(folder / "b.docx")],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "b.pdf").read_bytes()


LONG = "各单位要把新闻宣传信息报送作为日常工作抓紧抓实" * 12  # 276 characters, no punctuation to wrap at


def test_libreoffice_opens_it_with_every_page_numbered_and_22_lines_of_28_characters(october):
    from pypdf import PdfReader

    with october.sessions() as s, s.begin():
        s.get(OrgSetting, "bulletin").value = {
            "requirements": f"{LONG}\n{LONG}\n{LONG}",
            "issuer": "新城街道",
        }
    with tempfile.TemporaryDirectory() as folder:
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(build(october), Path(folder)))).pages]
    assert len(pages) >= 4
    lines = [[line.replace(" ", "") for line in page.splitlines() if line.strip()] for page in pages]
    assert [page[-1] for page in lines] == [f"—{n}—" for n in range(1, len(pages) + 1)]
    text = "".join("".join(page) for page in lines)
    for expected in (
        "新城街道关于2026年10月",
        "新闻宣传信息报送情况的通报",
        "1希望社区3171011021 05完成".replace(" ", ""),
        "合计1130.5112614160",
        "据开发区融媒体中心统计，本月新城街道上稿15篇，在开发区35家单位中排名第二。",
        "二〇二六年十一月二日",
    ):
        assert expected in text
    assert "新宣通" not in text  # no 文号, no 版头
    # the 工作要求: a paragraph's first line 26 characters after its indent, every other full line 28
    widths = [len(line) for page in lines for line in page if set(line) <= set(LONG)]
    assert widths == [26, *[28] * 8, 26] * 3  # 276 = 26 + 8 × 28 + 26
    text_pages = [page for page in lines if "名" not in page and "名次" not in page]  # not the table's
    assert max(len(page) - 1 for page in text_pages) == 22  # a page of body text holds 22 lines


def test_the_org_files_bulletin_section_is_checked_whole():
    import yaml

    from storage.orgspec import OrgFileError, parse_org

    base = yaml.safe_load(
        (Path(__file__).parent.parent / "examples" / "org.yaml").read_text(encoding="utf-8")
    )
    assert parse_org(base).settings["bulletin"]["doc_number"] == "新宣通〔{year}〕{month}号"
    bad = {**base, "bulletin": {"doc_number": "新宣通〔{year}〕{day}号", "issuer": ["x"], "signature": "y"}}
    with pytest.raises(OrgFileError) as refused:
        parse_org(bad)
    assert refused.value.problems == [
        "bulletin.issuer 应是文字",
        "bulletin.signature 无法识别（可用：requirements、issuer、doc_number）",
        "bulletin.doc_number「新宣通〔{year}〕{day}号」只能含 {year} 和 {month}，不能含 {day}",
    ]
    with pytest.raises(OrgFileError, match="花括号不成对"):
        parse_org({**base, "bulletin": {"doc_number": "新宣通〔{year〕号"}})
