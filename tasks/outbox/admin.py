"""What HR and operations can do to the outbox by hand: list it, send a dead letter again, cancel a message."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlmodel import Session, col, select

from domain.aarshjul.workdays import to_local
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


class NeedsConfirmation(OutboxActionRefused):
    """The retry would resend messages whose delivery is uncertain: the recipient may get them twice."""

    def __init__(self, count: int) -> None:
        self.count = count
        which = "Én melding har" if count == 1 else f"{count} meldinger har"
        super().__init__(
            f"{which} usikker levering: e-postserveren kan allerede ha tatt imot "
            f"{'den' if count == 1 else 'dem'}, og mottakeren kan da få {'den' if count == 1 else 'dem'} to ganger."
        )


def uncertainty(message: OutboxMessage) -> str:
    """What is known about an uncertain message, for HR: when it was handed over, what the relay last said."""
    if not message.uncertain:
        return ""
    when = to_local(message.handed_over_at).strftime("%d.%m.%Y %H:%M") if message.handed_over_at else "ukjent tid"
    said = f"; serveren svarte sist «{message.relay_reply}»" if message.relay_reply else ""
    return f"usikker levering: overlevert til e-postserveren {when}{said}; kan være mottatt"


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


def retry(
    session: Session, message_id: int, *, now: datetime, actor: str, confirmed: bool = False, confirmation: str = ""
) -> OutboxMessage:
    """A dead or failed message goes back in the queue at once, with a fresh retry budget and the same Message-ID.

    An uncertain one only when `confirmed` (NeedsConfirmation otherwise): it may have been delivered already.
    `confirmation` names the console's confirmation page it came from, in the event (tasks/outbox/bulk.py).
    """
    message = _get(session, message_id)
    if message.status not in RETRY_FROM:
        raise OutboxActionRefused(f"Melding {message_id} {_REFUSALS.get(message.status, 'kan ikke sendes på nytt')}.")
    if message.uncertain and not confirmed:
        raise NeedsConfirmation(1)
    previous, was_uncertain = message.last_error, message.uncertain
    message.status, message.attempts, message.attempt_token = OutboxStatus.PENDING, 0, None
    message.next_attempt_at, message.last_error, message.first_failed_at = now, "", None
    message.uncertain, message.waiting_for_relay = False, False
    extra = {"uncertain": "confirmed"} if was_uncertain else {}
    extra |= {"confirmation": confirmation} if confirmation else {}
    mail_event(session, EventKind.EMAIL_RETRIED, message, now, actor, previous_error=previous, **extra)
    return message


def dead_letters(session: Session) -> tuple[list[int], list[int]]:
    """The ids of the dead letters: (certain, uncertain)."""
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.uncertain)
        .where(OutboxMessage.status == OutboxStatus.DEAD)
        .order_by(col(OutboxMessage.id))
    ).all()
    return [i for i, uncertain in rows if i is not None and not uncertain], [i for i, u in rows if i is not None and u]


def retry_dead(session: Session, *, now: datetime, actor: str, uncertain: bool | None = None) -> list[OutboxMessage]:
    """Every dead letter back in the queue.

    Uncertain ones too if `uncertain` is True, skipped if False; if None and there are any, nothing is done
    (NeedsConfirmation), so that a plain "retry all" never resends them unasked.
    """
    certain, unsure = dead_letters(session)
    if unsure and uncertain is None:
        raise NeedsConfirmation(len(unsure))
    chosen = sorted(certain + unsure) if uncertain else certain
    return [retry(session, message_id, now=now, actor=actor, confirmed=bool(uncertain)) for message_id in chosen]


def cancel_message(
    session: Session, message_id: int, *, now: datetime, actor: str, confirmation: str = ""
) -> OutboxMessage:
    """A message that has not gone out is never sent."""
    message = _get(session, message_id)
    if message.status not in CANCEL_FROM:
        raise OutboxActionRefused(f"Melding {message_id} {_REFUSALS.get(message.status, 'kan ikke avbrytes')}.")
    extra = {"confirmation": confirmation} if confirmation else {}
    cancel(session, message, now, "avbrutt for hånd", actor=actor, **extra)
    return message
