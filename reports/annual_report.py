"""The year-end figures in the work report's own words (shared/context: "刊发学习强国文章4篇，开发区融媒体上稿
140余篇，在开发区35家单位中上稿量排名第一"), as text and as a Word document in the 公文 layout. Exact by
default; `approx` writes counts as such reports do (reports/approx.py)."""

from __future__ import annotations

from datetime import date

from cn2an import an2cn

from reports import docformat as fmt
from reports.annual import AnnualFigures
from reports.approx import about
from storage.orgspec_settings import LEVELS

XUEXI = "学习强国"
# how a report names an activity type, and whether its people are an audience (覆盖) or took part (参与)
TYPE_WORDS = {
    "理论宣讲": ("理论宣讲", "场次", "覆盖"),
    "中心组学习": ("中心组学习", "次", "参加"),
    "志愿服务": ("志愿服务活动", "次", "参与人数"),
    "文明实践": ("文明实践活动", "次", "参与"),
    "我们的节日": ("“我们的节日”主题活动", "次", "参与"),
    "其他": ("其他活动", "次", "参与"),
}


def annual_paragraphs(
    f: AnnualFigures, approx: bool = False, today: date | None = None
) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) for 新闻宣传, 宣讲和活动, 分月情况."""
    n = about if approx else str
    return [
        ("新闻宣传", [_articles(f, n)]),
        ("理论宣讲和活动", [_activities(f, n)]),
        ("分月情况", [_months(f, today)]),
    ]


def annual_title(f: AnnualFigures) -> list[str]:
    return [f"{f.unit}{f.year}年", "新闻宣传工作情况"]


def annual_text(f: AnnualFigures, approx: bool = False, today: date | None = None) -> str:
    lines = ["".join(annual_title(f))]
    for number, (heading, paragraphs) in enumerate(annual_paragraphs(f, approx, today)):
        lines.append(f"{'一二三四五'[number]}、{heading}")
        lines += paragraphs
    return "\n".join(lines)


def annual_document(f: AnnualFigures, approx: bool = False, today: date | None = None) -> bytes:
    """The same paragraphs in the 公文 layout, with the month-by-month figures as a table."""
    doc = fmt.new_document("".join(annual_title(f)))
    fmt.title(doc, annual_title(f))
    fmt.paragraph(doc)
    for number, (heading, paragraphs) in enumerate(annual_paragraphs(f, approx, today)):
        fmt.heading(doc, f"{'一二三四五'[number]}、{heading}", 1)
        for text in paragraphs:
            fmt.paragraph(doc, text)
    rows = [[f"{m}月", str(f.monthly[m][0]), str(f.monthly[m][1])] for m in range(1, 13)]
    rows.append(
        ["全年", str(sum(a for a, _ in f.monthly.values())), str(sum(b for _, b in f.monthly.values()))]
    )
    fmt.table(doc, ["月份", "上稿量（篇）", "活动（次）"], rows, [30, 40, 40])
    return fmt.save(doc)


def _articles(f: AnnualFigures, n) -> str:
    if not f.articles:
        text = "全年未登记上稿。"
    else:
        levels = {lv: count for lv, count, _ in f.by_level}
        text = f"全年在各级媒体上稿{n(f.articles)}篇，其中" + "、".join(
            f"{lv}{n(levels[lv])}篇" for lv in (*LEVELS, *sorted(set(levels) - set(LEVELS))) if levels.get(lv)
        )
        outlets = [
            f"刊发{name}文章{n(count)}篇" if name == XUEXI else f"{name}上稿{n(count)}篇"
            for name, count, _ in sorted(f.by_outlet, key=lambda o: (o[0] != XUEXI, -o[1], o[0]))
        ]
        text += "。" + "，".join(outlets) + "。"
    z = f.zone_place
    if z is not None and z.official:
        text += (
            f"据{z.zone}融媒体中心统计（已录入{z.months}个月），全年上稿{n(z.articles)}篇，"
            f"在{z.zone}{z.of}家单位中上稿量排名第{an2cn(z.place)}。"
        )
    elif z is not None:
        text += f"按投稿通统计，在{z.zone}{z.of}家单位中上稿量排名第{an2cn(z.place)}（尚未录入{z.zone}官方数据）。"
    return text


def _activities(f: AnnualFigures, n) -> str:
    if not f.activities:
        return "全年未登记活动。"
    parts = []
    for kind, count, people in f.by_type:
        name, measure, verb = TYPE_WORDS.get(
            kind, (kind if kind.endswith("活动") else f"{kind}活动", "次", "参与")
        )
        parts.append(f"开展{name}{n(count)}{measure}" + (f"，{verb}{n(people)}人次" if people else ""))
    return f"全年开展各类活动{n(f.activities)}次，参与{n(f.participants)}人次。其中" + "；".join(parts) + "。"


def _months(f: AnnualFigures, today: date | None) -> str:
    months = range(1, 13)
    if today is not None and today.year == f.year:
        months = range(1, today.month + 1)
    text = "；".join(f"{m}月上稿{f.monthly[m][0]}篇、开展活动{f.monthly[m][1]}次" for m in months) + "。"
    if today is not None and today.year == f.year:
        text += f"（数据截至{today.year}年{today.month}月{today.day}日）"
    return text
