"""The event log, mirrored to Prefect after commit, so deployment triggers and automations can react too."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from domain.models import Event
from tasks.events.log import take_recorded

log = logging.getLogger(__name__)
_installed = False


def resource_of(event: Event) -> dict[str, str]:
    if event.assignment_id is not None:
        return {"prefect.resource.id": f"arshjul.assignment.{event.assignment_id}"}
    return {"prefect.resource.id": f"arshjul.cycle.{event.cycle_year or 'none'}"}


def payload_of(event: Event) -> dict[str, Any]:
    """What a trigger can match on: where it happened, when (on the engine's clock), and the event's own fields."""
    return {
        "phase": event.phase_key,
        "unit": event.unit_id,
        "year": event.cycle_year,
        "actor": event.actor,
        "at": event.at.isoformat() if event.at else None,
        **event.payload,
    }


def _after_commit(session: Session) -> None:
    emit(take_recorded(session))


def installed() -> bool:
    """Whether committed events are mirrored to Prefect (a writer that bypasses the Session emits them itself)."""
    return _installed


def emit(events: Iterable[Event]) -> None:
    """Mirror events that were just committed to Prefect."""
    from prefect.events import emit_event

    for event in events:
        try:
            emit_event(event=f"arshjul.{event.kind}", resource=resource_of(event), payload=payload_of(event))
        except Exception:  # Prefect being unreachable must never undo or block a committed answer
            log.warning("could not emit %s to Prefect", event.kind, exc_info=True)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """The whole unit of work was rolled back: nothing it recorded happened."""
    if previous.parent is None:
        take_recorded(session)


def install_prefect_emitter() -> None:
    """Emit every committed event to Prefect (server mode: ARSHJUL_PREFECT_EVENTS=true); for the whole process."""
    global _installed
    if not _installed:
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        _installed = True


def uninstall_prefect_emitter() -> None:
    """Stop emitting (tests that switched it on for one runtime switch it off again)."""
    global _installed
    if _installed:
        sa_event.remove(Session, "after_commit", _after_commit)
        sa_event.remove(Session, "after_soft_rollback", _after_soft_rollback)
        _installed = False
