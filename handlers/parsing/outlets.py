"""Outlet names in what people type: the configured names and aliases, short forms, and names we do not know.

An `OutletNames` table maps every lower-cased name and alias to the outlet's full name; storage builds it from
the active outlets, tests build it by hand.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

OutletNames = dict[str, str]

# What an outlet's name looks like, to notice one that is not configured (大连日报, 内蒙古新闻网, 央视新闻).
_OUTLET_SHAPE = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,10}?(?:日报社|日报|晚报|晨报|都市报|时报|新报|商报|周报|导报|法制报|报社|电讯|快报|"
    r"杂志|周刊|月刊|画报|卫视|之声|电视台|广播电台|广播电视台|"
    r"融媒体中心|融媒体|融媒|新闻网|客户端|公众号|视频号|头条号|(?:新闻|网)(?![\u4e00-\u9fff]))"
    r"(?:海外版|电子版|客户端|APP|app)?"
)
_NOT_OUTLETS = {"新闻", "网", "互联网", "电网", "网格", "上网", "联网", "网络", "公众号", "客户端"}
_APPS = re.compile(r"今日头条|抖音|快手|微博|视频号|头条号|小红书|哔哩哔哩|B站")
# Words that name a kind of outlet rather than one outlet: configured as someone's alias, they still must not
# swallow another place's outlet (科尔沁区融媒体中心) or trail a named one (通辽日报公众号 is 通辽日报's).
GENERIC = {
    "融媒体中心",
    "融媒体",
    "融媒",
    "公众号",
    "微信公众号",
    "客户端",
    "电视台",
    "广播电视台",
    "日报",
    "报社",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# what may stand right before a generic word that means our own outlet (发在公众号上, 被融媒体采用)
_BEFORE = (
    "在于由被的了到和与及发是上给篇条天日号午晚一二三四五六七末底初旬"  # … and the end of a date (今天融媒体)
)


@dataclass(frozen=True)
class OutletMention:
    name: str  # the outlet's full name
    token: str  # as written
    start: int
    end: int


def outlet_table(outlets: list[tuple[str, list[str]]]) -> OutletNames:
    """{name or alias (lower case): full name} for (name, aliases) pairs."""
    table: OutletNames = {}
    for name, aliases in outlets:
        for word in (name, *aliases):
            table.setdefault(word.strip().lower(), name)
    return table


@functools.cache
def _converter():
    import opencc  # loaded on first use: most messages never need it

    return opencc.OpenCC("t2s")


_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _in_gb2312(hanzi: str) -> bool:
    try:
        hanzi.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1024)
def simplified(text: str) -> str:
    """Traditional characters read as simplified (通遼日報 is 通辽日报); the same length, so spans stay valid.
    (Cached: the matchers ask about the same message several times.) A text whose characters are all in
    GB2312, the simplified character set, is left as it is: OpenCC, 4 MB a process, is loaded only when a
    character from outside it turns up."""
    if text.isascii() or _in_gb2312("".join(_HANZI.findall(text))):
        return text
    converted = _converter().convert(text)
    return converted if len(converted) == len(text) else text


_WHITESPACE = re.compile(r"\s")


@functools.lru_cache(maxsize=1024)
def _spaced(word: str) -> tuple[str, re.Pattern]:
    """The word without whitespace (it is in a text's whitespace-free copy wherever the pattern matches:
    a quick test first), and the pattern that finds it with a space typed between any two characters."""
    return _WHITESPACE.sub("", word), re.compile(r"\s?".join(map(re.escape, word)))


def find_outlets(text: str, table: OutletNames) -> list[OutletMention]:
    """Configured outlets named anywhere in `text`, longest names first, not overlapping, in text order."""
    lowered = simplified(text).lower()
    compact = _WHITESPACE.sub("", lowered)
    found: list[OutletMention] = []
    for word in sorted(table, key=len, reverse=True):
        if len(word) < 2:
            continue
        bare, pattern = _spaced(word)
        if bare not in compact:
            continue
        # 通辽 日报: a space typed inside a name does not hide it
        for m in pattern.finditer(lowered):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            start = m.start()
            if (
                word in GENERIC
                and start > 0
                and _CJK.match(text[start - 1])
                and text[start - 1] not in _BEFORE
            ):
                start = _own(m, lowered, table)
                if start is None:
                    continue  # 科尔沁区融媒体中心, 通辽发布公众号: another's outlet (开发区融媒 is ours)
            found.append(OutletMention(table[word], text[start : m.end()], start, m.end()))
    found.sort(key=lambda f: f.start)
    kept = [f for i, f in enumerate(found) if not _trails(f, found[i - 1] if i else None, text)]
    return _with_suffixes(kept, text)


# 通辽日报社微信公众号, 强国平台, 学习强国APP: the same outlet, named with what it publishes on
_SUFFIX = re.compile(
    r"(?:社)?(?:的)?(?:官方)?(?:微信)?(?:公众号|客户端|平台|APP|App|app|官网|网站|视频号|头条号|电子版|数字报)|社"
)


def _with_suffixes(mentions: list[OutletMention], text: str) -> list[OutletMention]:
    out: list[OutletMention] = []
    for f in mentions:
        if out and f.start < out[-1].end:
            continue  # inside the previous mention's suffix
        m = _SUFFIX.match(text, f.end)
        if m and not (f.token.endswith("社") and m.group(0) == "社"):
            f = OutletMention(f.name, text[f.start : m.end()], f.start, m.end())
        out.append(f)
    return out


def _own(m: re.Match, lowered: str, table: OutletNames) -> int | None:
    """开发区融媒: with the words before it the generic word still makes one of our names; where that starts."""
    for width in (5, 4, 3):
        start = max(0, m.start() - width)
        lead = lowered[start : m.end()]
        if any(lead in alias for alias in table):
            return start
    return None


def _trails(mention: OutletMention, before: OutletMention | None, text: str = "") -> bool:
    """通辽日报公众号 / 通辽日报社微信公众号: a generic word right after a named outlet is that outlet's."""
    if before is None or mention.token.lower() not in GENERIC:
        return False
    return re.fullmatch(r"(?:的|官方|微信|官方微信)?", text[before.end : mention.start]) is not None


def unbracket_outlets(text: str, table: OutletNames) -> str:
    """`今日《通辽日报》第3版刊发…《标题》`: a 《name》 that is exactly one of our outlets is the outlet, not a
    title (the marks become spaces, so positions stay valid)."""
    return re.sub(
        r"《([^《》]{2,20})》",
        lambda m: f" {m[1]} " if simplified(m[1].strip()).lower() in table else m.group(0),
        text,
    )


def match_outlet(word: str, table: OutletNames) -> str | None:
    """The outlet a typed name means: exact (any case), else the one outlet whose names it contains or that
    contain it (融媒 → 开发区融媒体中心, 通辽日报微信公众号 → 通辽日报); None when unknown or ambiguous."""
    wanted = simplified(re.sub(r"[\s《》“”\"'「」【】]", "", word)).lower()
    if not wanted:
        return None
    if wanted in table:
        return table[wanted]
    within = find_outlets(wanted, table)
    if within:
        longest = max(within, key=lambda f: len(f.token))
        return longest.name
    holders = {name for alias, name in table.items() if len(wanted) >= 2 and wanted in alias}
    return holders.pop() if len(holders) == 1 else None


def apps(text: str) -> str | None:
    """An app or platform that publishes (抖音, 今日头条 …): never one of our outlets unless configured."""
    m = _APPS.search(text)
    return m.group(0) if m else None


def unknown_outlet(text: str) -> str | None:
    """A name in `text` shaped like an outlet's (…日报, …电视台, …网) that the caller did not recognise."""
    app = _APPS.search(text)
    if app:
        return app.group(0)
    for m in _OUTLET_SHAPE.finditer(text):
        name = m.group(0)
        if name not in _NOT_OUTLETS and len(name) >= 3:
            return name
    return None
