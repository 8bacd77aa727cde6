"""Queueing one email: an outbox row written in the caller's unit of work, with a stable Message-ID."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from domain.models import OutboxMessage, Person
from notifications.message import message_id_for
from notifications.templating import RenderedEmail


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    to: Person,
    email: RenderedEmail,
    now: datetime,
    from_address: str,
    ics: str | None = None,
    assignment_ids: list[int] | None = None,
    not_before: datetime | None = None,
    attachments: list[int] | None = None,
) -> OutboxMessage | None:
    """Add a message unless one with the same idempotency key exists; the caller's commit makes it real.

    `attachments` are OutboxAttachment ids (tasks/outbox/attachments.py: store the file once, name it here).
    """
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)).first() is not None:
        return None
    message = OutboxMessage(
        idempotency_key=key,
        message_id=message_id_for(key, from_address.rpartition("@")[2] or "localhost"),
        kind=kind,
        person_id=to.id,
        to_address=to.email,
        to_name=to.name,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        ics=ics,
        assignment_ids=assignment_ids or [],
        attachment_ids=attachments or None,
        created_at=now,
        next_attempt_at=not_before or now,
    )
    session.add(message)
    return message
