"""A year's moments as iCalendar: what `arshjul calendar --ics` writes and the console's `/hr/kalender.ics` serves."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Final

from domain.aarshjul.calendar_view import CalendarEntry, ClosedSpan, closed_spans, entry_title, year_calendar
from domain.aarshjul.ics import IcsEvent, render_calendar
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import local_moment

LABELS: Final = {
    "opens": "åpner",
    "due": "frist",
    "closes": "lukkes",
    "reminder": "påminnelse",
    "overdue": "forfalt-varsel",
    "escalate_sector": "eskalering til kommunalsjef",
    "escalate_hr": "eskalering til HR",
    "meeting": "møte",
    "step_notice": "varsel sendes",
    "step_papers": "påminnelse om sakspapirer",
    "step_review_open": "sektorgjennomgang åpner",
    "step_review_remind": "påminnelse om sektorgjennomgang",
    "step_review_close": "sektorgjennomgang lukkes",
}
CLOSED_TEXT: Final = "Ingen frister, påminnelser, eskaleringer, ukestatus eller invitasjoner i denne perioden."


def year_ics(aarshjul: Aarshjul, year: int) -> str:
    """The year's moments and closed periods as one iCalendar text (CRLF line ends); the same for every caller."""
    return calendar_ics(aarshjul, year, year_calendar(aarshjul, year), closed_spans(aarshjul, year))


def calendar_ics(aarshjul: Aarshjul, year: int, entries: list[CalendarEntry], spans: list[ClosedSpan]) -> str:
    """`year_ics` for entries and spans already worked out (the CLI prints them too)."""
    closed = [
        IcsEvent(
            uid=f"{year}-closed-{span.first.isoformat()}@arshjul",
            summary=f"Stengt: {span.name}",
            start=local_moment(span.first, time(0)),
            end=local_moment(span.last + timedelta(days=1), time(0)),
            description=CLOSED_TEXT,
            all_day=True,
        )
        for span in spans
    ]
    events = closed + [
        IcsEvent(
            uid=f"{year}-{e.phase_key}-{e.kind}-{e.offset}@arshjul",
            summary=f"{entry_title(aarshjul, e.phase_key)}: {LABELS.get(e.kind, e.kind)}",
            start=e.at,
        )
        for e in entries
    ]
    # The stamp is the year's first working morning, not the wall clock, so the same year gives the same bytes.
    return render_calendar(
        events,
        stamp=local_moment(aarshjul.calendar(year).next_working_day(date(year, 1, 1)), aarshjul.hours.start),
        name=aarshjul.name,
    )
