"""Periods as the reports use them: a closed range of days with the label users see (2023年3月).

Chat reads periods from text (handlers/parsing/periods.py makes periods of this same shape: start, end,
label); the reports and the scheduler only need months and years, made here."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == _last_day(self.start.year, self.start.month)


def month(year: int, mon: int) -> Period:
    return Period(date(year, mon, 1), _last_day(year, mon), f"{year}年{mon}月")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年")


def previous(period: Period) -> Period | None:
    """The period of the same number of whole months just before (上月 for a month, the quarter before a
    quarter); None for a period that is not whole months (its change is not reported)."""
    if period.start.day != 1 or period.end != _last_day(period.end.year, period.end.month):
        return None
    span = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    first = period.start.year * 12 + period.start.month - 1 - span
    last = first + span - 1
    start, end = date(first // 12, first % 12 + 1, 1), _last_day(last // 12, last % 12 + 1)
    if span == 1:
        return month(start.year, start.month)
    if span == 12 and start.month == 1:
        return year_period(start.year)
    return Period(start, end, f"{start.year}年{start.month}月至{end.year}年{end.month}月")


_DIGITS = "〇一二三四五六七八九"


def chinese_date(day: date) -> str:
    """The date a document is signed, in Chinese numerals: 2026-11-01 → 二〇二六年十一月一日."""
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{_small(day.month)}月{_small(day.day)}日"


def _small(n: int) -> str:
    """1–31 in Chinese numerals: 一, 十, 十一, 二十, 三十一."""
    tens, units = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[units] if units else "")


def month_keys(period: Period) -> list[str]:
    """The YYYY-MM of every month a period covers."""
    keys, year, mon = [], period.start.year, period.start.month
    while (year, mon) <= (period.end.year, period.end.month):
        keys.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return keys


def _last_day(year: int, mon: int) -> date:
    return date(year, mon, calendar.monthrange(year, mon)[1])
