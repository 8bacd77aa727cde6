"""A phase a municipality added to its own årshjul, run by key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from flows.naming import phase_run_name
from flows.phase import run_phase


@flow(name="phase", flow_run_name=phase_run_name)
def phase(key: str, year: int | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """Any phase of the årshjul by its key (for phases beyond the four defaults)."""
    return run_phase(key, year, as_of)
