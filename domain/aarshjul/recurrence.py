"""Repeating phases: `repeat: monthly`, `{every: tertial}`, `{every: month, on: "første arbeidsdag", from: september}`.

A repeating phase stands for one occurrence per period (a month, a tertial, a quarter) of the cycle year, each
a concrete phase with its own key (``tertial-report-2027-1``, ``monthly-follow-up-2027-09``), dates, reminders and
tasks. `from` lets a cycle start in autumn and run into the next calendar year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from domain.aarshjul.date_base import MONTH_ALIASES, MONTH_NAMES_NB


class Every(StrEnum):
    MONTH = "month"
    TERTIAL = "tertial"
    QUARTER = "quarter"


MONTHS_PER_PERIOD = {Every.MONTH: 1, Every.TERTIAL: 4, Every.QUARTER: 3}
_EVERY_ALIASES = {
    **dict.fromkeys(("month", "monthly", "måned", "månedlig", "hver måned"), Every.MONTH),
    **dict.fromkeys(("tertial", "tertialvis", "hvert tertial"), Every.TERTIAL),
    **dict.fromkeys(("quarter", "quarterly", "kvartal", "kvartalsvis", "hvert kvartal"), Every.QUARTER),
}
_SUFFIX = re.compile(r"-(?P<year>\d{4})-(?P<number>\d{1,2})$")
_MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# The longest suffix ("-2027-09") must fit the stored phase key (64 characters).
MAX_REPEATING_KEY = 64 - len("-2027-09")


def _every(value: Any) -> Every:
    text = " ".join(str(value).split()).lower()
    if text in _EVERY_ALIASES:
        return _EVERY_ALIASES[text]
    raise ValueError(f"'{value}' er ikke en gjentakelse; bruk month (månedlig), tertial eller quarter (kvartal)")


def _month(value: Any) -> int:
    if isinstance(value, int) and 1 <= value <= 12:
        return value
    text = str(value).strip().lower().rstrip(".")
    if text in MONTH_ALIASES:
        return MONTH_ALIASES[text]
    raise ValueError(f"'{value}' er ikke en måned (januar–desember eller 1–12)")


class Repeat(BaseModel):
    """How a phase repeats; `on` is when each occurrence opens, inside its period (its `opens`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    every: Annotated[Every, BeforeValidator(_every)]
    on: str | None = None
    start_month: Annotated[int, BeforeValidator(_month)] = Field(default=1, alias="from")
    count: int | None = Field(default=None, ge=1, le=36)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"every": value}
        if isinstance(value, dict) and True in value:  # YAML 1.1 reads an unquoted `on:` key as the boolean true
            return {("on" if key is True else key): item for key, item in value.items()}
        return value

    @model_validator(mode="after")
    def _aligned(self) -> Repeat:
        length = MONTHS_PER_PERIOD[self.every]
        if (self.start_month - 1) % length:
            firsts = ", ".join(MONTH_NAMES_NB[m - 1] for m in range(1, 13, length))
            raise ValueError(f"from: et {self.every.value} begynner i {firsts}")
        return self

    @property
    def occurrences(self) -> int:
        return self.count or 12 // MONTHS_PER_PERIOD[self.every]


@dataclass(frozen=True)
class Period:
    """One period of a repeating phase: its first and last day, and its number within its calendar year."""

    every: Every
    start: date
    end: date

    @property
    def number(self) -> int:
        return (self.start.month - 1) // MONTHS_PER_PERIOD[self.every] + 1

    @property
    def suffix(self) -> str:
        number = f"{self.number:02d}" if self.every == Every.MONTH else str(self.number)
        return f"-{self.start.year}-{number}"

    def label(self, language: str) -> str:
        """The period as people say it: "september 2027", "1. tertial 2027", "2. kvartal 2028"."""
        year = self.start.year
        if self.every == Every.MONTH:
            name = MONTH_NAMES_NB[self.start.month - 1]
            return f"{_MONTH_NAMES_EN[self.start.month - 1]} {year}" if language == "en" else f"{name} {year}"
        if language == "en":
            return f"{'tertial' if self.every == Every.TERTIAL else 'quarter'} {self.number} {year}"
        return f"{self.number}. {'tertial' if self.every == Every.TERTIAL else 'kvartal'} {year}"


def period_of(every: Every, year: int, month: int) -> Period:
    length = MONTHS_PER_PERIOD[every]
    start = date(year, month, 1)
    after = date(year + (month + length - 1) // 12, (month + length - 1) % 12 + 1, 1)
    return Period(every, start, after - timedelta(days=1))


def periods(repeat: Repeat, cycle_year: int) -> list[Period]:
    """The periods of one cycle year, from the `from` month on (running into the next year when needed)."""
    length = MONTHS_PER_PERIOD[repeat.every]
    found = []
    for index in range(repeat.occurrences):
        months = repeat.start_month - 1 + index * length
        found.append(period_of(repeat.every, cycle_year + months // 12, months % 12 + 1))
    return found


def period_from_suffix(repeat: Repeat, key: str, base: str) -> Period | None:
    """The period an occurrence key names (`base` + "-2027-1"), or None if the key is not one of its occurrences."""
    match = _SUFFIX.search(key)
    if match is None or key[: match.start()] != base:
        return None
    year, number = int(match["year"]), int(match["number"])
    length = MONTHS_PER_PERIOD[repeat.every]
    if not 1 <= number <= 12 // length:
        return None
    period = period_of(repeat.every, year, (number - 1) * length + 1)
    return period if period.suffix == key[match.start() :] else None
