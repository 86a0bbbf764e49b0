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


def month_keys(period: Period) -> list[str]:
    """The YYYY-MM of every month a period covers."""
    keys, year, mon = [], period.start.year, period.start.month
    while (year, mon) <= (period.end.year, period.end.month):
        keys.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return keys


def _last_day(year: int, mon: int) -> date:
    return date(year, mon, calendar.monthrange(year, mon)[1])
