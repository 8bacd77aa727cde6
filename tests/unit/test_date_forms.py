"""The date forms people write (slashes, ISO weeks, the n-th weekday, references), in bokmål and English."""

from __future__ import annotations

from datetime import date

import pytest

from domain.aarshjul.date_rules import DateRuleError, parse_date_rule
from domain.aarshjul.workdays import WorkCalendar

CAL = WorkCalendar()


def resolve(text: str, year: int = 2027, names: dict[str, date] | None = None) -> date:
    return parse_date_rule(text).resolve(year, CAL, names or {})


@pytest.mark.parametrize(
    ("nb", "en", "expected"),
    [
        ("1/5", "1/5", date(2027, 5, 3)),  # 1 May is a holiday, then a weekend
        ("30/4", "30/4", date(2027, 4, 30)),
        ("30.04", "30.04", date(2027, 4, 30)),
        ("15/9/2027", "15/9 2027", date(2027, 9, 15)),
        ("uke 38", "week 38", date(2027, 9, 20)),
        ("uke 1", "week 1", date(2027, 1, 4)),
        ("fredag i uke 38", "Friday of week 38", date(2027, 9, 24)),
        ("torsdag i uke 18", "thursday in week 18", date(2027, 5, 7)),  # Ascension Day (6 May) moves to Friday
        ("andre tirsdag i november", "second Tuesday of November", date(2027, 11, 9)),
        ("første mandag i mars", "first Monday of March", date(2027, 3, 1)),
        ("første mandag i mai", "the first Monday in May", date(2027, 5, 3)),
        ("siste fredag i juni", "last Friday of June", date(2027, 6, 25)),
        ("fjerde torsdag i november", "fourth Thursday of November", date(2027, 11, 25)),
        ("siste mandag i mars", "last Monday of March", date(2027, 3, 30)),  # Easter Monday moves to Tuesday
        ("3 arbeidsdager før andre tirsdag i november", "3 working days before second Tuesday of November",
         date(2027, 11, 4)),
        ("2 arbeidsdager etter uke 38", "2 working days after week 38", date(2027, 9, 22)),
    ],
)  # fmt: skip
def test_the_forms_people_write_in_both_languages(nb: str, en: str, expected: date) -> None:
    assert resolve(nb) == expected
    assert resolve(en) == expected


@pytest.mark.parametrize(
    ("nb", "en"),
    [
        ("3 arbeidsdager før amu-mote", "3 working days before amu-mote"),
        ("5 arbeidsdager etter spring-input.due", "5 working days after spring-input.due"),
        ("2 arbeidsdager etter opens", "2 working days after opens"),
    ],
)
def test_a_rule_can_count_from_another_named_date(nb: str, en: str) -> None:
    names = {"amu-mote": date(2027, 11, 26), "spring-input.due": date(2027, 4, 30), "opens": date(2027, 3, 1)}
    expected = {"amu-mote": date(2027, 11, 23), "spring-input.due": date(2027, 5, 10), "opens": date(2027, 3, 3)}
    reference = nb.split()[-1]
    assert parse_date_rule(nb).references() == frozenset({reference})
    assert resolve(nb, names=names) == resolve(en, names=names) == expected[reference]


def test_a_named_date_alone_is_that_date() -> None:
    assert resolve("spring-input.closes", names={"spring-input.closes": date(2027, 6, 30)}) == date(2027, 6, 30)


@pytest.mark.parametrize(("slash", "written"), [("31/4", "31. april"), ("30/2", "30. februar"), ("31/11", "31. nov")])
def test_an_impossible_date_with_a_slash_gets_the_same_help_as_in_words(slash: str, written: str) -> None:
    with pytest.raises(DateRuleError) as by_slash:
        parse_date_rule(slash)
    with pytest.raises(DateRuleError) as in_words:
        parse_date_rule(written)
    assert str(by_slash.value).replace(f"«{slash}»", "«X»") == str(in_words.value).replace(f"«{written}»", "«X»")
    assert "finnes ikke" in str(by_slash.value) and "Forstår ikke" not in str(by_slash.value)


def test_31_april_in_a_range_is_refused_with_the_helpful_message() -> None:
    with pytest.raises(DateRuleError, match=r"31\. april finnes ikke.*«30\. april»"):
        parse_date_rule("3 arbeidsdager før 31/4")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("uke 54", "uke 54 finnes ikke"),
        ("fredag i uke 0", "uke 0 finnes ikke"),
        ("andre blårsdag i november", "Forstår ikke"),
        ("andre tirsdag i novembar", "Forstår ikke"),
        ("3 arbeidsdager før juni", "Forstår ikke"),
        ("13/13", "måned 13 finnes ikke"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateRuleError, match=message):
        parse_date_rule(text)


def test_a_fifth_weekday_a_month_lacks_is_refused_for_that_year() -> None:
    rule = parse_date_rule("femte fredag i februar")
    with pytest.raises(DateRuleError, match="har bare 4 fredager"):
        rule.resolve(2027, CAL)


def test_week_53_exists_only_in_some_years() -> None:
    assert resolve("uke 53", 2026) == date(2026, 12, 28)
    with pytest.raises(DateRuleError, match="2027 har ikke uke 53"):
        resolve("uke 53", 2027)


def test_a_named_date_that_is_missing_is_said_in_norwegian() -> None:
    with pytest.raises(DateRuleError, match="viser til «amu-mote», som ikke har noen dato"):
        resolve("3 arbeidsdager før amu-mote")


def test_closed_days_are_avoided_by_every_form() -> None:
    closed = WorkCalendar(closed_days=frozenset({date(2027, 9, 20), date(2027, 11, 9)}))
    assert parse_date_rule("uke 38").resolve(2027, closed) == date(2027, 9, 21)
    assert parse_date_rule("andre tirsdag i november").resolve(2027, closed) == date(2027, 11, 10)
