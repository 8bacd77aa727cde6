"""Per-sector and per-unit-kind deadlines inside a task step: a unit's kind line in `due_by_kind` wins over its
sector's line in `due_by_sector`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.aarshjul.model import PhaseConfig
from domain.aarshjul.schedule import kind_due_at, sector_due_at
from domain.models import OrgUnit
from tasks.org.people import sector_of
from tasks.runtime import Runtime


def sector_dues(
    session: Session, rt: Runtime, config: PhaseConfig, year: int, unit_ids: list[str | None]
) -> dict[str | None, datetime]:
    """unit id -> its own deadline, for the units whose kind or sector (by id or name) has a line of its own."""
    if not config.due_by_sector and not config.due_by_kind:
        return {}
    dues: dict[str | None, datetime] = {}
    for unit_id in dict.fromkeys(unit_ids):
        due = _kind_due(session, rt, config, year, unit_id) or _sector_due(session, rt, config, year, unit_id)
        if due is not None:
            dues[unit_id] = due
    return dues


def _kind_due(session: Session, rt: Runtime, config: PhaseConfig, year: int, unit_id: str | None) -> datetime | None:
    unit = session.get(OrgUnit, unit_id) if unit_id and config.due_by_kind else None
    return kind_due_at(rt.aarshjul, config, year, unit.kind) if unit is not None else None


def _sector_due(session: Session, rt: Runtime, config: PhaseConfig, year: int, unit_id: str | None) -> datetime | None:
    sector = sector_of(session, unit_id) if config.due_by_sector else None
    return sector_due_at(rt.aarshjul, config, year, (sector.id, sector.name)) if sector is not None else None
