"""When reminders are due: workdays (holidays, adjusted workdays), quiet hours, the org file's schedule."""

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler import workdays
from scheduler.schedule import Schedule, manual_occasion, occasions

TZ = ZoneInfo("Asia/Shanghai")
QUIET = (time(21), time(8))


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2023, 3, 20), True),  # Monday
        (date(2023, 3, 18), False),  # Saturday
        (date(2023, 10, 2), False),  # National Day holiday
        (date(2023, 10, 7), True),  # Saturday made a workday (调休)
        (date(2026, 9, 25), False),  # Mid-Autumn Festival 2026
    ],
)
def test_is_workday_follows_the_chinese_calendar(day, workday):
    assert workdays.is_workday(day) is workday


def test_beyond_the_calendar_data_falls_back_to_weekdays_with_one_warning(caplog):
    workdays._warned_years.discard(2099)
    with caplog.at_level(logging.WARNING):
        assert workdays.is_workday(date(2099, 1, 5)) is True  # a Monday
        assert workdays.is_workday(date(2099, 1, 3)) is False  # a Saturday
    assert sum("2099" in r.message for r in caplog.records) == 1


@pytest.mark.parametrize(
    ("when", "allowed"),
    [
        (datetime(2023, 3, 20, 9, 0, tzinfo=TZ), datetime(2023, 3, 20, 9, 0, tzinfo=TZ)),
        (datetime(2023, 3, 20, 22, 30, tzinfo=TZ), datetime(2023, 3, 21, 8, 0, tzinfo=TZ)),  # quiet hours
        (datetime(2023, 3, 21, 6, 0, tzinfo=TZ), datetime(2023, 3, 21, 8, 0, tzinfo=TZ)),
        (
            datetime(2023, 3, 17, 22, 0, tzinfo=TZ),
            datetime(2023, 3, 20, 8, 0, tzinfo=TZ),
        ),  # Friday night → Monday
        (
            datetime(2023, 3, 18, 9, 0, tzinfo=TZ),
            datetime(2023, 3, 20, 9, 0, tzinfo=TZ),
        ),  # weekend keeps the hour
        (
            datetime(2023, 10, 1, 9, 0, tzinfo=TZ),
            datetime(2023, 10, 7, 9, 0, tzinfo=TZ),
        ),  # holiday → adjusted workday
    ],
)
def test_next_allowed(when, allowed):
    assert workdays.next_allowed(when, *QUIET) == allowed


def test_last_workday_of_month():
    assert workdays.last_workday_of_month(2023, 3) == date(2023, 3, 31)
    assert workdays.last_workday_of_month(2023, 9) == date(
        2023, 9, 28
    )  # 29th–30th: Mid-Autumn / National Day
    assert workdays.last_workday_of_month(2023, 4) == date(2023, 4, 28)  # 29–30 April: Labour Day holiday


def test_occasions_of_a_month():
    found = {(o.kind, o.key): o.due for o in occasions(Schedule(), 2023, 9, TZ)}
    assert found == {
        ("nag", "2023-09@20"): datetime(2023, 9, 20, 9, 0, tzinfo=TZ),
        ("nag", "2023-09@25"): datetime(2023, 9, 25, 9, 0, tzinfo=TZ),
        ("last_call", "2023-09"): datetime(2023, 9, 28, 9, 0, tzinfo=TZ),
        ("bulletin", "2023-09"): datetime(2023, 10, 7, 9, 0, tzinfo=TZ),  # 1 Oct is National Day
    }


def test_quiet_time_configured_moves_to_the_morning():
    late = Schedule(nag_time=time(22, 0))
    nag = next(o for o in occasions(late, 2023, 3, TZ) if o.key == "2023-03@20")
    assert nag.due == datetime(2023, 3, 21, 8, 0, tzinfo=TZ)


def test_manual_nag_stands_for_the_latest_nag_day_so_far():
    s = Schedule()
    assert manual_occasion(s, "nag", 2023, 3, date(2023, 3, 10), TZ).key == "2023-03@20"
    assert manual_occasion(s, "nag", 2023, 3, date(2023, 3, 22), TZ).key == "2023-03@20"
    assert manual_occasion(s, "nag", 2023, 3, date(2023, 3, 27), TZ).key == "2023-03@25"
