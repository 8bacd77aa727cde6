"""A sector's part of the newest plan version: the measures its units asked for, as that compile placed them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.models import Event, OrgUnit
from domain.plan.content import plan_content
from domain.plan.document import STATUS_NAMES
from domain.plan.measures import sector_requests
from tasks.plan.queries import latest_version


@dataclass(frozen=True)
class SectorPart:
    number: int
    status: str
    created_at: datetime
    measures: list[dict[str, Any]]  # with own_units, own_cost, priority, prioritised_by and the sector's own choice


def sector_part(session: Session, year: int, sector: OrgUnit) -> SectorPart | None:
    """What the newest version of the year says about this sector's measures (None before the first compile)."""
    version = latest_version(session, year)
    if version is None:
        return None
    measures = [
        {**m.model_dump(), "sector_choice": m.sector_priorities.get(sector.name)}
        for m in sector_requests(plan_content(version.content).measures, sector.name)
    ]
    status = STATUS_NAMES.get(version.status.value, version.status.value)
    return SectorPart(version.number, status, version.created_at, measures)


def sector_comments(session: Session, year: int, sector_id: str) -> dict[str, str]:
    """The kommunalsjef's comments per measure key, from the sector's newest prioritisation."""
    newest = session.exec(
        select(Event)
        .where(Event.kind == EventKind.PLAN_SECTOR_PRIORITISED, Event.cycle_year == year, Event.unit_id == sector_id)
        .order_by(col(Event.id).desc())
    ).first()
    comments = newest.payload.get("comments", {}) if newest else {}
    return {str(key): str(text) for key, text in comments.items()}
