"""`arshjul remind --phase KEY`: remind everyone who has not answered, after a preview of who gets it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlmodel import Session

from arshjul.commands.common import add_common, runtime
from domain.aarshjul.workdays import to_local
from notifications.templating import format_date, format_time
from tasks.notices.manual import (
    Recipients,
    ReminderRefused,
    count_assignments,
    preview_lines,
    preview_reminders,
    send_reminders_now,
)
from tasks.runtime import Runtime

ACTOR = "HR (kommandolinje)"
STATES = {"open": "ikke besvart", "reminded": "påminnet", "overdue": "over fristen", "escalated": "eskalert"}


def register(sub: Any) -> None:
    parser = sub.add_parser("remind", help="send påminnelse nå til alle som ikke har svart i en fase")
    parser.add_argument("--phase", required=True, help="fasens nøkkel, f.eks. spring-input")
    parser.add_argument("--year", type=int, help="årshjulets år (standard: i år)")
    parser.add_argument("--yes", action="store_true", help="send; uten dette vises bare hvem som får påminnelsen")
    add_common(parser)
    parser.set_defaults(handler=run)


def _print(session: Session, rt: Runtime, recipients: Recipients) -> None:
    for person, tasks in recipients:
        print(f"  {person.name} <{person.email}>")
        for line in preview_lines(session, rt, tasks):
            print(
                f"      {line.unit_name}: {STATES.get(line.state.value, line.state.value)}, frist {_when(line.due_at)}"
            )


def _when(moment: Any) -> str:
    return f"{format_date(moment, 'nb')} {format_time(moment, 'nb')}"


def run(args: argparse.Namespace) -> int:
    """Preview (default) or queue (--yes) one combined reminder per person with unanswered tasks in the phase."""
    rt = runtime()
    now = rt.now()
    year = args.year or to_local(now).year
    try:
        with rt.session() as session:
            if not args.yes:
                recipients = preview_reminders(session, rt, args.phase, year)
                _print(session, rt, recipients)
                people = len(recipients)
                if not people:
                    print("Alle har svart; ingen å minne på.")
                    return 0
                print(
                    f"{people} {'person' if people == 1 else 'personer'} med {count_assignments(recipients)} ubesvarte "
                    "oppgaver får én samlet påminnelse hver. Kjør på nytt med --yes for å sende."
                )
                return 0
            result = send_reminders_now(session, rt, args.phase, year, actor=ACTOR, now=now)
    except ReminderRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    count = len(result.recipients)
    who = "én person" if count == 1 else f"{count} personer"
    print(f"Påminnelse lagt i utboksen til {who}; sendes {_when(result.goes_out_at)}.")
    return 0
