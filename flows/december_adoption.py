"""The december-adoption phase of the årshjul."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from flows.naming import phase_run_name
from flows.phase import run_phase


@flow(name="december-adoption", flow_run_name=phase_run_name, log_prints=False)
def december_adoption(year: int | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """December adoption: handlings recorded, plan locked and sent to every unit."""
    return run_phase("december-adoption", year, as_of)
