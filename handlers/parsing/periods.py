"""Periods: 本月, 上月, 3月, 三月, 2023年3月, 2023-03, 一季度/Q1, 上半年, 下半年, 本年, 去年, 2023年, 全年."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.parsing import ParseError
from handlers.parsing.numbers import to_int
from reports.periods import Period, year_period
from reports.periods import month as _month

PERIOD_EXAMPLE = "排名 上月、排名 3月、排名 2023年3月、排名 一季度、排名 上半年、排名 2023年"

_CN = "一二三四五六七八九十两"
_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|[\-/.])(\d{1,2})月?份?$")
_MONTH = re.compile(rf"^([\d{_CN}]{{1,3}})月份?$")
_QUARTER = re.compile(r"^(?:(\d{4})年?)?(?:第?([1-4一二三四])季度|[Qq]([1-4]))$")
_HALF = re.compile(r"^(?:(\d{4})年?)?([上下])半年$")
_YEAR = re.compile(r"^(\d{4})年?(?:全年|度)?$")


def month(year: int, mon: int) -> Period:
    """The month as the reports use it; a month that does not exist is a ParseError the user reads."""
    if not 1 <= mon <= 12:
        raise ParseError(f"没有{mon}月", PERIOD_EXAMPLE)
    return _month(year, mon)


def months(year: int, first: int, last: int, label: str) -> Period:
    return Period(month(year, first).start, month(year, last).end, label)


def quarter(year: int, q: int) -> Period:
    return months(year, 3 * q - 2, 3 * q, f"{year}年第{'一二三四'[q - 1]}季度")


def half(year: int, which: str) -> Period:
    return months(year, 1, 6, f"{year}年上半年") if which == "上" else months(year, 7, 12, f"{year}年下半年")


def parse_period(text: str, today: date) -> Period:
    """Read a period; empty means this month. Without a year, a period that has not begun yet is last year's."""
    text = text.strip().replace(" ", "")
    if text in ("", "本月", "这个月", "当月", "这月"):
        return month(today.year, today.month)
    if text in ("上月", "上个月"):
        prev = today.replace(day=1) - timedelta(days=1)
        return month(prev.year, prev.month)
    if text in ("本年", "今年", "全年", "本年度", "今年全年"):
        return year_period(today.year)
    if text in ("去年", "上年", "去年全年"):
        return year_period(today.year - 1)
    if text in ("本季度", "这个季度"):
        return quarter(today.year, (today.month - 1) // 3 + 1)
    return _explicit(text, today)


def _explicit(text: str, today: date) -> Period:
    if m := _YEAR_MONTH.match(text):
        return month(int(m[1]), int(m[2]))
    if m := _MONTH.match(text):
        mon = to_int(m[1], PERIOD_EXAMPLE)
        return _latest(lambda y: month(y, mon), None, today)
    if m := _QUARTER.match(text):
        q = to_int(m[2] or m[3], PERIOD_EXAMPLE)
        return _latest(lambda y: quarter(y, q), m[1], today)
    if m := _HALF.match(text):
        which = m[2]
        return _latest(lambda y: half(y, which), m[1], today)
    if m := _YEAR.match(text):
        return year_period(int(m[1]))
    raise ParseError(f"看不懂时间「{text}」", PERIOD_EXAMPLE)


def _latest(make, year: str | None, today: date) -> Period:
    if year:
        return make(int(year))
    period = make(today.year)
    return make(today.year - 1) if period.start > today else period


_IN_SENTENCE = re.compile(
    r"(?:去年|今年|前年)\s*[\d一二三四五六七八九十]{1,3}\s*月份?|\d{4}\s*年\s*\d{1,2}\s*月份?|\d{4}-\d{1,2}(?!\d)|(?:\d{4}\s*年)?\s*(?:第?[一二三四1-4]季度|[Qq][1-4])|"
    r"(?:\d{4}\s*年)?\s*[上下]半年|\d{4}\s*年(?:全年|度)?|本季度|这个季度|上个?季度|"
    r"本月|这个月|当月|这月|上个月|上月|本年度|今年全年|今年|本年|全年|去年全年|去年|上年|"
    r"(?<![\d一二三四五六七八九十])[\d一二三四五六七八九十]{1,3}\s*月份?(?![\d一二三四五六七八九十]+[日号])"
)


def find_period(text: str, today: date) -> tuple[Period | None, str]:
    """The period a sentence names (`看一下三月份的通报` → 2026年3月) and the sentence without it; a period
    word that does not read (13月) raises ParseError; (None, text) when there is none."""
    m = _IN_SENTENCE.search(text)
    if m is None:
        return None, text
    word = m.group(0).replace(" ", "")
    relative = re.match(r"(去年|今年|前年)(.+)", word)
    if relative and "月" in word:
        year = today.year - {"今年": 0, "去年": 1, "前年": 2}[relative[1]]
        word = f"{year}年{relative[2]}"
    if word in ("上季度", "上个季度"):
        this = (today.month - 1) // 3 + 1
        period = quarter(today.year, this - 1) if this > 1 else quarter(today.year - 1, 4)
    else:
        period = parse_period(word, today)
    return period, text[: m.start()] + " " + text[m.end() :]


_TIME_WORD = re.compile(r"\S*(?:年|月|季|周|星期|天)\S*")


def unread_time(rest: str, example: str = PERIOD_EXAMPLE) -> None:
    """After find_period found nothing: a word that still speaks of time (明年, 13月) is an error, not 本月."""
    m = _TIME_WORD.search(rest)
    if m:
        raise ParseError(f"看不懂时间「{m.group(0)}」", example)


def parse_month_key(text: str) -> Period:
    """`2023-03` (the --period of the command line) → that month; ParseError otherwise."""
    m = _YEAR_MONTH.match(text.strip())
    if not m:
        raise ParseError(f"期间「{text}」应形如 2023-03", "2023-03")
    return month(int(m[1]), int(m[2]))
