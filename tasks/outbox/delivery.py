"""The email outbox: messages are written with the state change that causes them, and delivered separately.

Delivery claims messages before handing them over, marks each handed over right before its SMTP DATA, and records
its outcome before the next one goes (tasks/outbox_claims.py, tasks/outbox_feed.py), so a crash at any point
neither loses a message nor sends a second copy automatically, and leaves at most one message per connection
uncertain. Temporary failures are retried for days (tasks/outbox_retry.py); HR hears of dead letters once per
round (tasks/outbox/summary.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.settings import Settings, SmtpSettings
from domain.models import OutboxMessage, OutboxStatus
from notifications.sender import deliver_feed
from tasks.outbox.claims import CANCELLABLE, CLAIM_BATCH, RETRYABLE, resolve_stuck
from tasks.outbox.feed import OutboxFeed
from tasks.outbox.summary import queue_dead_letter_summary
from tasks.store.db import session_scope

__all__ = ["CANCELLABLE", "DeliveryStats", "deliver_due", "next_pending_at"]


@dataclass(frozen=True)
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    cancelled: int = 0
    uncertain: int = 0


def deliver_due(
    engine: Engine, smtp: SmtpSettings, *, as_of: datetime, batch: int = 500, report_to: Settings | None = None
) -> DeliveryStats:
    """Send every pending message whose time has come; cancel reminders whose tasks were answered meanwhile.

    The due messages are read `batch` at a time (ids and addresses only); each SMTP connection claims, builds and
    sends them CLAIM_BATCH at a time, see tasks/outbox_feed.py. With `report_to`, messages that became dead letters
    in this round are summed up for HR in one email (tasks/outbox/summary.py).
    """
    with session_scope(engine) as session:
        uncertain = resolve_stuck(session, as_of)
    with OutboxFeed(engine, smtp, as_of, page=batch) as feed:
        due = feed.due()
        if due:  # a connection per CLAIM_BATCH due, up to smtp.concurrency: another would find nothing to claim
            asyncio.run(deliver_feed(feed, smtp, connections=-(-due // CLAIM_BATCH)))
    if report_to is not None and (uncertain or feed.dead):
        with session_scope(engine) as session:
            queue_dead_letter_summary(session, report_to, [*uncertain, *feed.dead], as_of)
    counts = feed.counts
    return DeliveryStats(
        sent=counts["sent"],
        retrying=counts["retrying"],
        dead=counts["dead"],
        cancelled=counts["cancelled"],
        uncertain=len(uncertain),
    )


def next_pending_at(session: Session) -> datetime | None:
    """When the outbox next has something to do: a send, a retry, or an expired claim to resolve."""
    return session.exec(
        select(OutboxMessage.next_attempt_at)
        .where(col(OutboxMessage.status).in_([*RETRYABLE, OutboxStatus.SENDING]))
        .order_by(col(OutboxMessage.next_attempt_at))
    ).first()
