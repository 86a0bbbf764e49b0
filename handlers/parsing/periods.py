"""Periods: 本月, 上月, 3月, 2023年3月, 2023-03 (the grammar grows with the commands issue)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.parsing import ParseError

PERIOD_EXAMPLE = "排名 上月、排名 3月、排名 2023年3月、排名 2023-03"

_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|[\-/.])(\d{1,2})月?(?:份)?$")
_MONTH = re.compile(r"^(\d{1,2})月(?:份)?$")


@dataclass(frozen=True)
class Period:
    """A closed range of days with the label users see (e.g. 2023年3月)."""

    start: date
    end: date
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def month(year: int, mon: int) -> Period:
    if not 1 <= mon <= 12:
        raise ParseError(f"没有{mon}月", PERIOD_EXAMPLE)
    start = date(year, mon, 1)
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1), f"{year}年{mon}月")


def parse_period(text: str, today: date) -> Period:
    """Read a period; empty means this month. A year-less month is its most recent occurrence."""
    text = text.strip().replace(" ", "")
    if text in ("", "本月", "这个月", "当月"):
        return month(today.year, today.month)
    if text == "上月" or text == "上个月":
        prev = today.replace(day=1) - timedelta(days=1)
        return month(prev.year, prev.month)
    if m := _YEAR_MONTH.match(text):
        return month(int(m[1]), int(m[2]))
    if m := _MONTH.match(text):
        mon = int(m[1])
        year = today.year if mon <= today.month else today.year - 1
        return month(year, mon)
    raise ParseError(f"看不懂时间「{text}」", PERIOD_EXAMPLE)
