"""The `schedule:` section of the org file, and the occasions it makes: when each reminder is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from scheduler.workdays import last_workday_of_month, next_allowed
from storage.models import OrgSetting

KINDS = ("nag", "last_call", "bulletin")


@dataclass(frozen=True)
class Schedule:
    nag_days: tuple[int, ...] = (20, 25)
    nag_time: time = time(9, 0)
    last_call_time: time = time(9, 0)
    bulletin_day: int = 1
    bulletin_time: time = time(9, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    grace: timedelta = timedelta(hours=12)
    mention_laggards: bool = True  # the group bulletin @-mentions publicists of units behind


@dataclass(frozen=True)
class Occasion:
    """One reminder to send: its kind, the month it is about, its key and when it is due."""

    kind: str
    year: int
    month: int
    key: str  # the ReminderLog occasion, e.g. 2023-03@20
    due: datetime

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def load_schedule(session: Session) -> Schedule:
    row = session.get(OrgSetting, "schedule")
    data = dict(row.value) if row else {}
    nag, last, bulletin, quiet = (data.get(k) or {} for k in ("nag", "last_call", "bulletin", "quiet"))
    d = Schedule()
    return Schedule(
        nag_days=tuple(nag.get("days", d.nag_days)),
        nag_time=_time(nag.get("time"), d.nag_time),
        last_call_time=_time(last.get("time"), d.last_call_time),
        bulletin_day=int(bulletin.get("day", d.bulletin_day)),
        bulletin_time=_time(bulletin.get("time"), d.bulletin_time),
        quiet_start=_time(quiet.get("start"), d.quiet_start),
        quiet_end=_time(quiet.get("end"), d.quiet_end),
        grace=timedelta(hours=float(data.get("grace_hours", 12))),
        mention_laggards=bool(bulletin.get("mention_laggards", True)),
    )


def _time(value: object, default: time) -> time:
    if not value:
        return default
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def occasions(schedule: Schedule, year: int, month: int, tz: ZoneInfo) -> list[Occasion]:
    """Every reminder about month (year, month), each moved off non-workdays and quiet hours."""
    s = schedule

    def due(day: date, at: time) -> datetime:
        return next_allowed(datetime.combine(day, at, tz), s.quiet_start, s.quiet_end)

    found = []
    for nag_day in s.nag_days:
        day = _clamp(year, month, nag_day)
        found.append(
            Occasion("nag", year, month, f"{year:04d}-{month:02d}@{nag_day:02d}", due(day, s.nag_time))
        )
    last = last_workday_of_month(year, month)
    found.append(Occasion("last_call", year, month, f"{year:04d}-{month:02d}", due(last, s.last_call_time)))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    found.append(
        Occasion(
            "bulletin",
            year,
            month,
            f"{year:04d}-{month:02d}",
            due(_clamp(ny, nm, s.bulletin_day), s.bulletin_time),
        )
    )
    return found


def _clamp(year: int, month: int, day: int) -> date:
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


def manual_occasion(
    schedule: Schedule, kind: str, year: int, month: int, today: date, tz: ZoneInfo
) -> Occasion:
    """The occasion a manual `tougao remind` stands for: for nag, the latest nag day up to today
    (or the first), so a manual run and the scheduled one never both send."""
    found = [o for o in occasions(schedule, year, month, tz) if o.kind == kind]
    if kind == "nag":
        past = [o for o in found if o.due.date() <= today]
        return past[-1] if past else found[0]
    return found[0]
