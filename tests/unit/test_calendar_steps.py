"""`arshjul calendar` and its ICS show the steps that are not tasks: notices, meetings and their papers, sector
reviews (issue 12, item 8), each on a working day."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from arshjul.commands.calendar import run
from config.aarshjul import load_aarshjul
from domain.aarshjul.calendar_view import year_calendar
from domain.aarshjul.workdays import to_local

BAERUM = Path(__file__).resolve().parents[2] / "config" / "examples" / "baerum.yaml"


def test_notices_meetings_and_sector_reviews_are_in_the_year() -> None:
    aarshjul = load_aarshjul(BAERUM)
    entries = year_calendar(aarshjul, 2027)
    kinds = {(e.phase_key, e.kind): to_local(e.at).date() for e in entries}
    assert kinds[("education-signal", "step_notice")] == date(2027, 2, 1)
    assert kinds[("forum-evaluation", "meeting")] == date(2027, 3, 15)
    assert kinds[("forum-evaluation", "step_papers")] < kinds[("forum-evaluation", "meeting")]
    assert kinds[("sector-priorities", "step_review_open")] < kinds[("sector-priorities", "step_review_close")]
    for entry in entries:
        assert aarshjul.calendar(2027).is_working_day(to_local(entry.at).date()), entry


def test_the_ics_names_each_step_by_its_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ics = tmp_path / "baerum.ics"
    assert run(argparse.Namespace(year=2027, ics=ics, config=BAERUM)) == 0
    text = ics.read_text(encoding="utf-8")
    assert "education-signal-step_notice" in text and "forum-evaluation-meeting" in text
    assert ": møte" in text and ": varsel sendes" in text and ": sektorgjennomgang åpner" in text
    assert "varsel sendes" in capsys.readouterr().out
