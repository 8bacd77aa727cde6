"""The event log, mirrored to Prefect after commit, so deployment triggers and automations can react too."""

from __future__ import annotations

import logging

from sqlalchemy import event as sa_event
from sqlmodel import Session

from domain.models import Event
from tasks.events import take_recorded

log = logging.getLogger(__name__)
_installed = False


def resource_of(event: Event) -> dict[str, str]:
    if event.assignment_id is not None:
        return {"prefect.resource.id": f"arshjul.assignment.{event.assignment_id}"}
    return {"prefect.resource.id": f"arshjul.cycle.{event.cycle_year or 'none'}"}


def _after_commit(session: Session) -> None:
    from prefect.events import emit_event

    for event in take_recorded(session):
        try:
            emit_event(
                event=f"arshjul.{event.kind}",
                resource=resource_of(event),
                payload={
                    "phase": event.phase_key,
                    "unit": event.unit_id,
                    "year": event.cycle_year,
                    **event.payload,
                },
            )
        except Exception:  # Prefect being unreachable must never undo or block a committed answer
            log.warning("could not emit %s to Prefect", event.kind, exc_info=True)


def _after_rollback(session: Session) -> None:
    take_recorded(session)


def install_prefect_emitter() -> None:
    """Emit every committed event to Prefect (server mode: ARSHJUL_PREFECT_EVENTS=true)."""
    global _installed
    if not _installed:
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))
        _installed = True
