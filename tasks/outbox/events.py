"""The events of delivery (email.sent, email.dead, email.cancelled), written with the outcomes they record.

record() (tasks/events.py) is how an event is appended: it runs the event's reactions and queues it for the Prefect
mirror, and leaves the row to the session's flush. For a batch of outcomes that unit of work cost more than all
the rest of the transaction, so delivery notes its events and inserts their rows together (write_events); the
one transaction per message writes its row directly (event_row, tasks/outbox_feed.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Protocol, cast

from sqlalchemy import Table, insert, inspect
from sqlmodel import Session

from domain.events import EventKind
from domain.models import Event
from tasks.events.log import record

EVENTS: Final = cast(Table, inspect(Event).local_table)
EVENT_FIELDS: Final = tuple(column.name for column in EVENTS.columns if not column.primary_key)
INSERT_EVENT: Final = insert(EVENTS)
_OURS: Final = "outbox_events"  # Session.info key: the events a transaction of ours recorded


class Mail(Protocol):
    """What an event says about a message (outbox_claims.Due and Claimed)."""

    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def to_address(self) -> str: ...


def note_event(session: Session, at: datetime, kind: EventKind, message: Mail, **extra: str) -> None:
    """record() an event about `message`; its row is written by write_events, before the commit."""
    event = record(
        session,
        kind,
        at=at,
        actor="system",
        person_id=message.person_id,
        mail_kind=message.kind,
        to=message.to_address,
        key=message.key,
        **extra,
    )
    session.info.setdefault(_OURS, []).append(event)


def write_events(session: Session) -> None:
    """The events this transaction noted, in one INSERT, before it commits.

    The events still pending are taken out of the session and their rows inserted together; the Event objects stay
    queued for Prefect as record() left them. One already flushed (were record() ever to flush) is left alone.
    """
    pending = [event for event in session.info.pop(_OURS, []) if inspect(event).pending]
    if not pending:
        return
    for event in pending:
        session.expunge(event)
    rows = [{name: getattr(event, name) for name in EVENT_FIELDS} for event in pending]
    session.connection().execute(INSERT_EVENT, rows)


def event_row(kind: str, message: Mail, at: datetime) -> dict[str, Any]:
    """An event's row as note_event and write_events would write it, without the ORM object (no reactions)."""
    payload = {"mail_kind": message.kind, "to": message.to_address, "key": message.key}
    row: dict[str, Any] = dict.fromkeys(EVENT_FIELDS)
    row.update(kind=kind, at=at, actor="system", person_id=message.person_id, payload=payload)
    return row
