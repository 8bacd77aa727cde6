"""The event log in plain Norwegian: "Påminnelse nr. 2 sendt til Geir Knutsen", with names, not ids and keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.aarshjul.workdays import to_local
from domain.models import Event, OrgUnit, Person

NOTICES = {"overdue": "Varsel om passert frist", "escalate_sector": "Eskalert til {sector_leader.definite}",
           "escalate_hr": "Eskalert til HR"}  # fmt: skip


def _day(iso: Any) -> str:
    try:
        return to_local(datetime.fromisoformat(str(iso))).strftime("%d.%m.%Y kl. %H.%M")
    except ValueError:
        return str(iso)


def describe_events(session: Session, events: Sequence[Event], terms: Terms = DEFAULT_TERMS) -> dict[int, str]:
    """A sentence for each event, by event id, the levels named in the municipality's words; an unknown kind falls
    back to its name and fields."""
    people = {
        p.id: p.name
        for p in session.exec(select(Person).where(col(Person.id).in_({e.person_id for e in events if e.person_id})))
    }
    units = {
        u.id: u.name
        for u in session.exec(select(OrgUnit).where(col(OrgUnit.id).in_({e.unit_id for e in events if e.unit_id})))
    }
    words = terms["nb"]
    return {
        e.id or 0: words.fill(_sentence(session, e, people.get(e.person_id, ""), units.get(e.unit_id or "", "")))
        for e in events
    }


def _reminder_number(session: Session, event: Event) -> int:
    earlier = (
        select(func.count())
        .select_from(Event)
        .where(
            Event.assignment_id == event.assignment_id,
            Event.kind == "reminder.queued",
            col(Event.id) <= (event.id or 0),
        )
    )
    return int(session.exec(earlier).one())


STEP_ACTIONS = {"notice": "Varsel sendt", "papers": "Påminnelse om sakspapirer sendt",
                "review_open": "{Sector.singular}gjennomgangen åpnet",
                "review_remind": "Påminnelse om {sector.singular}gjennomgangen sendt",
                "review_close": "{Sector.singular}gjennomgangen lukket"}  # fmt: skip


def _step_sentence(e: Event) -> str:
    """«Varsel sendt (education-signal) til 12 personer», or that a moment long past was skipped."""
    what = f"{STEP_ACTIONS.get(str(e.payload.get('action')), 'Steg utført')} ({e.phase_key or ''})"
    if e.payload.get("skipped"):
        return f"{what}: hoppet over, tidspunktet var passert da Årshjul kjørte"
    return f"{what} til {e.payload.get('recipients', 0)} personer"


def _sentence(session: Session, e: Event, person: str, unit: str) -> str:
    p = e.payload
    to = f" til {person}" if person else ""
    at_unit = f" ({unit})" if unit else ""
    match e.kind:
        case "reminder.queued":
            return f"Påminnelse nr. {_reminder_number(session, e)} sendt{to}{at_unit}"
        case "assignment.overdue" | "assignment.escalated":
            return f"{NOTICES.get(str(p.get('notice')), 'Varsel')}{at_unit}, sendt{to}"
        case "assignment.created":
            return f"Oppgave opprettet for {person or 'ukjent'}{at_unit}"
        case "assignment.deadline_extended":
            return f"Fristen flyttet fra {_day(p.get('old_due_at'))} til {_day(p.get('new_due_at'))}{at_unit}"
        case "assignment.delegated":
            return f"Oppgaven gitt til stedfortreder {person or p.get('substitute', '')}{at_unit}"
        case "assignment.excused":
            return f"Oppgaven fritatt{at_unit}: {p.get('reason', '')}"
        case "answer.submitted":
            late = " etter fristen" if p.get("late") else ""
            return f"Svar sendt inn{late} (versjon {p.get('revision')}){at_unit}"
        case "answer.draft_saved":
            return f"Utkast lagret (versjon {p.get('revision')}){at_unit}"
        case "link.reissued":
            return f"Ny lenke sendt{to}; de gamle virker ikke lenger"
        case "phase.opened":
            return f"Fasen {e.phase_key or ''} åpnet, invitasjoner sendt"
        case "org.imported":
            return (
                f"Organisasjonen importert: {p.get('created', 0)} nye, {p.get('updated', 0)} endret, "
                f"{p.get('deactivated', 0)} deaktivert"
            )
        case "cycle.created":
            return "Årshjulet opprettet"
        case "plan.text.edited":
            return f"Planteksten endret: «{p.get('title', '')}» (planperiode {p.get('period', '')})"
        case "step.done":
            return _step_sentence(e)
        case "meeting.recorded":
            return f"Behandling i {p.get('body', '')} {p.get('held_on', '')} registrert ({p.get('handling_kind', '')})"
    fields = " ".join(f"{k}={v}" for k, v in p.items())
    return f"{e.kind} {fields}".strip()
