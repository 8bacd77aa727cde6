"""Norwegian working-day calendar: holidays, working-day arithmetic and DST-safe moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from domain.aarshjul.workdays import (
    OSLO,
    OfficeHours,
    WorkCalendar,
    easter_sunday,
    local_moment,
    next_office_moment,
    norwegian_public_holidays,
    to_local,
)

CAL = WorkCalendar()
HOURS = OfficeHours()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
    ],
)
def test_easter_sunday(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


def test_holidays_2027() -> None:
    holidays = norwegian_public_holidays(2027)
    assert holidays[date(2027, 1, 1)] == "1. nyttårsdag"
    assert holidays[date(2027, 3, 25)] == "skjærtorsdag"
    assert holidays[date(2027, 3, 26)] == "langfredag"
    assert holidays[date(2027, 3, 28)] == "1. påskedag"
    assert holidays[date(2027, 3, 29)] == "2. påskedag"
    assert holidays[date(2027, 5, 1)] == "offentlig høytidsdag"
    assert holidays[date(2027, 5, 6)] == "Kristi himmelfartsdag"
    assert holidays[date(2027, 5, 16)] == "1. pinsedag"
    assert holidays[date(2027, 12, 25)] == "1. juledag"
    assert holidays[date(2027, 12, 26)] == "2. juledag"
    assert len(holidays) == 11  # twelve holidays, two of them on 17 May


def test_second_whit_monday_on_constitution_day_keeps_both_names() -> None:
    assert CAL.holiday_name(date(2027, 5, 17)) == "grunnlovsdag / 2. pinsedag"


def test_holidays_result_is_a_copy() -> None:
    norwegian_public_holidays(2027).clear()
    assert CAL.holiday_name(date(2027, 12, 25)) == "1. juledag"


def test_is_working_day() -> None:
    assert CAL.is_working_day(date(2027, 3, 24))  # Wednesday before Easter
    assert not CAL.is_working_day(date(2027, 3, 25))  # skjærtorsdag
    assert not CAL.is_working_day(date(2027, 3, 27))  # Saturday
    assert not CAL.is_working_day(date(2027, 5, 17))
    assert CAL.holiday_name(date(2027, 3, 24)) is None


def test_closed_days() -> None:
    cal = WorkCalendar(closed_days=frozenset({date(2027, 12, 24)}))
    assert CAL.is_working_day(date(2027, 12, 24))
    assert not cal.is_working_day(date(2027, 12, 24))
    assert cal.next_working_day(date(2027, 12, 24)) == date(2027, 12, 27)


def test_next_and_previous_working_day_across_easter_2027() -> None:
    assert CAL.next_working_day(date(2027, 3, 24)) == date(2027, 3, 24)
    assert CAL.next_working_day(date(2027, 3, 24), inclusive=False) == date(2027, 3, 30)
    assert CAL.next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)
    assert CAL.previous_working_day(date(2027, 3, 29)) == date(2027, 3, 24)
    assert CAL.previous_working_day(date(2027, 3, 30), inclusive=False) == date(2027, 3, 24)


def test_add_working_days_zero() -> None:
    assert CAL.add_working_days(date(2027, 3, 24), 0) == date(2027, 3, 24)
    assert CAL.add_working_days(date(2027, 3, 27), 0) == date(2027, 3, 30)


def test_add_working_days_positive() -> None:
    assert CAL.add_working_days(date(2027, 3, 24), 1) == date(2027, 3, 30)
    assert CAL.add_working_days(date(2027, 3, 23), 3) == date(2027, 3, 31)
    assert CAL.add_working_days(date(2027, 5, 14), 1) == date(2027, 5, 18)  # over 17 May (a Monday)
    assert CAL.add_working_days(date(2027, 5, 5), 1) == date(2027, 5, 7)  # over Kristi himmelfartsdag


def test_add_working_days_negative() -> None:
    assert CAL.add_working_days(date(2027, 3, 8), -1) == date(2027, 3, 5)  # Monday -> Friday
    assert CAL.add_working_days(date(2027, 3, 30), -1) == date(2027, 3, 24)
    assert CAL.add_working_days(date(2027, 5, 18), -2) == date(2027, 5, 13)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2027, 3, 24), date(2027, 3, 30)) == 1
    assert CAL.working_days_between(date(2027, 3, 22), date(2027, 4, 2)) == 6
    assert CAL.working_days_between(date(2027, 5, 14), date(2027, 5, 18)) == 1
    assert CAL.working_days_between(date(2027, 5, 18), date(2027, 5, 18)) == 0
    assert CAL.working_days_between(date(2027, 5, 18), date(2027, 5, 14)) == -1


def test_local_moment_on_spring_forward_day() -> None:
    assert local_moment(date(2027, 3, 27), time(8, 0)) == utc(2027, 3, 27, 7, 0)
    assert local_moment(date(2027, 3, 28), time(8, 0)) == utc(2027, 3, 28, 6, 0)


def test_local_moment_in_the_gap_moves_forward() -> None:
    # 02:30 does not exist on 2027-03-28 in Oslo: clocks jump from 02:00 to 03:00 (01:00Z).
    moment = local_moment(date(2027, 3, 28), time(2, 30))
    assert moment == utc(2027, 3, 28, 1, 0)
    assert to_local(moment).time() == time(3, 0)


def test_local_moment_on_fall_back_day() -> None:
    assert local_moment(date(2027, 10, 31), time(8, 0)) == utc(2027, 10, 31, 7, 0)
    assert local_moment(date(2027, 10, 30), time(8, 0)) == utc(2027, 10, 30, 6, 0)
    # 02:30 happens twice; the first occurrence is still summer time.
    assert local_moment(date(2027, 10, 31), time(2, 30)) == utc(2027, 10, 31, 0, 30)


def test_local_moment_is_aware_utc() -> None:
    assert local_moment(date(2027, 6, 1), time(12, 0)).tzinfo is UTC


def test_to_local() -> None:
    local = to_local(utc(2027, 6, 1, 10, 0))
    assert local.tzinfo == OSLO
    assert (local.hour, local.minute) == (12, 0)
    with pytest.raises(ValueError):
        to_local(datetime(2027, 6, 1, 10, 0))


def test_next_office_moment_on_saturday() -> None:
    assert next_office_moment(utc(2027, 3, 20, 10, 0), CAL, HOURS) == utc(2027, 3, 22, 7, 0)


def test_next_office_moment_after_closing_on_friday() -> None:
    friday_1630_oslo = utc(2027, 3, 19, 15, 30)
    assert next_office_moment(friday_1630_oslo, CAL, HOURS) == utc(2027, 3, 22, 7, 0)


def test_next_office_moment_closing_time_is_exclusive() -> None:
    assert next_office_moment(utc(2027, 3, 19, 15, 0), CAL, HOURS) == utc(2027, 3, 22, 7, 0)


def test_next_office_moment_on_constitution_day() -> None:
    assert next_office_moment(utc(2027, 5, 17, 8, 0), CAL, HOURS) == utc(2027, 5, 18, 6, 0)


def test_next_office_moment_before_easter_crosses_dst() -> None:
    wednesday_evening = utc(2027, 3, 24, 16, 0)
    assert next_office_moment(wednesday_evening, CAL, HOURS) == utc(2027, 3, 30, 6, 0)


def test_next_office_moment_within_hours_and_before_opening() -> None:
    inside = utc(2027, 6, 1, 10, 15)
    assert next_office_moment(inside, CAL, HOURS) == inside
    assert next_office_moment(utc(2027, 6, 1, 4, 0), CAL, HOURS) == utc(2027, 6, 1, 6, 0)


def test_office_hours_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        OfficeHours(start=time(16, 0), end=time(8, 0))
