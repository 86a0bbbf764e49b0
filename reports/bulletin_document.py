"""The 通报 as the office issues it: a Word document (GB/T 9704-2012, reports/docformat.py) with the summary,
the ranking table and chart, the leading and rising units, the units with no output, 典型稿件, activities,
补报 and the org file's 工作要求, signed and dated in Chinese numerals. Every figure comes from the facts the
chat's 通报 prints (reports/bulletin.py) and what reports/document_facts.py adds through the same queries."""

from __future__ import annotations

import io
from datetime import datetime

from cn2an import an2cn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from sqlalchemy.orm import Session

from reports import docformat as fmt
from reports.bulletin import bulletin_facts, document_title
from reports.chart import ranking_chart
from reports.document_facts import DocumentFacts, document_facts
from reports.periods import Period, chinese_date
from storage.models import Unit

SECTIONS = (
    "总体情况",
    "各单位排名",
    "先进和进步单位",
    "未上稿和未完成任务的单位",
    "典型稿件",
    "活动开展情况",
    "补报情况",
    "工作要求",
)
CN_NUMBERS = "一二三四五六七八九十"


def build_bulletin_document(
    session: Session, parent: Unit, period: Period, now: datetime, chart: bytes | None = None
) -> bytes:
    """The .docx bytes; `chart` is the ranking chart when the caller already drew it (the monthly push)."""
    facts = document_facts(session, parent, bulletin_facts(session, parent, period, now))
    if chart is None:
        chart = ranking_chart(
            f"{parent.name}{period.label}上稿排名", [(u.name, u.articles) for u in facts.core.units]
        )
    return fmt.save(write_document(facts, chart))


def write_document(f: DocumentFacts, chart: bytes):
    core, period = f.core, f.core.period
    doc = fmt.new_document("".join(document_title(core.parent, period)))
    issuer = f.settings.issuer or core.parent
    if f.settings.doc_number:
        fmt.letterhead(doc, issuer, f.settings.number_for(core.now.year, core.now.month))
    fmt.title(doc, document_title(core.parent, period))
    fmt.paragraph(doc)
    fmt.paragraph(doc, f.addressees + "：", indent=False)
    fmt.paragraph(doc, f"现将{period.label}各单位新闻宣传信息报送情况通报如下。")
    writers = (_summary, _ranking, _leading, _silent, _typical, _activities, _late, _requirements)
    for number, (name, write) in enumerate(zip(SECTIONS, writers, strict=True)):
        fmt.heading(doc, f"{CN_NUMBERS[number]}、{name}", 1)
        write(doc, f, chart)
    _signature(doc, issuer, core.now)
    return doc


def summary_text(f: DocumentFacts) -> str:
    core, word, before = f.core, _period_word(f.core.period), _before_word(f.core.period)
    if not core.articles and not core.activities:
        text = f"{core.period.label}，各单位均未报送上稿和活动。"
    else:
        text = f"{core.period.label}，各单位共上稿{core.articles}篇，积分{core.score:g}"
        if f.previous is not None:
            gap = core.articles - f.before_total
            change = f"增加{gap}篇" if gap > 0 else f"减少{-gap}篇" if gap < 0 else "持平"
            text += f"，较{before}{change}（{before}{f.before_total}篇）"
        levels = dict((lv, n) for lv, n, _ in core.by_level)
        if core.articles:
            text += "。其中" + "、".join(f"{lv}{levels[lv]}篇" for lv in f.columns if levels.get(lv))
            text += "；按媒体：" + "、".join(f"{name}{n}篇" for name, n, _ in core.by_outlet)
        text += f"。共开展活动{core.activities}次，参与{core.participants}人次。"
    if f.zone is not None:
        z = f.zone
        text += (
            f"据{z.zone}融媒体中心统计，{word}{core.parent}上稿{z.articles}篇，"
            f"在{z.zone}{z.of}家单位中排名第{an2cn(z.place)}。"
        )
    return text + f"本通报数据截至{core.now.year}年{core.now.month}月{core.now.day}日{core.now.hour}时。"


def leading_text(f: DocumentFacts) -> list[str]:
    """（一） the leading units, （二） the fastest risers: level-2 headings, each with its paragraph."""
    word, before = _period_word(f.core.period), _before_word(f.core.period)
    leading = f.leading()
    if not leading:
        return [f"{word}各单位均未上稿。"]
    lines = [
        "（一）上稿量位居前列的单位",
        "、".join(f"{u.name}（{u.articles}篇）" for u in leading) + f"，{word}上稿量位居前三。",
    ]
    if f.previous is not None:
        risers = f.risers()
        lines.append("（二）进步较快的单位")
        lines.append(
            f"与{before}相比，"
            + "、".join(f"{u.name}增加{gain}篇（{before}{u.articles - gain}篇）" for u, gain in risers)
            + "。"
            if risers
            else f"与{before}相比，没有单位上稿量增加。"
        )
    return lines


def silent_text(f: DocumentFacts) -> list[str]:
    """（一） the units with no article, （二） those below quota, （三） the exempt ones."""
    word = _period_word(f.core.period)
    silent = f.silent()
    lines = [
        "（一）未上稿的单位",
        "、".join(u.name for u in silent) + f"（共{len(silent)}个）{word}未上稿，请引起重视。"
        if silent
        else f"{word}各单位均有上稿。",
    ]
    if f.core.period.is_month:
        behind = [u for u in f.core.units if u.behind]
        lines.append("（二）未完成任务的单位")
        lines.append(
            "；".join(f"{u.name}{u.shortfall()}" for u in behind) + "。"
            if behind
            else "各单位均已完成本月任务。"
        )
    exempt = [u for u in f.core.units if u.exemption]
    if exempt:
        lines.append(f"（{CN_NUMBERS[len(lines) // 2]}）免报单位")
        lines.append("；".join(u.exemption_text() for u in exempt) + "，不列入考核。")
    return lines


def typical_text(f: DocumentFacts) -> list[str]:
    if not f.typical:
        return [f"{_period_word(f.core.period)}无刊发稿件。"]
    return [
        f"{i}.《{a.title}》，{a.unit}，{a.outlet}（{a.level}），{a.published_on.month}月{a.published_on.day}日刊发"
        + (f"，{a.placement}" if a.placement else "")
        + "。"
        for i, a in enumerate(f.typical, 1)
    ]


def activities_text(f: DocumentFacts) -> str:
    core, word = f.core, _period_word(f.core.period)
    if not core.by_type:
        return f"{word}未登记活动。"
    kinds = "；".join(f"{kind}{n}次、参与{p}人次" for kind, n, p in core.by_type)
    return f"{word}共开展活动{core.activities}次，参与{core.participants}人次。其中{kinds}。"


def late_text(f: DocumentFacts) -> list[str]:
    late = f.core.late
    if not late:
        return [f"{_period_word(f.core.period)}无补报稿件。"]
    lines = [f"以下{len(late)}篇稿件在所属月份通报发出后补报，计入刊发当月，已发通报不再改动："]
    lines += [
        f"{i}.第{a.no}号 {a.unit}《{a.title}》（{a.published_on.year}年{a.published_on.month}月{a.published_on.day}日，{a.outlet}）。"
        for i, a in enumerate(late, 1)
    ]
    return lines


def ranking_rows(f: DocumentFacts) -> tuple[list[str], list[list[str]]]:
    headers = ["名次", "单位", "上稿量", "积分", *f.columns, "活动", "参与人次", "任务完成"]
    rows = []
    for u in f.core.units:
        levels = f.levels.get(u.unit_id, {})
        state = "免报" if u.exemption else "未完成" if u.behind else "完成"
        rows.append(
            [str(u.place), u.name, str(u.articles), f"{u.score:g}"]
            + [str(levels.get(lv, 0)) for lv in f.columns]
            + [str(u.activities), str(u.participants), state if f.core.period.is_month else "—"]
        )
    total_levels = [
        str(sum(f.levels.get(u.unit_id, {}).get(lv, 0) for u in f.core.units)) for lv in f.columns
    ]
    core = f.core
    rows.append(
        [
            "",
            "合计",
            str(core.articles),
            f"{core.score:g}",
            *total_levels,
            str(core.activities),
            str(core.participants),
            "",
        ]
    )
    return headers, rows


def _summary(doc, f: DocumentFacts, chart: bytes) -> None:
    fmt.paragraph(doc, summary_text(f))


def _ranking(doc, f: DocumentFacts, chart: bytes) -> None:
    fmt.paragraph(doc, "按上稿量排名，并列的单位名次相同；积分为媒体分值乘版面系数加批示加分。")
    headers, rows = ranking_rows(f)
    level_width = (156 - 10 - 30 - 12 - 11 - 11 - 14 - 15) / len(f.columns)
    fmt.table(doc, headers, rows, [10, 30, 12, 11, *[level_width] * len(f.columns), 11, 14, 15])
    picture = fmt.paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    picture.paragraph_format.line_spacing = 1.0  # an exact line height would clip the picture in Word
    picture.add_run().add_picture(_png(chart), width=Mm(130))


def _leading(doc, f: DocumentFacts, chart: bytes) -> None:
    _with_subheadings(doc, leading_text(f))


def _silent(doc, f: DocumentFacts, chart: bytes) -> None:
    _with_subheadings(doc, silent_text(f))


def _with_subheadings(doc, lines: list[str]) -> None:
    """Lines that begin （一）, （二） … are level-2 headings (楷体), the others paragraphs."""
    for line in lines:
        if line.startswith("（") and line[1:2] in CN_NUMBERS and line[2:3] == "）":
            fmt.heading(doc, line, 2)
        else:
            fmt.paragraph(doc, line)


def _typical(doc, f: DocumentFacts, chart: bytes) -> None:
    for line in typical_text(f):
        fmt.paragraph(doc, line)


def _activities(doc, f: DocumentFacts, chart: bytes) -> None:
    fmt.paragraph(doc, activities_text(f))


def _late(doc, f: DocumentFacts, chart: bytes) -> None:
    for line in late_text(f):
        fmt.paragraph(doc, line)


def _requirements(doc, f: DocumentFacts, chart: bytes) -> None:
    for line in f.settings.requirements:
        fmt.paragraph(doc, line)


def _signature(doc, issuer: str, now: datetime) -> None:
    """GB/T 9704 7.3.5.2 (no seal): the issuer two characters in from the right, the date on the next
    line starting two characters further right; a date longer than that moves both left."""
    date = chinese_date(now.date())
    if len(issuer) - len(date) >= 2:
        issuer_right, date_right = 2, len(issuer) - len(date)
    else:
        date_right, issuer_right = 2, 4 + len(date) - len(issuer)
    fmt.paragraph(doc)
    for text, right in ((issuer, issuer_right), (date, date_right)):
        p = fmt.paragraph(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = right * fmt.PITCH


def _period_word(period: Period) -> str:
    return "本月" if period.is_month else "本期"


def _before_word(period: Period) -> str:
    return "上月" if period.is_month else "上期"


def _png(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
