"""One reported article, read from however it was written: `上稿 标题 链接 媒体 日期`, a news-style sentence
(`通辽日报11月24日第2版刊发《…》`), a share text (`【学习强国】…`), a pipe-separated line, a form of `键：值`.

The result is an `ArticleDraft`: what the text says, with nothing filled in by guessing. Resolving the outlet
from a link and asking for what is missing happen in the handler.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from handlers.parsing.dates import DateMention, find_dates
from handlers.parsing.draft import Draft
from handlers.parsing.forms import comma_form, is_form, read_form
from handlers.parsing.numbers import to_int
from handlers.parsing.outlets import OutletNames, find_outlets, match_outlet, unknown_outlet
from handlers.parsing.text import blank
from handlers.parsing.titles import INTRO, QUOTED, book_title, clean_title, programme_spans, residual_title
from handlers.parsing.urls import URL_RE, find_url

ARTICLE_EXAMPLE = "上稿 《辽河社区开展学雷锋志愿服务》 https://www.xuexi.cn/… 学习强国 11月25日"
FORM_KEYS = {
    "title": (
        "标题",
        "题目",
        "稿件标题",
        "文章标题",
        "稿件名称",
        "新闻标题",
        "名称",
        "稿件",
        "稿件题目",
        "文章题目",
    ),
    "url": ("链接", "网址", "地址", "url", "link", "原文链接", "稿件链接", "文章链接"),
    "outlet": (
        "媒体",
        "平台",
        "刊发媒体",
        "发布平台",
        "刊发平台",
        "来源",
        "刊物",
        "媒体名称",
        "采用媒体",
        "发表媒体",
        "发表平台",
        "发布媒体",
        "刊登媒体",
        "刊登平台",
        "上稿媒体",
        "上稿平台",
        "播出平台",
    ),
    "date": (
        "日期",
        "时间",
        "刊发日期",
        "发布日期",
        "刊发时间",
        "发布时间",
        "发表时间",
        "播出时间",
        "刊登时间",
    ),
    "placement": ("版面", "位置", "版位", "刊发版面", "版次"),
    "ignored": ("序号", "报送单位", "单位", "作者", "字数", "备注", "投稿人", "报送人", "类别", "级别"),
}
PLACEMENT = re.compile(
    r"头版头条|头版|(?<!今日)头条(?!号)|第\s*[\d一二三四五六七八九十]{1,3}\s*版|[A-Za-z]\s*\d{1,2}\s*版|(?<![\d.])\d{1,2}\s*版(?!本|权|面)"
)
_BODY = re.compile(r"^(?=.{30,}).*[,，].*。")
_VOICE = re.compile(r"(?<![\u4e00-\u9fff])(?:嗯+|呃+|啊+|那个|这个|就是|然后)|(?:嗯+|呃+)")
_HEADER = re.compile(r"^【([^【】]{1,20})】")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BEFORE_TITLE = re.compile(
    r"(?:发|布|登|载|播|了|题|为|章|件|子|的|是|叫|和|及|与|用|导|送|表|稿|篇|条|号|日|天|报|版|台|网|中心|强国|客户端|公众号|"
    r"社区|街道|办|所|站|队|科|室|局|委|村)$"
)
_AFTER_TITLE = re.compile(
    r"第|在|于|被|上|由|中|栏目|节目|和|及|与|发|刊|登|播|已|一文|这篇|那篇|的稿|文章|稿件|报道|"
    r"今|昨|前天|本周|上周|周[一二三四五六日天]|星期|融媒|学习强国|强国|日报|电视台|公众号|客户端|人民网|新华网"
)
# 我今天看到…, 今天整理了一下: the day of the report, not of the publication
_REPORTING_DAY = re.compile(
    r"\s*(?:才|又|再|刚|才来|来)?(?:看到|整理|报|补|登记|发现|翻到|想起|统计|汇总|上报|报送|录)"
)
_TODAY = ("今天", "今日", "今儿")
_DATE_LEAD = "于在是为了和及至到从自们"
_DATE_TAIL = re.compile(r"发|刊|登|播|在|于|上|见|推|的|被|由|第|版|头|已|那|这|又|也|还|晚|早|上|下|中")
_LATE = re.compile(r"补报|补登|补录|漏报")
_KEYWORDS = re.compile(r"^(?:登记上稿|上稿登记|上稿|投稿|报稿)(?:\s*\d+\s*篇)?\s*[:：,，]?\s*")


@dataclass(frozen=True)
class ArticleDraft(Draft):
    """What a message says about one article (see Draft)."""

    url: str = ""
    outlet: str = ""  # the outlet's full name, when a configured one was named
    outlet_named: str = ""  # a name that looks like an outlet but is not configured (ask which)
    placement: str = ""  # 版面: 头版, 头条, 第2版, A3版


def parse_article(text: str, outlets: OutletNames, today: date, units: Collection[str] = ()) -> ArticleDraft:
    """One article from a text (its 上稿 keyword may still be there); `units` are unit names and aliases, which
    on a line of their own say who reports, not the title."""
    text = comma_form(_KEYWORDS.sub("", text.strip()), FORM_KEYS)
    if is_form(text, FORM_KEYS):
        return parse_form(text, outlets, today)
    return parse_line("  ".join(_without_body(text.split("\n"))), outlets, today, units)


def _without_body(lines: list[str]) -> list[str]:
    """A headline pasted with its first paragraph: the paragraph (a long sentence ending in 。) is the story,
    not the report — its dates and places are the event's, not the publication's."""
    kept = [line for line in lines if not _BODY.search(line)]
    return kept if kept else lines


def parse_line(text: str, outlets: OutletNames, today: date, units: Collection[str] = ()) -> ArticleDraft:
    """A sentence or a line of fields: the link, the 《title》, an outlet, a date and a 版面 are picked out;
    without a quoted title, what is left is the title."""
    late = bool(_LATE.search(text))
    text = _LATE.sub(" ", text)
    url = find_url(text) or ""
    rest = URL_RE.sub(" ", text) if url else text
    header_outlet, rest = _header(rest, outlets)
    if "《" not in rest:
        rest = _VOICE.sub(" ", rest)
    book = book_title(rest)
    quoted = [m.span() for m in QUOTED.finditer(rest)]
    if book and _embedded(rest, book, quoted):
        quoted, book = [*quoted, book], None  # 学习《民法典》守护美好生活: the 《》 is inside the title
    intro = None if book else INTRO.search(rest)
    protected = [book] if book else quoted
    outside = blank(rest, protected)
    mentions = [m for m in find_outlets(outside, outlets)]
    fields = blank(outside, [(m.start, m.end) for m in mentions])
    dates = find_dates(fields, today)
    dates = [d for d in dates if not _REPORTING_DAY.match(outside, d.end) or d.token not in _TODAY]
    dates = [d for d in dates if not _inside_words(fields, d)]
    placement = PLACEMENT.search(blank(outside, [(d.start, d.end) for d in dates]))
    draft = ArticleDraft(url=url, late=late, placement=placement_text(placement))
    draft = _with_outlet(draft, header_outlet, mentions, outside)
    draft = _with_date(draft, dates, near=[m.start for m in mentions])
    if book:
        title = rest[book[0] + 1 : book[1] - 1]
    else:
        used = [d for d in dates if d.day] or dates  # with an exact date, a vague word stays in the title
        cut = [(m.start, m.end) for m in mentions] + [(d.start, d.end) for d in used]
        if placement:
            cut.append(placement.span())
        if intro:
            cut.append((0, intro.end()))
        cut += programme_spans(rest)
        title = residual_title(blank(rest, cut), units)
    return replace(draft, title=clean_title(title))


def _embedded(text: str, book: tuple[int, int], quoted: list[tuple[int, int]]) -> bool:
    """Is the 《…》 part of a longer title: inside “quotes”, or run into Chinese on both sides where nothing
    introduces a title before it (发了, 题为 …) and no field follows it (第2版, 在…发)?"""
    start, end = book
    if any(a < start and end <= b for a, b in quoted):
        return True
    before, after = text[:start].rstrip(), text[end:]
    return (
        bool(before)
        and _CJK.match(before[-1]) is not None
        and _CJK.match(after[:1] or " ") is not None
        and not _BEFORE_TITLE.search(before)
        and not _AFTER_TITLE.match(after)
    )  # (a date or an outlet right after it is a field: see _AFTER_TITLE)


def _inside_words(text: str, d: DateMention) -> bool:
    """新城街道开展11月25日消防日活动: a date run into the words of a title on both sides is the title's."""
    before = text[d.start - 1] if d.start else " "
    after = text[d.end : d.end + 1] or " "
    return bool(
        _CJK.match(before) and before not in _DATE_LEAD and _CJK.match(after) and not _DATE_TAIL.match(after)
    )


def parse_form(text: str, outlets: OutletNames, today: date) -> ArticleDraft:
    """Lines of `键：值`; a line without a key continues the title (a title broken over lines). What the form
    leaves out (a 《title》 on a line of its own, `内蒙古日报数字报 第5版 https://…` before `标题：`) is read from
    the lines without a key."""
    values = read_form(text, FORM_KEYS, continues="title")
    loose = parse_line(values.pop("_loose", ""), outlets, today)
    title = values.get("title", "")
    if title and not values.get("date"):
        trailing = [d for d in find_dates(title, today) if d.day and d.end >= len(title.rstrip())]
        if trailing:  # 标题：…时光 11.24 (a date typed after the title on the same line)
            values["date"], title = trailing[-1].token, title[: trailing[-1].start]
    draft = ArticleDraft(
        title=clean_title(title) or loose.title,
        url=find_url(values.get("url", "")) or loose.url,
        late=bool(_LATE.search(text)),
    )
    named = values.get("outlet", "").strip()
    if named:
        outlet = match_outlet(named, outlets)
        draft = replace(draft, outlet=outlet or "", outlet_named="" if outlet else named)
    else:
        draft = replace(draft, outlet=loose.outlet, outlet_named=loose.outlet_named)
    if values.get("date"):
        draft = _with_date(draft, find_dates(values["date"], today), strict=values["date"])
    elif loose.day or loose.day_vague or loose.day_unclear:
        fields = ("day", "day_token", "day_has_year", "day_vague", "day_unclear")
        draft = replace(draft, **{f: getattr(loose, f) for f in fields})
    placement = PLACEMENT.search(values.get("placement", "") or named)  # 刊发媒体：…中心（头条）
    placement_value = placement_text(placement) or values.get("placement", "")[:20]
    return replace(draft, placement=placement_value or loose.placement)


def _header(text: str, outlets: OutletNames) -> tuple[str, str]:
    """`【学习强国】标题 …` names the outlet; `【上稿】` or `【和平社区】` is only a label."""
    m = _HEADER.match(text.strip())
    if not m:
        return "", text
    return match_outlet(m[1], outlets) or "", text.strip()[m.end() :]


def _with_outlet(draft: ArticleDraft, header: str, mentions: list, outside: str) -> ArticleDraft:
    names = {m.name for m in mentions} | ({header} if header else set())
    if len(names) == 1:
        return replace(draft, outlet=names.pop())
    if len(names) > 1:
        return replace(draft, outlet_named="、".join(m.name for m in _unique(mentions)))
    unknown = unknown_outlet(outside)
    return replace(draft, outlet_named=unknown or "")


def _unique(mentions: list) -> list:
    seen, out = set(), []
    for m in mentions:
        if m.name not in seen:
            seen.add(m.name)
            out.append(m)
    return out


def _with_date(
    draft: ArticleDraft, dates: list[DateMention], strict: str = "", near: list[int] = ()
) -> ArticleDraft:
    exact = [d for d in dates if d.day]
    if strict and not exact:
        return replace(draft, day_vague=strict.strip())
    if len({d.day for d in exact}) > 1:
        beside = _beside_outlet(exact, near)
        if beside is None:
            return replace(draft, day_unclear=True, day_token="、".join(d.token for d in exact))
        exact = [beside]
    if exact:
        d = exact[0]
        return replace(draft, day=d.day.isoformat(), day_token=d.token.strip(), day_has_year=d.has_year)
    vague = [d for d in dates if d.vague]
    return replace(draft, day_vague=vague[0].token) if vague else draft


def _beside_outlet(dates: list[DateMention], outlets: list[int]) -> DateMention | None:
    """Of two dates (the event's and the publication's: `11月20日的活动，11月24日通辽日报见报了`), the one
    written right beside the outlet; None when that is not clear."""
    if not outlets:
        return None
    gaps = sorted((min(abs(d.end - o), abs(d.start - o)), i) for i, d in enumerate(dates) for o in outlets)
    best, runner_up = gaps[0], next((g for g in gaps[1:] if g[1] != gaps[0][1]), None)
    if best[0] <= 3 and (runner_up is None or runner_up[0] > best[0] + 3):
        return dates[best[1]]
    return None


def placement_text(m: re.Match | None) -> str:
    """第 2 版 → 第2版, a5版 → A5版, 第二版 → 第2版 (the way the paper's own index writes it)."""
    if not m:
        return ""
    text = re.sub(r"\s+", "", m.group(0)).upper()
    return re.sub(r"(?<=第)[一二三四五六七八九十]+(?=版)", lambda n: str(to_int(n.group(0))), text)
