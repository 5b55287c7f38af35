"""Working time for the first-response SLA, as Iran's offices keep it: Friday off, official holidays off.

Why a pure module: the deadline decides reminders, escalations and the public statistics, so it must be exact and
testable with plain values (no settings, no database, no clock). `WorkingCalendar.add` moves a moment forward (or
back) by an amount of *working time*: every hour of a working day counts, no hour of a weekend day or holiday does.
So "2 working days" from Thursday 20:00 is Sunday 20:00 (Friday skipped), and an inquiry sent on a Friday starts its
clock at Saturday 00:00 local time. All arithmetic is done in UTC with day boundaries taken in the calendar's time
zone, so the result is right across offset changes (Iran observed daylight saving until 2022).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# A calendar with no working day at all would loop forever; ten years without one is a configuration error.
MAX_DAYS_SCANNED = 3660


def _weekday(value: str | int) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    name = str(value).strip().lower()
    if name in WEEKDAYS:
        return WEEKDAYS[name]
    for full, number in WEEKDAYS.items():
        if len(name) >= 3 and full.startswith(name):
            return number
    raise ValueError(f"{value!r} is not a weekday (use names such as 'friday' or numbers 0-6, Monday = 0)")


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is a moment, not a day")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are worked in a time zone: every day except the weekend days and the listed holidays."""

    timezone: dt.tzinfo
    weekend: frozenset[int]
    holidays: frozenset[dt.date]

    @classmethod
    def build(
        cls, *, timezone: str | dt.tzinfo, weekend: Iterable[str | int], holidays: Iterable[str | dt.date] = ()
    ) -> WorkingCalendar:
        """A calendar from settings-style values: a zone name, weekday names and ISO dates."""
        zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        days = frozenset(_weekday(day) for day in weekend)
        if len(days) == 7:
            raise ValueError("every day of the week is a weekend day: nothing could ever be due")
        return cls(timezone=zone, weekend=days, holidays=frozenset(_date(day) for day in holidays if str(day).strip()))

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def _midnight(self, day: dt.date) -> dt.datetime:
        """The start of a local day, in UTC."""
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.timezone).astimezone(UTC)

    def _local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.timezone).date()

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment `duration` of working time after `start` (before it when negative), in the calendar's zone."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        cursor = start.astimezone(UTC)
        forward = duration >= dt.timedelta(0)
        result = self._forward(cursor, duration) if forward else self._backward(cursor, -duration)
        return result.astimezone(self.timezone)

    def add_working_days(self, start: dt.datetime, days: int | float) -> dt.datetime:
        return self.add(start, dt.timedelta(days=days))

    def _forward(self, cursor: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        for _ in range(MAX_DAYS_SCANNED):
            day = self._local_day(cursor)
            day_end = self._midnight(day + dt.timedelta(days=1))
            if self.is_working_day(day):
                available = day_end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
            cursor = day_end
        raise ValueError(f"no working time found within {MAX_DAYS_SCANNED} days")

    def _backward(self, cursor: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        for _ in range(MAX_DAYS_SCANNED):
            day = self._local_day(cursor)
            day_start = self._midnight(day)
            if day_start == cursor:  # at midnight: the time before the cursor belongs to the previous day
                day -= dt.timedelta(days=1)
                day_start = self._midnight(day)
            if self.is_working_day(day):
                available = cursor - day_start
                if remaining <= available:
                    return cursor - remaining
                remaining -= available
            cursor = day_start
        raise ValueError(f"no working time found within {MAX_DAYS_SCANNED} days")

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from `start` to `end` (negative when `end` is earlier)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be aware datetimes")
        if end < start:
            return -self.between(end, start)
        cursor, end, total = start.astimezone(UTC), end.astimezone(UTC), dt.timedelta(0)
        for _ in range(MAX_DAYS_SCANNED + 1):
            if cursor >= end:
                return total
            day = self._local_day(cursor)
            day_end = min(self._midnight(day + dt.timedelta(days=1)), end)
            if self.is_working_day(day):
                total += day_end - cursor
            cursor = day_end
        raise ValueError(f"the interval is longer than {MAX_DAYS_SCANNED} days")


def first_response_deadlines(
    *, received_at: dt.datetime, calendar: WorkingCalendar, working_days: int | float, remind_before: dt.timedelta
) -> tuple[dt.datetime, dt.datetime]:
    """When the first answer is due, and when to remind the assignee (that much working time before it)."""
    due = calendar.add_working_days(received_at, working_days)
    remind = calendar.add(due, -remind_before)
    return due, max(remind, received_at.astimezone(calendar.timezone))
