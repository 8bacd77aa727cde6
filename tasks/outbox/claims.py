"""Claims on outbox messages, so that a crash between "sent" and "marked sent" never sends a second copy.

Messages are claimed as SENDING, with a fresh attempt token and a claim expiry in `next_attempt_at`, in a committed
transaction, CLAIM_BATCH at a time per SMTP connection. Right before the SMTP DATA of each message its holder writes
`handed_over_at` (only while it still holds the claim; otherwise it does not send it), in the same small
transaction as the outcome of the connection's previous message. Outcomes are written only by the token's holder.
Another sender (a second scheduler, a CLI run) never touches a message it did not claim.

A message still SENDING after its claim expired belonged to a sender that died (tasks/outbox_feed.py):
* never handed over: nothing of it reached the server, so it simply goes back to the queue and is sent by a later
  run, without a person;
* handed over: the server may or may not have accepted it. That is at most one message per connection (the one in
  the middle of DATA). It is NOT sent again automatically but becomes an "uncertain" dead letter, with when it was
  handed over and what the relay last said; `email.uncertain` is logged, and HR may retry it after confirming
  (tasks/outbox_admin.py). A retry keeps the Message-ID, so a receiver that got the first copy can recognise it.

The hand-over mark is an ordinary commit, without waiting for the disk: a killed process keeps what it wrote to
the operating system. A power loss or kernel crash may lose the last commits of SQLite's write-ahead log
(synchronous=NORMAL), so a message handed over just before it can come back as "never handed over" and be sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as sqlmodel_select

from config.settings import SmtpSettings
from domain.events import EventKind
from domain.models import Assignment, OutboxMessage, OutboxStatus
from domain.states import DONE
from tasks.events.log import record

log = logging.getLogger(__name__)

CANCELLABLE: Final = frozenset({"reminder", "overdue", "invitation", "deadline_changed"})
RETRYABLE: Final = (OutboxStatus.PENDING, OutboxStatus.FAILED)
MIN_CLAIM: Final = timedelta(minutes=15)
# Messages one SMTP connection claims per transaction. A crash leaves them claimed, but only the one whose DATA was
# under way is uncertain; the others were never handed over and go back to the queue when the claim expires. The
# batch only bounds how long a claim must stand (claim_lifetime), so keep it small: at most 20.
CLAIM_BATCH: Final = 16
ANSWERED_REASON: Final = "oppgaven er besvart eller fritatt"
UNCERTAIN_REASON: Final = (
    "usikker levering: sendingen ble avbrutt mens meldingen ble overlevert til e-postserveren, "
    "så den kan være mottatt; den sendes ikke på nytt automatisk"
)

OUTBOX: Final = SQLModel.metadata.tables[OutboxMessage.__tablename__]  # Core: no ORM objects per message
C = OUTBOX.c


def claim_lifetime(smtp: SmtpSettings) -> timedelta:
    """How long a claim stands: beyond the slowest hand-over of a whole batch.

    Each message takes four replies (MAIL, RCPT, DATA, the data), each within the timeout, and a reconnect about as
    many. A claim that expired mid-batch is safe but wasteful: a later run gives the rest back to the queue, and
    the holder then finds them no longer its own when it comes to hand them over, and skips them.
    """
    return max(MIN_CLAIM, timedelta(seconds=4 * smtp.timeout_seconds * (CLAIM_BATCH + 1)))


# The statements of every exchange are built once, with the id lists as expanding parameters: building them anew
# for every call showed up as about a tenth of the feed's time in profiles.
_STATES: Final = select(col(Assignment.id), col(Assignment.state)).where(
    col(Assignment.id).in_(bindparam("ids", expanding=True))
)


def answered(session: Session, messages: Iterable[tuple[int, str, list[int]]]) -> set[int]:
    """Of (message id, kind, assignment ids), the task emails whose tasks are all answered or excused (one query).

    Such an email would only confuse. Tasks that no longer exist are ignored; an email none of whose tasks exist is
    sent as it is.
    """
    cancellable = [(mid, ids) for mid, kind, ids in messages if kind in CANCELLABLE and ids]
    if not cancellable:
        return set()
    wanted = sorted({aid for _, ids in cancellable for aid in ids})
    states = {aid: state for aid, state in session.connection().execute(_STATES, {"ids": wanted}).tuples()}
    answered = set()
    for mid, ids in cancellable:
        present = [states[aid] for aid in ids if aid in states]
        if present and all(state in DONE for state in present):
            answered.add(mid)
    return answered


def cancel(
    session: Session, message: OutboxMessage, at: datetime, reason: str, actor: str = "system", **extra: str
) -> None:
    message.status, message.last_error, message.attempt_token = OutboxStatus.CANCELLED, reason, None
    record(
        session,
        EventKind.EMAIL_CANCELLED,
        at=at,
        actor=actor,
        person_id=message.person_id,
        mail_kind=message.kind,
        to=message.to_address,
        key=message.idempotency_key,
        reason=reason,
        **extra,
    )


def mail_event(
    session: Session, kind: EventKind, message: OutboxMessage, at: datetime, actor: str = "system", **extra: str
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


def resolve_stuck(session: Session, as_of: datetime) -> list[int]:
    """Messages whose claim expired without an outcome: back to the queue if never handed over, else uncertain.

    Returns the ids of the uncertain ones (see the module's docstring).
    """
    expired = (C.status == OutboxStatus.SENDING, C.next_attempt_at <= as_of)
    # Nearly every run finds nothing: one read (on the due index) instead of two updates, which opened a write
    # transaction, took the database's write lock and committed on every dispatcher run.
    if session.connection().execute(select(C.id).where(*expired).limit(1)).first() is None:
        return []
    requeued = 0
    for status, tried in ((OutboxStatus.FAILED, C.attempts > 0), (OutboxStatus.PENDING, C.attempts == 0)):
        back = update(OUTBOX).where(*expired, C.handed_over_at.is_(None), tried)
        requeued += (
            session.connection().execute(back.values(status=status, attempt_token=None, next_attempt_at=as_of)).rowcount
        )
    if requeued:
        log.warning(
            "%d outbox messages claimed by a sender that stopped were never handed over: queued again", requeued
        )
    stuck = session.exec(
        sqlmodel_select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= as_of)
        .order_by(col(OutboxMessage.id))
    ).all()
    for message in stuck:
        message.status, message.last_error, message.attempt_token = OutboxStatus.DEAD, UNCERTAIN_REASON, None
        message.uncertain = True
        when = message.handed_over_at.isoformat() if message.handed_over_at else ""
        mail_event(session, EventKind.EMAIL_UNCERTAIN, message, as_of, reason=UNCERTAIN_REASON, handed_over_at=when,
                   relay_reply=message.relay_reply)  # fmt: skip
    return [message.id for message in stuck if message.id is not None]


@dataclass(frozen=True)
class Due:
    """A message that was due when its page was read: enough to claim it, or to fail it without a connection."""

    id: int
    key: str
    kind: str
    person_id: int | None
    to_address: str
    attempts: int
    assignment_ids: list[int]
    first_failed_at: datetime | None
    status: OutboxStatus


@dataclass(frozen=True)
class Claimed:
    """A message this round holds (status SENDING with `token`), as the claim returned it."""

    token: str
    previous: OutboxStatus  # its status before the claim
    id: int
    key: str
    kind: str
    person_id: int | None
    to_address: str
    attempts: int
    assignment_ids: list[int]
    first_failed_at: datetime | None
    to_name: str
    subject: str
    body_text: str
    body_html: str
    ics: str | None
    attachment_ids: list[int] | None = None  # files it carries (OutboxAttachment), loaded once per claimed batch


_COLUMNS: Final = (C.id, C.idempotency_key, C.kind, C.person_id, C.to_address, C.attempts, C.assignment_ids,
                   C.first_failed_at)  # fmt: skip
DUE_COLUMNS: Final = (*_COLUMNS, C.status)
_CLAIM_COLUMNS: Final = (*_COLUMNS, C.to_name, C.subject, C.body_text, C.body_html, C.ics, C.attachment_ids)
CLAIM: Final = (
    update(OUTBOX)
    .where(C.id.in_(bindparam("claim_ids", expanding=True)), C.status.in_(RETRYABLE))
    .where(C.next_attempt_at <= bindparam("due_by"))
    .values(
        status=OutboxStatus.SENDING,
        attempt_token=bindparam("claim_token"),
        next_attempt_at=bindparam("expires"),
        handed_over_at=None,
    )
    .returning(*_CLAIM_COLUMNS)
)
CANCEL_ANSWERED: Final = (
    update(OUTBOX)
    .where(C.id.in_(bindparam("answered_ids", expanding=True)), C.attempt_token == bindparam("held_by"))
    .values(status=OutboxStatus.CANCELLED, last_error=ANSWERED_REASON, attempt_token=None)
)
_HELD: Final = (
    C.id == bindparam("mid"),
    C.status == OutboxStatus.SENDING,
    C.attempt_token == bindparam("held_by"),
)
# Right before DATA: from here on the relay may have it. Only while the claim is still ours, and only once.
MARK_HANDED_OVER: Final = (
    update(OUTBOX)
    .where(*_HELD, C.handed_over_at.is_(None))
    .values(handed_over_at=bindparam("at"), relay_reply=bindparam("reply"))
)
MARK_SENT: Final = (
    update(OUTBOX)
    .where(*_HELD)
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("at"),
        last_error="",
        relay_reply=bindparam("reply"),
        attempts=C.attempts + 1,
        attempt_token=None,
        first_failed_at=None,
        waiting_for_relay=False,
    )
)
# The relay is back (a round connected): whatever waits for it is due now, so that it goes in queue order.
RELAY_IS_BACK: Final = (
    update(OUTBOX)
    .where(C.status == OutboxStatus.FAILED, C.waiting_for_relay.is_(True), C.next_attempt_at > bindparam("now"))
    .values(next_attempt_at=bindparam("now"))
)
