"""Per-sector deadlines inside a task step: each unit's deadline from its sector's line in `due_by_sector`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.aarshjul.model import PhaseConfig
from domain.aarshjul.schedule import sector_due_at
from tasks.org.people import sector_of
from tasks.runtime import Runtime


def sector_dues(
    session: Session, rt: Runtime, config: PhaseConfig, year: int, unit_ids: list[str | None]
) -> dict[str | None, datetime]:
    """unit id -> its own deadline, for the units whose sector (by id or name) has a line in `due_by_sector`."""
    if not config.due_by_sector:
        return {}
    dues: dict[str | None, datetime] = {}
    for unit_id in dict.fromkeys(unit_ids):
        sector = sector_of(session, unit_id)
        if sector is None:
            continue
        due = sector_due_at(rt.aarshjul, config, year, (sector.id, sector.name))
        if due is not None:
            dues[unit_id] = due
    return dues
