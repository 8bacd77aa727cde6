"""Claims on outbox messages, so that a crash between "sent" and "marked sent" never sends a second copy.

Each message is claimed as SENDING, with a fresh attempt token and a claim expiry in `next_attempt_at`, in its own
committed transaction right before it is handed to the SMTP server; its outcome is written, in another committed
transaction, only by the holder of that token. Another sender (a second scheduler, a CLI run) never touches a
message it did not claim.

A message still SENDING after its claim expired belonged to a sender that died mid-hand-over: the server may or
may not have accepted it. We resolve that conservatively: it is NOT sent again automatically but moved to the
dead letters with the reason, and `email.uncertain` is logged. HR sees it in `arshjul outbox --status dead` and can
retry it; a retry keeps the Message-ID, so a receiver that did get the first copy can recognise the second.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import CursorResult, Engine, update
from sqlmodel import Session, col, select

from arshjul.db import session_scope
from config.settings import SmtpSettings
from domain.models import Assignment, OutboxMessage, OutboxStatus
from domain.states import DONE
from notifications.sender import DeliveryOutcome, DeliveryResult
from tasks.events import record

log = logging.getLogger(__name__)

CANCELLABLE: Final = frozenset({"reminder", "overdue", "invitation", "deadline_changed"})
RETRYABLE: Final = (OutboxStatus.PENDING, OutboxStatus.FAILED)
MIN_CLAIM: Final = timedelta(minutes=15)
ANSWERED_REASON: Final = "oppgaven er besvart eller fritatt"
UNCERTAIN_REASON: Final = (
    "usikker levering: sendingen ble avbrutt etter at meldingen ble overlevert til e-postserveren, "
    "så den kan være mottatt; den sendes ikke på nytt automatisk"
)


def claim_lifetime(smtp: SmtpSettings) -> timedelta:
    """How long a claim stands: well beyond one SMTP hand-over (connect, send, reconnect)."""
    return max(MIN_CLAIM, timedelta(seconds=4 * smtp.timeout_seconds))


def all_done(session: Session, message: OutboxMessage) -> bool:
    """A task email whose every task is answered or excused: it would only confuse."""
    if message.kind not in CANCELLABLE or not message.assignment_ids:
        return False
    states = session.exec(select(Assignment.state).where(col(Assignment.id).in_(message.assignment_ids))).all()
    return bool(states) and all(state in DONE for state in states)


def cancel(session: Session, message: OutboxMessage, at: datetime, reason: str, actor: str = "system") -> None:
    message.status, message.last_error, message.attempt_token = OutboxStatus.CANCELLED, reason, None
    record(
        session,
        "email.cancelled",
        at=at,
        actor=actor,
        person_id=message.person_id,
        mail_kind=message.kind,
        to=message.to_address,
        key=message.idempotency_key,
        reason=reason,
    )


def mail_event(
    session: Session, kind: str, message: OutboxMessage, at: datetime, actor: str = "system", **extra: str
) -> None:
    record(
        session,
        kind,
        at=at,
        actor=actor,
        person_id=message.person_id,
        mail_kind=message.kind,
        to=message.to_address,
        key=message.idempotency_key,
        **extra,
    )


def resolve_stuck(session: Session, as_of: datetime) -> int:
    """Dead-letter every message whose claim expired without an outcome (see the module's docstring)."""
    stuck = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= as_of
        )
    ).all()
    for message in stuck:
        message.status, message.last_error, message.attempt_token = OutboxStatus.DEAD, UNCERTAIN_REASON, None
        mail_event(session, "email.uncertain", message, as_of, reason=UNCERTAIN_REASON)
    return len(stuck)


class ClaimTracker:
    """The claim and result hooks of one delivery round; thread-safe, each call its own unit of work."""

    def __init__(self, engine: Engine, smtp: SmtpSettings, as_of: datetime) -> None:
        self.engine, self.smtp, self.as_of = engine, smtp, as_of
        self.counts: Counter[str] = Counter()
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """Take the message for this attempt, unless someone else has it or its tasks are all done."""
        token = secrets.token_hex(16)
        claim = (
            update(OutboxMessage)
            .where(col(OutboxMessage.idempotency_key) == key, col(OutboxMessage.status).in_(RETRYABLE))
            .where(col(OutboxMessage.next_attempt_at) <= self.as_of)
            .values(
                status=OutboxStatus.SENDING,
                attempt_token=token,
                next_attempt_at=self.as_of + claim_lifetime(self.smtp),
            )
        )
        with session_scope(self.engine) as session:
            claimed = cast("CursorResult[Any]", session.execute(claim))
            if claimed.rowcount != 1:
                return False
            message = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
            if all_done(session, message):  # answered since the round began: cancelled, never sent
                cancel(session, message, self.as_of, ANSWERED_REASON)
                self._count("cancelled")
                return False
        with self._lock:
            self._tokens[key] = token
        return True

    def record(self, result: DeliveryResult) -> None:
        """Write the outcome, if this round still holds the message (or never claimed it: no connection)."""
        with self._lock:
            token = self._tokens.pop(result.key, None)
        with session_scope(self.engine) as session:
            message = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == result.key)).one()
            held = message.status == OutboxStatus.SENDING and message.attempt_token == token
            if not (held if token else message.status in RETRYABLE):
                log.warning("outbox %s changed hands before its result (%s) was written", result.key, result.outcome)
                return
            self._count(self._apply(session, message, result))

    def _apply(self, session: Session, message: OutboxMessage, result: DeliveryResult) -> str:
        message.attempts += 1
        message.attempt_token = None
        if result.outcome == DeliveryOutcome.SENT:
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, self.as_of, ""
            mail_event(session, "email.sent", message, self.as_of)
            return "sent"
        if result.outcome == DeliveryOutcome.TRANSIENT and message.attempts < self.smtp.max_attempts:
            delay = timedelta(seconds=self.smtp.backoff_base_seconds * 2 ** (message.attempts - 1))
            message.status, message.last_error = OutboxStatus.FAILED, result.detail
            message.next_attempt_at = self.as_of + delay
            return "retrying"
        message.status, message.last_error = OutboxStatus.DEAD, result.detail
        mail_event(session, "email.dead", message, self.as_of, reason=result.detail)
        return "dead"

    def _count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1
