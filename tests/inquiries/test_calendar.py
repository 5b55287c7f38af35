"""The SLA calendar, with plain values: Friday off, holidays off, Nowruz, the reminder before the deadline."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from inquiries.calendar import WorkingCalendar, first_response_deadlines

TEHRAN = ZoneInfo("Asia/Tehran")
IRAN = WorkingCalendar.build(timezone="Asia/Tehran", weekend=["friday"])


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TEHRAN)


def test_two_working_days_from_a_tuesday_morning_is_thursday_morning():
    assert IRAN.add_working_days(at(2025, 5, 6, 9, 30), 2) == at(2025, 5, 8, 9, 30)


def test_thursday_evening_plus_two_working_days_skips_friday():
    thursday_evening = at(2025, 5, 8, 20, 0)
    assert thursday_evening.strftime("%A") == "Thursday"
    assert IRAN.add_working_days(thursday_evening, 2) == at(2025, 5, 11, 20, 0)  # Sunday evening


def test_a_friday_inquiry_starts_its_clock_on_saturday_morning():
    assert IRAN.add_working_days(at(2025, 5, 9, 15, 0), 2) == at(2025, 5, 12, 0, 0)  # end of Sunday


def test_a_holiday_is_skipped_like_a_friday():
    calendar = WorkingCalendar.build(timezone="Asia/Tehran", weekend=["friday"], holidays=["2025-06-04", "2025-06-05"])
    # Tuesday 3 June 2025 at 10:00; Wed 4 and Thu 5 June (14-15 Khordad) are holidays, Fri 6 is Friday.
    assert calendar.add_working_days(at(2025, 6, 3, 10), 2) == at(2025, 6, 8, 10)


def test_nowruz_with_the_settings_holidays_moves_the_deadline_past_the_new_year():
    calendar = WorkingCalendar.build(
        timezone=settings.TIME_ZONE, weekend=settings.INQUIRY_WEEKEND, holidays=settings.INQUIRY_HOLIDAYS
    )
    # Thursday 19 March 2026 (28 Esfand 1404), 09:00. Off: Fri 20 (also 29 Esfand), Sat 21 - Tue 24 (Nowruz).
    # Working: the rest of Thursday (15 h), Wednesday 25 March (24 h), then 9 h of Thursday 26 March.
    assert calendar.add_working_days(at(2026, 3, 19, 9), 2) == at(2026, 3, 26, 9)


def test_nowruz_1404_is_in_the_default_holidays():
    for day in ("2025-03-21", "2025-03-22", "2025-03-23", "2025-03-24", "2026-03-21", "2026-03-24"):
        assert day in settings.INQUIRY_HOLIDAYS


def test_working_time_between_two_moments_skips_non_working_days():
    assert IRAN.between(at(2025, 5, 8, 20), at(2025, 5, 11, 20)) == dt.timedelta(days=2)
    assert IRAN.between(at(2025, 5, 11, 20), at(2025, 5, 8, 20)) == -dt.timedelta(days=2)
    assert IRAN.between(at(2025, 5, 9, 1), at(2025, 5, 9, 23)) == dt.timedelta(0)  # all Friday


def test_negative_durations_go_back_over_the_weekend():
    # Four working hours before Saturday 02:00 is Thursday 22:00 (Friday does not count).
    assert IRAN.add(at(2025, 5, 10, 2), -dt.timedelta(hours=4)) == at(2025, 5, 8, 22)


def test_reminder_comes_four_working_hours_before_the_deadline():
    due, remind = first_response_deadlines(
        received_at=at(2025, 5, 8, 20), calendar=IRAN, working_days=2, remind_before=dt.timedelta(hours=4)
    )
    assert due == at(2025, 5, 11, 20)
    assert remind == at(2025, 5, 11, 16)


def test_reminder_across_a_weekend_starts_before_it():
    due, remind = first_response_deadlines(
        received_at=at(2025, 5, 9, 15), calendar=IRAN, working_days=2, remind_before=dt.timedelta(hours=4)
    )
    assert due == at(2025, 5, 12, 0)
    assert remind == at(2025, 5, 11, 20)


def test_result_is_the_same_moment_whatever_zone_the_input_is_in():
    utc = at(2025, 5, 8, 20).astimezone(dt.UTC)
    result = IRAN.add_working_days(utc, 2)
    assert result == at(2025, 5, 11, 20)
    assert result.tzinfo == TEHRAN


def test_day_boundaries_follow_the_old_daylight_saving_offsets():
    # In 1400 (2021) Iran still kept daylight saving (+04:30 from 22 March); day boundaries are local midnights.
    assert IRAN.add_working_days(at(2021, 3, 18, 12), 1) == at(2021, 3, 20, 12)  # Thursday → (Friday off) Saturday
    assert IRAN.between(at(2021, 3, 21, 0), at(2021, 3, 23, 0)) == dt.timedelta(hours=47)  # the skipped hour


@pytest.mark.parametrize(
    ("weekend", "expected"),
    [(["friday"], {4}), (["Fri", "sat"], {4, 5}), ([4], {4}), ([], set())],
)
def test_weekend_names_and_numbers(weekend, expected):
    assert WorkingCalendar.build(timezone="Asia/Tehran", weekend=weekend).weekend == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekend": ["funday"]},
        {"weekend": ["friday"], "holidays": ["1404-01-01x"]},
        {"weekend": list(range(7))},
    ],
)
def test_bad_calendar_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        WorkingCalendar.build(timezone="Asia/Tehran", **kwargs)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        IRAN.add_working_days(dt.datetime(2025, 5, 8, 20), 2)


def test_exactly_at_the_end_of_a_working_day_lands_at_midnight():
    assert IRAN.add(at(2025, 5, 8, 23), dt.timedelta(hours=1)) == at(2025, 5, 9, 0)
    assert IRAN.add(at(2025, 5, 8, 23), dt.timedelta(hours=2)) == at(2025, 5, 10, 1)
