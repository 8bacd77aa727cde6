"""The årshjul file's dates: references between phases, closed periods and repeating phases, and their refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from config.yaml_lines import ConfigFileError
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import to_local
from domain.aarshjul.year_schedule import year_schedule

PACKAGED = PACKAGED_AARSHJUL.read_text(encoding="utf-8")
TERTIAL = """
  - key: tertial-report
    title: {nb: Tertialrapport, nn: Tertialrapport, en: Tertial report}
    what: {nb: Rapporter., nn: Rapporter., en: Report.}
    audience: [{who: unit_leaders}]
    form: input
    repeat: {every: tertial, from: september}
    due: 10 arbeidsdager etter opens
    closes: siste arbeidsdag
    reminders: [3, 0]
"""
MEETING_PREP = """
  - key: amu-papers
    title: {nb: Sakspapirer til AMU, nn: Sakspapir til AMU, en: Papers for AMU}
    what: {nb: Send papirene., nn: Send papira., en: Send the papers.}
    audience: [{who: hr}]
    form: adoption
    opens: 5 arbeidsdager etter spring-input.due
    due: 3 arbeidsdager før december-adoption.opens
    closes: december-adoption
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, years: tuple[int, ...] = ()) -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(write(tmp_path, text), years=years)
    return caught.value.problems


def line_of(text: str, snippet: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if snippet in line)


def dates_2027(aarshjul: Aarshjul) -> dict[str, tuple[date, ...]]:
    return {
        s.config.key: tuple(to_local(m).date() for m in (s.dates.opens_at, s.dates.due_at, s.dates.closes_at))
        for s in year_schedule(aarshjul, 2027)
    }


def test_a_phase_counts_from_another_phases_dates_written_further_down(tmp_path: Path) -> None:
    text = PACKAGED.replace("phases:\n", "phases:\n" + MEETING_PREP, 1)
    dates = dates_2027(load_aarshjul(write(tmp_path, text)))
    # Spring input is due Friday 30 April; 5 working days on skips 6 May (Ascension Day). December adoption opens
    # Wednesday 1 December; 3 working days before is 26 November; it closes on its deadline, 15 December.
    assert dates["amu-papers"] == (date(2027, 5, 10), date(2027, 11, 26), date(2027, 12, 15))


def test_an_unknown_reference_names_file_line_field_and_the_closest_key(tmp_path: Path) -> None:
    text = PACKAGED.replace("phases:\n", "phases:\n" + MEETING_PREP.replace("spring-input.due", "spring-inptu.due"), 1)
    assert problems(tmp_path, text) == [
        f"linje {line_of(text, 'spring-inptu.due')}, phases[0 amu-papers].opens: datoregelen «5 arbeidsdager etter "
        "spring-inptu.due» viser til «spring-inptu.due», som ikke finnes. Mente du «spring-input.due»?"
    ]


def test_every_unknown_reference_is_reported_at_once(tmp_path: Path) -> None:
    broken = MEETING_PREP.replace("spring-input.due", "sprng-input.due").replace(
        "december-adoption.opens", "desember-adoption.opens"
    )
    broken = broken.replace("closes: december-adoption", "closes: 2 arbeidsdager etter amu-mote")
    found = problems(tmp_path, PACKAGED.replace("phases:\n", "phases:\n" + broken, 1))
    assert [p.split(": ", 1)[0].split(", ")[1] for p in found] == [
        "phases[0 amu-papers].opens",
        "phases[0 amu-papers].due",
        "phases[0 amu-papers].closes",
    ]
    assert "Mente du «spring-input.due»?" in found[0]
    assert "Mente du «december-adoption.opens»?" in found[1]
    assert "viser til «amu-mote», som ikke finnes." in found[2]


def test_a_cycle_of_references_is_refused_with_the_ring(tmp_path: Path) -> None:
    ring = MEETING_PREP.replace("5 arbeidsdager etter spring-input.due", "2 arbeidsdager før due").replace(
        "3 arbeidsdager før december-adoption.opens", "4 arbeidsdager etter amu-papers.opens"
    )
    text = PACKAGED.replace("phases:\n", "phases:\n" + ring, 1)
    (problem,) = problems(tmp_path, text)
    assert problem.startswith(f"linje {line_of(text, '2 arbeidsdager før due')}, phases[0 amu-papers].")
    assert "viser til hverandre i ring: amu-papers." in problem
    assert "amu-papers.opens («2 arbeidsdager før due»)" in problem


def test_a_period_form_outside_a_repeating_phase_is_refused(tmp_path: Path) -> None:
    text = PACKAGED.replace("due: last working day of February", "due: siste arbeidsdag", 1)
    (problem,) = problems(tmp_path, text)
    assert problem.startswith(f"linje {line_of(text, 'due: siste arbeidsdag')}, phases[0 january-evaluation].due:")
    assert "gjelder bare i en fase som gjentas (repeat)" in problem


def test_a_repeating_phase_has_no_single_date_to_refer_to(tmp_path: Path) -> None:
    text = (PACKAGED + TERTIAL).replace("due: 15 December", "due: 3 arbeidsdager etter tertial-report.due")
    (problem,) = problems(tmp_path, text)
    assert "phases[3 december-adoption].due" in problem and "én dato per forekomst" in problem


def test_a_tertial_from_september_runs_into_the_next_year(tmp_path: Path) -> None:
    aarshjul = load_aarshjul(write(tmp_path, PACKAGED + TERTIAL))
    dates = dates_2027(aarshjul)
    assert [key for key in dates if key.startswith("tertial")] == [
        "tertial-report-2027-3",
        "tertial-report-2028-1",
        "tertial-report-2028-2",
    ]
    assert dates["tertial-report-2028-1"] == (date(2028, 1, 3), date(2028, 1, 17), date(2028, 4, 28))
    occurrence = aarshjul.phase("tertial-report-2028-1")
    assert occurrence.title.nb == "Tertialrapport – 1. tertial 2028"
    assert occurrence.title.en == "Tertial report – tertial 1 2028"
    assert occurrence.series == "tertial-report" and occurrence.reminders == [3, 0]
    assert aarshjul.phase("tertial-report-2028-1") is occurrence  # one object, so the notice ladder memo holds
    with pytest.raises(KeyError):
        aarshjul.phase("tertial-report-2028-4")


@pytest.mark.parametrize(
    ("repeat", "keys"),
    [
        ("monthly", [f"mf-2027-{n:02d}" for n in range(1, 13)]),
        ("{every: månedlig, from: oktober, count: 4}", ["mf-2027-10", "mf-2027-11", "mf-2027-12", "mf-2028-01"]),
        ("{every: kvartal}", ["mf-2027-1", "mf-2027-2", "mf-2027-3", "mf-2027-4"]),
        ('{every: tertial, on: "15."}', ["mf-2027-1", "mf-2027-2", "mf-2027-3"]),
    ],
)
def test_the_ways_to_write_a_repetition(tmp_path: Path, repeat: str, keys: list[str]) -> None:
    phase = TERTIAL.replace("tertial-report", "mf").replace("{every: tertial, from: september}", repeat)
    dates = dates_2027(load_aarshjul(write(tmp_path, PACKAGED + phase)))
    assert [key for key in dates if key.startswith("mf-")] == keys


def test_a_repetition_on_a_day_of_the_month(tmp_path: Path) -> None:
    phase = TERTIAL.replace("{every: tertial, from: september}", '{every: tertial, on: "15."}')
    dates = dates_2027(load_aarshjul(write(tmp_path, PACKAGED + phase)))
    assert dates["tertial-report-2027-2"][0] == date(2027, 5, 18)  # 15 May is a Saturday, 17 May a holiday


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{every: tertial, from: september}", "{every: fortnight}", "'fortnight' er ikke en gjentakelse"),
        ("{every: tertial, from: september}", "{every: tertial, from: juni}", "et tertial begynner i januar, mai"),
        ("    due: 10", "    opens: 1. mars\n    repeat: {every: month, on: første arbeidsdag}\n    due: 10",
         "enten i repeat.on eller i opens"),
    ],
)  # fmt: skip
def test_a_wrong_repetition_is_refused_with_its_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = PACKAGED + TERTIAL.replace(old, new)
    if "opens: 1. mars" in new:
        text = text.replace("    repeat: {every: tertial, from: september}\n", "")
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("linje ") and "phases[4 tertial-report]" in problem and message in problem


@pytest.mark.parametrize(
    ("entry", "first", "last"),
    [
        ('"uke 28–30"', date(2027, 7, 12), date(2027, 8, 1)),
        ('"week 28-30"', date(2027, 7, 12), date(2027, 8, 1)),
        ('"1. juli–31. juli"', date(2027, 7, 1), date(2027, 7, 31)),
        ('"07-01..07-31"', date(2027, 7, 1), date(2027, 7, 31)),
        ('"1/7 til 31/7"', date(2027, 7, 1), date(2027, 7, 31)),
        ('{name: Jul, period: "27.12–2.1"}', date(2027, 12, 27), date(2028, 1, 2)),
        ('"uke 52-1"', date(2027, 12, 27), date(2028, 1, 9)),
    ],
)
def test_the_forms_of_a_closed_period(tmp_path: Path, entry: str, first: date, last: date) -> None:
    text = PACKAGED.replace("closed_periods: []", f"closed_periods: [{entry}]")
    aarshjul = load_aarshjul(write(tmp_path, text))
    assert aarshjul.closed_periods[0].span(2027) == (first, last)
    cal = aarshjul.calendar(2027)
    assert not cal.is_working_day(first if first.weekday() < 5 else last) and cal.is_working_day(date(2027, 6, 30))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('"uke 28–60"', "uke 60 finnes ikke"),
        ('"31/6–2/7"', "31. juni finnes ikke"),
        ('"sommeren"', "forstår ikke den stengte perioden «sommeren»"),
        ("{name: Ferie}", "feltet period mangler"),
    ],
)
def test_a_wrong_closed_period_names_its_line(tmp_path: Path, entry: str, message: str) -> None:
    text = PACKAGED.replace("closed_periods: []", f"closed_periods:\n  - {entry}")
    (problem,) = problems(tmp_path, text)
    assert problem.startswith(f"linje {line_of(text, '  - ' + entry)}, closed_periods[0]: ") and message in problem


def test_a_deadline_pushed_out_of_fellesferie(tmp_path: Path) -> None:
    text = PACKAGED.replace("closed_periods: []", 'closed_periods: [{name: Fellesferie, period: "uke 28–30"}]')
    text = text.replace("due: last working day before 1 May", "due: 20. juli").replace(
        "closes: last working day of June", "closes: siste arbeidsdag i august"
    )
    assert dates_2027(load_aarshjul(write(tmp_path, text)))["spring-input"][1] == date(2027, 8, 2)


def test_a_window_with_no_working_day_left_is_refused_at_load(tmp_path: Path) -> None:
    text = PACKAGED.replace("closed_periods: []", 'closed_periods: [{name: Fellesferie, period: "uke 28–30"}]')
    text = (
        text.replace("opens: first working day of March", "opens: 13. juli")
        .replace("due: last working day before 1 May", "due: 20. juli")
        .replace("closes: last working day of June", "closes: 30. juli")
    )
    load_aarshjul(write(tmp_path, text))  # without years to check, the file itself is sound
    assert problems(tmp_path, text, years=(2027,)) == [
        f"linje {line_of(text, 'key: spring-input')}, phases[1 spring-input]: spring-input 2027: vinduet fra "
        "13.07.2027 til 30.07.2027 har ingen arbeidsdag igjen når stengte perioder (Fellesferie) er tatt ut. "
        "Legg fristen utenfor den stengte perioden, eller la fasen lukkes senere."
    ]
