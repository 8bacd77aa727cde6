"""The append-only event log: every state change writes one, in the same transaction, and its handlers run there."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlmodel import Session

from domain.events import EventKind
from domain.models import Assignment, Event

Handler = Callable[[Session, Event], None]
HANDLERS_KEY: Final = "arshjul_handlers"  # set by tasks.store.db.session_scope
PENDING_KEY: Final = "arshjul_events"
log = logging.getLogger(__name__)


class NoHandlerTable(RuntimeError):
    """An event was recorded in a session that did not come from `Runtime.session()`."""


def record(session: Session, kind: EventKind, *, at: datetime, actor: str = "system", **fields: Any) -> Event:
    """Append an event, then run the handlers the composition root registered for its kind."""
    kind = EventKind(kind)
    handlers: Mapping[EventKind, Sequence[Handler]] | None = session.info.get(HANDLERS_KEY)
    if handlers is None:
        raise NoHandlerTable(f"{kind}: open the unit of work with Runtime.session(), so its handlers run")
    columns = {name: fields.pop(name) for name in list(fields) if name in _COLUMNS}
    event = Event(kind=kind, at=at, actor=actor, payload=fields, **columns)
    session.add(event)
    session.info.setdefault(PENDING_KEY, []).append(event)
    for handler in handlers.get(kind, ()):
        handler(session, event)
    return event


def record_for_assignment(
    session: Session,
    kind: EventKind,
    assignment: Assignment,
    *,
    year: int,
    phase_key: str,
    person_id: int | None,
    at: datetime,
    actor: str,
    **fields: Any,
) -> Event:
    """An event about one task: its cycle year, phase, unit and person, and what else the kind needs."""
    return record(
        session, kind, at=at, actor=actor, cycle_year=year, phase_key=phase_key,
        assignment_id=assignment.id, unit_id=assignment.unit_id, person_id=person_id, **fields,
    )  # fmt: skip


def take_recorded(session: Session) -> list[Event]:
    """The events this session recorded since the last call (to emit to Prefect after commit)."""
    events: list[Event] = session.info.pop(PENDING_KEY, [])
    return events


_COLUMNS = {"cycle_year", "phase_key", "assignment_id", "unit_id", "person_id"}
