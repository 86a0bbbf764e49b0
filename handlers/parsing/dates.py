"""Dates as users write them: 3月5日, 2023年3月5日, 2023-03-05, 2023/3/5, 3.5, 今天, 昨天, 前天."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.parsing import ParseError

DATE_EXAMPLE = "3月5日、2023年3月5日、2023-03-05、昨天"

_RELATIVE = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_FULL = re.compile(r"^(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})(?:月|[\-/.])(\d{1,2})[日号]?$")
_DAY_ONLY = re.compile(r"^(\d{1,2})[日号]$")


def looks_like_date(token: str) -> bool:
    return bool(token in _RELATIVE or _FULL.match(token) or _MONTH_DAY.match(token) or _DAY_ONLY.match(token))


def parse_date(token: str, today: date) -> date:
    """Read one date token relative to `today` (see `_most_recent` for year-less dates)."""
    token = token.strip()
    if token in _RELATIVE:
        return today - timedelta(days=_RELATIVE[token])
    if m := _FULL.match(token):
        return _make(int(m[1]), int(m[2]), int(m[3]), token)
    if m := _MONTH_DAY.match(token):
        return _most_recent(int(m[1]), int(m[2]), today, token)
    if m := _DAY_ONLY.match(token):
        return _most_recent(today.month, int(m[1]), today, token)
    raise ParseError(f"看不懂日期「{token}」", DATE_EXAMPLE)


def _most_recent(month: int, day: int, today: date, token: str) -> date:
    """This year's date, unless that is over a month ahead (12月30日 said in January is last year's).

    A date a few days ahead stays in this year, so the future-date check questions it."""
    candidate = _make(today.year, month, day, token) if (month, day) != (2, 29) else None
    if candidate is None or (candidate - today).days > 31:
        try:
            return date(today.year - 1, month, day)
        except ValueError:
            return _make(today.year, month, day, token)
    return candidate


def _make(year: int, month: int, day: int, token: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(f"日期「{token}」不存在", DATE_EXAMPLE) from None


def check_reasonable(day: date, today: date) -> None:
    """A publication date in the future or more than a year back is questioned, not stored."""
    if day > today:
        raise ParseError(f"日期 {day:%Y-%m-%d} 还没到，请核对刊发日期", DATE_EXAMPLE)
    if (today - day).days > 366:
        raise ParseError(f"日期 {day:%Y-%m-%d} 已超过一年，请核对；确需补报请联系管理员", DATE_EXAMPLE)
