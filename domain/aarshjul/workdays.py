"""Norwegian working-day calendar: public holidays, working-day arithmetic and DST-safe office moments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

OSLO: ZoneInfo = ZoneInfo("Europe/Oslo")

# Upper bound on how far a search for a working day may run; only a misconfigured calendar gets near it.
_MAX_SEARCH_DAYS = 366

# (offset in days from Easter Sunday, bokmål name)
_EASTER_HOLIDAYS: tuple[tuple[int, str], ...] = (
    (-3, "skjærtorsdag"),
    (-2, "langfredag"),
    (0, "1. påskedag"),
    (1, "2. påskedag"),
    (39, "Kristi himmelfartsdag"),
    (49, "1. pinsedag"),
    (50, "2. pinsedag"),
)

# (month, day, bokmål name)
_FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "1. nyttårsdag"),
    (5, 1, "offentlig høytidsdag"),
    (5, 17, "grunnlovsdag"),
    (12, 25, "1. juledag"),
    (12, 26, "2. juledag"),
)


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _all_holidays(year: int) -> list[tuple[date, str]]:
    """Every public holiday of the year in a stable order (fixed ones first, then Easter-dependent ones)."""
    easter = easter_sunday(year)
    fixed = [(date(year, month, day), name) for month, day, name in _FIXED_HOLIDAYS]
    moving = [(easter + timedelta(days=offset), name) for offset, name in _EASTER_HOLIDAYS]
    return sorted(fixed + moving, key=lambda pair: pair[0])


@lru_cache(maxsize=64)
def _holidays(year: int) -> Mapping[date, str]:
    merged: dict[date, str] = {}
    for day, name in _all_holidays(year):
        merged[day] = f"{merged[day]} / {name}" if day in merged else name
    return MappingProxyType(merged)


def norwegian_public_holidays(year: int) -> dict[date, str]:
    """The Norwegian public holidays (helligdager and høytidsdager) of `year`, keyed by date, bokmål names.

    When two holidays fall on the same date both names are kept, joined with " / ".
    """
    return dict(_holidays(year))


@dataclass(frozen=True)
class OfficeHours:
    """Local wall-clock office hours, [start, end)."""

    start: time = time(8, 0)
    end: time = time(16, 0)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"office hours must start before they end: {self.start} >= {self.end}")


@dataclass(frozen=True)
class WorkCalendar:
    """Monday–Friday, minus Norwegian public holidays, minus any extra days the municipality keeps closed."""

    closed_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable of dates (e.g. a list from configuration) while staying hashable.
        object.__setattr__(self, "closed_days", frozenset(self.closed_days))

    def holiday_name(self, d: date) -> str | None:
        return _holidays(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in _holidays(d.year) and d not in self.closed_days

    def next_working_day(self, d: date, *, inclusive: bool = True) -> date:
        return self._search(d if inclusive else d + timedelta(days=1), step=1)

    def previous_working_day(self, d: date, *, inclusive: bool = True) -> date:
        return self._search(d if inclusive else d - timedelta(days=1), step=-1)

    def add_working_days(self, d: date, n: int) -> date:
        """Move n working days from d; n == 0 gives d itself if it is a working day, else the next one."""
        if n == 0:
            return self.next_working_day(d)
        current = d
        for _ in range(abs(n)):
            current = (
                self.next_working_day(current, inclusive=False)
                if n > 0
                else self.previous_working_day(current, inclusive=False)
            )
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (the count in (end, start]) when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(1 for offset in range(1, days + 1) if self.is_working_day(start + timedelta(days=offset)))

    def _search(self, first: date, *, step: int) -> date:
        candidate = first
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=step)
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days of {first.isoformat()}")


def _exists(naive: datetime, tz: ZoneInfo) -> bool:
    """Whether the wall-clock time occurs in tz (it does not inside a spring-forward gap)."""
    round_trip = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return round_trip.replace(tzinfo=None) == naive


def local_moment(d: date, t: time, tz: ZoneInfo = OSLO) -> datetime:
    """Wall-clock time t on date d in tz, as an aware UTC datetime.

    A time inside a spring-forward gap moves forward to the first minute that exists;
    an ambiguous time in the autumn fold resolves to its first occurrence.
    """
    naive = datetime.combine(d, t.replace(tzinfo=None, fold=0))
    if not _exists(naive, tz):
        naive = naive.replace(second=0, microsecond=0)
        while not _exists(naive, tz):
            naive += timedelta(minutes=1)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def to_local(moment: datetime, tz: ZoneInfo = OSLO) -> datetime:
    """An aware moment expressed in tz; naive input is refused."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(tz)


def next_office_moment(moment: datetime, cal: WorkCalendar, hours: OfficeHours, tz: ZoneInfo = OSLO) -> datetime:
    """The earliest moment >= `moment` on a working day within office hours, as aware UTC."""
    local = to_local(moment, tz)
    day = local.date()
    if cal.is_working_day(day):
        opens = local_moment(day, hours.start, tz)
        if moment < opens:
            return opens
        if moment < local_moment(day, hours.end, tz):
            return moment.astimezone(UTC)
    return local_moment(cal.next_working_day(day, inclusive=False), hours.start, tz)
