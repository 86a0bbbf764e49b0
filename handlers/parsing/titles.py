"""Titles: 《book titles》 (nested, not a programme's name), and the title left once the fields of a line are cut
out — without the words around it that are never part of a title (发了我们社区的稿子, 链接如下, 题目是)."""

from __future__ import annotations

import re
from collections.abc import Collection

QUOTED = re.compile(
    r"“[^“”]{2,}”|\"[^\"]{2,}\"|「[^「」]{2,}」"
)  # kept whole; the title may be more than them
# 《通辽新闻》栏目 / 《通辽新闻联播》播出 names a programme, not the article.
_PROGRAMME = re.compile(r"^\s*(?:栏目|节目|专栏|频道|版块|专题|播出|播发|中播|里播)")
_PROGRAMME_NAME = re.compile(r"(?:新闻|新闻联播|联播|直播间|访谈|时间|视点|焦点|关注|在线)$")
# 题目叫…, 标题是…: what follows is the title (voice input says it so).
INTRO = re.compile(
    r"(?:题目|标题|名字|(?<![主专课话议])题)(?:叫做|叫|是|为)|叫做|[(（]?(?:题目|标题)\s*[:：]"
)
# What surrounds a title in a sentence and is never part of it. A piece of filler must end at a separator
# (or the end), so a title that merely begins with 在 or 信息 keeps it.
_SAYING = (
    r"(?:今天|昨天|前天|刚|刚刚)?(?:有)?(?:也|又|还)?(?:上|里)?"
    r"(?:发了|发布了?|刊发了?|刊登了?|发表了?|播发了?|播出了?|播了|采用了?|用了|录用了?|转载了?|推送了?|报道了?|登了|上了|"
    r"发的|登的|上的|播的|发在|登在|发表于|刊发于|刊登于|发布于|刊于|载于|被|在|于|由|经)?"
    r"(?:我们|我|本|咱们|咱)?(?:社区|单位|街道|科室)?的?(?:报|上|发|登)?了?(?:一篇|1篇|两篇|三篇|那篇|这篇|那个|这个)?"
    r"(?:稿子|稿件|文章|新闻稿|信息稿|新闻|报道)?"
    r"(?:题为|标题为|标题是|题目是|标题|题目|原文链接|链接如下|链接|网址|地址)?"
)
# 今天融媒体发了我们社事办的稿子: a whole piece that only says an article came out.
_ONLY_SAYING = re.compile(
    r"^(?:今天|昨天|前天)?(?:发了|上了|登了|刊发了|发布了|用了|采用了)?(?:我们|我|咱们)[\u4e00-\u9fff]{0,8}?的?"
    r"(?:一篇|1篇|两篇)?(?:稿子|稿件|文章|一篇)$"
)
_SORRY = re.compile(
    r"^(?:[\s,，]|不好意思|抱歉|对不起|写错了|打错了|弄错了|不对|不是|应该是|应是|应为|是|"
    r"第[一二三四五六七八九十\d]{1,2}(?:篇|条|个)(?:是|的))+$"
)  # never a title (第二篇是 强国发的: an answer, not a report)
_LATER = re.compile(r"^(?:链接|原文)?(?:等会|稍后|随后|一会|晚点|后面)(?:儿)?(?:再)?(?:发|补)(?:链接)?$")
_SEP = r"[\s,，。.:：;；|｜/、()（）~·【】\[\]]"
_LEAD = re.compile(
    rf"^(?=\S){_SAYING}(?<=\S)(?:{_SEP}+|$|(?<=稿子|稿件|文章|报道|题为|题目|标题)(?=[“\"「]))|^[\u4e00-\u9fff]{{0,8}}?(?:报|上|发|登)了?[一二两三1-9]篇[:：]"
)
_FILLER_PART = re.compile(rf"{_SAYING}")
_TAIL = re.compile(
    rf"(?:{_SEP}+(?:{_SAYING})|的(?:稿子|稿件|文章|新闻|报道)(?:已?被)?|已(?:刊发|发布|刊登|播出|被采用))$"
    rf"|{_SEP}+$|\s*[-—]{{2,}}$|\s+[-—]+$|(?<=[\u4e00-\u9fff]{{4}})(?:在|于|被)$"
)


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
            if depth == 0 and i - start > 2 and not _programme(text, start, i):
                spans.append((start, i + 1))
    return spans


def residual_title(text: str, units: Collection[str] = ()) -> str:
    """What is left once link, outlet, date and 版面 are cut out: drop the pieces that are only filler
    (发了我们社区的稿子, 链接) and trim filler at the edges."""
    pieces = [p for p in re.split(r"\s{2,}|[|｜]", text) if not _ONLY_SAYING.match(p.strip())]
    parts = [_trim(p) for p in pieces]
    parts = [
        p
        for p in parts
        if p
        and not _FILLER_PART.fullmatch(p)
        and p not in units
        and not _LATER.match(p)
        and not _SORRY.match(p)
    ]
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


def _programme(text: str, start: int, end: int) -> bool:
    """Is 《…》 at start..end a programme's name (《通辽新闻》播出了…, 在《通辽新闻》栏目…)?"""
    if _PROGRAMME.match(text[end + 1 :]):
        return True
    return bool(_PROGRAMME_NAME.search(text[start + 1 : end])) and bool(
        re.search(r"(?:电视台|广播|台)\s*$", text[:start])
    )


def programme_spans(text: str) -> list[tuple[int, int]]:
    """The 《…》 that name a programme (see _programme): cut out of a title like the outlet itself."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            start = i if depth == 0 else start
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and _programme(text, start, i):
                end = (
                    i + 1 + len(_PROGRAMME.match(text[i + 1 :]).group(0))
                    if _PROGRAMME.match(text[i + 1 :])
                    else i + 1
                )
                spans.append((start, end))
    return spans


def clean_title(title: str) -> str:
    """A title as it should be stored: no surrounding quotes or book marks, no trailing punctuation."""
    title = title.strip()
    for pair in ("《》", "“”", '""', "「」", "‘’"):
        if title.startswith(pair[0]) and title.endswith(pair[1]) and title.count(pair[0]) == 1:
            title = title[1:-1].strip()  # only a pair that wraps the whole title
    title = re.sub(r"^(?:标题|题目)\s*[:：]\s*", "", title)
    title = re.sub(r"[\s,，。:：|｜、!！【\[]+$|^[\s】\]—-]+|[—-]{2,}$", "", title).strip()
    return title if re.search(r"[\u4e00-\u9fffA-Za-z0-9]", title) else ""
