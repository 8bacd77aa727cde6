"""`arshjul calendar --year 2027 [--ics FILE]`: every due moment of a year."""

from __future__ import annotations

import argparse
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common
from config.aarshjul import load_aarshjul
from config.settings import get_settings
from domain.aarshjul.calendar_view import CalendarEntry, ClosedSpan, closed_spans, entry_title, year_calendar
from domain.aarshjul.ics import IcsEvent, render_calendar
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import local_moment, to_local

WEEKDAYS = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
LABELS = {
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


def register(sub: Any) -> None:
    parser = sub.add_parser("calendar", help="vis årets frister, påminnelser, møter, varsler og stengte perioder")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--ics", type=Path, help="skriv også en iCalendar-fil")
    parser.add_argument("--config", type=Path, help="årshjul-fil (standard: den aktive)")
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the year's due moments in Oslo time, and optionally write them as iCalendar."""
    aarshjul = load_aarshjul(args.config or get_settings().aarshjul_file, years=(args.year,))
    entries = year_calendar(aarshjul, args.year)
    spans = closed_spans(aarshjul, args.year)
    print(f"{aarshjul.name} {args.year} (Europe/Oslo)")
    for span in spans:
        print(f"  stengt {span.first:%d.%m.%Y}–{span.last:%d.%m.%Y}  {span.name} (ingen frister eller utsendelser)")
    for entry in entries:
        local = to_local(entry.at)
        when = f"{WEEKDAYS[local.weekday()]} {local:%d.%m.%Y %H:%M}"
        print(f"  {when}  {entry.phase_key:<26} {LABELS.get(entry.kind, entry.kind)}{_detail(entry)}")
    if args.ics:
        args.ics.write_text(_ics(aarshjul, args.year, entries, spans), encoding="utf-8", newline="")
        print(f"Skrev {len(entries) + len(spans)} hendelser til {args.ics}")
    return 0


def _detail(entry: CalendarEntry) -> str:
    return f" ({entry.offset} arbeidsdager)" if entry.offset else ""


def _ics(aarshjul: Aarshjul, year: int, entries: list[CalendarEntry], spans: list[ClosedSpan]) -> str:
    closed = [
        IcsEvent(
            uid=f"{year}-closed-{span.first.isoformat()}@arshjul",
            summary=f"Stengt: {span.name}",
            start=local_moment(span.first, time(0)),
            end=local_moment(span.last + timedelta(days=1), time(0)),
            description="Ingen frister, påminnelser, eskaleringer, ukestatus eller invitasjoner i denne perioden.",
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
    return render_calendar(
        events,
        stamp=local_moment(aarshjul.calendar(year).next_working_day(date(year, 1, 1)), aarshjul.hours.start),
        name=aarshjul.name,
    )
