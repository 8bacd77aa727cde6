"""Closed periods of the årshjul file (fellesferie, Christmas week): ranges of days treated as non-working.

Accepted forms, in Norwegian or English: ``uke 28–30`` / ``week 28-30`` / ``uke 52`` (ISO weeks, Monday to
Sunday), ``1. juli–31. juli``, ``1/7–31/7``, ``07-01..07-31`` (MM-DD) and ``27.12–2.1`` (a range that ends
before it starts runs into the next year). An entry is a text or ``{name: Fellesferie, period: "uke 28–30"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.aarshjul.date_base import Anchor, DateRuleError, checked_date
from domain.aarshjul.date_forms import DayOfMonth
from domain.aarshjul.date_rules import UnknownRuleForm, parse_date_rule

_WEEKS = re.compile(r"(?:uke|week|veke)\s*(?P<first>\d{1,2})(?:\s*(?:-|–|—|\.\.|til|to)\s*(?P<last>\d{1,2}))?")
_SPLIT = re.compile(r"\s*(?:\.\.|–|—|\s-\s|\s+til\s+|\s+to\s+)\s*")
_MONTH_DAY = re.compile(r"(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_EXAMPLES = "«uke 28–30», «1. juli–31. juli», «07-01..07-31» eller «27.12–2.1»"


@dataclass(frozen=True)
class ClosedPeriod:
    """A named range, by ISO weeks or by day and month; resolved for a year into its first and last day."""

    name: str
    text: str
    weeks: tuple[int, int] | None = None
    days: tuple[Anchor, Anchor] | None = None

    def span(self, year: int) -> tuple[date, date] | None:
        """The first and last closed day of this period in `year` (None when the year lacks ISO week 53)."""
        if self.weeks is not None:
            first, last = self.weeks
            try:
                start = date.fromisocalendar(year, first, 1)
                end_year = year + 1 if last < first else year
                end = date.fromisocalendar(end_year, last, 7)
            except ValueError:
                return None
            return start, end
        assert self.days is not None
        begin, finish = self.days
        start = _on(begin, year)
        end = _on(finish, year)
        return (start, end) if end >= start else (start, _on(finish, year + 1))

    def dates(self, year: int) -> list[date]:
        span = self.span(year)
        if span is None:
            return []
        start, end = span
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _on(anchor: Anchor, year: int) -> date:
    # 29 February in a year without it closes the 28th: the period is meant to cover the month's end.
    if (anchor.month, anchor.day) == (2, 29) and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return date(year, 2, 28)
    return date(year, anchor.month, anchor.day)


def parse_closed_period(value: object) -> ClosedPeriod:
    """A closed period from the file: a text, or a mapping with `name` and `period`; errors in bokmål."""
    if isinstance(value, ClosedPeriod):
        return value
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"name", "period"})
        if unknown or "period" not in value:
            raise ValueError(
                'en stengt periode skrives som tekst eller som {name: Fellesferie, period: "uke 28–30"}'
                + (f"; ukjent felt: {', '.join(map(str, unknown))}" if unknown else "; feltet period mangler")
            )
        text, name = str(value["period"]).strip(), str(value.get("name") or value["period"]).strip()
    elif isinstance(value, str):
        text = name = value.strip()
    else:
        raise ValueError(f"en stengt periode må være tekst, for eksempel {_EXAMPLES}")
    return _parse(text, name)


def _parse(text: str, name: str) -> ClosedPeriod:
    normal = " ".join(text.split()).lower()
    if match := _WEEKS.fullmatch(normal):
        first, last = int(match["first"]), int(match["last"] or match["first"])
        for week in (first, last):
            if not 1 <= week <= 53:
                raise ValueError(f"«{text}»: uke {week} finnes ikke; ukene går fra 1 til 53")
        return ClosedPeriod(name, text, weeks=(first, last))
    parts = _SPLIT.split(normal)
    if len(parts) != 2:
        raise ValueError(f"forstår ikke den stengte perioden «{text}»; skriv for eksempel {_EXAMPLES}")
    return ClosedPeriod(name, text, days=(_end(parts[0], text), _end(parts[1], text)))


def _end(fragment: str, text: str) -> Anchor:
    if match := _MONTH_DAY.fullmatch(fragment):
        month, day = int(match["month"]), int(match["day"])
    else:
        try:
            rule = parse_date_rule(fragment)
        except UnknownRuleForm:
            raise ValueError(f"forstår ikke den stengte perioden «{text}»; skriv for eksempel {_EXAMPLES}") from None
        except DateRuleError as error:
            raise ValueError(str(error)) from None
        if not isinstance(rule, DayOfMonth):
            raise ValueError(f"«{text}»: hver ende må være en dag og en måned, for eksempel {_EXAMPLES}")
        month, day = rule.anchor.month, rule.anchor.day
    try:
        checked_date(2000, month, day, text, name_year=False)
    except DateRuleError as error:
        raise ValueError(str(error)) from None
    return Anchor(day, month)
