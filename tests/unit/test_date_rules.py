"""Date rules from the årshjul configuration, in English and Norwegian bokmål."""

from __future__ import annotations

from datetime import date

import pytest

from domain.aarshjul.date_rules import DateRule, DateRuleError, parse_date_rule
from domain.aarshjul.workdays import WorkCalendar

CAL = WorkCalendar()


def resolve(text: str, year: int = 2027, cal: WorkCalendar = CAL) -> date:
    return parse_date_rule(text).resolve(year, cal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-09-15", date(2027, 9, 15)),
        ("15.09.2027", date(2027, 9, 15)),
        ("15 September", date(2027, 9, 15)),
        ("15. september", date(2027, 9, 15)),
        ("15.09", date(2027, 9, 15)),
        ("September 15", date(2027, 9, 15)),
        ("  15.   SEPTEMBER ", date(2027, 9, 15)),
        ("first working day of January", date(2027, 1, 4)),
        ("første arbeidsdag i januar", date(2027, 1, 4)),
        ("FØRSTE  Arbeidsdag  I  Januar", date(2027, 1, 4)),
        ("last working day of February", date(2027, 2, 26)),
        ("siste arbeidsdag i februar", date(2027, 2, 26)),
        ("last working day of March", date(2027, 3, 31)),
        ("siste arbeidsdag i desember", date(2027, 12, 31)),
        ("last working day before 1 May", date(2027, 4, 30)),
        ("siste arbeidsdag før 1. mai", date(2027, 4, 30)),
        ("siste arbeidsdag før 30. mars", date(2027, 3, 24)),  # over Easter
        ("first working day after 15 August", date(2027, 8, 16)),
        ("første arbeidsdag etter 15. august", date(2027, 8, 16)),
        ("første arbeidsdag etter 24. mars", date(2027, 3, 30)),  # over Easter
    ],
)
def test_rule_forms(text: str, expected: date) -> None:
    assert resolve(text) == expected


def test_rule_keeps_its_text() -> None:
    rule = parse_date_rule("15. september")
    assert isinstance(rule, DateRule)
    assert rule.text == "15. september"
    assert str(rule) == "15. september"


@pytest.mark.parametrize("text", ["17 May", "17. mai", "17.05"])
def test_day_on_a_holiday_moves_to_next_working_day(text: str) -> None:
    assert resolve(text) == date(2027, 5, 18)


def test_day_on_a_weekend_moves_to_next_working_day() -> None:
    assert resolve("15. august") == date(2027, 8, 16)  # a Sunday
    assert resolve("15. august", 2028) == date(2028, 8, 15)  # a Tuesday


def test_day_month_resolves_in_any_year() -> None:
    assert resolve("first working day of January", 2028) == date(2028, 1, 3)
    assert resolve("last working day of February", 2028) == date(2028, 2, 29)


def test_closed_days_are_respected() -> None:
    cal = WorkCalendar(closed_days=frozenset({date(2027, 12, 24)}))
    assert resolve("24. desember", cal=cal) == date(2027, 12, 27)
    assert resolve("siste arbeidsdag i desember", 2027, cal) == date(2027, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 working days after 15 September", date(2027, 9, 20)),
        ("3 arbeidsdager etter 15. september", date(2027, 9, 20)),
        ("1 working day before 30 March", date(2027, 3, 24)),
        ("1 arbeidsdag før 30. mars", date(2027, 3, 24)),
        ("2 working days before 18 May", date(2027, 5, 13)),
        ("2 arbeidsdager før 18. mai", date(2027, 5, 13)),
        ("3 arbeidsdager før siste arbeidsdag før 1. mai", date(2027, 4, 27)),
        ("2 working days after first working day of January", date(2027, 1, 6)),
        ("1 arbeidsdag etter 1 arbeidsdag etter 24. mars", date(2027, 3, 31)),
    ],
)
def test_working_day_offsets(text: str, expected: date) -> None:
    assert resolve(text) == expected


def test_offset_counts_from_the_resolved_base_rule() -> None:
    # "15. august" 2027 is a Sunday and resolves to Monday 16; one working day after that is Tuesday.
    assert resolve("1 arbeidsdag etter 15. august") == date(2027, 8, 17)
    assert resolve("første arbeidsdag etter 15. august") == date(2027, 8, 16)


def test_zero_working_days_is_refused() -> None:
    with pytest.raises(DateRuleError, match="minst 1"):
        parse_date_rule("0 arbeidsdager etter 1. mai")


@pytest.mark.parametrize("text", ["31. april", "31 April", "31.04", "første arbeidsdag etter 31. april"])
def test_impossible_day_is_named(text: str) -> None:
    with pytest.raises(DateRuleError, match=r"31\. april finnes ikke"):
        parse_date_rule(text)


def test_impossible_iso_date_is_named() -> None:
    with pytest.raises(DateRuleError, match=r"31\. april finnes ikke"):
        parse_date_rule("2027-04-31")


def test_impossible_month() -> None:
    with pytest.raises(DateRuleError, match="måned 13 finnes ikke"):
        parse_date_rule("15.13")


def test_leap_day_is_a_valid_rule_but_not_every_year() -> None:
    rule = parse_date_rule("29. februar")
    assert rule.resolve(2028, CAL) == date(2028, 2, 29)
    with pytest.raises(DateRuleError, match=r"29\. februar finnes ikke i 2027"):
        rule.resolve(2027, CAL)


def test_iso_date_for_another_year() -> None:
    rule = parse_date_rule("2027-09-15")
    with pytest.raises(DateRuleError, match="gjelder bare for 2027"):
        rule.resolve(2028, CAL)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "snart",
        "første arbeidsdag i smarch",
        "siste arbeidsdag før jul",
        "3 arbeidsdager før",
        "15",
    ],
)
def test_unknown_rules_list_the_accepted_forms(text: str) -> None:
    with pytest.raises(DateRuleError, match="første arbeidsdag i januar"):
        parse_date_rule(text)


def test_error_is_a_value_error() -> None:
    assert issubclass(DateRuleError, ValueError)
