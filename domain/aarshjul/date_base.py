"""The building blocks of date rules: month names, checked dates, anchors and the rule base class.

A rule resolves for a cycle year on a working-day calendar; a rule that refers to other named dates
("3 arbeidsdager før amu-mote") reads them from `names`, which the schedule fills in dependency order.
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.aarshjul.workdays import WorkCalendar

MONTH_NAMES_NB: tuple[str, ...] = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip

MONTH_ALIASES: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES_NB, start=1)},
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12,
}  # fmt: skip

NO_NAMES: Mapping[str, date] = {}


class DateRuleError(ValueError):
    """A date rule that cannot be parsed or resolved; the message is for the user, in bokmål."""


def day_month_label(day: int, month: int) -> str:
    return f"{day}. {MONTH_NAMES_NB[month - 1]}"


def checked_date(year: int, month: int, day: int, text: str, *, name_year: bool = True) -> date:
    """date(year, month, day), or a DateRuleError naming the date that does not exist."""
    if not 1 <= month <= 12:
        raise DateRuleError(
            f"Ugyldig dato i datoregelen «{text}»: måned {month} finnes ikke. "
            "Eksempel på en gyldig regel: «15. september»."
        )
    try:
        return date(year, month, day)
    except ValueError:
        missing = day_month_label(day, month) + " finnes ikke" + (f" i {year}" if name_year else "")
        last_day = day_month_label(calendar.monthrange(year, month)[1], month)
        raise DateRuleError(
            f"Ugyldig dato i datoregelen «{text}»: {missing}. Eksempel på en gyldig regel: «{last_day}»."
        ) from None


@dataclass(frozen=True)
class Anchor:
    """A calendar date, with or without a year, that a rule counts from."""

    day: int
    month: int
    year: int | None = None

    def on(self, year: int, text: str) -> date:
        if self.year is not None and self.year != year:
            raise DateRuleError(
                f"Datoregelen «{text}» gjelder bare for {self.year}, ikke for {year}. "
                f"Bruk en regel uten årstall, for eksempel «{day_month_label(self.day, self.month)}», "
                "hvis den skal gjelde hvert år."
            )
        return checked_date(year, self.month, self.day, text)


@dataclass(frozen=True)
class DateRule(ABC):
    """A parsed date rule; `text` is the rule as written in the configuration."""

    text: str

    @abstractmethod
    def resolve(self, year: int, cal: WorkCalendar, names: Mapping[str, date] = NO_NAMES) -> date:
        """The date this rule gives in cycle year `year`, reading any named date it refers to from `names`."""

    def references(self) -> frozenset[str]:
        """The named dates this rule depends on (none for a rule of the calendar alone)."""
        return frozenset()

    def __str__(self) -> str:
        return self.text


def named(names: Mapping[str, date], name: str, text: str) -> date:
    """A named date the schedule resolved earlier; a missing one is a configuration error said in bokmål."""
    try:
        return names[name]
    except KeyError:
        raise DateRuleError(f"Datoregelen «{text}» viser til «{name}», som ikke har noen dato.") from None
