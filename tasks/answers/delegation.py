"""Handing a task to a substitute (stedfortreder), by the leader from the form or by HR from the console.

The leader who owns the task keeps their link, so leader and substitute can both work on it (a save on top of
the other's is a conflict that shows both versions). A substitute replaced by another loses access at once,
since a link works only for the task's owner and its current assignee. «Send ny lenke» revokes every link.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.models import Person
from domain.text_rules import control_problem, has_control
from tasks.cycle.assignment_actions import ActionRefused, load_open_assignment, person_of
from tasks.events.log import record_for_assignment
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime

EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,185}\.[a-z]{2,}$", re.IGNORECASE)


def clean_address(email: str) -> str:
    """The address as it is kept (lower case); refused unless it looks like one (also the bulk form's check)."""
    address = email.strip().lower()
    if not EMAIL.match(address) or len(address) > 254 or has_control(address):
        raise ActionRefused("Skriv en gyldig e-postadresse.")
    return address


def find_or_create_person(session: Session, rt: Runtime, name: str, email: str) -> Person:
    """The person with this address, or a new one with this name."""
    address = clean_address(email)
    if problem := control_problem(name, "Navnet"):
        raise ActionRefused(problem)
    person = session.exec(select(Person).where(col(Person.email) == address)).first()
    if person is not None:
        return person
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 200:
        raise ActionRefused("Skriv navnet til stedfortrederen.")
    person = Person(name=clean_name, email=address, language=rt.settings.default_language)
    session.add(person)
    session.flush()
    return person


def delegate(
    session: Session,
    rt: Runtime,
    assignment_id: int,
    *,
    name: str,
    email: str,
    actor: str,
    now: datetime,
) -> Person:
    """Hand a task to a substitute, who gets their own link by e-mail; a previous substitute's link stops working."""
    assignment, phase, year = load_open_assignment(session, assignment_id)
    substitute = find_or_create_person(session, rt, name, email)
    if substitute.id == assignment.assignee_id:
        raise ActionRefused("Oppgaven er allerede gitt til denne personen.")
    previous = person_of(session, assignment.assignee_id)
    owner = person_of(session, assignment.owner_id)
    assignment.assignee_id = substitute.id or 0
    assignment.version += 1
    giver = next((p.name for p in (previous, owner) if p.email == actor), "HR-koordinatoren")
    queue_assignment_notice(
        session,
        rt,
        person=substitute,
        assignments=[assignment],
        kind="invitation",
        key=f"delegated:{assignment.id}:{assignment.version}:{substitute.id}",
        now=now,
        handed_over_by=giver,
    )
    record_for_assignment(
        session,
        EventKind.ASSIGNMENT_DELEGATED,
        assignment,
        year=year,
        phase_key=phase.key,
        person_id=substitute.id,
        at=now,
        actor=actor,
        substitute=substitute.email,
        previous_assignee=previous.email,
        on_behalf_of=owner.email,
    )
    return substitute
