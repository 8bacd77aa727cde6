"""A year's due moments under an årshjul: what `arshjul calendar` prints and writes as iCalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.schedule import notice_ladder
from domain.aarshjul.step_schedule import StepAction, step_moments
from domain.aarshjul.workdays import local_moment
from domain.aarshjul.year_schedule import year_schedule


@dataclass(frozen=True)
class CalendarEntry:
    at: datetime
    phase_key: str
    kind: str
    offset: int = 0


@dataclass(frozen=True)
class ClosedSpan:
    """A closed period as it falls in a year: its name and its first and last day."""

    name: str
    first: date
    last: date


def year_calendar(aarshjul: Aarshjul, year: int) -> list[CalendarEntry]:
    """Openings, deadlines, closings, reminders and escalations of every phase and occurrence, in time order.

    Every moment is on a working day: the rules resolve on the årshjul's calendar, where closed periods count as
    holidays do.
    """
    entries: list[CalendarEntry] = []
    for scheduled in year_schedule(aarshjul, year):
        phase, dates = scheduled.config, scheduled.dates
        entries += [
            CalendarEntry(dates.opens_at, phase.key, "opens"),
            CalendarEntry(dates.due_at, phase.key, "due"),
            CalendarEntry(dates.closes_at, phase.key, "closes"),
        ]
        ladder = notice_ladder(aarshjul, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=True)
        entries += [CalendarEntry(n.at, phase.key, n.kind.value, n.offset) for n in ladder]
    return sorted(entries + step_entries(aarshjul, year), key=lambda e: (e.at, e.phase_key))


def step_entries(aarshjul: Aarshjul, year: int) -> list[CalendarEntry]:
    """The steps that are not tasks: a notice's email, the papers reminder and the meeting itself, a sector
    review's opening, reminders and close (a meeting's recording task is a phase, listed with the phases)."""
    entries = []
    for moment in step_moments(aarshjul, year):
        entries.append(CalendarEntry(moment.at, moment.step_key, f"step_{moment.action.value}"))
        if moment.action == StepAction.PAPERS:
            entries.append(CalendarEntry(local_moment(moment.day, aarshjul.hours.start), moment.step_key, "meeting"))
    return entries


def entry_title(aarshjul: Aarshjul, key: str, language: str = "nb") -> str:
    """The title of a phase, an occurrence or a step by its key (a step without its own title has its phase's)."""
    for phase, step in aarshjul.steps():
        if step.key == key and (step.title is not None or not any(p.key == key for p in aarshjul.phases)):
            return (step.title or phase.title).get(language)
    return aarshjul.phase(key).title.get(language)


def closed_spans(aarshjul: Aarshjul, year: int) -> list[ClosedSpan]:
    """The closed periods that begin in `year` (a Christmas week running into January belongs to its December)."""
    spans = []
    for period in aarshjul.closed_periods:
        span = period.span(year)
        if span is not None:
            spans.append(ClosedSpan(period.name, *span))
    return sorted(spans, key=lambda s: s.first)
