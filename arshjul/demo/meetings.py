"""The demo's HR records a meeting step's handling as the årshjul describes it: its body, day and kind."""

from __future__ import annotations

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.steps import MeetingStep

OUTCOME = {"vedtak": "Vedtatt som foreslått", "drøfting": "Drøftet; merknader til protokollen",
           "til etterretning": "Tatt til etterretning", "orientering": "Tatt til orientering"}  # fmt: skip


def meeting_form(aarshjul: Aarshjul, step: MeetingStep, year: int, case: int) -> dict[str, str]:
    """The adoption form's fields for one handling: the meeting's body, its day in `year`, its kind, a case number."""
    cal = aarshjul.calendar(year)
    day = cal.next_working_day(step.date.resolve(year, cal))
    return {
        "handlings-0-body": step.body,
        "handlings-0-held_on": day.isoformat(),
        "handlings-0-kind": step.handling,
        "handlings-0-case_number": f"{year}/{case}",
        "handlings-0-outcome": OUTCOME[step.handling],
    }
