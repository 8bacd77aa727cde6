"""`arshjul calendar` and its ICS: occurrences of repeating phases and closed periods, every moment on a working day."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from arshjul.commands.calendar import run
from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from domain.aarshjul.calendar_view import closed_spans, year_calendar
from domain.aarshjul.workdays import to_local

MONTHLY = """
  - key: monthly-follow-up
    title: {nb: Månedlig oppfølging, nn: Månadleg oppfølging, en: Monthly follow-up}
    what: {nb: Meld status., nn: Meld status., en: Report status.}
    audience: [{who: unit_leaders}]
    form: input
    repeat: {every: month, on: første arbeidsdag}
    due: 10 arbeidsdager etter opens
    closes: 20 arbeidsdager etter opens
    reminders: [5, 0]
"""
CLOSED = 'closed_periods: [{name: Fellesferie, period: "uke 28–30"}, {name: Juleuka, period: "24.12–1.1"}]'


@pytest.fixture
def path(tmp_path: Path) -> Path:
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace("closed_periods: []", CLOSED)
    file = tmp_path / "aarshjul.yaml"
    file.write_text(text + MONTHLY, encoding="utf-8")
    return file


def test_the_year_lists_each_occurrence_and_no_moment_in_a_closed_period(path: Path) -> None:
    aarshjul = load_aarshjul(path)
    entries = year_calendar(aarshjul, 2027)
    occurrences = sorted({e.phase_key for e in entries if e.phase_key.startswith("monthly")})
    assert occurrences == [f"monthly-follow-up-2027-{n:02d}" for n in range(1, 13)]
    july = [to_local(e.at).date() for e in entries if e.phase_key == "monthly-follow-up-2027-07"]
    # July opens the 1st; its deadline, 10 working days on, would be 15 July: fellesferie (12 July–1 August) takes
    # those days out, so it is 5 August, and the reminder 5 working days before is 8 July, before the holiday.
    assert min(july) == date(2027, 7, 1)
    due = next(to_local(e.at).date() for e in entries if e.phase_key == "monthly-follow-up-2027-07" and e.kind == "due")
    assert due == date(2027, 8, 5)
    reminders = [to_local(e.at).date() for e in entries if e.phase_key.endswith("2027-07") and e.kind == "reminder"]
    assert reminders == [date(2027, 7, 8), date(2027, 8, 5)]
    spans = [(s.first, s.last) for s in closed_spans(aarshjul, 2027)]
    assert spans == [(date(2027, 7, 12), date(2027, 8, 1)), (date(2027, 12, 24), date(2028, 1, 1))]
    for entry in entries:
        day = to_local(entry.at).date()
        assert not any(first <= day <= last for first, last in spans), entry
        assert aarshjul.calendar(2027).is_working_day(day)


def test_the_ics_holds_occurrences_and_closed_periods_as_whole_days(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "year.ics"
    assert run(argparse.Namespace(year=2027, ics=ics, config=path)) == 0
    text = ics.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:Stengt: Fellesferie" in text and "DTSTART;VALUE=DATE:20270712" in text
    assert "DTEND;VALUE=DATE:20270802" in text  # the day after the last closed day (RFC 5545: DTEND is exclusive)
    assert "SUMMARY:Månedlig oppfølging – juli 2027: frist" in text
    assert "UID:2027-monthly-follow-up-2027-07-due-0@arshjul" in text
    out = capsys.readouterr().out
    assert "stengt 12.07.2027–01.08.2027  Fellesferie" in out
    assert "monthly-follow-up-2027-12" in out
    starts = [line.split(":", 1)[1] for line in text.split("\r\n") if line.startswith("DTSTART:")]
    moments = [to_local(datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)) for s in starts]
    assert moments and all(time(8) <= m.time() <= time(16) and m.weekday() < 5 for m in moments)
    assert not any(date(2027, 7, 12) <= m.date() <= date(2027, 8, 1) for m in moments)
