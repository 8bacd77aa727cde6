"""Claims on outbox messages, so that a crash between "sent" and "marked sent" never sends a second copy.

Messages are claimed as SENDING, with a fresh attempt token and a claim expiry in `next_attempt_at`, in a committed
transaction before they are handed to the SMTP server; their outcomes are written, in a later committed
transaction, only by the holder of that token. Another sender (a second scheduler, a CLI run) never touches a
message it did not claim.

A message still SENDING after its claim expired belonged to a sender that died mid-hand-over: the server may or
may not have accepted it. We resolve that conservatively: it is NOT sent again automatically but moved to the
dead letters with the reason, and `email.uncertain` is logged. HR sees it in `arshjul outbox --status dead` and can
retry it; a retry keeps the Message-ID, so a receiver that did get the first copy can recognise the second.

Claims are taken CLAIM_BATCH at a time per SMTP connection, and the outcomes of one batch are written in the
transaction that claims the connection's next batch (see OutboxFeed and CLAIM_BATCH for the trade-off).
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final, cast

from sqlalchemy import Engine, Table, bindparam, insert, inspect, select, update
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as sqlmodel_select

from config.settings import SmtpSettings
from domain.events import EventKind
from domain.models import Assignment, Event, OutboxMessage, OutboxStatus
from domain.states import DONE
from notifications.message import OutgoingMail, WireMessage, render_message
from notifications.sender import DeliveryOutcome, DeliveryResult, Parcel
from tasks.events.log import record
from tasks.store.db import session_scope

log = logging.getLogger(__name__)

CANCELLABLE: Final = frozenset({"reminder", "overdue", "invitation", "deadline_changed"})
RETRYABLE: Final = (OutboxStatus.PENDING, OutboxStatus.FAILED)
MIN_CLAIM: Final = timedelta(minutes=15)
# Messages one SMTP connection claims per transaction. The trade-off: a crash (the process killed, the machine
# gone) can leave up to CLAIM_BATCH × smtp.concurrency messages (32 with the default two connections) claimed
# without a recorded outcome, each of which then becomes an "uncertain" dead letter for HR, where claiming one at
# a time left one per connection. In exchange delivery commits once per CLAIM_BATCH messages instead of twice per
# message, and that was most of its cost besides SMTP itself. Keep it small: at most 20.
CLAIM_BATCH: Final = 16
ANSWERED_REASON: Final = "oppgaven er besvart eller fritatt"
UNCERTAIN_REASON: Final = (
    "usikker levering: sendingen ble avbrutt etter at meldingen ble overlevert til e-postserveren, "
    "så den kan være mottatt; den sendes ikke på nytt automatisk"
)

_OUTBOX: Final = SQLModel.metadata.tables[OutboxMessage.__tablename__]  # Core: no ORM objects per message
_C = _OUTBOX.c
_EVENTS: Final = cast(Table, inspect(Event).local_table)
_EVENT_FIELDS: Final = tuple(column.name for column in _EVENTS.columns if not column.primary_key)
_OUR_EVENTS: Final = "outbox_events"  # Session.info key: the events a transaction of ours recorded


def claim_lifetime(smtp: SmtpSettings) -> timedelta:
    """How long a claim stands: beyond the slowest hand-over of a whole batch.

    Each message takes four replies (MAIL, RCPT, DATA, the data), each within the timeout, and a reconnect about as
    many; a claim that expired mid-batch would turn a message that did go out into an uncertain one.
    """
    return max(MIN_CLAIM, timedelta(seconds=4 * smtp.timeout_seconds * (CLAIM_BATCH + 1)))


# The statements of every exchange are built once, with the id lists as expanding parameters: building them anew
# for every call showed up as about a tenth of the feed's time in profiles.
_STATES: Final = select(col(Assignment.id), col(Assignment.state)).where(
    col(Assignment.id).in_(bindparam("ids", expanding=True))
)


def _answered(session: Session, messages: Iterable[tuple[int, str, list[int]]]) -> set[int]:
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


def cancel(session: Session, message: OutboxMessage, at: datetime, reason: str, actor: str = "system") -> None:
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


def resolve_stuck(session: Session, as_of: datetime) -> int:
    """Dead-letter every message whose claim expired without an outcome (see the module's docstring)."""
    stuck = session.exec(
        sqlmodel_select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= as_of
        )
    ).all()
    for message in stuck:
        message.status, message.last_error, message.attempt_token = OutboxStatus.DEAD, UNCERTAIN_REASON, None
        mail_event(session, EventKind.EMAIL_UNCERTAIN, message, as_of, reason=UNCERTAIN_REASON)
    return len(stuck)


@dataclass(frozen=True)
class _Due:
    """A message that was due when its page was read: enough to claim it, or to fail it without a connection."""

    id: int
    key: str
    kind: str
    person_id: int | None
    to_address: str
    attempts: int
    assignment_ids: list[int]
    status: OutboxStatus


@dataclass(frozen=True)
class _Claimed:
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
    to_name: str
    subject: str
    body_text: str
    body_html: str
    ics: str | None


_COLUMNS: Final = (_C.id, _C.idempotency_key, _C.kind, _C.person_id, _C.to_address, _C.attempts, _C.assignment_ids)
_DUE_COLUMNS: Final = (*_COLUMNS, _C.status)
_CLAIM_COLUMNS: Final = (*_COLUMNS, _C.to_name, _C.subject, _C.body_text, _C.body_html, _C.ics)
_CLAIM: Final = (
    update(_OUTBOX)
    .where(_C.id.in_(bindparam("claim_ids", expanding=True)), _C.status.in_(RETRYABLE))
    .where(_C.next_attempt_at <= bindparam("due_by"))
    .values(status=OutboxStatus.SENDING, attempt_token=bindparam("claim_token"), next_attempt_at=bindparam("expires"))
    .returning(*_CLAIM_COLUMNS)
)
_CANCEL_ANSWERED: Final = (
    update(_OUTBOX)
    .where(_C.id.in_(bindparam("answered_ids", expanding=True)), _C.attempt_token == bindparam("held_by"))
    .values(status=OutboxStatus.CANCELLED, last_error=ANSWERED_REASON, attempt_token=None)
)
_MARK_SENT: Final = (
    update(_OUTBOX)
    .where(_C.id.in_(bindparam("sent_ids", expanding=True)), _C.status == OutboxStatus.SENDING)
    .where(_C.attempt_token == bindparam("held_by"))
    .values(
        status=OutboxStatus.SENT, sent_at=bindparam("sent"), last_error="", attempts=_C.attempts + 1, attempt_token=None
    )
    .returning(_C.id)
)


class OutboxFeed:
    """The due messages, claimed in batches for the SMTP connections, and their outcomes (a sender.Feed).

    Each exchange with a connection is one transaction: write the outcomes of the batch it just sent, then claim
    its next CLAIM_BATCH messages (committed before any of them is built or handed over). So a crash leaves at most
    the batches in flight as SENDING, to be resolved as uncertain, and never a sent message as queued. Messages
    are built right before each is sent (Parcel). Use it as a context manager: after an error, claims that were
    never handed over are given back (see _release_unsent).
    """

    def __init__(self, engine: Engine, smtp: SmtpSettings, as_of: datetime, *, page: int = 500) -> None:
        self.engine, self.smtp, self.as_of, self.page = engine, smtp, as_of, page
        self.counts: Counter[str] = Counter()
        self._due: deque[_Due] = deque()
        self._after = 0  # the highest id read: the due list is read page by page, in id order
        self._exhausted = False
        self._held: dict[str, _Claimed] = {}  # claimed, outcome not written yet; by idempotency key (unique)
        self._built: set[str] = set()  # of those, the ones handed to a connection to send
        self._expires = as_of + claim_lifetime(smtp)

    def __enter__(self) -> OutboxFeed:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is not None:
            self._release_unsent()

    def due(self) -> int:
        """How many messages the first page holds (0: nothing is due)."""
        with session_scope(self.engine) as session:
            self._read_page(session)
        return len(self._due)

    # -- the Feed protocol, on the event loop -------------------------------------------------------------------
    # The transactions run on the event loop itself, on purpose. With SQLite a transaction is CPU work in this
    # process, under the same GIL as the loop: in a thread of its own it overlapped nothing and only added GIL
    # hand-offs (measured on the delivery benchmark: 0.13 ms more CPU per message, 15 % fewer messages per second).
    # The loop waits a few milliseconds per CLAIM_BATCH messages (plus the round trips to PostgreSQL, or a wait for
    # SQLite's write lock), during which the other connection's next reply waits too; SMTP servers allow minutes.
    async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
        claimed = self._exchange(list(done), more)
        return [Parcel(claim.key, partial(self._build, claim)) for claim in claimed]

    async def give_up(self, reason: str) -> None:
        self._give_up(reason)

    def _build(self, claim: _Claimed) -> WireMessage:
        self._built.add(claim.key)  # from here on it may reach the server: never released, see _release_unsent
        mail = OutgoingMail(
            idempotency_key=claim.key,
            to_address=claim.to_address,
            to_name=claim.to_name,
            subject=claim.subject,
            text=claim.body_text,
            html=claim.body_html,
            ics=claim.ics,
            reply_to=self.smtp.reply_to,
        )
        smtp = self.smtp
        return render_message(mail, from_address=smtp.from_address, from_name=smtp.from_name, sent_at=self.as_of)

    # -- the transactions ----------------------------------------------------------------------------------------
    def _exchange(self, done: list[DeliveryResult], more: bool) -> list[_Claimed]:
        if not done and not more:
            return []
        with session_scope(self.engine) as session:
            self._record(session, done)
            claimed = self._claim(session) if more else []
            self._write_events(session)
        return claimed

    def _read_page(self, session: Session) -> None:
        if self._exhausted:
            return
        query = (
            select(*_DUE_COLUMNS)
            .where(_C.status.in_(RETRYABLE), _C.next_attempt_at <= self.as_of, _C.id > self._after)
            .order_by(_C.id)
            .limit(self.page)
        )
        rows = [_Due(*row) for row in session.connection().execute(query).tuples()]
        self._due.extend(rows)
        self._exhausted = len(rows) < self.page
        if rows:
            self._after = rows[-1].id

    def _next_due(self, session: Session, count: int) -> list[_Due]:
        if len(self._due) < count:
            self._read_page(session)
        return [self._due.popleft() for _ in range(min(count, len(self._due)))]

    def _claim(self, session: Session) -> list[_Claimed]:
        """The next CLAIM_BATCH due messages nobody else holds, minus those whose tasks were answered meanwhile."""
        while batch := self._next_due(session, CLAIM_BATCH):
            token = secrets.token_hex(16)  # one per batch: the outcomes of a batch are written by its holder only
            before = {due.id: due.status for due in batch}
            claim = {"claim_ids": list(before), "due_by": self.as_of, "claim_token": token, "expires": self._expires}
            rows = session.connection().execute(_CLAIM, claim)
            claimed = sorted((_Claimed(token, before[row.id], *row) for row in rows), key=lambda c: c.id)
            answered = _answered(session, ((c.id, c.kind, c.assignment_ids) for c in claimed))
            if answered:  # answered since the round began: cancelled, never sent
                session.connection().execute(_CANCEL_ANSWERED, {"answered_ids": sorted(answered), "held_by": token})
                for c in claimed:
                    if c.id in answered:
                        self._event(session, EventKind.EMAIL_CANCELLED, c, reason=ANSWERED_REASON)
                        self.counts["cancelled"] += 1
            held = [c for c in claimed if c.id not in answered]
            if held:
                self._held.update((c.key, c) for c in held)
                return held
        return []

    def _record(self, session: Session, done: list[DeliveryResult]) -> None:
        """Every outcome, written only where this round still holds the claim; the sent ones in one statement."""
        sent: defaultdict[str, list[_Claimed]] = defaultdict(list)
        for result in done:
            claim = self._held.pop(result.key)
            self._built.discard(result.key)
            if result.outcome is DeliveryOutcome.SENT:
                sent[claim.token].append(claim)
            else:
                held = (_C.id == claim.id, _C.status == OutboxStatus.SENDING, _C.attempt_token == claim.token)
                self._write_failure(session, claim, result, held)
        for token, claims in sent.items():
            mark_sent = {"sent_ids": [c.id for c in claims], "held_by": token, "sent": self.as_of}
            written = set(session.connection().execute(_MARK_SENT, mark_sent).scalars())
            for claim in claims:
                if claim.id in written:
                    self._event(session, EventKind.EMAIL_SENT, claim)
                    self.counts["sent"] += 1
                else:
                    self._changed_hands(claim.key, DeliveryOutcome.SENT)

    def _write_failure(
        self, session: Session, message: _Due | _Claimed, result: DeliveryResult, where: tuple[Any, ...]
    ) -> None:
        """A 4xx or a lost connection is retried later, with back-off, until max_attempts; anything else is dead."""
        refused = result.outcome is DeliveryOutcome.REFUSED  # never built, so never sent: not an attempt
        attempts = message.attempts if refused else message.attempts + 1
        values: dict[str, Any] = {"attempts": attempts, "attempt_token": None}
        if result.outcome is DeliveryOutcome.TRANSIENT and attempts < self.smtp.max_attempts:
            delay = timedelta(seconds=self.smtp.backoff_base_seconds * 2 ** (attempts - 1))
            values.update(status=OutboxStatus.FAILED, last_error=result.detail, next_attempt_at=self.as_of + delay)
            outcome = "retrying"
        else:
            reason = f"kan ikke bygges: {result.detail}" if refused else result.detail
            values.update(status=OutboxStatus.DEAD, last_error=reason)
            outcome = "dead"
        if session.connection().execute(update(_OUTBOX).where(*where).values(**values)).rowcount != 1:
            self._changed_hands(message.key, result.outcome)
            return
        if outcome == "dead":
            self._event(session, EventKind.EMAIL_DEAD, message, reason=values["last_error"])
        self.counts[outcome] += 1

    def _give_up(self, reason: str) -> None:
        """No connection: what was never claimed fails as transient (back-off), unless its tasks are done by now."""
        while True:
            with session_scope(self.engine) as session:
                batch = self._next_due(session, self.page)
                if not batch:
                    return
                answered = _answered(session, ((due.id, due.kind, due.assignment_ids) for due in batch))
                for due in batch:
                    # Still as we read it: queued, and not tried by someone else since.
                    unclaimed = (_C.id == due.id, _C.status.in_(RETRYABLE), _C.attempts == due.attempts)
                    if due.id not in answered:
                        failed = DeliveryResult(due.key, DeliveryOutcome.TRANSIENT, reason)
                        self._write_failure(session, due, failed, unclaimed)
                        continue
                    cancel_it = (
                        update(_OUTBOX)
                        .where(*unclaimed)
                        .values(status=OutboxStatus.CANCELLED, last_error=ANSWERED_REASON, attempt_token=None)
                    )
                    if session.connection().execute(cancel_it).rowcount == 1:
                        self._event(session, EventKind.EMAIL_CANCELLED, due, reason=ANSWERED_REASON)
                        self.counts["cancelled"] += 1
                self._write_events(session)

    def _release_unsent(self) -> None:
        """After an error: claims never handed to a connection go back to the queue instead of becoming uncertain.

        Best effort, for errors that let us get here (a crash does not; that is what the claim expiry is for).
        """
        unsent = [claim for key, claim in self._held.items() if key not in self._built]
        if not unsent:
            return
        try:
            with session_scope(self.engine) as session:
                for claim in unsent:
                    session.connection().execute(
                        update(_OUTBOX)
                        .where(_C.id == claim.id, _C.status == OutboxStatus.SENDING, _C.attempt_token == claim.token)
                        .values(status=claim.previous, attempt_token=None, next_attempt_at=self.as_of)
                    )
        except Exception:  # the error that brought us here is the one to report
            log.warning("could not release %d unsent outbox claims; they will be resolved as uncertain", len(unsent))

    def _event(self, session: Session, kind: EventKind, message: _Due | _Claimed, **extra: str) -> None:
        event = record(
            session,
            kind,
            at=self.as_of,
            actor="system",
            person_id=message.person_id,
            mail_kind=message.kind,
            to=message.to_address,
            key=message.key,
            **extra,
        )
        session.info.setdefault(_OUR_EVENTS, []).append(event)  # written by _write_events

    def _write_events(self, session: Session) -> None:
        """The events this transaction recorded, in one INSERT, before it commits.

        record() is how an event is appended (it runs the event's reactions and queues it for the Prefect mirror),
        and it leaves the row to the session's flush; for a batch of sent mail that unit of work cost more than all
        the rest of the transaction. So the events still pending are taken out of the session and their rows
        inserted together; the Event objects stay queued for Prefect as record() left them. One already flushed
        (were record() ever to flush) is left alone.
        """
        pending = [event for event in session.info.pop(_OUR_EVENTS, []) if inspect(event).pending]
        if not pending:
            return
        for event in pending:
            session.expunge(event)
        rows = [{name: getattr(event, name) for name in _EVENT_FIELDS} for event in pending]
        session.connection().execute(insert(_EVENTS), rows)

    @staticmethod
    def _changed_hands(key: str, outcome: DeliveryOutcome) -> None:
        log.warning("outbox %s changed hands before its result (%s) was written", key, outcome)
