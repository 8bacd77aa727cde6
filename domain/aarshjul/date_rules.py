"""Date rules from the årshjul YAML configuration: parsed once, resolved for any cycle year.

Accepted forms (English or Norwegian bokmål, case-insensitive):

* ``2027-09-15`` — a fixed date, valid only in its own year;
* ``15 September`` / ``15. september`` / ``15.09`` — that day in the cycle year, moved to the next working
  day when it is not one (forvaltningsloven § 30);
* ``first working day of January`` / ``første arbeidsdag i januar``;
* ``last working day of February`` / ``siste arbeidsdag i februar``;
* ``last working day before 1 May`` / ``siste arbeidsdag før 1. mai``;
* ``first working day after 15 August`` / ``første arbeidsdag etter 15. august``;
* ``N working days after|before <rule>`` / ``N arbeidsdager etter|før <regel>`` (N ≥ 1, recursive).

The anchors of "before"/"after" are the calendar dates themselves, whereas the base of
"N working days after <rule>" is the resolved rule (so a base on a holiday is first moved forward).
"""

from __future__ import annotations

import calendar
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from domain.aarshjul.workdays import WorkCalendar

MONTH_NAMES_NB: tuple[str, ...] = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip

_MONTH_ALIASES: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES_NB, start=1)},
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12,
}  # fmt: skip

_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_ALIASES, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:\s*\.|st|nd|rd|th)?"

_FULL_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
)
_DAY_MONTH_FORMS = (
    re.compile(rf"{_DAY}\s*{_MONTH}"),
    re.compile(rf"{_MONTH}\s*{_DAY}"),
    re.compile(r"(?P<day>\d{1,2})\s*\.\s*(?P<month>\d{1,2})\.?"),
)

_WORKING_DAY = r"(?:working day|arbeidsdag)"
_FIRST = rf"(?:the )?(?:first|første) {_WORKING_DAY}"
_LAST = rf"(?:the )?(?:last|siste) {_WORKING_DAY}"
_FIRST_OF_MONTH = re.compile(rf"{_FIRST} (?:of|in|i) (?P<rest>.+)")
_LAST_OF_MONTH = re.compile(rf"{_LAST} (?:of|in|i) (?P<rest>.+)")
_LAST_BEFORE = re.compile(rf"{_LAST} (?:before|før) (?P<rest>.+)")
_FIRST_AFTER = re.compile(rf"{_FIRST} (?:after|etter) (?P<rest>.+)")
_OFFSET = re.compile(
    r"(?P<count>\d+) (?:working days?|arbeidsdag(?:er)?) (?P<direction>after|etter|before|før) (?P<rest>.+)"
)

_ACCEPTED_FORMS = (
    "«2027-09-15», «15. september», «første arbeidsdag i januar», «siste arbeidsdag i februar», "
    "«siste arbeidsdag før 1. mai», «første arbeidsdag etter 15. august», "
    "«3 arbeidsdager før 1. juni» og «2 arbeidsdager etter første arbeidsdag i august» "
    "(også på engelsk, for eksempel «15 September» eller «last working day of February»)"
)


class DateRuleError(ValueError):
    """A date rule that cannot be parsed or resolved; the message is for the user, in bokmål."""


def _day_month_label(day: int, month: int) -> str:
    return f"{day}. {MONTH_NAMES_NB[month - 1]}"


def _checked_date(year: int, month: int, day: int, text: str, *, name_year: bool = True) -> date:
    """date(year, month, day), or a DateRuleError naming the date that does not exist."""
    if not 1 <= month <= 12:
        raise DateRuleError(
            f"Ugyldig dato i datoregelen «{text}»: måned {month} finnes ikke. "
            "Eksempel på en gyldig regel: «15. september»."
        )
    try:
        return date(year, month, day)
    except ValueError:
        missing = _day_month_label(day, month) + " finnes ikke" + (f" i {year}" if name_year else "")
        last_day = _day_month_label(calendar.monthrange(year, month)[1], month)
        raise DateRuleError(
            f"Ugyldig dato i datoregelen «{text}»: {missing}. Eksempel på en gyldig regel: «{last_day}»."
        ) from None


@dataclass(frozen=True)
class _Anchor:
    """A calendar date, with or without a year, that a rule counts from."""

    day: int
    month: int
    year: int | None = None

    def on(self, year: int, text: str) -> date:
        if self.year is not None and self.year != year:
            raise DateRuleError(
                f"Datoregelen «{text}» gjelder bare for {self.year}, ikke for {year}. "
                f"Bruk en regel uten årstall, for eksempel «{_day_month_label(self.day, self.month)}», "
                "hvis den skal gjelde hvert år."
            )
        return _checked_date(year, self.month, self.day, text)


@dataclass(frozen=True)
class DateRule(ABC):
    """A parsed date rule; `text` is the rule as written in the configuration."""

    text: str

    @abstractmethod
    def resolve(self, year: int, cal: WorkCalendar) -> date:
        """The date this rule gives in cycle year `year`."""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class FixedDate(DateRule):
    anchor: _Anchor

    def resolve(self, year: int, cal: WorkCalendar) -> date:
        return self.anchor.on(year, self.text)


@dataclass(frozen=True)
class DayOfMonth(DateRule):
    anchor: _Anchor

    def resolve(self, year: int, cal: WorkCalendar) -> date:
        return cal.next_working_day(self.anchor.on(year, self.text))


@dataclass(frozen=True)
class MonthEdge(DateRule):
    month: int
    first: bool

    def resolve(self, year: int, cal: WorkCalendar) -> date:
        if self.first:
            return cal.next_working_day(date(year, self.month, 1))
        last_day = calendar.monthrange(year, self.month)[1]
        return cal.previous_working_day(date(year, self.month, last_day))


@dataclass(frozen=True)
class BeyondAnchor(DateRule):
    anchor: _Anchor
    after: bool

    def resolve(self, year: int, cal: WorkCalendar) -> date:
        day = self.anchor.on(year, self.text)
        if self.after:
            return cal.next_working_day(day, inclusive=False)
        return cal.previous_working_day(day, inclusive=False)


@dataclass(frozen=True)
class WorkingDayOffset(DateRule):
    days: int
    base: DateRule

    def resolve(self, year: int, cal: WorkCalendar) -> date:
        return cal.add_working_days(self.base.resolve(year, cal), self.days)


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def _unknown(text: str) -> DateRuleError:
    return DateRuleError(f"Forstår ikke datoregelen «{text}». Gyldige former er for eksempel {_ACCEPTED_FORMS}.")


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else _MONTH_ALIASES[token]


def _parse_anchor(fragment: str, text: str) -> _Anchor | None:
    """An ISO date or a day and month (validated against a leap year), or None if it is neither."""
    for pattern in _FULL_DATE_FORMS:
        if match := pattern.fullmatch(fragment):
            year, month, day = (int(match[name]) for name in ("year", "month", "day"))
            _checked_date(year, month, day, text)
            return _Anchor(day, month, year)
    for pattern in _DAY_MONTH_FORMS:
        if match := pattern.fullmatch(fragment):
            day, month = int(match["day"]), _month_number(match["month"])
            _checked_date(2000, month, day, text, name_year=False)  # a leap year: 29 February is valid
            return _Anchor(day, month)
    return None


def _require_anchor(fragment: str, text: str) -> _Anchor:
    anchor = _parse_anchor(fragment, text)
    if anchor is None:
        raise _unknown(text)
    return anchor


def _parse_month(fragment: str, text: str) -> int:
    token = fragment.rstrip(".")
    if token in _MONTH_ALIASES:
        return _MONTH_ALIASES[token]
    raise _unknown(text)


def _parse_offset(match: re.Match[str], text: str) -> DateRule:
    count = int(match["count"])
    if count < 1:
        raise DateRuleError(
            f"Ugyldig datoregel «{text}»: antall arbeidsdager må være minst 1, "
            "for eksempel «3 arbeidsdager før 1. juni»."
        )
    sign = 1 if match["direction"] in ("after", "etter") else -1
    try:
        base = _parse(match["rest"], match["rest"])
    except DateRuleError as error:
        raise DateRuleError(f"I datoregelen «{text}»: {error}") from None
    return WorkingDayOffset(text, sign * count, base)


def _parse(normal: str, text: str) -> DateRule:
    if match := _FIRST_OF_MONTH.fullmatch(normal):
        return MonthEdge(text, _parse_month(match["rest"], text), first=True)
    if match := _LAST_OF_MONTH.fullmatch(normal):
        return MonthEdge(text, _parse_month(match["rest"], text), first=False)
    if match := _LAST_BEFORE.fullmatch(normal):
        return BeyondAnchor(text, _require_anchor(match["rest"], text), after=False)
    if match := _FIRST_AFTER.fullmatch(normal):
        return BeyondAnchor(text, _require_anchor(match["rest"], text), after=True)
    if match := _OFFSET.fullmatch(normal):
        return _parse_offset(match, text)
    anchor = _parse_anchor(normal, text)
    if anchor is None:
        raise _unknown(text)
    return FixedDate(text, anchor) if anchor.year is not None else DayOfMonth(text, anchor)


def parse_date_rule(text: str) -> DateRule:
    """Parse a date rule from the configuration; raises DateRuleError with a bokmål message."""
    if not isinstance(text, str) or not text.strip():
        raise DateRuleError(f"Datoregelen er tom. Gyldige former er for eksempel {_ACCEPTED_FORMS}.")
    return _parse(_normalise(text), text.strip())
