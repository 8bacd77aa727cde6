"""Handlings of a plan version: body, date, kind (drøfting, orientering, vedtak), case number and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from domain.events import EventKind
from domain.forms import HandlingEntry
from domain.models import Handling, HandlingKind, PlanVersion
from tasks.events.log import record
from tasks.plan.sources import PlanError

FIELD_NAMES = {"body": "organ", "held_on": "dato", "kind": "type", "case_number": "saksnummer", "outcome": "utfall"}


def handling_entry(raw: dict[str, Any]) -> HandlingEntry:
    """One handling checked as the adoption form checks it, or a sentence naming what is wrong."""
    try:
        return HandlingEntry.model_validate(raw)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        raise PlanError(f"Behandlingen mangler eller har ugyldig {FIELD_NAMES.get(field, field)}.") from exc


def record_handlings(
    session: Session, version: PlanVersion, handlings: list[dict[str, Any]], *, year: int, now: datetime, actor: str
) -> list[Handling]:
    """Record each handling on the version; the version itself is not touched."""
    if not handlings:
        raise PlanError("Registrer minst én behandling (organ, dato og type).")
    recorded = []
    for raw in handlings:
        entry = handling_entry(raw)
        handling = Handling(
            plan_version_id=version.id or 0,
            body=entry.body,
            held_on=entry.held_on,
            kind=HandlingKind(entry.kind.value),
            case_number=entry.case_number,
            outcome=entry.outcome,
            recorded_at=now,
        )
        session.add(handling)
        recorded.append(handling)
        record(
            session,
            EventKind.PLAN_HANDLING_RECORDED,
            at=now,
            cycle_year=year,
            actor=actor,
            number=version.number,
            body=entry.body,
            handling_kind=entry.kind.value,
            held_on=entry.held_on.isoformat(),
            case_number=entry.case_number,
        )
    session.flush()
    return recorded
