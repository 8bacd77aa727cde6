"""The outbox as a sender.Feed: due messages claimed in batches for the SMTP connections, and their outcomes.

See tasks/outbox_claims.py for what a claim and a hand-over mark guarantee after a crash, and tasks/outbox_retry.py
for what happens to a message that failed.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter, deque
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from config.settings import SmtpSettings
from domain.events import EventKind
from domain.models import Event, OutboxStatus
from notifications.feed import DeliveryOutcome, DeliveryResult, Parcel
from notifications.message import MailAttachment, OutgoingMail
from notifications.wire import WireMessage, render_message
from tasks.events import prefect as prefect_events
from tasks.outbox.attachments import load_attachments
from tasks.outbox.claims import (
    ANSWERED_REASON,
    CANCEL_ANSWERED,
    CLAIM,
    CLAIM_BATCH,
    DUE_COLUMNS,
    MARK_HANDED_OVER,
    MARK_SENT,
    OUTBOX,
    RELAY_IS_BACK,
    RETRYABLE,
    C,
    Claimed,
    Due,
    answered,
    claim_lifetime,
)
from tasks.outbox.events import EVENT_FIELDS, INSERT_EVENT, event_row, note_event, write_events
from tasks.outbox.marks import Marks
from tasks.outbox.retry import RetryPolicy
from tasks.store.db import session_scope

log = logging.getLogger(__name__)


class OutboxFeed:
    """The due messages, claimed in batches for the SMTP connections, and their outcomes (a sender.Feed).

    A connection's request for more is one transaction: the outcome of its last message, then a claim on its next
    CLAIM_BATCH messages (committed before any of them is built). Right before each message's DATA another small
    transaction writes the outcome of the message before it and marks this one handed over. So a crash leaves at
    most one message per connection handed over without an outcome. Use it as a context manager: after an error,
    claims that were never handed over are given back at once (see _release_unsent).
    """

    def __init__(self, engine: Engine, smtp: SmtpSettings, as_of: datetime, *, page: int = 500) -> None:
        self.engine, self.smtp, self.as_of, self.page = engine, smtp, as_of, page
        self.counts: Counter[str] = Counter()
        self.dead: list[int] = []  # the ids that became dead letters in this round
        self.policy = RetryPolicy(smtp, as_of)
        self._due: deque[Due] = deque()
        self._after = 0  # the highest id read: the due list is read page by page, in id order
        self._exhausted = False
        self._held: dict[str, Claimed] = {}  # claimed, outcome not written yet; by idempotency key (unique)
        self._expires = as_of + claim_lifetime(smtp)
        self._connected = False  # a connection was made in this round: the relay is there
        self._marks = Marks(engine)  # for the small transaction per message (tasks/outbox_marks.py)
        self._files: dict[int, MailAttachment] = {}  # attached files of the claimed messages, by OutboxAttachment id

    def __enter__(self) -> OutboxFeed:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._marks.close()
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
    # The loop waits a fraction of a millisecond per message (plus the round trips to PostgreSQL, or a wait for
    # SQLite's write lock), during which the other connection's next reply waits too; SMTP servers allow minutes.
    async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
        claimed = self._exchange(list(done), more)
        return [Parcel(claim.key, partial(self._build, claim)) for claim in claimed]

    async def handing_over(self, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        claim = self._held[key]
        mark = {"mid": claim.id, "held_by": claim.token, "at": self.as_of, "reply": reply[:400]}
        if all(result.outcome is DeliveryOutcome.SENT for result in done):
            mine = self._mark_quickly(list(done), mark)
        else:  # a failure to write as well (rare): the general path
            with session_scope(self.engine) as session:
                self._record(session, list(done))
                mine = session.connection().execute(MARK_HANDED_OVER, mark).rowcount == 1
                write_events(session)
        if not mine:  # its claim expired and a later run gave it back to the queue: not ours to send any more
            del self._held[key]
            log.warning("outbox %s was no longer held when it was to be handed over; not sent by this round", key)
        return mine

    async def give_up(self, reason: str) -> None:
        self._give_up(reason)

    def _mark_quickly(self, sent: list[DeliveryResult], mark: dict[str, Any]) -> bool:
        """The previous message sent (with its event) and this one handed over, in one transaction of plain Core.

        This runs once per message, so it avoids what a Session costs (see tasks/outbox_marks.py); its events are
        mirrored to Prefect after the commit as a Session's would be. The commit does not wait for the disk (see
        tasks/outbox_claims.py).
        """
        rows: list[dict[str, Any]] = []
        with self._marks.transaction() as transaction:
            for result in sent:
                claim = self._held.pop(result.key)
                values = {"mid": claim.id, "held_by": claim.token, "at": self.as_of, "reply": result.detail[:400]}
                if transaction.execute(MARK_SENT, values) == 1:
                    rows.append(event_row(EventKind.EMAIL_SENT, claim, self.as_of))
                    self.counts["sent"] += 1
                else:
                    self._changed_hands(claim.key, result.outcome)
            mine = transaction.execute(MARK_HANDED_OVER, mark) == 1
            for row in rows:
                transaction.execute(INSERT_EVENT, row, list(EVENT_FIELDS))
        if rows and prefect_events.installed():
            prefect_events.emit(Event(**row) for row in rows)
        return mine

    def _build(self, claim: Claimed) -> WireMessage:
        mail = OutgoingMail(
            idempotency_key=claim.key,
            to_address=claim.to_address,
            to_name=claim.to_name,
            subject=claim.subject,
            text=claim.body_text,
            html=claim.body_html,
            ics=claim.ics,
            reply_to=self.smtp.reply_to,
            attachments=self._files_of(claim),
        )
        smtp = self.smtp
        return render_message(mail, from_address=smtp.from_address, from_name=smtp.from_name, sent_at=self.as_of)

    # -- the transactions ----------------------------------------------------------------------------------------
    def _exchange(self, done: list[DeliveryResult], more: bool) -> list[Claimed]:
        if not done and not more:
            return []
        with session_scope(self.engine) as session:
            if more and not self._connected:
                self._connected = True
                self._relay_is_back(session)
            self._record(session, done)
            claimed = self._claim(session) if more else []
            write_events(session)
        return claimed

    def _relay_is_back(self, session: Session) -> None:
        """A connection was made: messages that wait for the relay are due now, and read again in queue order."""
        if session.connection().execute(RELAY_IS_BACK, {"now": self.as_of}).rowcount:
            self._due.clear()
            self._after, self._exhausted = 0, False

    def _read_page(self, session: Session) -> None:
        if self._exhausted:
            return
        query = (
            select(*DUE_COLUMNS)
            .where(C.status.in_(RETRYABLE), C.next_attempt_at <= self.as_of, C.id > self._after)
            .order_by(C.id)
            .limit(self.page)
        )
        rows = [Due(*row) for row in session.connection().execute(query).tuples()]
        for row in rows:
            self.policy.saw(row.first_failed_at)
        self._due.extend(rows)
        self._exhausted = len(rows) < self.page
        if rows:
            self._after = rows[-1].id

    def _next_due(self, session: Session, count: int) -> list[Due]:
        if len(self._due) < count:
            self._read_page(session)
        return [self._due.popleft() for _ in range(min(count, len(self._due)))]

    def _claim(self, session: Session) -> list[Claimed]:
        """The next CLAIM_BATCH due messages nobody else holds, minus those whose tasks were answered meanwhile."""
        while batch := self._next_due(session, CLAIM_BATCH):
            token = secrets.token_hex(16)  # one per batch: the outcomes of a batch are written by its holder only
            before = {due.id: due.status for due in batch}
            claim = {"claim_ids": list(before), "due_by": self.as_of, "claim_token": token, "expires": self._expires}
            rows = session.connection().execute(CLAIM, claim)
            claimed = sorted((Claimed(token, before[row.id], *row) for row in rows), key=lambda c: c.id)
            done = answered(session, ((c.id, c.kind, c.assignment_ids) for c in claimed))
            if done:  # answered since the round began: cancelled, never sent
                session.connection().execute(CANCEL_ANSWERED, {"answered_ids": sorted(done), "held_by": token})
                for c in claimed:
                    if c.id in done:
                        note_event(session, self.as_of, EventKind.EMAIL_CANCELLED, c, reason=ANSWERED_REASON)
                        self.counts["cancelled"] += 1
            held = [c for c in claimed if c.id not in done]
            self._load_files(session, held)
            if held:
                self._held.update((c.key, c) for c in held)
                return held
        return []

    def _files_of(self, claim: Claimed) -> tuple[MailAttachment, ...]:
        missing = [i for i in claim.attachment_ids or () if i not in self._files]
        if missing:  # refused (never sent) rather than sent without what it says is attached
            raise ValueError(f"vedlegg {missing} finnes ikke i utboksen")
        return tuple(self._files[i] for i in claim.attachment_ids or ())

    def _load_files(self, session: Session, held: list[Claimed]) -> None:
        """The attached files of a claimed batch, in one query, and none for a batch without any (the usual)."""
        missing = {i for c in held for i in c.attachment_ids or () if i not in self._files}
        if missing:
            self._files.update(load_attachments(session.connection(), missing))

    def _record(self, session: Session, done: list[DeliveryResult]) -> None:
        """Every outcome, written only where this round still holds the claim (usually one: the last message)."""
        for result in done:
            claim = self._held.pop(result.key)
            if result.outcome is DeliveryOutcome.SENT:
                sent = {"mid": claim.id, "held_by": claim.token, "at": self.as_of, "reply": result.detail[:400]}
                if session.connection().execute(MARK_SENT, sent).rowcount == 1:
                    note_event(session, self.as_of, EventKind.EMAIL_SENT, claim)
                    self.counts["sent"] += 1
                else:
                    self._changed_hands(claim.key, result.outcome)
            else:
                held = (C.id == claim.id, C.status == OutboxStatus.SENDING, C.attempt_token == claim.token)
                self._write_failure(session, claim, result, held)

    def _write_failure(self, session: Session, message: Due | Claimed, result: DeliveryResult, where: Any) -> None:
        """Retried later (tasks/outbox_retry.py) if temporary and within the lifetime; otherwise dead."""
        refused = result.outcome is DeliveryOutcome.REFUSED  # never built, so never sent: not an attempt
        attempts = message.attempts if refused else message.attempts + 1
        detail = f"kan ikke bygges: {result.detail}" if refused else result.detail
        outcome, values = self.policy.failure(
            result.outcome, detail, attempts=attempts, first_failed_at=message.first_failed_at
        )
        if session.connection().execute(update(OUTBOX).where(*where).values(**values)).rowcount != 1:
            self._changed_hands(message.key, result.outcome)
            return
        if outcome == "dead":
            note_event(session, self.as_of, EventKind.EMAIL_DEAD, message, reason=values["last_error"])
            self.dead.append(message.id)
        self.counts[outcome] += 1

    def _give_up(self, reason: str) -> None:
        """No connection: what was never claimed waits for the relay (back-off), unless its tasks are done by now."""
        while True:
            with session_scope(self.engine) as session:
                batch = self._next_due(session, self.page)
                if not batch:
                    return
                done = answered(session, ((due.id, due.kind, due.assignment_ids) for due in batch))
                for due in batch:
                    # Still as we read it: queued, and not tried by someone else since.
                    unclaimed = (C.id == due.id, C.status.in_(RETRYABLE), C.attempts == due.attempts)
                    if due.id not in done:
                        failed = DeliveryResult(due.key, DeliveryOutcome.UNAVAILABLE, reason)
                        self._write_failure(session, due, failed, unclaimed)
                        continue
                    cancel_it = (
                        update(OUTBOX)
                        .where(*unclaimed)
                        .values(status=OutboxStatus.CANCELLED, last_error=ANSWERED_REASON, attempt_token=None)
                    )
                    if session.connection().execute(cancel_it).rowcount == 1:
                        note_event(session, self.as_of, EventKind.EMAIL_CANCELLED, due, reason=ANSWERED_REASON)
                        self.counts["cancelled"] += 1
                write_events(session)

    def _release_unsent(self) -> None:
        """After an error: claims never handed over go back to the queue at once instead of at their expiry.

        Best effort, for errors that let us get here (a crash does not; that is what the claim expiry is for).
        """
        if not self._held:
            return
        try:
            with session_scope(self.engine) as session:
                for claim in self._held.values():
                    session.connection().execute(
                        update(OUTBOX)
                        .where(C.id == claim.id, C.status == OutboxStatus.SENDING, C.attempt_token == claim.token)
                        .where(C.handed_over_at.is_(None))
                        .values(status=claim.previous, attempt_token=None, next_attempt_at=self.as_of)
                    )
        except Exception:  # the error that brought us here is the one to report
            log.warning("could not release %d outbox claims; they are queued again when they expire", len(self._held))

    @staticmethod
    def _changed_hands(key: str, outcome: DeliveryOutcome) -> None:
        log.warning("outbox %s changed hands before its result (%s) was written", key, outcome)
