"""Workdays (Chinese public holidays and adjusted workdays) and quiet hours, for when a push may go out."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

import chinese_calendar

log = logging.getLogger(__name__)
_warned_years: set[int] = set()


def is_workday(day: date) -> bool:
    """chinese-calendar's answer; beyond its data (a year it does not know yet), Monday–Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "no holiday data for %s in chinese-calendar; using Monday–Friday (upgrade the package)",
                day.year,
            )
        return day.weekday() < 5


def next_workday(day: date) -> date:
    """`day` itself if it is a workday, else the next one."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def last_workday_of_month(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def in_quiet_hours(moment: time, quiet_start: time, quiet_end: time) -> bool:
    """Quiet hours may wrap midnight (21:00–08:00)."""
    if quiet_start <= quiet_end:
        return quiet_start <= moment < quiet_end
    return moment >= quiet_start or moment < quiet_end


def next_allowed(when: datetime, quiet_start: time, quiet_end: time) -> datetime:
    """The first moment at or after `when` that is on a workday and outside quiet hours
    (a holiday moves a 09:00 reminder to 09:00 of the next workday)."""
    while True:
        if not is_workday(when.date()):
            when = datetime.combine(next_workday(when.date()), when.time(), when.tzinfo)
            continue
        if in_quiet_hours(when.time(), quiet_start, quiet_end):
            day = when.date() if when.time() < quiet_end else when.date() + timedelta(days=1)
            when = datetime.combine(day, quiet_end, when.tzinfo)
            continue
        return when
