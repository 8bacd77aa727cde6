"""HR excuses a task (fritak): the unit need not answer this phase, for a reason that is kept in the event log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.events import EventKind
from domain.models import Assignment, AssignmentState
from domain.states import ACTIVE, transition
from tasks.cycle.assignment_actions import ActionRefused, load_open_assignment
from tasks.events.log import record_for_assignment

MAX_REASON = 500


def clean_reason(reason: str) -> str:
    """The reason as it is kept (spaces folded); refused when missing or too long (also the bulk form's check)."""
    reason = " ".join(reason.split())
    if len(reason) < 3:
        # The task, not the unit, is excused; the words hold for any municipality's name for its units.
        raise ActionRefused(
            "Skriv hvorfor oppgaven fritas, for eksempel «Lagt ned fra 1. mars» eller «Ny leder begynner i mai»."
        )
    if len(reason) > MAX_REASON:
        raise ActionRefused(f"Begrunnelsen kan være høyst {MAX_REASON} tegn.")
    return reason


def excuse(session: Session, assignment_id: int, *, reason: str, actor: str, now: datetime) -> Assignment:
    """Mark an open task excused with HR's reason; its queued reminders are then not sent (the outbox skips them)."""
    reason = clean_reason(reason)
    assignment, phase, year = load_open_assignment(session, assignment_id)
    if assignment.state not in ACTIVE:
        raise ActionRefused("Oppgaven er allerede besvart eller fritatt.")
    before = assignment.state
    assignment.state = transition(assignment.state, AssignmentState.EXCUSED)
    session.add(assignment)
    record_for_assignment(
        session,
        EventKind.ASSIGNMENT_EXCUSED,
        assignment,
        year=year,
        phase_key=phase.key,
        person_id=assignment.assignee_id,
        at=now,
        actor=actor,
        reason=reason,
        state_before=before.value,
    )
    return assignment
