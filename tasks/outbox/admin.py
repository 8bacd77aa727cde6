"""What HR and operations can do to the outbox by hand: list it, send a dead letter again, cancel a message."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.models import OutboxMessage, OutboxStatus
from tasks.outbox.claims import cancel, mail_event

RETRY_FROM: Final = frozenset({OutboxStatus.DEAD, OutboxStatus.FAILED})
CANCEL_FROM: Final = frozenset({OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.DEAD})
_REFUSALS: Final = {
    OutboxStatus.SENT: "er allerede sendt",
    OutboxStatus.SENDING: "blir sendt akkurat nå; prøv igjen om litt",
    OutboxStatus.CANCELLED: "er avbrutt",
    OutboxStatus.PENDING: "venter allerede på å bli sendt",
}


class OutboxActionRefused(ValueError):
    """The message cannot be retried or cancelled; the text is for the person, in Norwegian."""


def list_messages(session: Session, *, status: OutboxStatus | None = None, limit: int = 50) -> list[OutboxMessage]:
    """The newest messages first, optionally only those in one status."""
    query = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(session.exec(query))


def _get(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise OutboxActionRefused(f"Finner ingen melding med nummer {message_id} i utboksen.")
    return message


def retry(session: Session, message_id: int, *, now: datetime, actor: str) -> OutboxMessage:
    """A dead or failed message goes back in the queue at once, with a fresh retry budget and the same Message-ID."""
    message = _get(session, message_id)
    if message.status not in RETRY_FROM:
        raise OutboxActionRefused(f"Melding {message_id} {_REFUSALS.get(message.status, 'kan ikke sendes på nytt')}.")
    previous = message.last_error
    message.status, message.attempts, message.attempt_token = OutboxStatus.PENDING, 0, None
    message.next_attempt_at, message.last_error = now, ""
    mail_event(session, EventKind.EMAIL_RETRIED, message, now, actor, previous_error=previous)
    return message


def retry_dead(session: Session, *, now: datetime, actor: str) -> list[OutboxMessage]:
    """Every dead letter back in the queue."""
    dead = session.exec(select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.DEAD)).all()
    return [retry(session, message_id, now=now, actor=actor) for message_id in dead if message_id is not None]


def cancel_message(session: Session, message_id: int, *, now: datetime, actor: str) -> OutboxMessage:
    """A message that has not gone out is never sent."""
    message = _get(session, message_id)
    if message.status not in CANCEL_FROM:
        raise OutboxActionRefused(f"Melding {message_id} {_REFUSALS.get(message.status, 'kan ikke avbrytes')}.")
    cancel(session, message, now, "avbrutt for hånd", actor=actor)
    return message
