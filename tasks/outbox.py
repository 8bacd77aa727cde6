"""The email outbox: messages are written with the state change that causes them, and delivered separately."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from arshjul.db import session_scope
from config.settings import SmtpSettings
from domain.models import Assignment, OutboxMessage, OutboxStatus, Person
from domain.states import DONE
from notifications.message import OutgoingMail, build_message, message_id_for
from notifications.sender import DeliveryOutcome, DeliveryResult, deliver
from notifications.templating import RenderedEmail
from tasks.events import record

CANCELLABLE = frozenset({"reminder", "overdue", "invitation"})


@dataclass(frozen=True)
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    cancelled: int = 0


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
        totals = DeliveryStats(*(a + b for a, b in zip(_tuple(totals), _tuple(stats), strict=True)))
        if not more:
            return totals


def _deliver_batch(engine: Engine, smtp: SmtpSettings, *, as_of: datetime, batch: int) -> tuple[DeliveryStats, bool]:
    with session_scope(engine) as session:
        due = list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.FAILED]))
                .where(OutboxMessage.next_attempt_at <= as_of)
                .order_by(col(OutboxMessage.id))
                .limit(batch)
            )
        )
        cancelled = _cancel_stale(session, due, as_of)
        sendable = [m for m in due if m.status != OutboxStatus.CANCELLED]
    if not sendable:
        return DeliveryStats(cancelled=cancelled), False
    pairs = [(m.idempotency_key, _to_email(m, smtp, as_of)) for m in sendable]
    results = asyncio.run(deliver(pairs, smtp))
    with session_scope(engine) as session:
        stats = _apply(session, sendable, results, smtp, as_of)
    return DeliveryStats(stats.sent, stats.retrying, stats.dead, cancelled), len(due) == batch


def _cancel_stale(session: Session, messages: list[OutboxMessage], as_of: datetime) -> int:
    ids = {i for m in messages if m.kind in CANCELLABLE for i in m.assignment_ids}
    if not ids:
        return 0
    states = dict(session.exec(select(Assignment.id, Assignment.state).where(col(Assignment.id).in_(ids))).all())
    cancelled = 0
    for message in messages:
        if (
            message.kind in CANCELLABLE
            and message.assignment_ids
            and all(states.get(i) in DONE for i in message.assignment_ids)
        ):
            message.status = OutboxStatus.CANCELLED
            message.last_error = "oppgaven er besvart eller fritatt"
            record(session, "email.cancelled", at=as_of, person_id=message.person_id, key=message.idempotency_key)
            cancelled += 1
    return cancelled


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


def _apply(
    session: Session,
    messages: list[OutboxMessage],
    results: list[DeliveryResult],
    smtp: SmtpSettings,
    as_of: datetime,
) -> DeliveryStats:
    sent = retrying = dead = 0
    for message, result in zip(messages, results, strict=True):
        message = session.merge(message)
        message.attempts += 1
        if result.outcome == DeliveryOutcome.SENT:
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, as_of, ""
            _mail_event(session, "email.sent", message, as_of)
            sent += 1
        elif result.outcome == DeliveryOutcome.TRANSIENT and message.attempts < smtp.max_attempts:
            message.status, message.last_error = OutboxStatus.FAILED, result.detail
            message.next_attempt_at = as_of + timedelta(seconds=smtp.backoff_base_seconds * 2 ** (message.attempts - 1))
            retrying += 1
        else:
            message.status, message.last_error = OutboxStatus.DEAD, result.detail
            _mail_event(session, "email.dead", message, as_of, reason=result.detail)
            dead += 1
    return DeliveryStats(sent=sent, retrying=retrying, dead=dead)


def _mail_event(session: Session, kind: str, message: OutboxMessage, at: datetime, **extra: str) -> None:
    record(
        session,
        kind,
        at=at,
        person_id=message.person_id,
        mail_kind=message.kind,
        to=message.to_address,
        key=message.idempotency_key,
        **extra,
    )


def next_pending_at(session: Session) -> datetime | None:
    """When the outbox next has something to send (for the simulated clock)."""
    return session.exec(
        select(OutboxMessage.next_attempt_at)
        .where(col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.FAILED]))
        .order_by(col(OutboxMessage.next_attempt_at))
    ).first()


def _tuple(stats: DeliveryStats) -> tuple[int, int, int, int]:
    return stats.sent, stats.retrying, stats.dead, stats.cancelled
