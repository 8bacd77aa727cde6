"""Composing the emails the cycle causes: one combined task notice per person, escalations, receipts.

Task notice kinds: invitation, reminder, overdue, deadline_changed ("Ny frist: …").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import urlsplit

from sqlmodel import Session

from domain.aarshjul.ics import IcsEvent, render_calendar
from domain.models import Assignment, OrgUnit, OutboxMessage, Person, Phase
from notifications.links import LinkClaims
from notifications.templating import render_email
from tasks.outbox.enqueue import enqueue
from tasks.runtime import Runtime

TASK_NOTICE_KINDS: Final = frozenset({"invitation", "reminder", "overdue", "deadline_changed"})


def answer_link(rt: Runtime, assignment: Assignment, phase: Phase, *, person_id: int | None = None) -> str:
    """A personal link (the assignee's unless another person is named); dies when the phase closes plus grace."""
    assert assignment.id is not None
    claims = LinkClaims(
        assignment_id=assignment.id,
        person_id=person_id or assignment.assignee_id,
        version=assignment.link_version,
        expires_at=phase.closes_at + timedelta(days=rt.settings.link_grace_days),
        purpose="answer",
    )
    return f"{rt.settings.base_url.rstrip('/')}/svar/{rt.links.sign(claims)}"


def assignment_lines(
    session: Session, rt: Runtime, person: Person, assignments: Sequence[Assignment]
) -> list[dict[str, Any]]:
    lines = []
    for assignment in sorted(assignments, key=lambda a: (a.due_at, a.id or 0)):
        phase = session.get(Phase, assignment.phase_id)
        assert phase is not None
        config = rt.aarshjul.phase(phase.key)
        unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
        lines.append(
            {
                "title": config.title.get(person.language),
                "unit_name": unit.name if unit else rt.settings.municipality,
                "deadline": assignment.due_at,
                "link": answer_link(rt, assignment, phase, person_id=person.id),
                "what": config.what.get(person.language),
            }
        )
    return lines


def queue_assignment_notice(
    session: Session,
    rt: Runtime,
    *,
    person: Person,
    assignments: Sequence[Assignment],
    kind: str,
    key: str,
    now: datetime,
    not_before: datetime | None = None,
    handed_over_by: str = "",
) -> OutboxMessage | None:
    """One email to one person covering all their tasks of this moment, with the deadlines as calendar events.

    `handed_over_by` names who handed the task over, for a substitute's invitation: the email then says who, for
    which unit, and where the link goes, so that it does not look like phishing.
    """
    if kind not in TASK_NOTICE_KINDS:
        raise ValueError(f"unknown task notice kind {kind!r}")
    tasks = assignment_lines(session, rt, person, assignments)
    email = render_email(
        "task_notice",
        _language(person),
        {
            "recipient_name": person.name,
            "kind": kind,
            "tasks": tasks,
            "contact_name": "HR-koordinator",
            "contact_email": rt.settings.hr_email,
            "municipality": rt.settings.municipality,
            "handed_over_by": handed_over_by,
            "site": urlsplit(rt.settings.base_url).netloc or rt.settings.base_url,
            "terms": rt.aarshjul.terms,
        },
    )
    events = [
        IcsEvent(
            uid=f"assignment-{a.id}@arshjul",
            summary=f"Frist: {t['title']} – {t['unit_name']}",
            start=a.due_at,
            description=f"{t['what']}\n{t['link']}",
            sequence=a.deadline_sequence,
            url=t["link"],
        )
        for a, t in zip(sorted(assignments, key=lambda a: (a.due_at, a.id or 0)), tasks, strict=True)
    ]
    return enqueue(
        session,
        key=key,
        kind=kind,
        to=person,
        email=email,
        now=now,
        from_address=rt.settings.smtp.from_address,
        ics=render_calendar(events, stamp=now, method="PUBLISH"),
        assignment_ids=[a.id for a in assignments if a.id is not None],
        not_before=not_before,
    )


def queue_plain(
    session: Session,
    rt: Runtime,
    *,
    person: Person,
    template: str,
    context: dict[str, Any],
    kind: str,
    key: str,
    now: datetime,
    assignment_ids: list[int] | None = None,
    attachments: list[int] | None = None,
) -> OutboxMessage | None:
    """An email without a calendar attachment (escalations, receipts, digests, the adopted plan); `attachments`
    are files stored once in the outbox (tasks/outbox/attachments.py), such as a notice's form."""
    email = render_email(
        template, _language(person), {"recipient_name": person.name, "terms": rt.aarshjul.terms, **context}
    )
    return enqueue(
        session,
        key=key,
        kind=kind,
        to=person,
        email=email,
        now=now,
        from_address=rt.settings.smtp.from_address,
        assignment_ids=assignment_ids,
        attachments=attachments,
    )


def _language(person: Person) -> Any:
    return person.language if person.language in ("nb", "nn", "en") else "nb"
