"""One reported article, read from however it was written: `上稿 标题 链接 媒体 日期`, a news-style sentence
(`通辽日报11月24日第2版刊发《…》`), a share text (`【学习强国】…`), a pipe-separated line, a form of `键：值`.

The result is an `ArticleDraft`: what the text says, with nothing filled in by guessing. Resolving the outlet
from a link and asking for what is missing happen in the handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from handlers.parsing.dates import DateMention, find_dates
from handlers.parsing.forms import is_form, read_form
from handlers.parsing.outlets import OutletNames, find_outlets, match_outlet, unknown_outlet
from handlers.parsing.urls import URL_RE, find_url

ARTICLE_EXAMPLE = "上稿 《辽河社区开展学雷锋志愿服务》 https://www.xuexi.cn/… 学习强国 11月25日"
FORM_KEYS = {
    "title": ("标题", "题目", "稿件标题", "文章标题", "稿件名称", "新闻标题", "名称", "稿件"),
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
_QUOTED = re.compile(
    r"“[^“”]{2,}”|\"[^\"]{2,}\"|「[^「」]{2,}」"
)  # kept whole; the title may be more than them
_PROGRAMME = re.compile(
    r"^\s*(?:栏目|节目|专栏|频道|版块|专题)"
)  # 《通辽新闻》栏目 names a programme, not the article
# 题目叫…, 标题是…: what follows is the title (voice input says it so).
_INTRO = re.compile(r"(?:题目|标题|名字|题)(?:叫做|叫|是|为)|叫做|[(（]?(?:题目|标题)\s*[:：]")
_VOICE = re.compile(r"(?<![\u4e00-\u9fff])(?:嗯+|呃+|啊+|那个|这个|就是|然后)|(?:嗯+|呃+)")
_HEADER = re.compile(r"^【([^【】]{1,20})】")
_LATE = re.compile(r"补报|补登|补录|漏报")
_KEYWORDS = re.compile(r"^(?:登记上稿|上稿登记|上稿|投稿|报稿)(?:\s*\d+\s*篇)?\s*[:：,，]?\s*")
# What surrounds a title in a sentence and is never part of it. A piece of filler must end at a separator
# (or the end), so a title that merely begins with 在 or 信息 keeps it.
_SAYING = (
    r"(?:今天|昨天|前天|刚|刚刚)?(?:有)?"
    r"(?:发了|发布了?|刊发了?|刊登了?|发表了?|播发了?|播出了?|播了|采用了?|录用了?|转载了?|推送了?|报道了?|登了|上了|"
    r"发的|登的|上的|播的|发在|被|在|于|由|经)?"
    r"(?:我们|我|本|咱们|咱)?(?:社区|单位|街道|科室)?的?(?:一篇|1篇|两篇|三篇)?"
    r"(?:稿子|稿件|文章|新闻稿|信息稿|新闻|报道)?"
    r"(?:题为|标题为|标题是|题目是|标题|题目|原文链接|链接如下|链接|网址|地址)?"
)
_SEP = r"[\s,，。.:：;；|｜/、()（）~·]"
_LEAD = re.compile(rf"^(?=\S){_SAYING}(?<=\S)(?:{_SEP}+|$)")
_FILLER_PART = re.compile(rf"{_SAYING}")
_TAIL = re.compile(
    rf"(?:{_SEP}+(?:{_SAYING})|的(?:稿子|稿件|文章|新闻|报道)(?:已?被)?|已(?:刊发|发布|刊登|播出|被采用))$"
    rf"|{_SEP}+$|\s+[-—]+$"
)


@dataclass(frozen=True)
class ArticleDraft:
    """What a message says about one article. Empty strings mean "not said"; nothing is filled in by guessing."""

    title: str = ""
    url: str = ""
    outlet: str = ""  # the outlet's full name, when a configured one was named
    outlet_named: str = ""  # a name that looks like an outlet but is not configured (ask which)
    day: str = ""  # ISO date, when one was read
    day_token: str = ""  # the date as written
    day_has_year: bool = False
    day_vague: str = ""  # 月初, 前几天 … (ask)
    day_unclear: bool = False  # two different dates (ask)
    placement: str = ""  # 版面: 头版, 头条, 第2版, A3版
    late: bool = False  # the message says 补报: an old date is meant
    confirmed: tuple[str, ...] = field(default=())  # questions already answered

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict) -> ArticleDraft:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "confirmed": tuple(known.get("confirmed", ()))})


def parse_article(text: str, outlets: OutletNames, today: date) -> ArticleDraft:
    """One article from a text (its 上稿 keyword may still be there)."""
    text = _KEYWORDS.sub("", text.strip())
    if is_form(text, FORM_KEYS):
        return parse_form(text, outlets, today)
    return parse_line(text.replace("\n", " "), outlets, today)


def parse_line(text: str, outlets: OutletNames, today: date) -> ArticleDraft:
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
    intro = None if book else _INTRO.search(rest)
    protected = [book] if book else [m.span() for m in _QUOTED.finditer(rest)]
    outside = _blank(rest, protected)
    mentions = [m for m in find_outlets(outside, outlets)]
    dates = find_dates(_blank(outside, [(m.start, m.end) for m in mentions]), today)
    placement = PLACEMENT.search(_blank(outside, [(d.start, d.end) for d in dates]))
    draft = ArticleDraft(url=url, late=late, placement=_placement_text(placement))
    draft = _with_outlet(draft, header_outlet, mentions, outside)
    draft = _with_date(draft, dates)
    if book:
        title = rest[book[0] + 1 : book[1] - 1]
    else:
        used = [d for d in dates if d.day] or dates  # with an exact date, a vague word stays in the title
        cut = [(m.start, m.end) for m in mentions] + [(d.start, d.end) for d in used]
        if placement:
            cut.append(placement.span())
        if intro:
            cut.append((0, intro.end()))
        title = _residual_title(_blank(rest, cut))
    return replace(draft, title=clean_title(title))


def book_title(text: str) -> tuple[int, int] | None:
    """The span of the first 《title》 (see book_titles)."""
    found = book_titles(text)
    return found[0] if found else None


def book_titles(text: str) -> list[tuple[int, int]]:
    """Spans of the top-level 《…》 (a title may hold another: 《开展《民法典》宣传》), leaving out a programme's
    name (《通辽新闻》栏目)."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and i - start > 2 and not _PROGRAMME.match(text[i + 1 :]):
                spans.append((start, i + 1))
    return spans


def parse_form(text: str, outlets: OutletNames, today: date) -> ArticleDraft:
    """Lines of `键：值`; a line without a key continues the title (a title broken over lines)."""
    values = read_form(text, FORM_KEYS, continues="title")
    loose = values.pop("_loose", "")
    url = find_url(values.get("url", "") or loose) or ""
    draft = ArticleDraft(title=clean_title(values.get("title", "")), url=url, late=bool(_LATE.search(text)))
    named = values.get("outlet", "").strip()
    if named:
        outlet = match_outlet(named, outlets)
        draft = replace(draft, outlet=outlet or "", outlet_named="" if outlet else named)
    if values.get("date"):
        draft = _with_date(draft, find_dates(values["date"], today), strict=values["date"])
    placement = PLACEMENT.search(values.get("placement", ""))
    return replace(draft, placement=_placement_text(placement) or values.get("placement", "")[:20])


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


def _with_date(draft: ArticleDraft, dates: list[DateMention], strict: str = "") -> ArticleDraft:
    exact = [d for d in dates if d.day]
    if strict and not exact:
        return replace(draft, day_vague=strict.strip())
    if len({d.day for d in exact}) > 1:
        return replace(draft, day_unclear=True, day_token="、".join(d.token for d in exact))
    if exact:
        d = exact[0]
        return replace(draft, day=d.day.isoformat(), day_token=d.token.strip(), day_has_year=d.has_year)
    vague = [d for d in dates if d.vague]
    return replace(draft, day_vague=vague[0].token) if vague else draft


def _placement_text(m: re.Match | None) -> str:
    return re.sub(r"\s+", "", m.group(0)).upper() if m else ""


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans replaced by spaces (positions stay valid)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _residual_title(text: str) -> str:
    """What is left once link, outlet, date and 版面 are cut out: drop the pieces that are only filler
    (发了我们社区的稿子, 链接) and trim filler at the edges."""
    parts = [_trim(p) for p in re.split(r"\s{2,}|[|｜]", text)]
    parts = [p for p in parts if p and not _FILLER_PART.fullmatch(p)]
    if not parts:
        return ""
    return max(parts, key=len) if len(parts) > 1 and _one_long(parts) else " ".join(parts)


def _trim(part: str) -> str:
    previous = None
    part = part.strip()
    while previous != part:
        previous = part
        part = _TAIL.sub("", _LEAD.sub("", part)).strip()
    return part


def _one_long(parts: list[str]) -> bool:
    """Fields separated by | or wide gaps: the title is the one long part when the others are short."""
    longest = max(len(p) for p in parts)
    return sum(1 for p in parts if len(p) >= 6) == 1 and longest >= 6


def clean_title(title: str) -> str:
    """A title as it should be stored: no surrounding quotes or book marks, no trailing punctuation."""
    title = title.strip()
    for pair in ("《》", "“”", '""', "「」", "‘’"):
        if title.startswith(pair[0]) and title.endswith(pair[1]) and title.count(pair[0]) == 1:
            title = title[1:-1].strip()  # only a pair that wraps the whole title
    title = re.sub(r"^(?:标题|题目)\s*[:：]\s*", "", title)
    return re.sub(r"[\s,，。:：|｜、]+$", "", title).strip()
