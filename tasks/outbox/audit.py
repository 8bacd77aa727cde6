"""The audit of a year: every reminder, escalation, digest and email outcome, and what people did, as CSV rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, time
from typing import Final, TextIO

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import local_moment, to_local
from domain.cells import csv_row
from domain.events import EventKind
from domain.identity import actor_parts
from domain.models import Assignment, Event, OrgUnit, OutboxMessage, Person, Phase
from tasks.runtime import Runtime

LABELS: Final = {
    EventKind.REMINDER_QUEUED: "Påminnelse lagt i utboksen",
    EventKind.ASSIGNMENT_OVERDUE: "Varsel om passert frist lagt i utboksen",
    EventKind.ASSIGNMENT_ESCALATED: "Eskalering lagt i utboksen",
    EventKind.DIGEST_QUEUED: "Ukestatus lagt i utboksen",
    EventKind.EMAIL_SENT: "E-post sendt",
    EventKind.EMAIL_DEAD: "E-post ikke levert (avvist)",
    EventKind.EMAIL_UNCERTAIN: "E-post med usikker levering",
    EventKind.EMAIL_CANCELLED: "E-post avbrutt",
    EventKind.EMAIL_RETRIED: "E-post lagt i kø på nytt",
    # What people did in the console, with who they are (audit columns «utført av», «rolle», «på vegne av»)
    EventKind.ASSIGNMENT_DEADLINE_EXTENDED: "Frist flyttet",
    EventKind.ASSIGNMENT_DELEGATED: "Oppgave gitt til stedfortreder",
    EventKind.LINK_REISSUED: "Ny lenke sendt",
    EventKind.PLAN_SECTOR_PRIORITISED: "Sektorens tiltak prioritert",
    EventKind.USER_ADDED: "Bruker lagt til",
    EventKind.USER_DISABLED: "Bruker sperret",
    EventKind.USER_PASSWORD_CHANGED: "Passord endret",
    EventKind.USER_LOCKED: "Konto låst etter for mange feil passord",
}
HEADER: Final = (
    "tidspunkt", "hendelse", "beskrivelse", "mottaker", "e-post", "enhet", "fase", "detaljer", "utført av", "rolle",
    "på vegne av",
)  # fmt: skip
DETAILS: Final = (
    "notice", "offset", "manual", "mail_kind", "scope", "week", "reason", "previous_error", "key", "new_due_at",
    "role", "address",
)  # fmt: skip
Row = tuple[str, ...]


def audit_rows(session: Session, rt: Runtime, year: int) -> list[Row]:
    """The year's mail events in time order: the cycle's own, and the email outcomes dated in that year."""
    start, end = (local_moment(date(y, 1, 1), time(0)) for y in (year, year + 1))
    events = session.exec(
        select(Event)
        .where(col(Event.kind).in_(LABELS))
        .where(
            or_(
                col(Event.cycle_year) == year,
                and_(col(Event.cycle_year).is_(None), col(Event.at) >= start, col(Event.at) < end),
            )
        )
        .order_by(col(Event.at), col(Event.id))
    ).all()
    return [_row(session, rt, event) for event in events]


def _row(session: Session, rt: Runtime, event: Event) -> Row:
    person = session.get(Person, event.person_id) if event.person_id else None
    units, phases = _where(session, rt, event)
    details = "; ".join(f"{k}={event.payload[k]}" for k in DETAILS if event.payload.get(k) not in (None, ""))
    return (
        f"{to_local(event.at):%Y-%m-%d %H:%M}",
        event.kind,
        LABELS[EventKind(event.kind)],
        person.name if person else "",
        person.email if person else str(event.payload.get("to", event.payload.get("email", ""))),
        units,
        phases,
        details,
        *actor_parts(event.actor),
    )


def _where(session: Session, rt: Runtime, event: Event) -> tuple[str, str]:
    """The unit(s) and phase(s) the event is about; an email's come from the tasks its message covers."""
    if event.unit_id or event.phase_key:
        return _names(session, rt, [(event.unit_id, event.phase_key)])
    key = event.payload.get("key")
    message = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).first() if key else None
    if message is None or not message.assignment_ids:
        return "", ""
    found = session.exec(
        select(Assignment.unit_id, Phase.key)
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .where(col(Assignment.id).in_(message.assignment_ids))
    ).all()
    return _names(session, rt, list(found))


def _names(session: Session, rt: Runtime, pairs: Iterable[tuple[str | None, str | None]]) -> tuple[str, str]:
    units, phases = [], []
    for unit_id, phase_key in pairs:
        unit = session.get(OrgUnit, unit_id) if unit_id else None
        units.append(unit.name if unit else "")
        phases.append(_phase_title(rt, phase_key) if phase_key else "")
    return " | ".join(dict.fromkeys(u for u in units if u)), " | ".join(dict.fromkeys(p for p in phases if p))


def _phase_title(rt: Runtime, key: str) -> str:
    try:
        return rt.aarshjul.phase(key).title.nb
    except KeyError:
        return key


def write_csv(rows: Iterable[Row], stream: TextIO) -> int:
    """Semicolon-separated, as Excel expects in Norwegian; the caller opens the stream as utf-8-sig (BOM)."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        writer.writerow(csv_row(row))  # imported names and addresses never become formulas
        count += 1
    return count
