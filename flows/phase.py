"""The steps every phase flow takes; the phase's own behaviour comes from the årshjul file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.aarshjul.workdays import to_local
from tasks.cycle.dispatch import close_phase_task, moment_of, open_phase_task


def run_phase(key: str, year: int | None, as_of: datetime | None) -> dict[str, Any]:
    """Open the phase if its day has come, close it if its time is up; safe to run again for the same moment."""
    moment = moment_of(as_of)
    year = year or to_local(moment).year
    created = open_phase_task(key, year, moment)
    closed = close_phase_task(key, year, moment)
    return {"phase": key, "year": year, "assignments_created": created, "closed": closed}
