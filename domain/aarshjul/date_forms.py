"""The kinds of date rule: each resolves for a cycle year on a working-day calendar, some from named dates.

Rules that name a day ("15. mai", "andre tirsdag i november", "fredag i uke 38") move to the next working day
when that day is not one (forvaltningsloven § 30); rules that count working days land on one by construction.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from domain.aarshjul.date_base import (
    MONTH_NAMES_NB,
    NO_NAMES,
    Anchor,
    DateRule,
    DateRuleError,
    checked_date,
    named,
)
from domain.aarshjul.workdays import WorkCalendar

PERIOD_START = "period.start"
PERIOD_END = "period.end"
WEEKDAYS_NB = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@dataclass(frozen=True)
class FixedDate(DateRule):
    anchor: Anchor

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        return self.anchor.on(year, self.text)


@dataclass(frozen=True)
class DayOfMonth(DateRule):
    anchor: Anchor

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        return cal.next_working_day(self.anchor.on(year, self.text))


@dataclass(frozen=True)
class MonthEdge(DateRule):
    month: int
    first: bool

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        if self.first:
            return cal.next_working_day(date(year, self.month, 1))
        last_day = calendar.monthrange(year, self.month)[1]
        return cal.previous_working_day(date(year, self.month, last_day))


@dataclass(frozen=True)
class BeyondAnchor(DateRule):
    anchor: Anchor
    after: bool

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        day = self.anchor.on(year, self.text)
        if self.after:
            return cal.next_working_day(day, inclusive=False)
        return cal.previous_working_day(day, inclusive=False)


@dataclass(frozen=True)
class WorkingDayOffset(DateRule):
    days: int
    base: DateRule

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        return cal.add_working_days(self.base.resolve(year, cal, names), self.days)

    def references(self) -> frozenset[str]:
        return self.base.references()


@dataclass(frozen=True)
class NthWeekday(DateRule):
    """ "andre tirsdag i november", "siste fredag i juni": `ordinal` 1–5, or -1 for the last."""

    month: int
    weekday: int
    ordinal: int

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        days = [
            day
            for day in (date(year, self.month, n) for n in range(1, calendar.monthrange(year, self.month)[1] + 1))
            if day.weekday() == self.weekday
        ]
        if self.ordinal > len(days):
            raise DateRuleError(
                f"Datoregelen «{self.text}» gir ingen dato i {year}: {MONTH_NAMES_NB[self.month - 1]} {year} "
                f"har bare {len(days)} {WEEKDAYS_NB[self.weekday]}er. Bruk for eksempel «siste "
                f"{WEEKDAYS_NB[self.weekday]} i {MONTH_NAMES_NB[self.month - 1]}»."
            )
        return cal.next_working_day(days[self.ordinal - 1 if self.ordinal > 0 else -1])


@dataclass(frozen=True)
class IsoWeek(DateRule):
    """ "uke 38" (its first working day) or "fredag i uke 38" (that day, or the next working day)."""

    week: int
    weekday: int | None = None

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        try:
            monday = date.fromisocalendar(year, self.week, 1)
        except ValueError:
            raise DateRuleError(
                f"Datoregelen «{self.text}» gir ingen dato i {year}: {year} har ikke uke {self.week}."
            ) from None
        return cal.next_working_day(monday + timedelta(days=self.weekday or 0))


@dataclass(frozen=True)
class NamedDate(DateRule):
    """Another step's or phase's date by key: "amu-mote", "spring-input.due", or "opens" inside a phase."""

    name: str

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        return named(names, self.name, self.text)

    def references(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(frozen=True)
class PeriodEdge(DateRule):
    """ "første arbeidsdag" / "siste arbeidsdag" of the period a repeating phase's occurrence belongs to."""

    first: bool

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        if self.first:
            return cal.next_working_day(named(names, PERIOD_START, self.text))
        return cal.previous_working_day(named(names, PERIOD_END, self.text))

    def references(self) -> frozenset[str]:
        return frozenset({PERIOD_START if self.first else PERIOD_END})


@dataclass(frozen=True)
class PeriodDay(DateRule):
    """ "15." / "den 15." / "day 15": that day of the first month of the occurrence's period."""

    day: int

    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        start = named(names, PERIOD_START, self.text)
        return cal.next_working_day(checked_date(start.year, start.month, self.day, self.text))

    def references(self) -> frozenset[str]:
        return frozenset({PERIOD_START})


def check_anchor(anchor: Anchor, text: str) -> Anchor:
    """The anchor, once its day and month are known to exist (in a leap year, so 29 February passes)."""
    checked_date(anchor.year or 2000, anchor.month, anchor.day, text, name_year=anchor.year is not None)
    return anchor
