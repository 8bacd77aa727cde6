"""The email outbox: messages are written with the state change that causes them, and delivered separately.

Delivery claims each message before handing it over and records its outcome at once (tasks/outbox_claims.py),
so a crash at any point neither loses a message nor sends a second copy automatically.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from arshjul.db import session_scope
from config.settings import SmtpSettings
from domain.models import OutboxMessage, OutboxStatus, Person
from notifications.message import HeaderInjectionError, OutgoingMail, build_message, message_id_for
from notifications.sender import Hooks, deliver
from notifications.templating import RenderedEmail
from tasks.outbox_claims import (
    ANSWERED_REASON,
    CANCELLABLE,
    RETRYABLE,
    ClaimTracker,
    all_done,
    cancel,
    mail_event,
    resolve_stuck,
)

__all__ = ["CANCELLABLE", "DeliveryStats", "deliver_due", "enqueue", "next_pending_at"]


@dataclass(frozen=True)
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    cancelled: int = 0
    uncertain: int = 0


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
) -> OutboxMessage | None:
    """Add a message unless one with the same idempotency key exists; the caller's commit makes it real."""
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
        created_at=now,
        next_attempt_at=not_before or now,
    )
    session.add(message)
    return message


def deliver_due(engine: Engine, smtp: SmtpSettings, *, as_of: datetime, batch: int = 500) -> DeliveryStats:
    """Send every pending message whose time has come; cancel reminders whose tasks were answered meanwhile."""
    totals = DeliveryStats()
    while True:
        stats, more = _deliver_batch(engine, smtp, as_of=as_of, batch=batch)
        totals = DeliveryStats(**{f.name: getattr(totals, f.name) + getattr(stats, f.name) for f in fields(stats)})
        if not more:
            return totals


def _deliver_batch(engine: Engine, smtp: SmtpSettings, *, as_of: datetime, batch: int) -> tuple[DeliveryStats, bool]:
    with session_scope(engine) as session:
        uncertain = resolve_stuck(session, as_of)
        due = list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.status).in_(RETRYABLE))
                .where(OutboxMessage.next_attempt_at <= as_of)
                .order_by(col(OutboxMessage.id))
                .limit(batch)
            )
        )
        for message in due:
            if all_done(session, message):
                cancel(session, message, as_of, ANSWERED_REASON)
        pairs, refused = _build(session, [m for m in due if m.status != OutboxStatus.CANCELLED], smtp, as_of)
    cancelled = sum(1 for m in due if m.status == OutboxStatus.CANCELLED)
    tracker = ClaimTracker(engine, smtp, as_of)
    if pairs:
        asyncio.run(deliver(pairs, smtp, Hooks(claim=tracker.claim, on_result=tracker.record)))
    counts = tracker.counts
    stats = DeliveryStats(
        sent=counts["sent"],
        retrying=counts["retrying"],
        dead=counts["dead"] + refused,
        cancelled=cancelled + counts["cancelled"],
        uncertain=uncertain,
    )
    return stats, len(due) == batch


def _build(
    session: Session, messages: list[OutboxMessage], smtp: SmtpSettings, as_of: datetime
) -> tuple[list[tuple[str, EmailMessage]], int]:
    """The MIME messages to send; one that cannot be built safely (an address with a line break) is dead at once."""
    pairs, refused = [], 0
    for message in messages:
        try:
            pairs.append((message.idempotency_key, _to_email(message, smtp, as_of)))
        except (HeaderInjectionError, ValueError) as exc:
            message.status, message.last_error = OutboxStatus.DEAD, f"kan ikke bygges: {exc}"
            mail_event(session, "email.dead", message, as_of, reason=message.last_error)
            refused += 1
    return pairs, refused


def _to_email(message: OutboxMessage, smtp: SmtpSettings, as_of: datetime) -> EmailMessage:
    mail = OutgoingMail(
        idempotency_key=message.idempotency_key,
        to_address=message.to_address,
        to_name=message.to_name,
        subject=message.subject,
        text=message.body_text,
        html=message.body_html,
        ics=message.ics,
        reply_to=smtp.reply_to,
    )
    return build_message(mail, from_address=smtp.from_address, from_name=smtp.from_name, sent_at=as_of)


def next_pending_at(session: Session) -> datetime | None:
    """When the outbox next has something to do: a send, a retry, or an expired claim to resolve."""
    return session.exec(
        select(OutboxMessage.next_attempt_at)
        .where(col(OutboxMessage.status).in_([*RETRYABLE, OutboxStatus.SENDING]))
        .order_by(col(OutboxMessage.next_attempt_at))
    ).first()
