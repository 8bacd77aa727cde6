"""The append-only event log: every state change writes one, in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.models import Event

Reaction = Callable[[Session, Event], None]
_reactions: dict[str, list[Reaction]] = {}
log = logging.getLogger(__name__)


def reacts_to(*kinds: str) -> Callable[[Reaction], Reaction]:
    """Register a handler that runs, in the same unit of work, whenever an event of these kinds is recorded."""

    def register(handler: Reaction) -> Reaction:
        for kind in kinds:
            _reactions.setdefault(kind, []).append(handler)
        return handler

    return register


def record(session: Session, kind: str, *, at: datetime, actor: str = "system", **fields: Any) -> Event:
    """Append an event, then run the reactions registered for its kind."""
    columns = {name: fields.pop(name) for name in list(fields) if name in _COLUMNS}
    event = Event(kind=kind, at=at, actor=actor, payload=fields, **columns)
    session.add(event)
    pending = session.info.setdefault("arshjul_events", [])
    pending.append(event)
    for handler in _reactions.get(kind, []):
        handler(session, event)
    return event


def has_reactions(kind: str) -> bool:
    """Whether recording an event of this kind runs reactions (then it must go through `record` and a Session)."""
    return bool(_reactions.get(kind))


def take_recorded(session: Session) -> list[Event]:
    """The events this session recorded since the last call (to emit to Prefect after commit)."""
    events: list[Event] = session.info.pop("arshjul_events", [])
    return events


_COLUMNS = {"cycle_year", "phase_key", "assignment_id", "unit_id", "person_id"}
