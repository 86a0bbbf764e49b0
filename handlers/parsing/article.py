"""The 上稿 grammar: one line, a multi-line form, or a shared link's title and URL."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from handlers.parsing import ParseError
from handlers.parsing.dates import looks_like_date
from handlers.parsing.forms import is_form, read_form
from handlers.parsing.urls import URL_RE, find_url

ARTICLE_EXAMPLE = (
    "上稿 辽河社区开展学雷锋志愿服务 https://www.xuexi.cn/lgpage/detail/index.html?id=123 学习强国 3月5日"
)
FORM_EXAMPLE = (
    "上稿\n标题：辽河社区开展学雷锋志愿服务\n链接：https://www.xuexi.cn/...\n媒体：学习强国\n日期：3月5日"
)

FORM_KEYS = {
    "title": ("标题", "题目", "稿件标题", "名称"),
    "url": ("链接", "网址", "地址", "url", "link"),
    "outlet": ("媒体", "平台", "刊发媒体", "发布平台", "来源", "刊物"),
    "date": ("日期", "时间", "刊发日期", "发布日期", "刊发时间"),
    "placement": ("版面", "位置", "版位"),
}
PLACEMENT_WORDS = ("头版头条", "头版", "头条")


@dataclass(frozen=True)
class ArticleDraft:
    """What the user said about an article, before the outlet and date are resolved."""

    title: str
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    placement: str = ""  # 头版 / 头条 / 头版头条 when the report says so


def parse_article(body: str, outlet_names: Collection[str]) -> ArticleDraft:
    """Parse the text after the 上稿 keyword (already normalised), as a form or as one line."""
    if not body.strip():
        raise ParseError("上稿需要标题和链接", ARTICLE_EXAMPLE)
    if is_form(body, FORM_KEYS):
        return parse_form(body)
    return parse_line(body.replace("\n", " "), outlet_names)


def parse_line(body: str, outlet_names: Collection[str]) -> ArticleDraft:
    """`标题 链接 [媒体] [日期]` in any order: the link, a known outlet and a date are picked out,
    the rest is the title."""
    url = find_url(body)
    rest = URL_RE.sub(" ", body) if url else body
    outlet = date = None
    placement = ""
    title_words = []
    names = {n.lower() for n in outlet_names}
    for word in rest.split():
        if outlet is None and word.lower() in names:
            outlet = word
        elif date is None and looks_like_date(word):
            date = word
        elif not placement and word in PLACEMENT_WORDS:
            placement = word
        else:
            title_words.append(word)
    title = " ".join(title_words).strip()
    if not title:
        raise ParseError("没找到稿件标题", ARTICLE_EXAMPLE)
    if not url and not outlet:
        raise ParseError("没找到链接；没有链接的稿件请写明媒体", ARTICLE_EXAMPLE)
    return ArticleDraft(title=title, url=url, outlet=outlet, date=date, placement=placement)


def parse_form(body: str) -> ArticleDraft:
    """Lines of `键：值`; a line without a key continues the title."""
    values = read_form(body, FORM_KEYS, continues="title")
    title = values.get("title", "").strip()
    url = find_url(values.get("url", "")) if values.get("url") else None
    if values.get("url") and not url:
        raise ParseError(f"链接「{values['url']}」不是网址（应以 http:// 或 https:// 开头）", FORM_EXAMPLE)
    if not title:
        raise ParseError("表单里缺少「标题：」", FORM_EXAMPLE)
    outlet = values.get("outlet") or None
    if not url and not outlet:
        raise ParseError("表单里缺少「链接：」；没有链接的稿件请写「媒体：」", FORM_EXAMPLE)
    placement = values.get("placement", "")
    placement = next((w for w in PLACEMENT_WORDS if w in placement), "")
    return ArticleDraft(
        title=title, url=url, outlet=outlet, date=values.get("date") or None, placement=placement
    )
