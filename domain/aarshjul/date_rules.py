"""Date rules from the årshjul YAML configuration: parsed once, resolved for any cycle year.

Accepted forms (English or Norwegian bokmål, case-insensitive):

* ``2027-09-15`` / ``15.09.2027`` / ``15/9/2027`` — a fixed date, valid only in its own year;
* ``15 September`` / ``15. september`` / ``15.09`` / ``15/9`` — that day in the cycle year, moved to the next
  working day when it is not one (forvaltningsloven § 30);
* ``first working day of January`` / ``første arbeidsdag i januar``;
* ``last working day of February`` / ``siste arbeidsdag i februar``;
* ``last working day before 1 May`` / ``siste arbeidsdag før 1. mai``;
* ``first working day after 15 August`` / ``første arbeidsdag etter 15. august``;
* ``second Tuesday of November`` / ``andre tirsdag i november``, ``last Friday of June`` / ``siste fredag i juni``
  (moved to the next working day when that day is a holiday);
* ``week 38`` / ``uke 38`` (the ISO week's first working day), ``Friday of week 38`` / ``fredag i uke 38``;
* ``N working days after|before <rule or key>`` / ``N arbeidsdager etter|før <regel eller nøkkel>`` (N ≥ 1,
  recursive), where a key names another phase's or step's date: ``amu-mote``, ``spring-input.due``, and inside a
  phase its own ``opens``, ``due`` or ``closes``; ``spring-input.closes`` alone is that date itself;
* inside a repeating phase: ``first working day`` / ``første arbeidsdag`` and ``last working day`` /
  ``siste arbeidsdag`` of the occurrence's period, and ``15.`` / ``den 15.`` / ``day 15`` of its first month.

The anchors of "before"/"after" are the calendar dates themselves, whereas the base of
"N working days after <rule>" is the resolved rule (so a base on a holiday is first moved forward).
"""

from __future__ import annotations

import re

from domain.aarshjul.date_base import MONTH_ALIASES, MONTH_NAMES_NB, Anchor, DateRule, DateRuleError
from domain.aarshjul.date_forms import (
    BeyondAnchor,
    DayOfMonth,
    FixedDate,
    IsoWeek,
    MonthEdge,
    NamedDate,
    NthWeekday,
    PeriodDay,
    PeriodEdge,
    WorkingDayOffset,
    check_anchor,
)

__all__ = ["MONTH_NAMES_NB", "DateRule", "DateRuleError", "UnknownRuleForm", "parse_date_rule"]

_MONTH = "(?P<month>" + "|".join(sorted(MONTH_ALIASES, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:\s*\.|st|nd|rd|th)?"

_FULL_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
    re.compile(r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?:\s*/\s*|\s+)(?P<year>\d{4})"),
)
_DAY_MONTH_FORMS = (
    re.compile(rf"{_DAY}\s*{_MONTH}"),
    re.compile(rf"{_MONTH}\s*{_DAY}"),
    re.compile(r"(?P<day>\d{1,2})\s*\.\s*(?P<month>\d{1,2})\.?"),
    re.compile(r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})"),
)

_WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mandag", "monday"), 0), **dict.fromkeys(("tirsdag", "tuesday"), 1),
    **dict.fromkeys(("onsdag", "wednesday"), 2), **dict.fromkeys(("torsdag", "thursday"), 3),
    **dict.fromkeys(("fredag", "friday"), 4), **dict.fromkeys(("lørdag", "saturday"), 5),
    **dict.fromkeys(("søndag", "sunday"), 6),
}  # fmt: skip
_ORDINALS: dict[str, int] = {
    "første": 1, "first": 1, "andre": 2, "second": 2, "tredje": 3, "third": 3,
    "fjerde": 4, "fourth": 4, "femte": 5, "fifth": 5, "siste": -1, "last": -1,
}  # fmt: skip
_WEEKDAY = "(?P<weekday>" + "|".join(_WEEKDAYS) + ")"

_WORKING_DAY = r"(?:working day|arbeidsdag)"
_FIRST = rf"(?:the )?(?:first|første) {_WORKING_DAY}"
_LAST = rf"(?:the )?(?:last|siste) {_WORKING_DAY}"
_FIRST_OF_MONTH = re.compile(rf"{_FIRST} (?:of|in|i) (?P<rest>.+)")
_LAST_OF_MONTH = re.compile(rf"{_LAST} (?:of|in|i) (?P<rest>.+)")
_LAST_BEFORE = re.compile(rf"{_LAST} (?:before|før) (?P<rest>.+)")
_FIRST_AFTER = re.compile(rf"{_FIRST} (?:after|etter) (?P<rest>.+)")
_PERIOD_EDGE = re.compile(rf"(?:the )?(?P<edge>first|første|last|siste) {_WORKING_DAY}")
_PERIOD_DAY = re.compile(r"(?:(?:den|the|day) )?(?P<day>\d{1,2})\.?(?:st|nd|rd|th)?")
_NTH_WEEKDAY = re.compile(rf"(?:the )?(?P<ordinal>{'|'.join(_ORDINALS)}) {_WEEKDAY} (?:of|in|i) (?P<rest>.+)")
_WEEK = re.compile(rf"(?:{_WEEKDAY} (?:of|in|i) )?(?:uke|week|veke) (?P<week>\d{{1,2}})")
_OFFSET = re.compile(
    r"(?P<count>\d+) (?:working days?|arbeidsdag(?:er)?) (?P<direction>after|etter|before|før) (?P<rest>.+)"
)
# A key of a phase or step, with an optional field: "amu-mote", "spring-input.due"; or a phase's own field.
_REFERENCE = re.compile(r"(?P<name>[a-z][a-z0-9-]*(?:\.[a-z][a-z_]*)?)")
_OWN_FIELDS = frozenset({"opens", "due", "closes"})

_ACCEPTED_FORMS = (
    "«2027-09-15», «15. september», «15/9», «første arbeidsdag i januar», «siste arbeidsdag i februar», "
    "«siste arbeidsdag før 1. mai», «første arbeidsdag etter 15. august», «andre tirsdag i november», "
    "«uke 38», «fredag i uke 38», «3 arbeidsdager før 1. juni» og «5 arbeidsdager etter spring-input.due» "
    "(også på engelsk, for eksempel «15 September», «second Tuesday of November» eller «last working day of February»)"
)


class UnknownRuleForm(DateRuleError):
    """A text that is no rule form at all (as opposed to a form with an impossible date)."""


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def _unknown(text: str) -> DateRuleError:
    return UnknownRuleForm(f"Forstår ikke datoregelen «{text}». Gyldige former er for eksempel {_ACCEPTED_FORMS}.")


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTH_ALIASES[token]


def _parse_anchor(fragment: str, text: str) -> Anchor | None:
    """An ISO date or a day and month (validated against a leap year), or None if it is neither."""
    for pattern in _FULL_DATE_FORMS:
        if match := pattern.fullmatch(fragment):
            year, month, day = (int(match[name]) for name in ("year", "month", "day"))
            return check_anchor(Anchor(day, month, year), text)
    for pattern in _DAY_MONTH_FORMS:
        if match := pattern.fullmatch(fragment):
            return check_anchor(Anchor(int(match["day"]), _month_number(match["month"])), text)
    return None


def _require_anchor(fragment: str, text: str) -> Anchor:
    anchor = _parse_anchor(fragment, text)
    if anchor is None:
        raise _unknown(text)
    return anchor


def _parse_month(fragment: str, text: str) -> int:
    token = fragment.rstrip(".")
    if token in MONTH_ALIASES:
        return MONTH_ALIASES[token]
    raise _unknown(text)


def _reference(fragment: str) -> str | None:
    """The key a fragment names, unless it is a word of the calendar (a month, a weekday)."""
    match = _REFERENCE.fullmatch(fragment)
    if match is None or fragment.rstrip(".") in MONTH_ALIASES or fragment in _WEEKDAYS:
        return None
    return match["name"]


def _parse_offset(match: re.Match[str], text: str) -> DateRule:
    count = int(match["count"])
    if count < 1:
        raise DateRuleError(
            f"Ugyldig datoregel «{text}»: antall arbeidsdager må være minst 1, "
            "for eksempel «3 arbeidsdager før 1. juni»."
        )
    sign = 1 if match["direction"] in ("after", "etter") else -1
    rest = match["rest"]
    try:
        base = _parse(rest, rest)
    except UnknownRuleForm:
        name = _reference(rest)
        if name is None:
            raise _unknown(text) from None
        base = NamedDate(rest, name)
    except DateRuleError as error:
        raise DateRuleError(f"I datoregelen «{text}»: {error}") from None
    return WorkingDayOffset(text, sign * count, base)


def _parse_week(match: re.Match[str], text: str) -> DateRule:
    week = int(match["week"])
    if not 1 <= week <= 53:
        raise DateRuleError(f"Ugyldig datoregel «{text}»: uke {week} finnes ikke; ukene går fra 1 til 53.")
    return IsoWeek(text, week, _WEEKDAYS[match["weekday"]] if match["weekday"] else None)


def _parse_calendar_forms(normal: str, text: str) -> DateRule | None:
    """The forms that name a day of the calendar by month, week or weekday."""
    if match := _FIRST_OF_MONTH.fullmatch(normal):
        return MonthEdge(text, _parse_month(match["rest"], text), first=True)
    if match := _LAST_OF_MONTH.fullmatch(normal):
        return MonthEdge(text, _parse_month(match["rest"], text), first=False)
    if match := _LAST_BEFORE.fullmatch(normal):
        return BeyondAnchor(text, _require_anchor(match["rest"], text), after=False)
    if match := _FIRST_AFTER.fullmatch(normal):
        return BeyondAnchor(text, _require_anchor(match["rest"], text), after=True)
    if match := _NTH_WEEKDAY.fullmatch(normal):
        month = _parse_month(match["rest"], text)
        return NthWeekday(text, month, _WEEKDAYS[match["weekday"]], _ORDINALS[match["ordinal"]])
    if match := _WEEK.fullmatch(normal):
        return _parse_week(match, text)
    return None


def _parse(normal: str, text: str) -> DateRule:
    if (rule := _parse_calendar_forms(normal, text)) is not None:
        return rule
    if match := _OFFSET.fullmatch(normal):
        return _parse_offset(match, text)
    if match := _PERIOD_EDGE.fullmatch(normal):
        return PeriodEdge(text, first=match["edge"] in ("first", "første"))
    if (match := _PERIOD_DAY.fullmatch(normal)) and not normal.isdigit():
        return PeriodDay(text, int(match["day"]))
    anchor = _parse_anchor(normal, text)
    if anchor is not None:
        return FixedDate(text, anchor) if anchor.year is not None else DayOfMonth(text, anchor)
    # A bare word stays a misunderstood rule; a key with a hyphen or a field ("amu-mote", "x.due") names a date.
    if (name := _reference(normal)) is not None and ("." in name or "-" in name or name in _OWN_FIELDS):
        return NamedDate(text, name)
    raise _unknown(text)


def parse_date_rule(text: str) -> DateRule:
    """Parse a date rule from the configuration; raises DateRuleError with a bokmål message."""
    if not isinstance(text, str) or not text.strip():
        raise DateRuleError(f"Datoregelen er tom. Gyldige former er for eksempel {_ACCEPTED_FORMS}.")
    return _parse(_normalise(text), text.strip())
