"""Dates as users write them, found anywhere in a sentence.

2026年11月25日, 2026.11.25, 2026-11-25, 11月25日(上午), 十一月二十五日, 11.25, 11/25, 25号, 今天, 昨天, 前天,
上周五, 本周一, 周三. A date without a year is the most recent such day that is not in the future. Vague
words (月初, 前几天, 近日 …) are found too, so the caller can ask instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.parsing import ParseError

DATE_EXAMPLE = "11月25日、2026年11月25日、昨天、上周五"
UNDATED = "日期未填"  # what a pasted row with an empty date cell says: a vague date, asked about
NO_DATE = "日期未写"  # an activity told as news with no day at all: asked, never taken as today
# 上午开展了… / 今晚组织…: a time of day with no date is today's
TODAY_HINT = re.compile(r"今晚|今早|今晨|上午|下午|中午|晚上|早上|傍晚|刚刚|刚才|刚(?=[开办组举搞结])")

_CN_NUM = "零〇一二两三四五六七八九十廿卅"
_RELATIVE = {
    "今天": 0,
    "今日": 0,
    "今儿": 0,
    "昨天": 1,
    "昨日": 1,
    "前天": 2,
    "大前天": 3,
    "明天": -1,  # a day still to come: the caller asks (an activity is reported once it happened)
    "后天": -2,
}  # 今日头条 is an app
_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6} | {str(i + 1): i for i in range(7)}
_TIME_OF_DAY = (
    r"(?:\s*(?:上午|下午|晚上|早上|中午|傍晚|晚间|早晨)?\s*(?:\d{1,2}\s*[:点时](?:\s*\d{1,2}\s*分?|半)?)?)"
)
# Words after "5号" that make it a building, a line or a document, not a day.
_NOT_DAY_AFTER = "楼院线门馆厅室店房街路车文令台机口栋单元区场"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("month_word", re.compile(r"(本月|这个月|这月|当月|上个?月)\s*(\d{1,2})\s*[日号](?!\d)")),
    ("year_word", re.compile(r"(去年|前年|今年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?!\d)")),
    ("full", re.compile(r"(?<!\d)(20\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?(?!\d)")),
    ("md", re.compile(r"(?<![\d.\-/])(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)?(?![\d万元%])")),
    ("md_cn", re.compile(rf"(?<![{_CN_NUM}])([一二三四五六七八九十]{{1,3}})月([{_CN_NUM}]{{1,3}})[日号]")),
    ("dot", re.compile(r"(?<![\d.\-/A-Za-z])(\d{1,2})[./](\d{1,2})(?![\d./%万元千亿w])(?!\s*[%元万])")),
    ("dash", re.compile(r"(?:(?<=\s)|^)(\d{1,2})-(\d{1,2})(?=\s|$|[,，。])")),
    ("day", re.compile(rf"(?<![\d月第.\-/])(\d{{1,2}})\s*[日号](?![\d{_NOT_DAY_AFTER}])")),
    ("relative", re.compile(r"大前天|前天|昨天|昨日|今天|今儿|今日(?!头条)|明天|(?<!大)后天")),
    ("weekday", re.compile(r"(上上|上个|上|本|这个|这|下个|下)?\s*(?:周|星期|礼拜)([一二三四五六日天1-7])")),
]
_VAGUE = re.compile(
    r"月初|月中|月底|月末|上旬|中旬|下旬|前几天|前两天|前些天|前段时间|前些日子|近日|日前|近期|最近|这几天|这两天|近几天|"
    rf"{UNDATED}|{NO_DATE}|日期不详|时间不详|周末|年初|年底|前一阵|"
    r"(?:上个?|这个?|本)(?:周|星期|礼拜)(?![一二三四五六日天1-7])|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?第[一二三四五1-5]周|"
    # a month without its day: 上个月, 9月份, 去年12月
    # (a bare 11月 inside a run of words is part of a title: 辽河社区11月志愿服务月活动)
    r"上个?月|本月|这个月|当月|(?:去年|今年|前年)(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?|"
    r"(?<![\d.\u4e00-\u9fff])(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?(?!\s*[\d一二三四五六七八九十廿卅])"
)


@dataclass(frozen=True)
class DateMention:
    """One date found in a text: the day it means (None when vague), and whether the year was written."""

    token: str
    day: date | None
    has_year: bool = False
    start: int = 0
    end: int = 0

    @property
    def vague(self) -> bool:
        return self.day is None


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date mention in `text`, in order; overlapping matches keep the longest (earliest pattern)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            day = _day_of(kind, m, today)
            if day is False and kind in ("dot", "dash", "day"):
                continue  # 3.5 or 5号 that is no day is not a date at all
            if day is False:
                day = None  # 2月30日: shaped like a date but no such day, so it is asked, not dropped
            end = _after_time_of_day(text, m.end())
            taken.append((m.start(), end))
            found.append(
                DateMention(text[m.start() : end], day, kind in ("full", "year_word"), m.start(), end)
            )
    for m in _VAGUE.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in taken):
            found.append(DateMention(m.group(0), None, False, m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _after_time_of_day(text: str, end: int) -> int:
    m = re.compile(_TIME_OF_DAY).match(text, end)
    return m.end() if m and m.group(0).strip() else end


def _day_of(kind: str, m: re.Match, today: date) -> date | bool | None:
    """The day a match means; False when the match is not a date after all (13月, 32日)."""
    try:
        if kind == "month_word":
            first = today.replace(day=1)
            if m[1].startswith("上"):
                first = (first - timedelta(days=1)).replace(day=1)
            return first.replace(day=int(m[2]))
        if kind == "year_word":
            offset = {"今年": 0, "去年": 1, "前年": 2}[m[1]]
            return date(today.year - offset, int(m[2]), int(m[3]))
        if kind == "full":
            return date(int(m[1]), int(m[2]), int(m[3]))
        if kind in ("md", "dot", "dash"):
            return most_recent(int(m[1]), int(m[2]), today)
        if kind == "md_cn":
            return most_recent(_cn(m[1]), _cn(m[2]), today)
        if kind == "day":
            return _recent_day(int(m[1]), today)
    except ValueError:
        return False
    if kind == "relative":
        return today - timedelta(days=_RELATIVE[m.group(0)])
    return _weekday(m[1] or "", _WEEKDAYS[m[2]], today)


def _cn(text: str) -> int:
    from handlers.parsing.numbers import to_int

    try:
        return to_int(text.replace("廿", "二十").replace("卅", "三十"))
    except ParseError:
        raise ValueError(text) from None


def most_recent(month: int, day: int, today: date) -> date:
    """The most recent (month, day) that is not after `today` (12月30日 said in January is last year's)."""
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            if (month, day) == (2, 29):
                continue
            raise
        if candidate <= today:
            return candidate
    raise ValueError("no such day")


def _recent_day(day: int, today: date) -> date:
    """`25号`: this month's 25th, or last month's when that is still ahead."""
    if day <= today.day:
        return today.replace(day=day)
    first = today.replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
        try:
            return first.replace(day=day)
        except ValueError:
            continue
    raise ValueError("no such day")


def _weekday(prefix: str, weekday: int, today: date) -> date:
    """本周一 / 上周五 / 周三: a day of this week, of last week, or the most recent such weekday."""
    monday = today - timedelta(days=today.weekday())
    if prefix in ("上", "上个"):
        return monday - timedelta(days=7) + timedelta(days=weekday)
    if prefix == "上上":
        return monday - timedelta(days=14) + timedelta(days=weekday)
    if prefix in ("下", "下个"):
        return monday + timedelta(days=7 + weekday)
    if prefix in ("本", "这", "这个"):
        return monday + timedelta(days=weekday)
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back)


def parse_date(text: str, today: date) -> date:
    """A text that is one date and nothing else (a form's 日期：, an answer) → the day; ParseError otherwise."""
    text = text.strip().rstrip("。.,，!！")
    found = find_dates(text, today)
    if len(found) == 1 and found[0].day and len(text) - len(found[0].token) <= 2:
        return found[0].day
    if found and found[0].vague:
        raise ParseError(f"「{text}」不是确切的日期，请写明几月几日", DATE_EXAMPLE)
    raise ParseError(f"看不懂日期「{text}」", DATE_EXAMPLE)


def check_reasonable(day: date, today: date) -> None:
    """A date in the future or more than a year back is questioned, not stored."""
    if day > today:
        raise ParseError(f"日期 {day:%Y-%m-%d} 还没到，请核对日期", DATE_EXAMPLE)
    if (today - day).days > 366:
        raise ParseError(f"日期 {day:%Y-%m-%d} 已超过一年，请核对", DATE_EXAMPLE)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
