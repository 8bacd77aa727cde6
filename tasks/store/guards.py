"""ORM-level guards: an adopted plan version never changes (it may only be superseded), the event log is append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session

from domain.models import Event, PlanStatus, PlanVersion

IMMUTABLE_PLAN_FIELDS = (
    "content",
    "rendered",
    "content_hash",
    "number",
    "parent_id",
    "cycle_id",
    "title",
    "plan_year",
    "cycle_year",
)


class ImmutableRecordError(RuntimeError):
    """Raised when code tries to change what must never change."""


def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, Event):
            raise ImmutableRecordError(f"event {obj.id} is append-only")
        if isinstance(obj, PlanVersion):
            _check_plan_version(obj)
    for obj in session.deleted:
        if isinstance(obj, Event | PlanVersion):
            raise ImmutableRecordError(f"{type(obj).__name__} {obj.id} cannot be deleted")


def _check_plan_version(version: PlanVersion) -> None:
    state = inspect(version)
    status_history = state.attrs.status.history
    previous = status_history.deleted[0] if status_history.deleted else version.status
    superseding = previous == PlanStatus.ADOPTED and version.status == PlanStatus.SUPERSEDED
    if previous == PlanStatus.SUPERSEDED or (previous == PlanStatus.ADOPTED and not superseding):
        raise ImmutableRecordError(f"plan version {version.number} is adopted and locked")
    for name in IMMUTABLE_PLAN_FIELDS:
        if state.attrs[name].history.has_changes():
            raise ImmutableRecordError(f"plan version {version.number}: {name} is written once")


def install_guards() -> None:
    """Refuse, for every session of the process, a change to an event or a written plan version (idempotent)."""
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
