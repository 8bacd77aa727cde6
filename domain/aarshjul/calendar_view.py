"""A year's due moments under an årshjul: what `arshjul calendar` prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.schedule import notice_ladder, phase_dates


@dataclass(frozen=True)
class CalendarEntry:
    at: datetime
    phase_key: str
    kind: str
    offset: int = 0


def year_calendar(aarshjul: Aarshjul, year: int) -> list[CalendarEntry]:
    """Openings, deadlines, closings, reminders and escalations of every phase, in time order."""
    entries: list[CalendarEntry] = []
    for phase in aarshjul.phases:
        dates = phase_dates(aarshjul, phase, year)
        entries += [
            CalendarEntry(dates.opens_at, phase.key, "opens"),
            CalendarEntry(dates.due_at, phase.key, "due"),
            CalendarEntry(dates.closes_at, phase.key, "closes"),
        ]
        ladder = notice_ladder(aarshjul, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=True)
        entries += [CalendarEntry(n.at, phase.key, n.kind.value, n.offset) for n in ladder]
    return sorted(entries, key=lambda e: (e.at, e.phase_key))
