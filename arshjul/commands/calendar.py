"""`arshjul calendar --year 2027 [--ics FILE]`: every due moment of a year."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common
from config.aarshjul import load_aarshjul
from config.settings import get_settings
from domain.aarshjul.calendar_view import CalendarEntry, closed_spans, year_calendar
from domain.aarshjul.workdays import to_local
from domain.aarshjul.year_ics import LABELS, calendar_ics

WEEKDAYS = ("man", "tir", "ons", "tor", "fre", "lør", "søn")


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
        args.ics.write_text(calendar_ics(aarshjul, args.year, entries, spans), encoding="utf-8", newline="")
        print(f"Skrev {len(entries) + len(spans)} hendelser til {args.ics}")
    return 0


def _detail(entry: CalendarEntry) -> str:
    return f" ({entry.offset} arbeidsdager)" if entry.offset else ""
